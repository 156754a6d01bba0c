"""The window's Compare job keeps each method's map: comparing again shows it with no pass, and a
method that keeps every class's scores (IS-CAM and Ablation-CAM here; SS-CAM too) gives another
class's map by re-weighting, equal to running it for that class (registry.for_class)."""

from __future__ import annotations

import numpy as np
import pytest

from scorecam_gui import appdata
from scorecam_gui.app import jobs
from scorecam_gui.app.compare.job import compare_job
from scorecam_gui.engine.methods import registry
from scorecam_gui.engine.progress import run_to_end
from tests.helpers.jobs import Control

SMALL_LAYER = "_blocks.0"  # 16 maps: every method's whole run in seconds
METHODS = ("ablationcam", "iscam", "gradcam")  # SS-CAM: 35 passes a map, tested in the engine


def shown_for(session: jobs.EngineSession, target: int) -> jobs.Explanation:
    request = jobs.Request(
        photo=jobs.PhotoSource("sample", str(appdata.sample_photo_path())),
        network="efficientnet_lite0",
        layer=SMALL_LAYER,
        target=target,
    )
    shown = run_to_end(jobs.explain_job(session, request)(Control()))
    assert shown is not None
    return shown


def test_compare_again_and_for_another_class(monkeypatch: pytest.MonkeyPatch) -> None:
    session = jobs.EngineSession()
    first = shown_for(session, 285)
    runs: list[str] = []
    get = registry.get
    monkeypatch.setattr(registry, "get", lambda name: runs.append(name) or get(name))
    compared = run_to_end(compare_job(session, first, METHODS, False)(Control()))
    assert runs == list(METHODS)

    runs.clear()
    again = run_to_end(compare_job(session, first, METHODS, False)(Control()))
    assert runs == []  # every map kept: shown again, nothing computed
    for a, b in zip(compared.maps, again.maps, strict=True):
        assert a.saliency is b.saliency

    other = shown_for(session, 282)
    runs.clear()
    switched = run_to_end(compare_job(session, other, METHODS, False)(Control()))
    assert runs == ["gradcam"]  # its gradient is the class's; the others re-weight
    explainer = session.explainer
    assert explainer is not None
    rgb = explainer.prepare(session.image)
    for entry in switched.maps[:2]:
        fresh = run_to_end(
            registry.run(explainer, rgb, entry.method, layer=SMALL_LAYER, target=282)
        )
        assert np.abs(entry.saliency - fresh.saliency).max() <= 1e-5, entry.method
