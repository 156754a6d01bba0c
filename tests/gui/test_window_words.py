"""What the window says to someone who is not a programmer, and the states it ends in."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
skimage_data = pytest.importorskip("skimage.data")

from PIL import Image  # noqa: E402
from PySide6.QtGui import QKeySequence  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
)

from scorecam_gui.app import plainwords  # noqa: E402
from scorecam_gui.engine.models.registry import load_network  # noqa: E402
from scorecam_gui.engine.models.types import WeightsError  # noqa: E402
from scorecam_gui.engine.prediction import Prediction  # noqa: E402
from scorecam_gui.gui import theme  # noqa: E402

TIMEOUT_MS = 120_000
OFFLINE = (
    "Could not download resnet18-f37072fd.pth (no network connection?): import the weights file "
    "with 'Import weights...' / --weights, or use the bundled EfficientNet-Lite0."
)


pytestmark = pytest.mark.usefixtures("styled")  # conftest.py: the window's own look


@pytest.fixture(scope="module")
def chelsea(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("photos") / "chelsea.png"
    Image.fromarray(skimage_data.chelsea()).save(path)
    return path


def offline_loader(name, weights_file=None, labels_file=None, **kwargs):
    if name == "resnet18" and weights_file is None:
        raise WeightsError(OFFLINE)
    return load_network(name, weights_file, labels_file, **kwargs)


def p(name: str, probability: float) -> Prediction:
    return Prediction(0, name, probability, 0.0)


def test_an_unsure_network_says_so():
    assert plainwords.confidence_note([p("tabby", 0.81), p("tiger cat", 0.1)]) == ""
    unsure = plainwords.confidence_note([p("bobsled", 0.29), p("football helmet", 0.1)])
    assert "unsure" in unsure and "29%" in unsure
    close = plainwords.confidence_note([p("tabby", 0.52), p("tiger cat", 0.45)])
    assert "“tabby” and “tiger cat” are close" in close
    nothing = plainwords.confidence_note([p("bubble", 0.08), p("balloon", 0.07)])
    assert "nothing it knows" in nothing


def test_weights_messages_have_no_options_or_file_names():
    text = plainwords.weights_problem(OFFLINE, "ResNet-18")
    assert "ResNet-18" in text and "Import weights…" in text and "EfficientNet-Lite0" in text
    assert "--" not in text and ".pth" not in text
    # With the weights' address: the file to fetch and where from, never the cache folder.
    url = "https://download.pytorch.org/models/resnet18-f37072fd.pth"
    named = plainwords.weights_problem(OFFLINE, "ResNet-18", url)
    assert f"fetch the file resnet18-f37072fd.pth from {url}" in named
    assert "cache" not in named.lower() and "--" not in named
    cancelled = plainwords.weights_problem("The download of x.pth was cancelled.", "ResNet-18")
    assert cancelled == "The download of ResNet-18 was cancelled."
    offer = plainwords.download_offer("ResNet-18", 44.7, "download.pytorch.org")
    assert "45 MB from download.pytorch.org" in offer and "Import weights…" in offer
    offer = plainwords.download_offer("ResNet-18", 44.7, "download.pytorch.org", url)
    assert f"bring the file resnet18-f37072fd.pth from {url} on a USB stick" in offer


def test_starting_with_a_network_to_download_asks_and_explains_with_the_bundled_one(
    qtbot, make_window, chelsea
):
    window = make_window(offline_loader)
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.controller.start(photos=[str(chelsea)], network="resnet18")
    # The same state as choosing it in the window: asked first, selector on what works. Whether
    # its weights are here is known once torch has loaded (the lister, after the first map).
    qtbot.waitUntil(
        lambda: "ResNet-18 is not on this computer yet" in window.panels.canvas.banner.text(),
        timeout=TIMEOUT_MS,
    )
    assert window.panels.sidebar.current_network() == "efficientnet_lite0"
    assert window.state.shown.request.network == "efficientnet_lite0"
    assert window.panels.sidebar.explain_button.isEnabled()
    # Download, offline: one message, in the banner; the selector back; the map stays.
    with qtbot.waitSignal(window.jobFailed, timeout=TIMEOUT_MS):
        window.panels.canvas.banner.buttons()[0].click()
    assert "Could not download ResNet-18" in window.panels.message_text()
    assert (
        window.panels.status_text() == ""
        and "Looking at the photo" not in window.panels.canvas.subheading.text()
    )
    assert window.panels.sidebar.current_network() == "efficientnet_lite0"
    assert window.panels.canvas.saliency() is window.state.shown.result.saliency


def test_no_photo_no_claim_that_it_stays(qtbot, make_window, tmp_path):
    window = make_window()
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=TIMEOUT_MS)
    window.state.photo = None  # as on a start without the sample photo
    window.panels.canvas._photo = None
    notes = tmp_path / "notes.txt"
    notes.write_text("not a photo")
    window.controller.open_paths([str(notes)])
    assert "notes.txt" in window.panels.message_text()
    assert "stays" not in window.panels.message_text()


def test_a_disabled_explain_button_looks_disabled(qtbot, make_window):
    window = make_window()
    button = window.panels.sidebar.explain_button
    button.setEnabled(True)
    enabled = button.grab().toImage()
    button.setEnabled(False)
    disabled = button.grab().toImage()

    def centre_colour(image) -> tuple[int, int, int]:
        colour = image.pixelColor(image.width() // 8, image.height() // 2)
        return colour.red(), colour.green(), colour.blue()

    accent = tuple(int(theme.ACCENT_DARK[i : i + 2], 16) for i in (1, 3, 5))
    assert np.abs(np.subtract(centre_colour(enabled), accent)).max() < 40
    assert np.abs(np.subtract(centre_colour(disabled), accent)).max() > 60  # no longer blue


def test_keyboard_and_screen_readers(make_window):
    window = make_window()
    shortcuts = {
        window.menus.open_action: "Ctrl+O",
        window.menus.explain_action: "F5",
        window.menus.cancel_action: "Esc",
        window.menus.previous_action: "Alt+Left",
        window.menus.next_action: "Alt+Right",
        window.menus.help_action: "F1",
    }
    for action, key in shortcuts.items():
        assert QKeySequence(key) in action.shortcuts(), action.text()
    window.panels.show_details(True)
    nameless = []
    for kind in (
        QAbstractButton,
        QComboBox,
        QAbstractSlider,
        QAbstractSpinBox,
        QLineEdit,
        QAbstractItemView,
    ):
        for widget in window.findChildren(kind):
            if not widget.isVisible() or isinstance(widget.parentWidget(), QComboBox):
                continue
            text = widget.text() if isinstance(widget, QAbstractButton) else ""
            buddy_named = bool(widget.accessibleName() or text)
            if not buddy_named and not isinstance(widget, QAbstractSlider):
                nameless.append(f"{type(widget).__name__} {widget.toolTip()[:40]!r}")
    assert nameless == []


def test_colour_blind_safe_colours_one_click_away(qtbot, make_window, chelsea):
    window = make_window()
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.controller.open_paths([str(chelsea)])
    colours = window.panels.canvas.colours
    assert window.panels.canvas.colour_name() == "jet" and window.panels.canvas.mode() == "matlab"
    assert colours.itemText(1) == "viridis · colour-blind safe"
    assert colours.isEnabled()  # in the grey-photo look too
    with qtbot.waitSignal(window.panels.canvas.renderChanged, timeout=5000):
        colours.setCurrentIndex(1)
    assert (
        window.panels.canvas.mode() == "blend" and window.panels.canvas.colour_name() == "viridis"
    )


def test_the_import_dialog_speaks_of_a_weights_file_not_a_state_dict(qtbot):
    from PySide6.QtWidgets import QLabel

    from scorecam_gui.gui.dialogs.importweights import ImportWeightsDialog
    from scorecam_gui.gui.panels.sidebar import NetworkEntry

    dialog = ImportWeightsDialog([NetworkEntry("resnet18", "ResNet-18", "missing")], "resnet18")
    qtbot.addWidget(dialog)
    texts = [w.placeholderText() + w.toolTip() for w in dialog.findChildren(QLineEdit)]
    texts += [w.text() + w.toolTip() for w in dialog.findChildren(QLabel)]
    assert texts and not any("state dict" in t.lower() for t in texts)
