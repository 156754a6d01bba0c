"""LayerCAM: the formula on a small network, and pytorch-grad-cam's LayerCAM on
EfficientNet-Lite0's default layer and chelsea."""

from __future__ import annotations

import numpy as np
import pytest

from scorecam_gui.engine.methods import registry

from ...helpers import peers


def test_layercam_is_the_formula() -> None:
    net, ex, photo = peers.small_case()
    result = registry.explain(ex, photo, "layercam", target=3)
    a, g = peers.acts_and_grads(net, photo, 3)
    want = peers.reference_map((g.clamp_min(0) * a).sum(0), peers.SMALL)
    np.testing.assert_allclose(result.saliency, want, atol=1e-5)
    assert result.weights is None  # an element-wise rule: no channel weights


def test_layercam_matches_pytorch_grad_cam_on_lite0() -> None:
    pytest.importorskip("pytorch_grad_cam")
    net, ex, rgb = peers.lite0_chelsea()
    ours = registry.explain(ex, rgb, "layercam")
    theirs = peers.grad_cam_map("layercam", net, rgb, None, ours.target.index)
    assert peers.correlation(ours.saliency, theirs) >= 0.98
