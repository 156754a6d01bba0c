"""The soak test (slow: run with `pytest -m slow`): memory must not grow over 100 explanations."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_hundred_explanations_do_not_grow_memory() -> None:
    from soak import soak

    report = soak(100, verbose=False)
    assert report.cancelled == 20
    # Allocator noise is a few MB; a leak of one result a run would be tens of MB by the end.
    assert report.growth < 25, (report.first, report.last)
