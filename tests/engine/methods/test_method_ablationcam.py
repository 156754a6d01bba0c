"""Ablation-CAM: the weight formula with one unbatched pass a map, pytorch-grad-cam's
AblationCAM on a small network and (slow) on EfficientNet-Lite0's default layer with chelsea;
the ablations run in batches through the runner, and stop when asked."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from scorecam_gui.engine.methods import registry
from scorecam_gui.engine.methods.base import MethodRequest
from scorecam_gui.engine.models.layers import resolve_layer
from scorecam_gui.engine.progress import run_to_end

from ...helpers import peers


def test_weights_are_the_score_falls() -> None:
    net, ex, photo = peers.small_case()
    rgb = ex.prepare(photo)
    result = registry.explain(ex, rgb, "ablationcam", target=2)
    a, _ = peers.acts_and_grads(net, rgb, 2)
    x = peers.normalised(net, rgb)
    module = resolve_layer(net, None)
    with torch.no_grad():
        y = float(net.model(x)[0, 2])
        want = np.zeros(len(a), np.float32)
        for k in range(len(a)):

            def off(_m: torch.nn.Module, _i: object, out: torch.Tensor, k: int = k) -> torch.Tensor:
                out = out.clone()
                out[:, k] = 0
                return out

            handle = module.register_forward_hook(off)
            want[k] = (y - float(net.model(x)[0, 2])) / y
            handle.remove()
    np.testing.assert_allclose(result.weights, want, rtol=1e-4, atol=1e-6)
    dead = int((a.flatten(1).amax(1) == 0).sum())  # maps of zeros: not run
    assert result.forward_passes == 1 + 1 + len(a) - dead


def test_ablationcam_matches_pytorch_grad_cam_on_a_small_network() -> None:
    pytest.importorskip("pytorch_grad_cam")
    net, ex, photo = peers.small_case()
    rgb = ex.prepare(photo)
    for target in (0, 3):
        ours = registry.explain(ex, rgb, "ablationcam", target=target)
        theirs = peers.grad_cam_map("ablationcam", net, rgb, None, target, batch_size=4)
        assert peers.correlation(ours.saliency, theirs) > 0.999


def test_ablations_run_in_batches_and_stop_when_asked() -> None:
    _, ex, photo = peers.small_case()
    rgb = ex.prepare(photo)
    seen = []
    request = MethodRequest(target=1, running_map=True)
    result = run_to_end(registry.run_method(ex, rgb, "ablationcam", request), seen.append)
    inputs = result.forward_passes - 1
    assert inputs > 4 and [p.evaluated for p in seen] == [*range(4, inputs, 4), inputs]
    np.testing.assert_allclose(seen[-1].saliency, result.saliency, atol=1e-6)
    early = run_to_end(
        registry.run_method(ex, rgb, "ablationcam", MethodRequest(target=1, stop=lambda p: True))
    )
    assert early.forward_passes == 1 + 4
    # The hook is gone: the network's own output is what it was.
    again = registry.explain(ex, rgb, "gradcam", target=1)
    assert again.target == result.target


@pytest.mark.slow
def test_ablationcam_matches_pytorch_grad_cam_on_lite0() -> None:
    pytest.importorskip("pytorch_grad_cam")
    net, ex, rgb = peers.lite0_chelsea()
    ours = registry.explain(ex, rgb, "ablationcam")
    theirs = peers.grad_cam_map("ablationcam", net, rgb, None, ours.target.index)
    assert peers.correlation(ours.saliency, theirs) >= 0.98
