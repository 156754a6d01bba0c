"""What the window's tests share: the small settings (EfficientNet-Lite0's first block, fp32 on
the CPU), the photos (two of skimage's, a text file, a broken PNG) and a drop from the file
manager, waited on until the explanation is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from skimage import data as skimage_data

from scorecam_gui.app.jobs import Options
from scorecam_gui.gui.window.settings import Settings
from scorecam_gui.gui.window.window import MainWindow

__all__ = [
    "OPTIONS",
    "SMALL_LAYER",
    "TIMEOUT_MS",
    "drop",
    "explain_by_drop",
    "long_job_settings",
    "photos",
]

SMALL_LAYER = "_blocks.0"  # 16 maps of 112 x 112
OPTIONS = Options(precision="fp32", batch_size=16, device="cpu")
TIMEOUT_MS = 120_000


@pytest.fixture(scope="session")
def photos(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("photos")
    paths = {}
    for name in ("chelsea", "coffee"):
        paths[name] = folder / f"{name}.png"
        Image.fromarray(getattr(skimage_data, name)()).save(paths[name])
    (folder / "notes.txt").write_text("not a photo\n")
    paths["notes"] = folder / "notes.txt"
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n this is not really a png")
    paths["broken"] = folder / "broken.png"
    return paths


def drop(window: MainWindow, paths: list[Path]) -> None:
    """What a drag from the file manager does: enter, then drop with file URLs."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = QPointF(window.rect().center())
    enter = QDragEnterEvent(  # takes a QPoint (PySide6 6.11 accepts nothing else)
        window.rect().center(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        centre,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)


def explain_by_drop(qtbot, window: MainWindow, path: Path):
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        drop(window, [path])
    assert window.state.shown is not None
    return window.state.shown


def long_job_settings(settings: Settings) -> None:
    """1280 maps in batches of 2: long, and quick to stop."""
    settings.set_layer("efficientnet_lite0", "_head_act")
    settings.set_options(Options(precision="fp32", batch_size=2, device="cpu"))
