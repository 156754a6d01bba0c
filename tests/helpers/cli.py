"""`scorecam` run as a user runs it: a fresh interpreter, its output captured."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

__all__ = ["run"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`scorecam ARGS...` in a new process (python -m scorecam_gui.cli.main), text output."""
    return subprocess.run(
        [sys.executable, "-m", "scorecam_gui.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )
