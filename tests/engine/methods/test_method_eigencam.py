"""Eigen-CAM: the first principal component of the layer's maps (against torch's SVD, up to its
sign), the same for every class, and pytorch-grad-cam's EigenCAM on EfficientNet-Lite0 and
chelsea (the same sign: both take numpy's)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from scorecam_gui.engine.methods import registry

from ...helpers import peers


def test_eigencam_is_the_first_principal_component() -> None:
    net, ex, photo = peers.small_case()
    result = registry.explain(ex, photo, "eigencam", target=2)
    a, _ = peers.acts_and_grads(net, photo, 2)
    rows = a.flatten(1).T.double()
    rows = rows - rows.mean(0)
    _, _, vh = torch.linalg.svd(rows, full_matrices=False)
    projection = (rows @ vh[0]).view(a.shape[1:]).float()
    plus, minus = (peers.reference_map(s * projection, peers.SMALL) for s in (1, -1))
    assert min(np.abs(result.saliency - m).max() for m in (plus, minus)) < 1e-4
    other = registry.explain(ex, photo, "eigencam", target=4)
    np.testing.assert_array_equal(other.saliency, result.saliency)  # no class in it
    assert (result.forward_passes, result.backward_passes) == (1, 0)


def test_eigencam_matches_pytorch_grad_cam_on_lite0() -> None:
    pytest.importorskip("pytorch_grad_cam")
    net, ex, rgb = peers.lite0_chelsea()
    ours = registry.explain(ex, rgb, "eigencam")
    theirs = peers.grad_cam_map("eigencam", net, rgb, None, ours.target.index)
    assert peers.correlation(ours.saliency, theirs) >= 0.98
