"""How settled the running map is (Progress.settled, MethodResult.settled): the engine's own
measure, the share of the layer's activation mass scored so far."""

from __future__ import annotations

import numpy as np

from scorecam_gui.app.plainwords import settled_words
from scorecam_gui.appdata import sample_photo_path
from scorecam_gui.engine import imaging
from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.models.registry import load_network

LAYER = "_blocks.15._bn2"  # 320 maps of 7 x 7, in batches of 32: ten steps


def _run(stop_after: int | None = None):
    explainer = Explainer(load_network("efficientnet_lite0"), "cpu", "fp32", 32)
    steps = []

    def stop(progress) -> bool:
        return stop_after is not None and len(steps) >= stop_after

    job = explainer.run(
        imaging.load_image(sample_photo_path()), layer=LAYER, running_map=True, stop=stop
    )
    while True:
        try:
            steps.append(next(job))
        except StopIteration as done:
            return steps, done.value


def test_settled_grows_to_one_and_tracks_the_map():
    steps, result = _run()
    settled = [p.settled for p in steps]
    assert all(s is not None for s in settled)
    assert settled == sorted(settled) and settled[-1] == 1.0 and settled[0] < 0.5
    assert result.settled == 1.0 and not result.stopped
    # Largest activation mass first: the share runs ahead of the passes' share.
    half = next(p for p in steps if p.evaluated >= p.work_total / 2)
    assert half.settled > 0.5
    # And the running map is closer to the final one the more settled it is.
    errors = [np.abs(p.saliency - result.saliency).mean() for p in steps]
    assert errors[-1] == 0.0 and errors[len(errors) // 2] < errors[0]


def test_a_stopped_map_keeps_how_settled_it_was():
    steps, result = _run(stop_after=3)
    assert result.stopped
    assert result.settled == steps[-1].settled < 1.0


def test_settled_in_words():
    assert settled_words(0.3) == "30 % settled: still changing"
    assert "close to its final form" in settled_words(0.6)
    assert "nearly final" in settled_words(0.9)
