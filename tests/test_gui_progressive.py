"""The window shows the map refining as Score-CAM goes, and "Stop here" keeps it (approximate)."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
pytest.importorskip("skimage.data")

from scorecam_gui.gui.export import export_files
from scorecam_gui.gui.jobs import REFINE_INTERVAL, Refining
from tests import test_gui_window as window_tests
from tests.test_gui_window import TIMEOUT_MS, long_job_settings

photos = window_tests.photos  # the window tests' fixtures: photos and settings
settings = window_tests.settings


def test_stop_here_keeps_the_refined_map(qtbot, make_window, photos, settings, tmp_path):
    long_job_settings(settings)  # 1280 maps in batches of 2
    window = make_window()
    refined: list[tuple[float, Refining]] = []
    window.runner.progressed.connect(
        lambda _id, item: (
            refined.append((time.perf_counter(), item)) if isinstance(item, Refining) else None
        )
    )
    window.open_paths([str(photos["chelsea"])])
    qtbot.waitUntil(lambda: len(refined) >= 3, timeout=TIMEOUT_MS)
    # Throttled: a few maps a second at most, however quick the batches.
    gaps = np.diff([t for t, _ in refined])
    assert gaps.min() >= 0.5 * REFINE_INTERVAL
    last = refined[-1][1]
    assert 0 < last.done < last.total and last.overlay.shape == (300, 451, 3)
    qtbot.waitUntil(lambda: window.canvas.saliency() is not None, timeout=5000)
    assert "Refining the map" in window.canvas.subheading.text()
    assert "refining the map" in window.progress.text()
    assert window.progress.stop_button.isVisible()

    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.progress.stop_button.click()
    result = window._shown.result
    assert result.stopped and result.maps_evaluated < 1280
    assert 0 < result.evaluated.sum() < result.maps_total
    assert window.canvas.saliency() is result.saliency
    assert "APPROXIMATE" in window.canvas.subheading.text()
    assert not window.progress.stop_button.isVisible()
    summary = json.loads(export_files(window.export_data(), tmp_path, "cat")["summary"].read_text())
    assert summary["approximate"] is True
    assert summary["maps_evaluated"] == result.maps_evaluated


def test_cancel_while_refining_leaves_no_half_map(qtbot, make_window, photos, settings):
    long_job_settings(settings)
    window = make_window()
    seen: list[object] = []
    window.runner.progressed.connect(lambda _id, item: seen.append(item))
    window.open_paths([str(photos["chelsea"])])
    qtbot.waitUntil(lambda: window._refining, timeout=TIMEOUT_MS)
    assert window.canvas.saliency() is not None
    window.cancel_action.trigger()
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=5000)
    assert window.canvas.saliency() is None and window._shown is None
    assert "Refining" not in window.canvas.subheading.text()
