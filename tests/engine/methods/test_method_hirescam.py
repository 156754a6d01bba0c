"""HiResCAM: the formula on a small network, that it differs from Grad-CAM where the gradient
varies over the grid, and pytorch-grad-cam's HiResCAM on EfficientNet-Lite0 and chelsea."""

from __future__ import annotations

import numpy as np
import pytest

from scorecam_gui.engine.methods import registry

from ...helpers import peers


def test_hirescam_is_the_formula_and_not_gradcam() -> None:
    net, ex, photo = peers.small_case()
    result = registry.explain(ex, photo, "hirescam", target=0)
    a, g = peers.acts_and_grads(net, photo, 0)
    want = peers.reference_map((g * a).sum(0), peers.SMALL)
    np.testing.assert_allclose(result.saliency, want, atol=1e-5)
    gradcam = registry.explain(ex, photo, "gradcam", target=0)
    # The small network's head is not linear in the maps: the gradient varies over the grid.
    assert np.abs(result.saliency - gradcam.saliency).max() > 0.05


def test_hirescam_matches_pytorch_grad_cam_on_lite0() -> None:
    pytest.importorskip("pytorch_grad_cam")
    net, ex, rgb = peers.lite0_chelsea()
    ours = registry.explain(ex, rgb, "hirescam")
    theirs = peers.grad_cam_map("hirescam", net, rgb, None, ours.target.index)
    assert peers.correlation(ours.saliency, theirs) >= 0.98
