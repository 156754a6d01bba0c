"""engine/runtime/inference.py: the public batch-forward API that Score-CAM, metrics and Grad-CAM
share."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from scorecam_gui.engine.hooks import capture_output, hooked, probe
from scorecam_gui.engine.runtime.inference import InferenceModel
from tests.helpers.networks import SIZE, bn_network


def test_logits_in_batches_equal_the_network_and_halve_on_out_of_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    net = bn_network()
    runner = InferenceModel(net, "cpu", "fp32", batch_size=4)
    x = runner.normalise(torch.rand(7, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(2)))
    with torch.inference_mode():
        want = runner.exact_logits(x)
    torch.testing.assert_close(runner.logits(x), want, rtol=1e-4, atol=1e-5)  # BN folded

    fast = runner.model()
    forward = fast.forward
    sizes: list[int] = []

    def limited(batch: torch.Tensor) -> torch.Tensor:
        sizes.append(batch.shape[0])
        if batch.shape[0] > 1:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return forward(batch)

    monkeypatch.setattr(fast, "forward", limited)
    torch.testing.assert_close(runner.logits(x), want, rtol=1e-4, atol=1e-5)
    assert sizes[:3] == [4, 2, 1] and max(sizes[2:]) == 1


def test_hooks_are_removed_even_when_the_pass_fails() -> None:
    net = bn_network()
    seen: list[str] = []
    probe(net.model, SIZE, after=lambda name, _m, _o: seen.append(name))
    assert {"conv1", "bn1", "fc"} <= set(seen) and "" not in seen  # every submodule, not the root
    with pytest.raises(RuntimeError), hooked([("", net.model)], after=lambda *a: None):
        net.model(torch.zeros(1, 2, SIZE, SIZE))  # wrong channel count
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in net.model.modules())
    layer = next(m for m in net.model.modules() if isinstance(m, nn.Conv2d))
    with capture_output(layer) as outs, torch.inference_mode():
        net.model(torch.zeros(1, 3, SIZE, SIZE))
    assert len(outs) == 1 and not layer._forward_hooks
