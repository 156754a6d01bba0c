"""Ablation-CAM: the weight formula with one unbatched pass a map, pytorch-grad-cam's
AblationCAM on a small network and (slow) on EfficientNet-Lite0's default layer with chelsea;
the ablations run in batches through the runner, and stop when asked."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods import registry
from scorecam_gui.engine.methods.activation import ablationcam
from scorecam_gui.engine.methods.base import MethodRequest
from scorecam_gui.engine.models.layers import resolve_layer
from scorecam_gui.engine.models.types import Network
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


def _first_layer_batches(ex: object, rgb: np.ndarray, target: int) -> tuple[object, list[int]]:
    """Ablation-CAM's result and the batch sizes its network's first layer saw."""
    sizes: list[int] = []
    model = ex.inference.model()  # type: ignore[attr-defined]
    first = next(m for m in model.modules() if isinstance(m, torch.nn.Conv2d))
    handle = first.register_forward_pre_hook(lambda _m, i: sizes.append(len(i[0])))
    try:
        return registry.explain(ex, rgb, "ablationcam", target=target), sizes  # type: ignore[arg-type]
    finally:
        handle.remove()


def test_the_photo_runs_once_a_batch_up_to_the_ablated_layer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The layers before the ablated one see one photo a batch (the hook copies it there); the
    weights stay those of whole passes (test_weights_are_the_score_falls). A batch holds as many
    ablations as the memory budget allows, at most TAIL_BATCH_MAX, at least the runner's batch."""
    _, ex, photo = peers.small_case()
    rgb = ex.prepare(photo)
    result, sizes = _first_layer_batches(ex, rgb, 2)
    assert sizes == [1, 1]  # the classifying pass, then every ablation in one batch
    monkeypatch.setattr(ablationcam, "TAIL_BATCH_MAX", 2)
    result, sizes = _first_layer_batches(ex, rgb, 2)
    batches = -(-(result.forward_passes - 1) // ex.batch_size)  # the runner's batch of 4
    assert batches > 1 and sizes == [1] * (1 + batches)


class _ConcatModel(torch.nn.Module):
    """Small's layers, but the ablated layer's maps meet the photo's first maps by
    concatenation: a batch of ablations cannot start at that layer with one photo before it."""

    def __init__(self, small: torch.nn.Module) -> None:
        super().__init__()
        self.conv, self.act, self.conv2, self.fc = small.conv, small.act, small.conv2, small.fc
        self.mix = torch.nn.Conv2d(16, 8, 1)
        with torch.no_grad():  # the ablated maps pass through unchanged, the others add nothing
            self.mix.weight.zero_()
            self.mix.bias.zero_()
            self.mix.weight[:, :8, 0, 0] = torch.eye(8)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        first = self.conv(x)
        both = self.mix(torch.cat([self.act(first), first], 1))
        return self.fc(torch.relu(self.conv2(both)).mean((2, 3)))


def _Concat(net: Network) -> Network:
    return Network(net.info, _ConcatModel(net.model).eval(), net.categories, "random", "act")


def test_a_layer_whose_maps_meet_earlier_ones_runs_whole_passes() -> None:
    net, ex, photo = peers.small_case()
    rgb = ex.prepare(photo)
    concat = Explainer(_Concat(net), "cpu", "fp32", 4, fold_batchnorm=False)
    result, sizes = _first_layer_batches(concat, rgb, 2)
    assert max(sizes) > 1  # copies of the photo, as before
    # the same network function as Small's, so the same weights
    np.testing.assert_allclose(
        result.weights,
        registry.explain(ex, rgb, "ablationcam", target=2).weights,
        rtol=1e-4,
        atol=1e-6,
    )


def test_ablationcam_matches_pytorch_grad_cam_on_a_small_network() -> None:
    pytest.importorskip("pytorch_grad_cam")
    net, ex, photo = peers.small_case()
    rgb = ex.prepare(photo)
    for target in (0, 3):
        ours = registry.explain(ex, rgb, "ablationcam", target=target)
        theirs = peers.grad_cam_map("ablationcam", net, rgb, None, target, batch_size=4)
        assert peers.correlation(ours.saliency, theirs) > 0.999


def test_ablations_run_in_batches_and_stop_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ablationcam, "TAIL_BATCH_MAX", 4)  # the runner's batch: several
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
