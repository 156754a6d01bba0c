"""The Compare tab's sanity check and grid test, offscreen, with the real engine and real
weights (EfficientNet-Lite0's `_blocks.0`, 16 maps, in fp32: quick on a 2-core CPU)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

import torch
from PIL import Image
from skimage import data

from scorecam_gui.app.faithjobs import SANITY_STEPS
from scorecam_gui.engine.progress import Progress
from scorecam_gui.gui.window.window import MainWindow

SMALL_LAYER = "_blocks.0"
TIMEOUT_MS = 240_000
# Lite0's top classes: Egyptian cat 0.79, espresso 0.90, tripod 0.94, pill bottle 0.65.
NAMES = ("chelsea.png", "coffee.png", "camera.png", "page.png")


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("photos")
    paths = []
    for name in NAMES:
        image = Image.open(Path(data.__file__).parent / name).convert("RGB")
        image.save(folder / name)
        paths.append(folder / name)
    return paths


def explain(qtbot, window: MainWindow, paths: list[Path]) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.controller.open_paths([str(p) for p in paths])
    assert window.state.shown is not None


def only(window: MainWindow, *methods: str) -> None:
    for method, box in window.panels.compare.checks.items():
        box.setChecked(method in methods)


def test_sanity_check_shows_maps_under_randomisation(qtbot, window, photos) -> None:  # type: ignore[no-untyped-def]
    explain(qtbot, window, photos[:1])
    network = window.session.network
    before = {k: v.clone() for k, v in network.model.state_dict().items()}
    only(window, "scorecam-paper", "gradcam")
    faith = window.panels.compare.faith
    window.panels.compare.sanity_button.click()
    qtbot.waitUntil(lambda: bool(faith.tiles), timeout=TIMEOUT_MS)
    # Three methods (the noise map comes with every check), the intact network and 5 depths.
    assert len(faith.tiles) == 3 * (1 + SANITY_STEPS)
    assert "Sanity check" in faith.title.text() and not faith.isHidden()
    texts = [t.findChildren(type(faith.summary))[-1].text() for t in faith.tiles]
    assert texts[0].startswith("ρ 1.00 · SSIM 1.00")  # the intact map against itself
    assert all(t.startswith("ρ 1.00") for t in texts[-(1 + SANITY_STEPS) :])  # noise
    # The loaded network was never touched: the check ran on a copy.
    after = network.model.state_dict()
    assert all(torch.equal(after[k], v) for k, v in before.items())
    assert window.panels.compare.sanity_button.isEnabled()


def test_sanity_check_can_be_cancelled(qtbot, window, photos) -> None:  # type: ignore[no-untyped-def]
    explain(qtbot, window, photos[:1])
    seen: list[object] = []
    window.runner.progressed.connect(lambda _id, item: seen.append(item))
    window.panels.compare.sanity_button.click()
    qtbot.waitUntil(lambda: any(isinstance(i, Progress) for i in seen), timeout=TIMEOUT_MS)
    window.controller.cancel()
    qtbot.waitUntil(lambda: window.panels.compare.sanity_button.isEnabled(), timeout=TIMEOUT_MS)
    assert not window.panels.compare.faith.tiles


def test_grid_test_from_the_photo_strip(qtbot, window, photos) -> None:  # type: ignore[no-untyped-def]
    explain(qtbot, window, photos[:2])
    only(window, "gradcam")
    faith = window.panels.compare.faith
    # Two photos in the strip: not enough for a grid, and the view says why.
    window.panels.compare.grid_button.click()
    qtbot.waitUntil(lambda: not faith.isHidden(), timeout=TIMEOUT_MS)
    assert "needs 4 photos" in faith.summary.text() and not faith.tiles

    explain(qtbot, window, photos)  # the strip now holds all four
    window.panels.compare.grid_button.click()
    qtbot.waitUntil(lambda: bool(faith.tiles), timeout=TIMEOUT_MS)
    assert len(faith.tiles) == 2 * 4  # Grad-CAM and noise, 2 x 2 cells
    captions = [t.findChildren(type(faith.summary))[-1].text() for t in faith.tiles]
    noise = [float(c.split()[2]) for c in captions[4:]]
    assert np.mean(noise) == pytest.approx(25, abs=2)  # chance
    assert "112 pixels" in faith.summary.text()
