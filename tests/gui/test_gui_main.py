"""`scorecam-gui` arguments, the --screenshot flow, and `python -m scorecam_gui`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
skimage_data = pytest.importorskip("skimage.data")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from scorecam_gui.app.jobs import Options  # noqa: E402
from scorecam_gui.gui.startup import main as gui_main  # noqa: E402
from scorecam_gui.gui.window.settings import Settings  # noqa: E402
from scorecam_gui.gui.window.window import MainWindow  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def test_arguments():
    args = gui_main.parse_args(["cat.png", "--model", "resnet18", "--target", "tabby"])
    assert (args.images, args.model, args.target, args.screenshot) == (
        ["cat.png"],
        "resnet18",
        "tabby",
        None,
    )
    args = gui_main.parse_args(["a.png", "b.jpg", "--screenshot", "out.png"])
    assert args.images == ["a.png", "b.jpg"] and args.screenshot == "out.png"
    assert gui_main.parse_args([]).images == []


def test_bad_arguments_fail_before_any_window(tmp_path, capsys):
    assert gui_main.main([str(tmp_path / "missing.png")]) == 2
    assert "missing.png" in capsys.readouterr().err
    assert gui_main.main(["--model", "no_such_net"]) == 2
    assert "no_such_net" in capsys.readouterr().err
    assert gui_main.main(["--screenshot", str(tmp_path / "nope" / "shot.png")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_screenshot_saves_the_whole_window(qtbot, tmp_path):
    photo, other = tmp_path / "coffee.png", tmp_path / "chelsea.png"
    Image.fromarray(skimage_data.coffee()).save(photo)
    Image.fromarray(skimage_data.chelsea()).save(other)
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    settings.set_layer("efficientnet_lite0", "_blocks.0")
    settings.set_options(Options(precision="fp32", batch_size=16, device="cpu"))
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.controller.start(photos=[str(photo), str(other)], target="cup")
    out = tmp_path / "shot.png"
    assert gui_main.run_screenshot(window, str(out)) == 0
    with Image.open(out) as shot:
        assert shot.size[0] >= 1024 and shot.size[1] >= 680
    assert window.state.shown is not None and window.state.shown.result.target.name == "cup"
    assert window.state.shown.request.photo.label == "coffee.png"
    assert len(window.panels.strip.photo_keys()) == 2
    assert not list(tmp_path.glob(".*.part"))


def test_screenshot_of_a_bad_photo_fails_with_a_message(tmp_path):
    """The real command, in a fresh process: exit code 1 and a message, no PNG."""
    notes = tmp_path / "notes.png"
    notes.write_text("not a photo")
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SCORECAM_LOG_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "scorecam_gui", str(notes), "--screenshot", str(out)],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 1, done.stderr
    assert "notes.png" in done.stderr and "screenshot failed" in done.stderr
    assert not out.exists()


def test_window_size_argument():
    from scorecam_gui.gui.startup import main as gui_main

    assert gui_main.parse_args(["--window-size", "1366x768"]).window_size == (1366, 768)
    assert gui_main.parse_args([]).window_size is None
    with pytest.raises(SystemExit) as exited:
        gui_main.parse_args(["--window-size", "big"])
    assert exited.value.code == 2


def test_window_size_is_kept_by_the_first_window_and_so_by_the_main_one(qtbot, monkeypatch):
    """The main window takes the first window's place and size, so the size asked for must be
    the first window's (it used to be set on the main window, then overwritten by the first's)."""
    from scorecam_gui.gui.window import settings as settings_module

    monkeypatch.setattr(settings_module.Settings, "window_state", lambda self, key: None)
    first = gui_main._start_window(gui_main.parse_args(["--window-size", "1100x700"]))
    qtbot.addWidget(first)
    assert (first.width(), first.height()) == (1100, 700)
