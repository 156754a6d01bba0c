"""The window shows the map refining as Score-CAM goes, and "Stop here" keeps it (approximate)."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
pytest.importorskip("skimage.data")

from scorecam_gui.app import jobs
from scorecam_gui.app.jobs import Refining
from scorecam_gui.engine.progress import Progress
from scorecam_gui.gui.window.export import export_files
from tests.helpers import window as window_helpers
from tests.helpers.window import long_job_settings

photos = window_helpers.photos  # the window tests' photos (settings: conftest's, the same)

# Waits are long: on a busy 2-core machine one batch of the default layer takes seconds.
FIRST_MAP_MS = 300_000


def test_running_maps_are_throttled_in_the_worker(monkeypatch) -> None:
    """However quick the batches, the window gets a few maps a second at most."""
    clock = [0.0]
    monkeypatch.setattr(jobs.time, "perf_counter", lambda: clock[0])
    photo = np.zeros((6, 8, 3), np.uint8)
    saliency = np.linspace(0, 1, 16, dtype=np.float32).reshape(4, 4)

    def engine():
        for done in range(1, 11):
            clock[0] += 0.1  # a batch every 0.1 s
            yield Progress(done, 10, clock[0], done, saliency)
        return "result"

    events, job = [], jobs._refining(engine(), photo, {})
    with pytest.raises(StopIteration) as stop:
        while True:
            events.append(next(job))
    assert stop.value.value == "result"
    progress = [e for e in events if isinstance(e, Progress)]
    maps = [e for e in events if isinstance(e, Refining)]
    assert [p.done for p in progress] == list(range(1, 11))  # every batch still counts
    assert all(p.saliency is None for p in progress)  # the maps travel only as Refining
    # at 0.1, 0.4, 0.7 s (every 0.25 s at most); none for the last batch: the result follows
    assert [m.done for m in maps] == [1, 4, 7]
    assert maps[0].overlay.shape == (6, 8, 3) and maps[0].saliency is saliency


def test_stop_here_keeps_the_refined_map(qtbot, make_window, photos, settings, tmp_path):
    long_job_settings(settings)  # 1280 maps in batches of 2
    window = make_window()
    refined: list[Refining] = []
    window.runner.progressed.connect(
        lambda _id, item: refined.append(item) if isinstance(item, Refining) else None
    )
    window.controller.open_paths([str(photos["chelsea"])])
    qtbot.waitUntil(lambda: bool(refined) and window.state.refining, timeout=FIRST_MAP_MS)
    last = refined[-1]
    assert 0 < last.done < last.total and last.overlay.shape == (300, 451, 3)
    assert window.panels.canvas.saliency() is last.saliency
    assert "Refining the map" in window.panels.canvas.subheading.text()
    qtbot.waitUntil(
        lambda: "refining the map" in window.panels.progress.text(), timeout=FIRST_MAP_MS
    )
    assert window.panels.progress.stop_button.isVisible()

    with qtbot.waitSignal(window.explanationShown, timeout=FIRST_MAP_MS):
        window.panels.progress.stop_button.click()
    result = window.state.shown.result
    assert result.stopped and result.maps_evaluated < 1280
    assert 0 < result.evaluated.sum() < result.maps_total
    assert window.panels.canvas.saliency() is result.saliency
    assert "APPROXIMATE" in window.panels.canvas.subheading.text()
    assert not window.panels.progress.stop_button.isVisible()
    summary = json.loads(
        export_files(window.menus.export_data(), tmp_path, "cat")["summary"].read_text()
    )
    assert summary["approximate"] is True
    assert summary["maps_evaluated"] == result.maps_evaluated


def test_cancel_while_refining_leaves_no_half_map(qtbot, make_window, photos, settings):
    long_job_settings(settings)
    window = make_window()
    window.controller.open_paths([str(photos["chelsea"])])
    qtbot.waitUntil(lambda: window.state.refining, timeout=FIRST_MAP_MS)
    assert window.panels.canvas.saliency() is not None
    window.menus.cancel_action.trigger()
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=FIRST_MAP_MS)
    assert window.panels.canvas.saliency() is None and window.state.shown is None
    assert "Refining" not in window.panels.canvas.subheading.text()
