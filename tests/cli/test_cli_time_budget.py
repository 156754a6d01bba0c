"""`scorecam explain --time-budget SECONDS`: the running map when time runs out, marked so."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from tests.helpers.cli import run


@pytest.fixture(scope="module")
def chelsea(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("photos") / "chelsea.png"
    Image.fromarray(data.chelsea()).save(path)
    return path


def test_time_budget_writes_the_running_map_marked_approximate(
    chelsea: Path, tmp_path: Path
) -> None:
    common = ["explain", str(chelsea), "--precision", "fp32", "--batch-size", "16", "--json"]
    proc = run(*common, "--time-budget", "0", "--out", str(tmp_path / "budget"))
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["approximate"] is True and record["stopped"] is True
    assert record["maps_evaluated"] == 16 < record["maps_total"] == 1280  # one batch
    short = np.load(tmp_path / "budget" / "chelsea-scorecam-paper-map.npy")

    proc = run(*common, "--out", str(tmp_path / "exact"))  # without the flag: as before
    assert proc.returncode == 0, proc.stderr
    exact_record = json.loads(proc.stdout)
    assert exact_record["approximate"] is False
    assert exact_record["maps_evaluated"] > 16
    exact = np.load(tmp_path / "exact" / "chelsea-scorecam-paper-map.npy")
    assert short.shape == exact.shape and short.dtype == np.float32
    assert not np.allclose(short, exact, atol=1e-3)
    # 16 passes of 483, the largest maps first, already give the map's shape (docs/scorecam.md);
    # in index order the first 24 passes give 0.65
    assert np.corrcoef(short.ravel(), exact.ravel())[0, 1] > 0.85


@pytest.mark.parametrize("value", ["-1", "soon", "nan"])
def test_bad_time_budget_is_a_usage_error(value: str) -> None:
    proc = run("explain", "x.png", "--time-budget", value)
    assert proc.returncode == 2 and "--time-budget" in proc.stderr
    assert "Traceback" not in proc.stderr
