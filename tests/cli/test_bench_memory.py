"""The long-run memory benchmark (benchmarks/bench_memory.py) runs, on a few photos: a folder
run through the command line and the window driven through its controller, each printing its
samples and the growth (issue 36, item 7). The long runs themselves are the benchmark's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("what", "options", "samples"),
    [
        ("folder", ["--count", "8", "--every", "4", "--start", "4"], 2),
        ("window", ["--count", "4"], 2),
    ],
)
def test_the_memory_benchmark_samples_and_prints_the_growth(
    tmp_path: Path, what: str, options: list[str], samples: int
) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(tmp_path),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "SCORECAM_LOG_DIR": str(tmp_path / "logs"),
    }
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_memory.py"), what, *options],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr[-3000:]  # 1: grown over 5 % (a tiny run)
    lines = proc.stdout.splitlines()
    assert len([line for line in lines if line.strip().endswith(" MB")]) >= samples
    assert any(line.startswith("growth from ") and "limit +5 %" in line for line in lines)
