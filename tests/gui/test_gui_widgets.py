"""The panels on their own, fed numpy arrays (no network, no worker)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, Qt

from scorecam_gui.app.jobs import Options
from scorecam_gui.engine import imaging
from scorecam_gui.engine.models.types import LayerInfo
from scorecam_gui.engine.prediction import Prediction
from scorecam_gui.gui.panels.canvas import MATLAB_COLORMAP, OverlayCanvas, colour_lut
from scorecam_gui.gui.panels.featuremaps import FeatureMapViewer
from scorecam_gui.gui.panels.montage import MaskedInputsMontage, MaskedTile
from scorecam_gui.gui.panels.photostrip import PhotoStrip, array_thumbnail
from scorecam_gui.gui.panels.prediction import PredictionPanel, percent
from scorecam_gui.gui.panels.sidebar import NetworkEntry, Sidebar
from scorecam_gui.gui.panels.weightsplot import WeightsPlot
from scorecam_gui.gui.qimage import qimage_to_rgb, rgb_to_qimage
from scorecam_gui.gui.window.progress import JobProgress, format_eta
from scorecam_gui.gui.window.settings import Settings

rng = np.random.default_rng(0)


def test_qimage_round_trip():
    rgb = rng.integers(0, 256, (31, 17, 3), dtype=np.uint8)  # odd width: padded QImage rows
    assert np.array_equal(qimage_to_rgb(rgb_to_qimage(rgb)), rgb)
    with pytest.raises(ValueError):
        rgb_to_qimage(np.zeros((4, 4), np.uint8))


def test_canvas_shows_the_engines_renderings(qtbot):
    canvas = OverlayCanvas()
    qtbot.addWidget(canvas)
    photo = rng.integers(0, 256, (60, 90, 3), dtype=np.uint8)
    saliency = rng.random((16, 16)).astype(np.float32)
    canvas.set_photo(photo)
    assert not canvas.matlab_button.isEnabled()  # nothing to render yet
    assert canvas.overlay() is None
    canvas.set_saliency(saliency)
    assert np.array_equal(canvas.overlay(), imaging.render_matlab_overlay(photo, saliency))
    assert canvas.overlay().shape == photo.shape  # the photo's own resolution
    canvas.set_mode("blend")
    canvas.opacity.setValue(25)
    canvas.colours.setCurrentText("magma")
    with qtbot.waitSignal(canvas.renderChanged, timeout=2000):
        pass
    expected = imaging.render_blend(photo, saliency, colormap="magma", opacity=0.25)
    assert np.array_equal(canvas.overlay(), expected)
    canvas.photo_only.setChecked(True)
    assert np.array_equal(canvas.view.image.image, photo)
    assert not canvas.view.colour_bar.isVisible()


def test_matlab_colour_bar_comes_from_the_engine():
    lut = colour_lut(MATLAB_COLORMAP)
    assert lut.shape == (256, 3) and lut.dtype == np.uint8
    assert tuple(lut[0]) == (0, 0, 0)  # the MATLAB rendering darkens low values to black
    assert np.array_equal(colour_lut("viridis"), imaging.colormap_lut("viridis"))


def test_feature_map_viewer_orders(qtbot):
    viewer = FeatureMapViewer()
    qtbot.addWidget(viewer)
    acts = rng.random((20, 5, 5)).astype(np.float32)
    weights = rng.random(20).astype(np.float32)
    scores = rng.random(20).astype(np.float32)
    viewer.set_maps(acts, weights, scores, "logit")
    assert viewer.current_channel() == int(np.argmax(weights))
    assert viewer.grid.channels() == list(np.argsort(-weights)[:12])
    viewer.order_combo.setCurrentIndex(viewer.order_combo.findData("index"))
    viewer.spin.setValue(7)
    assert viewer.current_channel() == 6
    assert np.array_equal(viewer.view.image.image, acts[6])
    assert "#6" in viewer.info.text()  # plain words first
    assert "Channel 6" in viewer.info.toolTip()  # the technical terms one step away
    viewer.order_combo.setCurrentIndex(viewer.order_combo.findData("random"))
    assert sorted(viewer.order().tolist()) == list(range(20))
    viewer.show_channel(13)
    assert viewer.current_channel() == 13
    viewer.clear()
    assert viewer.current_channel() == -1


def test_montage_lists_tiles(qtbot):
    montage = MaskedInputsMontage()
    qtbot.addWidget(montage)
    image = np.zeros((32, 32, 3), np.uint8)
    tiles = [MaskedTile(k, image, float(k), 0.1) for k in (5, 3, 9)]
    montage.set_tiles(tiles, tiles[:1], "logit")
    assert montage.channels() == ([5, 3, 9], [5])
    with qtbot.waitSignal(montage.channelClicked) as clicked:
        montage._clicked(montage.top.item(1))
    assert clicked.args == [3]


def predictions() -> tuple[Prediction, ...]:
    names = ["tabby", "tiger cat", "Egyptian cat", "lynx", "plastic bag"]
    probs = [0.5, 0.3, 0.1, 0.05, 0.01]
    return tuple(
        Prediction(i, n, p, 1.0) for i, (n, p) in enumerate(zip(names, probs, strict=True))
    )


def test_prediction_panel_click_and_search(qtbot):
    panel = PredictionPanel()
    qtbot.addWidget(panel)
    categories = ["tabby", "tiger cat", "Egyptian cat", "lynx", "plastic bag", "espresso"]
    panel.set_categories(categories)
    top5 = predictions()
    panel.set_predictions(top5, Prediction(5, "espresso", 0.001, 0.0))
    assert panel.shown_classes() == [0, 1, 2, 3, 4, 5]  # the explained class is listed too
    with qtbot.waitSignal(panel.classRequested) as clicked:
        panel.click_row(2)
    assert clicked.args == [2]
    with qtbot.waitSignal(panel.classRequested) as searched:
        panel.search.setText("espres")
        panel._search_entered()
    assert searched.args == [5]
    with qtbot.assertNotEmitted(panel.classRequested):
        panel._search_chosen("cat")  # ambiguous: three classes
    with qtbot.waitSignal(panel.classRequested) as chosen:
        panel._search_chosen("lynx  (3)")
    assert chosen.args == [3]
    assert percent(0.4567) == "45.7 %" and percent(0.0001) == "< 0.1 %"


def test_sidebar_networks_layers_and_options(qtbot):
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_networks(
        [
            NetworkEntry("efficientnet_lite0", "EfficientNet-Lite0", "bundled"),
            NetworkEntry("resnet18", "ResNet-18", "missing"),
        ],
        "efficientnet_lite0",
    )
    assert "bundled" in sidebar.network.itemText(0)
    assert "to download" in sidebar.network.itemText(1)
    layers = [
        LayerInfo("conv", "Conv2d", (8, 4, 4), 1),
        LayerInfo("act", "ReLU", (8, 4, 4), 1),
        LayerInfo("fc", "Linear", (10,), 1),
    ]
    sidebar.set_layers(layers, "act", None)
    assert sidebar.current_layer() == "act"
    assert "8 feature maps of 4×4" in sidebar.layer_caption.text()
    assert not sidebar.layer.model().item(2).isEnabled()  # no C x H x W output
    with qtbot.waitSignal(sidebar.layerChosen) as chosen:
        sidebar.layer.setCurrentIndex(0)
        sidebar.layer.activated.emit(0)
    assert chosen.args == ["conv"]
    options = Options(weighting="reference", fill="mean", batch_size=8, device="cpu")
    sidebar.advanced.set_options(options)
    assert sidebar.advanced.options() == options
    with qtbot.waitSignal(sidebar.optionsChanged):
        sidebar.advanced.weighting.setCurrentIndex(0)
    tip = sidebar.advanced.weighting.itemData(1, Qt.ItemDataRole.ToolTipRole)
    assert "MATLAB" in tip


def test_int8_is_offered_only_where_it_can_run(qtbot, monkeypatch):
    """Each precision says what it is; INT8 without NNCF is greyed out with the reason, and a
    remembered INT8 falls back to auto (a change: the photo is explained again)."""
    from scorecam_gui.app import jobs
    from scorecam_gui.engine.runtime import int8

    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    advanced = sidebar.advanced
    i = advanced.precision.findData("int8")
    assert "approximate" in advanced.precision.itemData(i, Qt.ItemDataRole.ToolTipRole)
    monkeypatch.setattr(int8, "available", lambda: False)
    reasons = dict(jobs.unavailable_precisions())
    assert reasons.keys() <= {"int8"} and "pip install" in reasons["int8"]
    advanced.set_options(Options(precision="int8"))
    with qtbot.waitSignal(sidebar.optionsChanged):
        advanced.set_unavailable_precisions(reasons)
    assert advanced.options().precision == "auto"
    assert not advanced.precision.model().item(i).isEnabled()
    assert advanced.precision.itemData(i, Qt.ItemDataRole.ToolTipRole) == reasons["int8"]


def test_weights_plot_sorts_for_display(qtbot):
    plot = WeightsPlot()
    qtbot.addWidget(plot)
    weights = np.array([0.1, 0.6, 0.3], np.float32)
    plot.set_weights(weights, 3)
    _, y = plot.curve.getData()
    assert list(y) == sorted(weights.tolist(), reverse=True)
    assert plot.summary.text() == "The 3 strongest of 3 maps make 100 % of the heat map."
    assert plot.plot.isVisibleTo(plot)
    plot.clear()  # no empty axes before a result
    assert not plot.plot.isVisibleTo(plot) and plot.hint.isVisibleTo(plot)


def test_progress_text(qtbot):
    progress = JobProgress()
    qtbot.addWidget(progress)
    progress.maps(812, 1280, 180.4, 2.6)  # one step: the time left is still being measured
    assert progress.text() == "Score-CAM: 812 / 1280 maps"
    progress._remaining.update = lambda done, total: 2.6  # a steady rate (tested below)
    progress.maps(812, 1280, 180.4, 2.6)
    assert progress.text() == "Score-CAM: 812 / 1280 maps · about 5 s left"
    progress.bytes("Downloading", 5, 10)
    assert progress.bar.value() == 500
    # Rounded up, never promising less than the measured rate implies.
    assert format_eta(None) == "" and format_eta(200) == "about 4 min left"
    assert format_eta(21) == "about 25 s left" and format_eta(61) == "about 70 s left"


def _run(left, steps):
    """Feed (seconds, work done) steps of a 1000-pass job; the estimates and the true times left."""
    shown = []
    end = steps[-1][0]
    for now, done in steps:
        estimate = left.update(done, 1000, now=now)
        shown.append((now, estimate, end - now))
    return shown


def test_time_left_is_given_only_once_it_is_right_within_its_margin():
    """Issue 35: "about 20 s left", and the run ended 3 s later. A slow start (compiling, the
    first-use check) must not make the promise; a steady rate must, within STEADY_MARGIN."""
    from scorecam_gui.timeleft import RemainingTime

    margin = 1 + RemainingTime.STEADY_MARGIN
    # 8 passes, then 2 s of compiling for the next 8, then 200 passes a second to the end.
    steps = [(0.0, 8), (2.0, 16)] + [(2.0 + 0.1 * k, 16 + 20 * k) for k in range(1, 50)]
    shown = _run(RemainingTime(), steps)
    given = [(now, estimate, truth) for now, estimate, truth in shown if estimate is not None]
    assert all(estimate is None for now, estimate, _ in shown if now < 3.5)  # still measuring
    assert given, "a steady rate gives a time left"
    for _, estimate, truth in given:
        assert truth / margin <= estimate <= truth * margin or estimate - truth < 0.5


def test_time_left_waits_again_when_the_rate_changes():
    from scorecam_gui.timeleft import RemainingTime

    left = RemainingTime()
    # 100 passes a second for 3 s, then another program takes half the CPU: 50 a second.
    steps = [(0.1 * k, 10 * k) for k in range(31)]
    steps += [(3.0 + 0.1 * k, 300 + 5 * k) for k in range(1, 40)]
    shown = {round(now, 1): estimate for now, estimate, _ in _run(left, steps)}
    assert shown[3.0] == pytest.approx(7.0)  # 700 passes at 100 a second
    assert shown[3.5] is None and shown[4.0] is None  # the rate changed: measuring again
    assert shown[4.5] == pytest.approx((1000 - 375) / 50)
    assert shown[6.9] == pytest.approx((1000 - 495) / 50, rel=0.05)
    assert left.update(1000, 1000, now=7.0) == 0.0
    assert left.update(10, 1000, now=7.1) is None  # a new job starts from nothing


def test_engine_progress_time_left_counts_the_work_not_the_maps():
    from scorecam_gui.engine.progress import Progress

    # 751 constant maps count as done with the first batch of 8 inputs out of 530.
    first = Progress(done=758, total=1280, elapsed=2.0, evaluated=8, work_total=530)
    assert first.eta == pytest.approx((530 - 8) * 2.0 / 8)
    assert Progress(10, 20, 5.0).eta == pytest.approx(5.0)
    assert Progress(0, 20, 0.0).eta is None


def test_photo_strip_steps(qtbot, tmp_path):
    strip = PhotoStrip()
    qtbot.addWidget(strip)
    pixels = np.zeros((10, 20, 3), np.uint8)
    for key in ("paste:1", "paste:2", "paste:3"):
        strip.add(key, array_thumbnail(pixels), key)
    strip.set_current("paste:2")
    with qtbot.waitSignal(strip.photoChosen) as chosen:
        strip.step_next()
    assert chosen.args == ["paste:3"]
    strip.add("paste:1")  # already there: stays where it is
    assert strip.photo_keys() == ["paste:1", "paste:2", "paste:3"]
    strip.remove("paste:2")
    assert strip.paths() == []


def test_settings_fall_back_on_broken_values(tmp_path):
    q = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings = Settings(q)
    assert settings.options() == Options()
    q.setValue("options/weighting", "nonsense")
    q.setValue("options/batch_size", "many")
    assert settings.options() == Options()
    settings.set_recent_files(["/a.png"])
    assert settings.recent_files() == ["/a.png"]
    settings.set_imported_weights("resnet18", "/w.pth", None)
    assert settings.imported_weights("resnet18") == ("/w.pth", None)
    settings.set_imported_weights("resnet18", None, None)
    assert settings.imported_weights("resnet18") is None


def test_many_signal_emits_do_not_use_up_true():
    """PySide6 6.12.0's emit() drops a reference to True each call (see gui/_compat.py)."""
    import sys

    from scorecam_gui.gui import _compat

    probe = _compat._Probe()
    probe.ping.connect(lambda: None)
    before = sys.getrefcount(True)
    for _ in range(50_000):
        probe.ping.emit()
    if _compat.PROTECTED:  # a defective release installed by hand: True can no longer run out
        assert sys.getrefcount(True) > 1 << 39
    else:  # a supported release: emitting leaves the count of True where it was
        assert sys.getrefcount(True) >= before - 100
