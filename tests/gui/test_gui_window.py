"""The main window end to end, offscreen, with the real engine and real weights.

To stay quick on a 2-core CPU most tests explain EfficientNet-Lite0's `_blocks.0` (16 maps) in fp32;
the cancel tests use the default layer (1280 maps) and stop it after the first batch.
"""

from __future__ import annotations

import ast
import csv
import json
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
skimage_data = pytest.importorskip("skimage.data")

import torch  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QFileOpenEvent, QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from scorecam_gui.app.jobs import Download  # noqa: E402
from scorecam_gui.engine import imaging  # noqa: E402
from scorecam_gui.engine.explainer import Explainer  # noqa: E402
from scorecam_gui.engine.methods.scorecam.masks import masked_input  # noqa: E402
from scorecam_gui.engine.models.registry import load_network  # noqa: E402
from scorecam_gui.engine.models.types import WeightsError  # noqa: E402
from scorecam_gui.engine.progress import Progress  # noqa: E402
from scorecam_gui.gui.qimage import rgb_to_qimage  # noqa: E402
from scorecam_gui.gui.window.export import export_files  # noqa: E402
from scorecam_gui.gui.window.fileopen import FileOpenHandler  # noqa: E402
from scorecam_gui.gui.window.window import MainWindow  # noqa: E402
from scorecam_gui.gui.worker import running_threads  # noqa: E402
from tests.helpers import window as window_helpers  # noqa: E402
from tests.helpers.window import (  # noqa: E402
    OPTIONS,
    SMALL_LAYER,
    TIMEOUT_MS,
    drop,
    explain_by_drop,
    long_job_settings,
)

GUI_DIR = Path(__file__).resolve().parents[2] / "scorecam_gui" / "gui"
photos = window_helpers.photos  # the shared fixture (tests/helpers/window.py)


def wait_for_maps_progress(qtbot, window: MainWindow) -> None:
    seen = []
    window.runner.progressed.connect(lambda _id, item: seen.append(item))
    qtbot.waitUntil(lambda: any(isinstance(i, Progress) for i in seen), timeout=TIMEOUT_MS)


def engine_alone(path: Path, layer: str, **kwargs):
    network = load_network("efficientnet_lite0")
    explainer = Explainer(network, OPTIONS.device, OPTIONS.precision, OPTIONS.batch_size)
    return explainer.explain(imaging.load_image(path), layer=layer, **kwargs)


# -- the main flow --------------------------------------------------------------------------------
def test_drop_gives_the_engines_explanation(qtbot, window, photos):
    shown = explain_by_drop(qtbot, window, photos["chelsea"])
    result = shown.result
    expected = engine_alone(photos["chelsea"], SMALL_LAYER)
    assert result.layer == SMALL_LAYER and result.precision == "fp32"
    assert np.allclose(result.saliency, expected.saliency, atol=1e-6, rtol=0)
    assert np.allclose(result.weights, expected.weights, atol=1e-6, rtol=0)
    assert result.target.index == expected.target.index
    assert [p.index for p in result.top5] == [p.index for p in expected.top5]

    # What is on screen is the engine's arrays, not numbers the GUI made up.
    photo = np.asarray(imaging.load_image(photos["chelsea"]))
    assert window.panels.canvas.saliency() is result.saliency
    assert np.array_equal(window.panels.canvas.photo(), photo)
    assert np.array_equal(
        window.panels.canvas.overlay(), imaging.render_matlab_overlay(photo, result.saliency)
    )
    assert window.panels.feature_maps._acts is result.activations
    _, y = window.panels.weights_plot.curve.getData()
    assert np.array_equal(y, np.sort(result.weights)[::-1])
    for tile in shown.top_tiles + shown.random_tiles:
        assert np.array_equal(tile.image, masked_input(result, tile.channel))
        assert tile.score == float(result.scores[tile.channel])
    top_channels, _ = window.panels.montage.channels()
    assert top_channels == [int(k) for k in np.argsort(-result.weights, kind="stable")[:12]]
    assert window.panels.prediction.shown_classes()[0] == result.top5[0].index
    assert "chelsea.png" in window.windowTitle()
    assert window.panels.strip.current_key() == str(photos["chelsea"].resolve())
    assert window.panels.device_label.text() == "cpu · fp32"


def test_blend_rendering_uses_the_engine(qtbot, window, photos):
    shown = explain_by_drop(qtbot, window, photos["chelsea"])
    with qtbot.waitSignal(window.panels.canvas.renderChanged, timeout=5000):
        window.panels.canvas.blend_button.click()
    with qtbot.waitSignal(window.panels.canvas.renderChanged, timeout=5000):
        window.panels.canvas.opacity.setValue(70)
    with qtbot.waitSignal(window.panels.canvas.renderChanged, timeout=5000):
        window.panels.canvas.colours.setCurrentText("viridis")
    expected = imaging.render_blend(
        shown.photo, shown.result.saliency, colormap="viridis", opacity=0.7
    )
    assert np.array_equal(window.panels.canvas.overlay(), expected)


def test_clicking_a_class_explains_it(qtbot, window, photos):
    first = explain_by_drop(qtbot, window, photos["chelsea"]).result
    second_class = first.top5[1].index
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.panels.prediction.click_row(1)
    result = window.state.shown.result
    assert result.target.index == second_class
    expected = engine_alone(photos["chelsea"], SMALL_LAYER, target=second_class)
    assert np.allclose(result.saliency, expected.saliency, atol=1e-6, rtol=0)
    # The search box explains any class by name.
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.panels.prediction._search_chosen("espresso")
    assert window.state.shown.result.target.name == "espresso"


def test_several_photos_dropped_can_be_stepped_through(qtbot, window, photos):
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        drop(window, [photos["chelsea"], photos["coffee"]])
    keys = window.panels.strip.photo_keys()
    assert keys == [str(photos["chelsea"].resolve()), str(photos["coffee"].resolve())]
    assert window.state.shown.request.photo.path == keys[0]
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.menus.next_action.trigger()
    assert window.state.shown.request.photo.path == keys[1]
    assert window.state.shown.result.top5[0].name == "espresso"
    assert window.settings.recent_files()[:2] == [keys[1], keys[0]]


def test_paste_from_clipboard(qtbot, window, photos):
    pixels = skimage_data.coffee()
    QGuiApplication.clipboard().setImage(rgb_to_qimage(pixels))
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.menus.paste_action.trigger()
    assert window.state.shown.result.top5[0].name == "espresso"
    assert np.array_equal(window.panels.canvas.photo(), pixels)
    assert window.panels.strip.photo_keys() == ["paste:1"]


# -- cancel, supersede, close ---------------------------------------------------------------------
def test_cancel_stops_the_job(qtbot, make_window, photos, settings):
    long_job_settings(settings)
    window = make_window()
    window.controller.open_paths([str(photos["chelsea"])])
    wait_for_maps_progress(qtbot, window)
    assert window.panels.progress.isVisible()
    t0 = time.perf_counter()
    with qtbot.assertNotEmitted(window.explanationShown, wait=300):
        window.menus.cancel_action.trigger()
        qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=5000)
    assert time.perf_counter() - t0 < 5
    assert not window.panels.progress.isVisible()
    assert window.state.shown is None
    assert "Cancelled" in window.panels.status_text()


def test_new_request_replaces_running_one(qtbot, make_window, photos, settings):
    long_job_settings(settings)
    window = make_window()
    shown = []
    window.explanationShown.connect(lambda: shown.append(window.state.shown))
    window.controller.open_paths([str(photos["chelsea"])])  # 1280 maps: long
    wait_for_maps_progress(qtbot, window)
    window.panels.sidebar.select_layer(SMALL_LAYER)
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        drop(window, [photos["coffee"]])
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=TIMEOUT_MS)
    qtbot.wait(200)
    assert len(shown) == 1
    assert shown[0].request.photo.label == "coffee.png"
    assert shown[0].result.layer == SMALL_LAYER


def test_closing_during_a_job_is_quick_and_leaves_no_thread(qtbot, make_window, photos, settings):
    long_job_settings(settings)
    window = make_window()
    window.controller.open_paths([str(photos["chelsea"])])
    wait_for_maps_progress(qtbot, window)
    t0 = time.perf_counter()
    window.close()
    assert time.perf_counter() - t0 < 2.5
    assert running_threads() == []


# -- things that go wrong -------------------------------------------------------------------------
def test_dropping_a_non_image_keeps_the_previous_work(qtbot, window, photos):
    shown = explain_by_drop(qtbot, window, photos["chelsea"])
    saliency = window.panels.canvas.saliency()
    drop(window, [photos["notes"]])
    assert window.panels.canvas.banner.isVisible()
    assert "notes.txt" in window.panels.canvas.banner.text()
    assert "notes.txt" not in window.panels.status_text()  # one message, in one place
    assert "The current photo stays" in window.panels.canvas.banner.text()
    assert not window.runner.is_busy()
    assert window.state.shown is shown and window.panels.canvas.saliency() is saliency

    # A file that looks like an image but is not: the engine says so, the work stays.
    with qtbot.waitSignal(window.jobFailed, timeout=TIMEOUT_MS) as failed:
        drop(window, [photos["broken"]])
    assert "broken.png" in failed.args[0]
    assert window.state.shown is shown and window.panels.canvas.saliency() is saliency
    assert np.array_equal(window.panels.canvas.photo(), shown.photo)
    assert str(photos["broken"].resolve()) not in window.panels.strip.photo_keys()
    assert window.panels.strip.current_key() == str(photos["chelsea"].resolve())


def test_macos_open_with_explains_the_photo(qtbot, window, photos):
    # Finder's "Open With" and Dock drops reach the app as QFileOpenEvent, not as arguments.
    app = QApplication.instance()
    handler = FileOpenHandler(app, window)
    try:
        with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
            assert QApplication.sendEvent(app, QFileOpenEvent(str(photos["coffee"])))
        assert window.state.shown.result.top5[0].name == "espresso"
        assert window.panels.strip.current_key() == str(photos["coffee"].resolve())
        QApplication.sendEvent(app, QFileOpenEvent(str(photos["notes"])))
        assert "notes.txt" in window.panels.canvas.banner.text() and not window.runner.is_busy()
    finally:
        app.removeEventFilter(handler)


def test_offline_download_failure_says_what_to_do(qtbot, make_window, photos):
    def loader(name, weights_file=None, labels_file=None, **kwargs):
        if name == "resnet18" and weights_file is None:
            raise WeightsError(
                "Could not download resnet18-f37072fd.pth (no network connection?): import the "
                "weights file with 'Import weights...' / --weights, or use the bundled "
                "EfficientNet-Lite0."
            )
        return load_network(name, weights_file, labels_file, **kwargs)

    window = make_window(loader)
    shown = explain_by_drop(qtbot, window, photos["chelsea"])
    index = window.panels.sidebar.network.findData("resnet18")
    # Found after the first job, in a thread (torchvision's tables take seconds to import).
    qtbot.waitUntil(
        lambda: "to download" in window.panels.sidebar.network.itemText(index), timeout=TIMEOUT_MS
    )
    # Choosing it asks first: what, how big, from where; nothing is downloaded yet.
    window.panels.sidebar.network.setCurrentIndex(index)
    window.panels.sidebar.network.activated.emit(index)
    offer = window.panels.canvas.banner.text()
    assert "ResNet-18" in offer and "MB" in offer and "download.pytorch.org" in offer
    assert [b.text() for b in window.panels.canvas.banner.buttons()] == [
        "Download",
        "Import weights…",
    ]
    assert not window.runner.is_busy()
    assert window.panels.sidebar.current_network() == "efficientnet_lite0"
    with qtbot.waitSignal(window.jobFailed, timeout=TIMEOUT_MS) as failed:
        window.panels.canvas.banner.buttons()[0].click()
    message = failed.args[0]
    assert "Import weights" in message and "EfficientNet-Lite0" in message
    # No command-line options and no cache folder in the window; one message, one place. It
    # names the file to fetch on a computer that is online, and where it comes from.
    assert "--" not in message and "cache" not in message.lower()
    url = "https://download.pytorch.org/models/resnet18-f37072fd.pth"
    assert f"resnet18-f37072fd.pth from {url}" in message
    assert window.panels.canvas.banner.isVisible() and window.panels.canvas.banner.text() == message
    assert window.panels.status_text() == ""
    assert window.panels.sidebar.current_network() == "efficientnet_lite0"
    assert window.state.shown is shown
    assert window.panels.sidebar.explain_button.isEnabled()


def test_download_progress_and_cancel(qtbot, make_window, photos):
    def loader(name, weights_file=None, labels_file=None, progress=None, cancel=None, **kw):
        if name == "resnet18":
            total = 50 * 1024 * 1024
            for done in range(0, total, 1024 * 1024):
                if cancel():
                    raise WeightsError("The download of resnet18-f37072fd.pth was cancelled.")
                progress(done, total)
                time.sleep(0.02)
            raise AssertionError("the download should have been cancelled")
        return load_network(name, weights_file, labels_file, progress=progress, cancel=cancel)

    window = make_window(loader)
    explain_by_drop(qtbot, window, photos["chelsea"])
    downloads = []
    window.runner.progressed.connect(
        lambda _id, item: downloads.append(item) if isinstance(item, Download) else None
    )
    index = window.panels.sidebar.network.findData("resnet18")
    # Found after the first job, in a thread (torchvision's tables take seconds to import).
    qtbot.waitUntil(
        lambda: "to download" in window.panels.sidebar.network.itemText(index), timeout=TIMEOUT_MS
    )
    window.panels.sidebar.network.setCurrentIndex(index)
    window.panels.sidebar.network.activated.emit(index)
    window.panels.canvas.banner.buttons()[0].click()  # "Download"
    qtbot.waitUntil(lambda: len(downloads) >= 3, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: "Downloading ResNet-18" in window.panels.progress.text(), timeout=5000)
    with qtbot.assertNotEmitted(window.jobFailed, wait=300):
        window.controller.cancel()
        qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=5000)
    assert window.panels.sidebar.current_network() == "efficientnet_lite0"


def test_a_network_named_at_start_is_explained_once(
    qtbot, make_window, photos, settings, monkeypatch
):
    """`scorecam-gui --network resnet18 PHOTO` with its weights here, which the window learns
    only once torchvision is loaded: the check runs as soon as torch is in, and ResNet-18
    supersedes the bundled network's first job. One explanation, of the network asked for
    (it was once explained twice: the bundled network's map first)."""
    from scorecam_gui.gui.startup import networklist

    real_rows = networklist.network_rows

    def rows(extra=()):
        return [(n, t, "downloaded" if n == "resnet18" else s) for n, t, s in real_rows(extra)]

    monkeypatch.setattr(networklist, "network_rows", rows)
    torch.manual_seed(0)
    resnet = load_network("resnet18", random_init=True)

    def loader(name, weights_file=None, labels_file=None, **kwargs):
        return resnet if name == "resnet18" else load_network(name, weights_file, labels_file)

    # The bundled network's first job takes seconds (1280 maps): time for the check to land.
    settings.set_layer("efficientnet_lite0", "_head_act")
    settings.set_layer("resnet18", "layer1")  # 64 maps
    window = make_window(loader)
    shown: list[str] = []
    window.explanationShown.connect(lambda: shown.append(window.state.shown.request.network))
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.controller.start([str(photos["chelsea"])], network="resnet18")
    qtbot.wait(300)
    assert shown == ["resnet18"]
    assert window.panels.sidebar.current_network() == "resnet18"
    assert window.panels.strip.current_key() == str(photos["chelsea"].resolve())


# -- networks -------------------------------------------------------------------------------------
def test_switching_networks(qtbot, window, photos, settings, tmp_path):
    """SqueezeNet 1.1 with random weights imported from a file (no download in tests)."""
    import torchvision

    torch.manual_seed(0)
    weights = tmp_path / "squeezenet_random.pth"
    torch.save(torchvision.models.squeezenet1_1(weights=None).state_dict(), weights)
    settings.set_imported_weights("squeezenet1_1", str(weights), None)
    settings.set_layer("squeezenet1_1", "features.3.squeeze_activation")  # 16 maps: quick
    window.networks.refresh()
    first = explain_by_drop(qtbot, window, photos["chelsea"])

    index = window.panels.sidebar.network.findData("squeezenet1_1")
    assert "imported" in window.panels.sidebar.network.itemText(index)
    window.panels.sidebar.network.setCurrentIndex(index)
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.panels.sidebar.network.activated.emit(index)
    result = window.state.shown.result
    assert window.state.shown.request.network == "squeezenet1_1"
    assert result.layer == "features.3.squeeze_activation" and result.maps_total == 16
    assert window.state.network.weights_source == str(weights)
    assert window.panels.sidebar.layer.findData("classifier.2") >= 0  # SqueezeNet's layers listed
    assert window.settings.network("x") == "squeezenet1_1"

    # And back: the bundled network, its remembered layer, the same map as before.
    index = window.panels.sidebar.network.findData("efficientnet_lite0")
    window.panels.sidebar.network.setCurrentIndex(index)
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.panels.sidebar.network.activated.emit(index)
    assert window.state.shown.result.layer == SMALL_LAYER
    assert np.array_equal(window.state.shown.result.saliency, first.result.saliency)


def test_layer_and_option_changes_rerun(qtbot, window, photos):
    explain_by_drop(qtbot, window, photos["chelsea"])
    index = window.panels.sidebar.layer.findData("_blocks.1")
    window.panels.sidebar.layer.setCurrentIndex(index)
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.panels.sidebar.layer.activated.emit(index)
    assert window.state.shown.result.layer == "_blocks.1"
    assert window.settings.layer("efficientnet_lite0") == "_blocks.1"
    combo = window.panels.sidebar.advanced.weighting
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        combo.setCurrentIndex(combo.findData("matlab"))
    assert window.state.shown.result.weighting == "matlab"
    assert window.settings.options().weighting == "matlab"


# -- export ---------------------------------------------------------------------------------------
def test_export_writes_valid_files(qtbot, window, photos, tmp_path):
    shown = explain_by_drop(qtbot, window, photos["chelsea"])
    result = shown.result
    paths = export_files(window.menus.export_data(), tmp_path, "cat")
    overlay = np.asarray(Image.open(paths["overlay"]).convert("RGB"))
    assert overlay.shape == shown.photo.shape  # the photo's own resolution
    assert np.array_equal(overlay, window.panels.canvas.overlay())
    assert np.array_equal(np.load(paths["map"], allow_pickle=False), result.saliency)
    with open(paths["weights"], newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["map", "weight", "logit"]
    assert len(rows) == result.maps_total + 1
    assert np.allclose([float(r[1]) for r in rows[1:]], result.weights, rtol=1e-6)
    summary = json.loads(paths["summary"].read_text(encoding="utf-8"))
    assert summary["target_index"] == result.target.index
    assert summary["layer"] == SMALL_LAYER and summary["model"] == "efficientnet_lite0"
    assert summary["photo_size"] == [shown.photo.shape[1], shown.photo.shape[0]]
    assert not list(tmp_path.glob(".*.part"))  # no temporary files left behind

    # Copy to the clipboard: the picture as shown.
    window.menus.copy_action.trigger()
    copied = QGuiApplication.clipboard().image()
    assert (copied.width(), copied.height()) == (shown.photo.shape[1], shown.photo.shape[0])


def test_settings_are_remembered(qtbot, make_window, photos, settings):
    window = make_window()
    explain_by_drop(qtbot, window, photos["chelsea"])
    window.panels.canvas.blend_button.click()
    window.panels.canvas.opacity.setValue(30)
    window.close()
    again = make_window()
    assert again.panels.canvas.mode() == "blend" and again.panels.canvas.opacity.value() == 30
    assert again.panels.sidebar.advanced.options() == OPTIONS
    assert again.panels.strip.photo_keys() == [str(photos["chelsea"].resolve())]
    assert settings.window_state("geometry") is not None


# -- the GUI holds no Score-CAM math --------------------------------------------------------------
def test_gui_does_not_compute_scorecam():
    banned_calls = {"softmax", "interpolate", "relu", "log_softmax", "exp", "einsum", "matmul"}
    for path in [*GUI_DIR.rglob("*.py"), *(GUI_DIR.parent / "app").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert "torch.nn" not in node.module, f"{path.name} imports {node.module}"
            if isinstance(node, ast.Attribute) and node.attr in banned_calls:
                pytest.fail(f"{path.name}:{node.lineno} uses {node.attr}")


# -- Compare tab ----------------------------------------------------------------------------------
def test_compare_methods(qtbot, window, photos, monkeypatch):
    from scorecam_gui.engine.faithfulness import metrics as engine_metrics
    from scorecam_gui.engine.methods import registry

    shown = explain_by_drop(qtbot, window, photos["chelsea"])
    assert window.panels.compare.button.isEnabled()

    # The metrics are the engine's (tested there); a stand-in keeps this test quick.
    measured = []

    def fake_metrics(explainer, image, saliency, target=None, **kwargs):
        measured.append((saliency, target))
        curve = engine_metrics.Curve(np.linspace(0, 1, 3), np.array([0.9, 0.5, 0.1]), 0.5)
        yield Progress(1, 1, 0.1)
        return engine_metrics.MapMetrics(
            target, 0.8, 0.6, 0.25, False, curve, curve, None, 2, "blur", "cpu", "fp32", 0.1
        )

    monkeypatch.setattr(engine_metrics, "run_metrics", fake_metrics)  # jobs imports it per job
    window.panels.compare.measure.setChecked(True)
    with qtbot.waitSignal(window.comparisonShown, timeout=TIMEOUT_MS):
        window.panels.compare.button.click()
    entries = window.panels.compare.view.entries()
    assert [e.label for e in entries] == ["Score-CAM (paper)", "Grad-CAM", "Grad-CAM++"]
    assert entries[0].saliency is shown.result.saliency  # reused, not computed again
    network = load_network("efficientnet_lite0")
    explainer = Explainer(network, OPTIONS.device, OPTIONS.precision, OPTIONS.batch_size)
    expected = registry.explain(
        explainer,
        imaging.load_image(photos["chelsea"]),
        "gradcam",
        layer=SMALL_LAYER,
        target=shown.result.target.index,
    )
    assert np.allclose(entries[1].saliency, expected.saliency, atol=1e-6)
    assert len(measured) == 3 and all(t == shown.result.target.index for _, t in measured)
    assert entries[2].metrics["Drop"] == "25.0 %"

    # A tile's map on the canvas; the same tile again brings Score-CAM's back. Export keeps
    # saving Score-CAM's overlay whatever the canvas shows.
    from scorecam_gui.gui.compare.view import _Tile

    tiles = window.panels.compare.view.findChildren(_Tile)
    assert len(tiles) == 3
    scorecam_overlay = window.menus.export_data().overlay.copy()
    qtbot.mouseClick(tiles[1], Qt.MouseButton.LeftButton)
    assert window.panels.canvas.saliency() is entries[1].saliency
    assert "Grad-CAM map" in window.panels.canvas.subheading.text()
    assert "#4c9aff" in tiles[1].styleSheet() and "#4c9aff" not in tiles[0].styleSheet()
    assert not np.array_equal(window.panels.canvas.overlay(), scorecam_overlay)
    assert np.array_equal(window.menus.export_data().overlay, scorecam_overlay)
    qtbot.mouseClick(tiles[2], Qt.MouseButton.LeftButton)
    assert window.panels.canvas.saliency() is entries[2].saliency
    qtbot.mouseClick(tiles[2], Qt.MouseButton.LeftButton)
    assert window.panels.canvas.saliency() is shown.result.saliency
    assert not any("#4c9aff" in tile.styleSheet() for tile in tiles)
    assert window.panels.canvas.subheading.text().startswith("Red and yellow")
    assert np.array_equal(window.panels.canvas.overlay(), scorecam_overlay)
    qtbot.mouseClick(tiles[1], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tiles[0], Qt.MouseButton.LeftButton)  # Score-CAM's own tile: back as well
    assert window.panels.canvas.saliency() is shown.result.saliency


def test_folded_details_stay_folded_after_a_restart(qtbot, make_window):
    """The panels below the photo come back as the user left them: folded (F8) on a tall
    window stays folded at the next start, and unfolded on a low one stays unfolded."""
    window = make_window()
    window.panels.show_details(True)
    window.menus.details_action.trigger()  # F8: fold
    assert not window.panels.tabs.is_expanded()
    window.save_settings()
    window.close()
    again = make_window()
    qtbot.waitExposed(again)
    assert not again.panels.tabs.is_expanded() and not again.menus.details_action.isChecked()
    assert again.panels.tabs.maximumHeight() == again.panels.tabs.row_height()
    again.panels.show_details(True)
    again.resize(1200, 700)  # low: a first start would fold them
    again.save_settings()
    again.close()
    third = make_window()
    qtbot.waitExposed(third)
    assert third.panels.tabs.is_expanded() and third.menus.details_action.isChecked()
