"""XGrad-CAM: the formula on a small network, and pytorch-grad-cam's XGradCAM on
EfficientNet-Lite0's default layer and chelsea."""

from __future__ import annotations

import numpy as np
import pytest

from scorecam_gui.engine.methods import registry

from ...helpers import peers


def test_xgradcam_is_the_formula() -> None:
    net, ex, photo = peers.small_case()
    result = registry.explain(ex, photo, "xgradcam", target=1)
    a, g = peers.acts_and_grads(net, photo, 1)
    w = (g * a / (a.sum((1, 2), keepdim=True) + 1e-7)).sum((1, 2))
    want = peers.reference_map((w[:, None, None] * a).sum(0), peers.SMALL)
    np.testing.assert_allclose(result.saliency, want, atol=1e-5)
    np.testing.assert_allclose(result.weights, w.numpy(), rtol=1e-4, atol=1e-7)
    assert (result.forward_passes, result.backward_passes) == (1, 1)


def test_xgradcam_matches_pytorch_grad_cam_on_lite0() -> None:
    pytest.importorskip("pytorch_grad_cam")
    net, ex, rgb = peers.lite0_chelsea()
    ours = registry.explain(ex, rgb, "xgradcam")
    theirs = peers.grad_cam_map("xgradcam", net, rgb, None, ours.target.index)
    assert peers.correlation(ours.saliency, theirs) >= 0.98
