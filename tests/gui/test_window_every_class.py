"""The window after a Score-CAM run: another class, found by a click or a search, and one class
against another ("Compared with…"), shown at once from the passes already made: no pass through
the network, the same map as a run of that class."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("PySide6")

from scorecam_gui.app.records import window_record
from scorecam_gui.engine import imaging
from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.models.registry import load_network
from tests.helpers.window import OPTIONS, SMALL_LAYER, TIMEOUT_MS, explain_by_drop, photos

__all__ = ["photos"]  # the fixture


def fresh_run(path, **kwargs):
    explainer = Explainer(
        load_network("efficientnet_lite0"), OPTIONS.device, OPTIONS.precision, OPTIONS.batch_size
    )
    return explainer.explain(imaging.load_image(path), layer=SMALL_LAYER, **kwargs)


def count_passes(window) -> list[int]:
    """Forward calls of the window's network from now on (any pass: classifying or masked)."""
    calls: list[int] = []
    model = window.session.network.model
    model.register_forward_hook(lambda _m, inputs, _o: calls.append(len(inputs[0])))
    return calls


def test_another_class_is_shown_without_a_pass(qtbot, window, photos):
    first = explain_by_drop(qtbot, window, photos["chelsea"]).result
    calls = count_passes(window)
    runner_up = first.top5[1]
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.panels.prediction.click_row(1)
    shown = window.state.shown
    assert calls == []  # no masked pass, and not even the classifying one
    assert shown.result.target.index == runner_up.index
    assert shown.reweighted_from is not None and shown.reweighted_from.index == first.target.index
    want = fresh_run(photos["chelsea"], target=runner_up.index)
    assert np.abs(shown.result.saliency - want.saliency).max() <= 1e-5
    assert "nothing was computed again" in window.panels.status_text()
    # by search, too
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.panels.prediction._search_chosen("lynx")
    assert window.state.shown.result.target.name == "lynx" and calls == []


def test_compared_with_the_runner_up(qtbot, window, photos):
    first = explain_by_drop(qtbot, window, photos["chelsea"]).result
    offered = window.panels.prediction.contrast_choices()
    assert offered[0] == -1 and offered[1] == first.top5[1].index  # the runner-up first
    calls = count_passes(window)
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.panels.prediction.choose_contrast(first.top5[1].index)
    result = window.state.shown.result
    assert calls == []
    assert result.target.index == first.target.index
    assert result.contrast is not None and result.contrast.index == first.top5[1].index
    heading = window.panels.canvas.heading.text()
    assert "rather than" in heading and first.top5[1].name in heading
    record = window_record(result, "chelsea.png", "efficientnet_lite0")
    assert (record.contrast_index, record.target_index) == (first.top5[1].index, 285)
    # back to the class alone
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.panels.prediction.choose_contrast(-1)
    assert window.state.shown.result.contrast is None
    np.testing.assert_allclose(window.state.shown.result.saliency, first.saliency, atol=1e-6)
