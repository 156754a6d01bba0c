"""Every window opens inside the screen: the rule (gui/screenfit.py), and the real app under Xvfb.

The Xvfb test starts `scorecam-gui` as a user would, with no window manager to shrink or move its
windows, on a 1366 x 768 screen and on a 1920 x 1080 one at QT_SCALE_FACTOR=1.5, and looks at its
windows from outside the process (`xwininfo`) from the first window until the map is shown. It is
skipped where Xvfb or xwininfo is missing (.ci/run installs them).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize

from scorecam_gui.gui.screenfit import fit_rect

ROOT = Path(__file__).resolve().parents[1]
FAST_LAYER = "_blocks.0"  # 16 feature maps: the map comes in seconds, even on a busy machine
EXPLAIN_TIMEOUT_S = 240


# -- the rule ------------------------------------------------------------------------------------
def test_a_large_window_is_cut_to_the_room_below_a_title_bar():
    fitted, minimum = fit_rect(QRect(0, 0, 1480, 920), QRect(0, 0, 1366, 768), QSize(1024, 680))
    assert fitted == QRect(0, 0, 1366, 728)
    assert minimum is None  # 1024 x 680 fits


def test_a_window_off_the_screen_is_moved_onto_it():
    room = QRect(0, 24, 1280, 696)  # a panel at the top
    fitted, _ = fit_rect(QRect(900, 500, 1000, 700), room, title_bar=0)
    assert room.contains(fitted)
    assert fitted.size() == QSize(1000, 696)


def test_a_screen_smaller_than_the_minimum_size_lowers_it():
    fitted, minimum = fit_rect(QRect(0, 0, 1024, 680), QRect(0, 0, 1024, 600), QSize(1024, 680))
    assert fitted == QRect(0, 0, 1024, 560)
    assert minimum == QSize(1024, 560)


def test_a_window_that_fits_stays_as_it_is():
    rect = QRect(100, 80, 800, 500)
    assert fit_rect(rect, QRect(0, 0, 1920, 1080), QSize(400, 300)) == (rect, None)


# -- the real app under Xvfb ----------------------------------------------------------------------
needs_x = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xwininfo")),
    reason="needs Xvfb and xwininfo (apt: xvfb x11-utils)",
)

_WINDOW = re.compile(r'^\s+(0x[0-9a-f]+) "(.*)": \(.*\)\s+(\d+)x(\d+)\+(-?\d+)\+(-?\d+)')


def _windows_on_screen(display: str) -> list[tuple[str, QRect]]:
    """(title, geometry in screen pixels) of every mapped top-level window, as X sees it."""
    env = dict(os.environ, DISPLAY=display)
    tree = subprocess.run(
        ["xwininfo", "-root", "-children"], capture_output=True, text=True, env=env, timeout=20
    ).stdout
    found = []
    for line in tree.splitlines():
        match = _WINDOW.match(line)
        if match is None:
            continue
        info = subprocess.run(
            ["xwininfo", "-id", match.group(1)], capture_output=True, text=True, env=env, timeout=20
        ).stdout
        if "IsViewable" not in info:
            continue  # never mapped (Qt's group leader, the clipboard's owner) or hidden
        values = {
            key: int(value)
            for key, value in re.findall(
                r"(Absolute upper-left [XY]|Width|Height):\s+(-?\d+)", info
            )
        }
        rect = QRect(
            values["Absolute upper-left X"],
            values["Absolute upper-left Y"],
            values["Width"],
            values["Height"],
        )
        found.append((match.group(2), rect))
    return found


@pytest.fixture
def xvfb(request: pytest.FixtureRequest):
    """An Xvfb server of the size asked for; its display name."""
    width, height = request.param
    read, write = os.pipe()
    server = subprocess.Popen(  # -displayfd: Xvfb picks a free display and writes its number
        [
            "Xvfb",
            "-displayfd",
            str(write),
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write,),
    )
    os.close(write)
    with os.fdopen(read) as numbers:
        number = numbers.readline().strip()
    if not number.isdigit():
        server.kill()
        pytest.fail("Xvfb did not start")
    display = f":{number}"
    yield display, QRect(0, 0, width, height)
    server.terminate()
    server.wait(10)


def _settings_with_layer(config: Path, layer: str) -> None:
    """The app's settings file with the layer chosen (as if picked in the window last time)."""
    from PySide6.QtCore import QSettings

    from scorecam_gui.gui.window.settings import APPLICATION, ORGANIZATION, Settings

    path = config / ORGANIZATION / f"{APPLICATION}.conf"
    path.parent.mkdir(parents=True, exist_ok=True)
    settings = Settings(QSettings(str(path), QSettings.Format.IniFormat))
    settings.set_layer("efficientnet_lite0", layer)
    settings.sync()


@needs_x
@pytest.mark.parametrize(
    ("xvfb", "scale"),
    [((1366, 768), None), ((1920, 1080), "1.5")],
    indirect=["xvfb"],
    ids=["1366x768", "1920x1080-at-1.5"],
)
def test_every_window_of_the_app_lies_inside_the_screen(xvfb, scale, tmp_path):
    display, screen = xvfb
    _settings_with_layer(tmp_path / "config", FAST_LAYER)
    env = dict(os.environ)
    for name in ("QT_SCALE_FACTOR", "QT_SCREEN_SCALE_FACTORS", "QT_AUTO_SCREEN_SCALE_FACTOR"):
        env.pop(name, None)
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        PYTHONPATH=str(ROOT),
        OMP_NUM_THREADS="1",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        SCORECAM_LOG_DIR=str(tmp_path / "logs"),
        SCORECAM_INSTANCE_NAME=str(tmp_path / "instance"),
    )
    if scale is not None:
        env["QT_SCALE_FACTOR"] = scale
    app = subprocess.Popen(
        [sys.executable, "-m", "scorecam_gui.gui.startup.main", "--new-window"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log = tmp_path / "logs" / "scorecam-studio.log"
    seen: list[tuple[str, QRect]] = []
    shown_at = None
    try:
        deadline = time.monotonic() + EXPLAIN_TIMEOUT_S
        while time.monotonic() < deadline and app.poll() is None:
            seen += _windows_on_screen(display)
            text = log.read_text(errors="replace") if log.exists() else ""
            if "explanation shown" in text:
                if shown_at is None:
                    shown_at = time.monotonic()
                elif time.monotonic() - shown_at > 1.5:  # the panels below filled in too
                    break
            time.sleep(0.3)
        seen += _windows_on_screen(display)
    finally:
        app.terminate()
        output = app.communicate(timeout=30)[0]
    assert shown_at is not None, f"no explanation shown; the app said:\n{output}\n{text[-3000:]}"
    titles = {title for title, _ in seen}
    assert any("Score-CAM Studio" in title for title in titles), titles
    outside = [(title, rect) for title, rect in seen if not screen.contains(rect)]
    assert not outside, f"windows outside the {screen.width()}x{screen.height()} screen: {outside}"
    # And the window uses the screen: not a small box in one corner.
    largest = max(rect.width() * rect.height() for _, rect in seen)
    assert largest >= 0.8 * screen.width() * screen.height()
