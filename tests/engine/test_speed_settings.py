"""Speed settings that must not change the answer: BatchNorm folding, batch sizes, the allocator."""

from __future__ import annotations

import copy
import shutil

import numpy as np
import pytest
import torch
from torch import nn

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.models.types import Network, NetworkInfo
from scorecam_gui.engine.runtime import device as devices
from scorecam_gui.engine.runtime.inference import default_batch_size
from tests.helpers.networks import SIZE, bn_network, photo, tiny_network
from tests.helpers.scorecam_reference import reference


def test_batchnorm_folded_only_where_it_is_the_convolutions_only_reader() -> None:
    net = bn_network()
    folded = Explainer(net, "cpu", "fp32").inference_model()
    assert folded is not net.model
    kinds = {n: type(m).__name__ for n, m in folded.named_modules()}
    assert kinds["bn1"] == kinds["bn3"] == "Identity"
    assert kinds["bn2"] == kinds["shared"] == kinds["pre"] == "BatchNorm2d"
    # the original is untouched, and the copy shares every tensor it did not change
    assert isinstance(net.model.bn1, nn.BatchNorm2d)
    assert folded.conv2.weight is net.model.conv2.weight
    assert folded.conv1.weight is not net.model.conv1.weight
    x = torch.randn(5, 3, SIZE, SIZE)
    with torch.inference_mode():
        torch.testing.assert_close(folded(x), net.model(x), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("weighting", ["paper", "matlab", "reference"])
def test_folding_gives_the_same_map(weighting: str) -> None:
    net = bn_network()
    plain = Explainer(net, "cpu", "fp32", 3, fold_batchnorm=False).explain(
        photo(), weighting=weighting
    )
    folded = Explainer(net, "cpu", "fp32", 3).explain(photo(), weighting=weighting)
    np.testing.assert_allclose(folded.saliency, plain.saliency, atol=1e-5)
    np.testing.assert_allclose(folded.scores, plain.scores, rtol=1e-5, atol=1e-5)


def test_folded_model_follows_weight_changes() -> None:
    net = bn_network()
    ex = Explainer(net, "cpu", "fp32")
    first = ex.inference_model()
    assert ex.inference_model() is first  # built once
    with torch.no_grad():
        net.model.bn1.running_var.mul_(4.0)  # e.g. other weights loaded in place
    second = ex.inference_model()
    assert second is not first
    x = torch.randn(2, 3, SIZE, SIZE)
    with torch.inference_mode():
        torch.testing.assert_close(second(x), net.model(x), rtol=1e-5, atol=1e-5)


def test_training_mode_batchnorm_is_not_folded() -> None:
    net = bn_network()
    assert Explainer(net, "cpu", "fp32", fold_batchnorm=False).inference_model() is net.model
    ex = Explainer(net, "cpu", "fp32")
    net.model.bn1.train()  # batch statistics: not an affine map (the copy is built on first use)
    folded = ex.inference_model()
    assert isinstance(folded.bn1, nn.BatchNorm2d)


def test_default_batch_sizes() -> None:
    assert default_batch_size("cuda:1") == 128
    assert default_batch_size("mps") == 32
    # CPU: the largest power of two (8..32) whose batch keeps the largest activation in 32 MiB
    assert default_batch_size(torch.device("cpu")) == 8  # EfficientNet-Lite0 in bf16
    assert default_batch_size("cpu", 64 * 112 * 112 * 2) == 16  # ResNet-18 in bf16
    assert default_batch_size("cpu", 1) == 32 and default_batch_size("cpu", 10**9) == 8
    # the tiny network's largest activation is 8 x 32 x 32 values: 4 KiB in bf16, 8 in fp32
    calls: list[int] = []
    net = bn_network()
    net.model.register_forward_hook(lambda m, i, o: calls.append(i[0].shape[0]))
    ex = Explainer(net, "cpu", "fp32")
    assert not calls  # chosen on first use
    assert ex.batch_size == 32 and calls == [1]
    assert ex.batch_size == 32 and calls == [1]  # once
    assert Explainer(net, "cpu", "fp32", batch_size=5).batch_size == 5 and calls == [1]


def test_allocator_tuning_is_idempotent_and_respects_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = devices.tune_cpu_allocator()
    assert devices.tune_cpu_allocator() is first
    devices.tune_cpu_allocator.cache_clear()
    monkeypatch.setenv("MALLOC_ARENA_MAX", "2")
    assert devices.tune_cpu_allocator() is False
    devices.tune_cpu_allocator.cache_clear()


def test_twin_maps_share_one_masked_input() -> None:

    net = tiny_network()
    with torch.no_grad():  # map 3 = 2.5 x map 2 (ReLU commutes with a positive scale)
        net.model.conv2.weight[3] = 2.5 * net.model.conv2.weight[2]
        net.model.conv2.bias[3] = 2.5 * net.model.conv2.bias[2]
    calls: list[int] = []
    net.model.register_forward_hook(lambda m, i, o: calls.append(i[0].shape[0]))
    for weighting in ("paper", "matlab", "reference"):
        want, want_w, _, _ = reference(net.model, photo(), weighting, "black")
        got = Explainer(net, "cpu", "fp32", 64).explain(photo(), weighting=weighting)
        np.testing.assert_allclose(got.saliency, want, atol=1e-5)
        np.testing.assert_allclose(got.weights, want_w, atol=1e-5)
        assert got.scores[3] == got.scores[2]
        # 10 maps: two constant ones share one input (none under `reference`, which skips
        # them), the twins another
        passes = 7 if weighting == "reference" else 8
        assert got.maps_evaluated == passes and calls[-1] == passes


class Stem(nn.Module):
    """A cheap first convolution, then the bulk of the work."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 2, 1)  # 6 K multiply-adds of about 2.7 M
        self.conv1 = nn.Conv2d(2, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 16, 3, padding=1)
        self.act = nn.ReLU()
        self.fc = nn.Linear(16, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(self.conv2(torch.relu(self.conv1(self.stem(x)))))
        return self.fc(x.mean((2, 3)))


def test_bf16_keeps_the_first_convolutions_in_fp32() -> None:
    torch.manual_seed(0)
    info = NetworkInfo("stem", "Stem", "act", SIZE, (0.5,) * 3, (0.25,) * 3, False, None, "test")
    net = Network(info, Stem().eval(), ["a", "b", "c"], "random")
    net.default_layer = "act"
    assert Explainer(net, "cpu", "fp32").inference_model() is net.model  # nothing to change
    model = Explainer(net, "cpu", "bf16").inference_model()
    kinds = {n: type(m).__name__ for n, m in model.named_modules()}
    assert kinds["stem"] == "_FullPrecision" and kinds["conv1"] == kinds["conv2"] == "Conv2d"
    x = torch.randn(2, 3, SIZE, SIZE)
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
        assert model.stem(x).dtype == torch.float32
        torch.testing.assert_close(model(x).float(), net.model(x).float(), rtol=0.05, atol=0.05)


@pytest.mark.skipif(shutil.which("g++") is None, reason="torch.compile on the CPU needs g++")
def test_compiled_masked_passes_give_the_same_map() -> None:
    # batch 4 over 6 maps: the last batch is padded to the compiled shape
    eager = Explainer(bn_network(), "cpu", "fp32", batch_size=4).explain(photo(), fill="mean")
    ex = Explainer(bn_network(), "cpu", "fp32", batch_size=4, compile_model=True)
    got = ex.explain(photo(), fill="mean")
    assert ex.compile_error is None and ex.inference._compiled is not None
    assert ex.inference._compiled[2] == 4  # compiled once, for the full batch
    np.testing.assert_allclose(got.scores, eager.scores, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got.saliency, eager.saliency, atol=1e-4)


def test_a_network_that_does_not_compile_runs_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            raise RuntimeError("C++ compile error\nmore detail")

    monkeypatch.setattr(torch, "compile", lambda model, **kwargs: Broken())
    eager = Explainer(bn_network(), "cpu", "fp32", batch_size=4).explain(photo())
    ex = Explainer(bn_network(), "cpu", "fp32", batch_size=4, compile_model=True)
    got = ex.explain(photo())
    assert ex.compile_error == "RuntimeError: C++ compile error" and ex.inference._compiled is None
    np.testing.assert_array_equal(got.saliency, eager.saliency)


def test_a_fold_that_disagrees_falls_back_to_the_network_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from scorecam_gui.engine.runtime import rewrite

    fold = rewrite._fold_batchnorm

    def wrong_fold(model: nn.Module, pairs: list[tuple[str, str]]) -> nn.Module:
        built = fold(model, pairs)
        built.fc = copy.deepcopy(built.fc)  # the copy shares the layers it does not change
        with torch.no_grad():
            built.fc.bias[0] += 1.0  # a fold gone wrong changes the logits by O(1)
        return built

    monkeypatch.setattr(rewrite, "_fold_batchnorm", wrong_fold)
    net = bn_network()
    with caplog.at_level("WARNING", logger="scorecam_gui"):
        ex = Explainer(net, "cpu", "fp32")
        assert ex.inference_model() is net.model  # the network as it is, not the wrong copy
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("scorecam_gui")]
    assert len(lines) == 1 and "disagrees" in lines[0] and "slower" in lines[0]
    # and the map is the unfolded network's
    want = Explainer(bn_network(), "cpu", "fp32", fold_batchnorm=False).explain(photo())
    np.testing.assert_allclose(ex.explain(photo()).saliency, want.saliency, atol=1e-6)


def test_a_fold_that_fails_falls_back_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from scorecam_gui.engine.runtime import rewrite

    def broken(model: nn.Module, x: torch.Tensor) -> list[tuple[str, str]]:
        raise RuntimeError("cannot trace this model\nsecond line")

    monkeypatch.setattr(rewrite, "_foldable_pairs", broken)
    net = bn_network()
    with caplog.at_level("WARNING", logger="scorecam_gui"):
        assert Explainer(net, "cpu", "fp32").inference_model() is net.model
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("scorecam_gui")]
    assert lines == [
        "the faster copy of the network failed (RuntimeError: cannot trace this model): "
        "its passes run unchanged, slower"
    ]
