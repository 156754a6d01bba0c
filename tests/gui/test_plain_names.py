"""A model's class names and a photo's file name reach the window as the text they are (issue
36, item 5): `<font color=red size=7>SPOOFED` from a labels file or an ONNX file's metadata never
paints the status bar, a caption, a tooltip or a dialog. Offscreen, EfficientNet-Lite0's first
block (16 maps)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from skimage import data

from scorecam_gui.engine.models.registry import load_network
from scorecam_gui.engine.models.types import Network
from scorecam_gui.gui.widgets import caption
from tests.helpers.window import explain_by_drop

SPOOF = "<font color=red size=7>SPOOFED"


def _spoofing_loader(
    name: str, weights_file: str | None = None, labels_file: str | None = None, **kwargs: object
) -> Network:
    """The window's loader hook: the network with every class named like the issue's label."""
    net = load_network(name, weights_file, labels_file, **kwargs)  # type: ignore[arg-type]
    net.categories = [f"{SPOOF} {i}" for i in range(net.num_classes)]
    return net


def _rich(label: QLabel) -> bool:
    """Whether the label would draw its text's tags as markup."""
    if label.textFormat() == Qt.TextFormat.PlainText:
        return False
    return label.textFormat() == Qt.TextFormat.RichText or Qt.mightBeRichText(label.text())


def test_the_status_bar_and_every_label_show_a_spoofed_name_as_it_is(
    qtbot, make_window, tmp_path: Path
) -> None:
    photo = tmp_path / f"{SPOOF}.png"  # the file name too
    Image.fromarray(data.chelsea()).save(photo)
    window = make_window(loader=_spoofing_loader)
    explain_by_drop(qtbot, window, photo)

    status = window.panels.status_label
    assert SPOOF in status.text()  # "Explained “<font …>SPOOFED 281” in 1 s."
    assert status.textFormat() == Qt.TextFormat.PlainText
    spoofed = [w for w in window.findChildren(QLabel) if "SPOOFED" in w.text()]
    assert status in spoofed and len(spoofed) > 1  # the heading, the top five's note, ...
    assert [w.objectName() or w.text() for w in spoofed if _rich(w)] == []
    tips = [w.toolTip() for w in window.findChildren(QWidget) if "SPOOFED" in w.toolTip()]
    assert all("<font" not in tip for tip in tips)  # escaped (plain_tip) where they name it


def test_captions_are_plain_unless_asked_for_markup(qtbot) -> None:
    plain, rich = caption(SPOOF), caption("<b>&lt;escaped&gt;</b>", rich=True)
    qtbot.addWidget(plain)
    qtbot.addWidget(rich)
    assert plain.textFormat() == Qt.TextFormat.PlainText
    assert rich.textFormat() == Qt.TextFormat.RichText
