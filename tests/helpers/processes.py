"""Python code run in new processes, as a second `scorecam` run would be (disk caches)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

__all__ = ["in_new_processes"]


def in_new_processes(script: str, cache_dir: Path, times: int = 2) -> list[list[str]]:
    """The words each of `times` new processes printed, run one after the other with
    SCORECAM_CACHE_DIR=cache_dir (what the first stores, the next finds)."""
    env = os.environ | {"SCORECAM_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
    return [
        subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(times)
    ]
