"""Every class from one Score-CAM run (scorecam/classes.py): the map of another class, or of one
class against another, from the passes a run kept, with no pass through the network."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image
from skimage import data

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods.scorecam.classes import for_class
from scorecam_gui.engine.models.registry import load_network
from tests.helpers.networks import photo, tiny_network
from tests.helpers.scorecam_reference import reference

EGYPTIAN_CAT, TIGER_CAT, TABBY = 285, 282, 281
APPROX = 48  # the 48 highest-variance maps: the same arithmetic, a tenth of the passes


def count_passes(model: torch.nn.Module) -> list[int]:
    """Images through `model` from now on (its top module's forward calls, batch sizes)."""
    seen: list[int] = []
    model.register_forward_hook(lambda _m, inputs, _out: seen.append(len(inputs[0])))
    return seen


@pytest.fixture(scope="module")
def lite0_chelsea() -> tuple[Explainer, np.ndarray]:
    explainer = Explainer(load_network("efficientnet_lite0"), "cpu", "fp32", backend="torch")
    return explainer, np.asarray(Image.fromarray(data.chelsea()))


@pytest.mark.parametrize("weighting", ["paper", "matlab", "reference"])
def test_another_class_needs_no_pass_and_equals_its_own_run(
    lite0_chelsea: tuple[Explainer, np.ndarray], weighting: str
) -> None:
    explainer, chelsea = lite0_chelsea
    first = explainer.explain(chelsea, weighting=weighting, approximate=APPROX)
    assert first.target.index == EGYPTIAN_CAT and first.class_scores is not None
    passes = count_passes(explainer.network.model)
    for c in (TIGER_CAT, TABBY):
        other = for_class(first, c)
        assert passes == []  # no pass at all: not even the classifying one
        fresh = explainer.explain(chelsea, weighting=weighting, target=c, approximate=APPROX)
        assert other.target == fresh.target
        assert np.abs(other.saliency - fresh.saliency).max() <= 1e-5
        np.testing.assert_allclose(other.weights, fresh.weights, atol=1e-6)
        passes.clear()


def test_the_contrast_equals_the_brute_force_reference() -> None:
    net = tiny_network()
    rgb = photo()
    explainer = Explainer(net, "cpu", "fp32", batch_size=3, fold_batchnorm=False)
    for weighting in ("paper", "matlab", "reference"):
        result = explainer.explain(rgb, weighting=weighting, target=1)
        got = for_class(result, 1, contrast=2)
        want, want_w, _, _ = reference(net.model, rgb, weighting, "black", target=1, contrast=2)
        np.testing.assert_allclose(got.saliency, want, atol=1e-5)
        np.testing.assert_allclose(got.weights, want_w, atol=1e-5)
        assert got.contrast is not None and got.contrast.index == 2


def test_the_contrast_of_egyptian_against_tiger_cat_differs_from_either_map(
    lite0_chelsea: tuple[Explainer, np.ndarray],
) -> None:
    explainer, chelsea = lite0_chelsea
    egyptian = explainer.explain(chelsea, approximate=APPROX)
    contrast = for_class(egyptian, EGYPTIAN_CAT, contrast=TIGER_CAT)
    tiger = for_class(egyptian, TIGER_CAT)
    for other in (egyptian, tiger):
        corr = np.corrcoef(contrast.saliency.ravel(), other.saliency.ravel())[0, 1]
        assert corr < 0.99  # it says something neither class's map says alone


def test_a_result_without_class_scores_says_so(lite0_chelsea) -> None:
    from dataclasses import replace

    explainer, chelsea = lite0_chelsea
    result = explainer.explain(chelsea, approximate=16)
    with pytest.raises(ValueError, match="out of range"):
        for_class(result, 5000)
    with pytest.raises(ValueError, match="keeps no class scores"):
        for_class(replace(result, class_scores=None), 1)
