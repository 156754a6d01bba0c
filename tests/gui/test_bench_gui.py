"""The window benchmark drives the real window: it must keep up with the window's structure (it
once called a `MainWindow.start` that a restructure had moved to the controller)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_window_benchmark_runs_a_job_quiet_and_busy(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "SCORECAM_LOG_DIR": str(tmp_path / "logs"),
    }
    command = [sys.executable, str(ROOT / "benchmarks" / "bench_gui.py"), "--skip-startup"]
    proc = subprocess.run(
        [*command, "--busy", "0", "1"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    assert report["maps"] == 1280 and report["layer"] == "_head_act"
    assert report["job_s"] > 0 and report["ticks"] > 0
    assert [job["busy_processes"] for job in report["busy_jobs"]] == [0, 1]
    assert all(job["maps"] == 1280 for job in report["busy_jobs"])
    assert report["busy_vs_quiet"]["0"] == 1.0 and report["busy_vs_quiet"]["1"] > 0
    # the class switches after the first job: each a map on screen, from the passes made
    assert len(report["class_switch_ms"]) == 4 and report["class_switch_median_ms"] > 0
