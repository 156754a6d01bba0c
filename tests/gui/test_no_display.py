"""No display (SSH, WSL without a display server, a container): `scorecam-gui` says so in one
line and exits 1, where Qt aborted (SIGABRT) blaming libxcb-cursor0 (issue 35)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from scorecam_gui.gui.startup.display import DISPLAY_VARIABLES, missing_display

ROOT = Path(__file__).resolve().parents[2]


def test_any_display_variable_lets_qt_decide():
    assert missing_display({}, "linux") is not None
    assert missing_display({"DISPLAY": ""}, "linux") is not None  # set but empty: none
    for name in DISPLAY_VARIABLES:
        assert missing_display({name: ":0"}, "linux") is None, name
    assert missing_display({}, "win32") is None
    assert missing_display({}, "darwin") is None


def test_the_message_is_one_line_that_says_what_to_do():
    message = missing_display({}, "linux")
    assert message is not None and "\n" not in message
    assert message.startswith("scorecam-gui: no display found")
    assert "QT_QPA_PLATFORM=offscreen" in message


def test_no_display_is_one_line_and_exit_1_not_an_abort(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in DISPLAY_VARIABLES}
    env.update(
        PYTHONPATH=str(ROOT),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        SCORECAM_LOG_DIR=str(tmp_path / "logs"),
        SCORECAM_INSTANCE_NAME=str(tmp_path / "instance"),  # never reach a running window
    )
    done = subprocess.run(
        [sys.executable, "-m", "scorecam_gui"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 1, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("scorecam-gui: no display found"), done.stderr
    assert "xcb" not in done.stderr
