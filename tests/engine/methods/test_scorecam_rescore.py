"""A reduced-precision Score-CAM run scores its heaviest masked inputs again in fp32
(rescore.RESCORE_LOGITS): the maps that carry the softmax's weight get their exact scores."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods.base import MethodResult
from scorecam_gui.engine.methods.scorecam import rescore as sc
from scorecam_gui.engine.models.types import Network, NetworkInfo
from scorecam_gui.engine.progress import Progress
from scorecam_gui.engine.runtime import openvino as ovr
from tests.helpers.networks import SIZE, photo


class Wide(nn.Module):
    """48 maps at `act2`: more masked inputs than RESCORE_MIN, so some are not rescored."""

    def __init__(self, scale: float) -> None:
        super().__init__()
        self.scale = scale
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.act1 = nn.ReLU()
        self.conv2 = nn.Conv2d(16, 48, 3, stride=2, padding=1)
        self.act2 = nn.ReLU()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(48, 6)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act2(self.conv2(self.act1(self.conv1(x))))
        return self.fc(self.pool(x).flatten(1)) * self.scale


# Logits as far apart as a trained network's (the masked inputs' target logits span 8): the
# softmax puts its weight on a few inputs. At 20 they span 0.5, as random weights': flat.
PEAKED, FLAT = 300.0, 20.0


def wide_network(scale: float = PEAKED) -> Network:
    torch.manual_seed(3)
    info = NetworkInfo("wide", "Wide", "act2", SIZE, (0.5,) * 3, (0.25,) * 3, False, None, "test")
    net = Network(info, Wide(scale).eval(), [f"c{i}" for i in range(6)], "random")
    net.default_layer = "act2"
    return net


def explain(precision: str, scale: float = PEAKED, **kwargs: object) -> MethodResult:
    ex = Explainer(wide_network(scale), "cpu", precision, backend="torch", batch_size=4)
    return ex.explain(photo(), **kwargs)


def rescored(result: MethodResult) -> int:
    assert result.maps_evaluated is not None
    return result.forward_passes - 1 - result.maps_evaluated


def test_the_heaviest_inputs_get_their_fp32_scores_and_the_rest_stay_bf16(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ref, got = explain("fp32"), explain("bf16")
    assert got.precision == "bf16" and got.maps_evaluated == ref.maps_evaluated
    assert got.scores is not None and ref.scores is not None and got.maps_evaluated
    cap = min(got.maps_evaluated, max(sc.RESCORE_MIN, math.ceil(sc.RESCORE_SHARE * 48)))
    assert 1 <= rescored(got) <= cap
    exact = np.isclose(got.scores, ref.scores, rtol=0, atol=1e-4)  # the paper's: logits
    assert exact.any() and not exact.all()  # some inputs in fp32, the others still bf16
    assert exact[np.argmax(ref.scores)]  # the map that weighs most has its exact score
    # The same run with no rescore allowed: the others keep its bf16 scores, and the inputs
    # rescored are those of its highest target logits.
    monkeypatch.setattr(sc, "RESCORE_MIN", 0)
    monkeypatch.setattr(sc, "RESCORE_SHARE", 0.0)
    plain = explain("bf16")
    assert rescored(plain) == 0 and plain.scores is not None
    np.testing.assert_array_equal(got.scores[~exact], plain.scores[~exact])
    assert plain.scores[exact].min() >= plain.scores[~exact].max()


@pytest.mark.parametrize("weighting", ["matlab", "reference"])
def test_the_other_weightings_rescore_the_same_inputs(weighting: str) -> None:
    """They read the same passes (probabilities): the inputs chosen by the target logit."""
    assert rescored(explain("bf16", weighting=weighting)) == rescored(explain("bf16")) >= 1


def test_fp32_runs_rescore_nothing() -> None:
    assert rescored(explain("fp32")) == 0


def test_a_flat_softmax_rescores_nothing() -> None:
    """Weights spread evenly over the inputs (RESCORE_FLAT): each input's bf16 error averages
    out in the map, so no pass is spent on it."""
    got = explain("bf16", FLAT)
    assert got.weights is not None and rescored(got) == 0
    assert len(got.weights) * float((got.weights.astype(np.float64) ** 2).sum()) < 1.5


def test_a_run_stopped_early_rescores_nothing() -> None:
    got = explain("bf16", stop=lambda p: True)
    assert got.stopped and rescored(got) == 0


def test_a_stop_during_the_rescore_keeps_the_whole_map() -> None:
    """A time budget that runs out while the heaviest inputs are scored again: every map is
    scored (not `stopped`), fewer inputs have their fp32 scores."""
    whole = explain("bf16")
    assert rescored(whole) > 4  # more than one batch of 4 to rescore

    def stop(p: Progress) -> bool:  # asked during the rescore only, once all are scored
        return p.evaluated == p.work_total

    got = explain("bf16", stop=stop)
    assert not got.stopped and got.maps_evaluated == whole.maps_evaluated
    assert rescored(got) == 4  # one batch, then the stop


def test_on_openvino_the_rescore_runs_its_fp32_network(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("openvino")
    monkeypatch.setattr(ovr, "installed", lambda: True)  # conftest keeps tests on torch
    from tests.helpers.networks import bn_network

    ref = Explainer(bn_network(), "cpu", "fp32", backend="torch").explain(photo())
    monkeypatch.setattr(sc, "RESCORE_FLAT", 0.0)  # its 6 maps weigh nearly alike
    ex = Explainer(bn_network(), "cpu", "bf16", backend="openvino")
    got = ex.explain(photo())
    assert (got.backend, got.precision) == ("openvino", "bf16")
    # 6 maps: fewer inputs than RESCORE_MIN, so all are scored again, on OpenVINO in fp32
    assert got.maps_evaluated and rescored(got) == got.maps_evaluated
    assert got.scores is not None and ref.scores is not None
    np.testing.assert_allclose(got.scores, ref.scores, rtol=0, atol=1e-4)
    assert ex.inference.fast is not None and ex.inference.fast.failed is None


def test_without_openvinos_fp32_network_torch_rescores(monkeypatch: pytest.MonkeyPatch) -> None:
    """An fp32 network OpenVINO cannot compile: torch's exact pass scores them, once asked."""
    pytest.importorskip("openvino")
    monkeypatch.setattr(ovr, "installed", lambda: True)
    monkeypatch.setattr(sc, "RESCORE_FLAT", 0.0)
    from tests.helpers.networks import bn_network

    runtime = ovr.shared()
    plain = type(runtime).compiled_network
    asked: list[str] = []

    def no_fp32(network: Network, precision: str) -> ovr.CompiledNetwork:
        asked.append(precision)
        if precision == "fp32":
            raise ovr.OpenVinoError("RuntimeError: no fp32 here")
        return plain(runtime, network, precision)

    monkeypatch.setattr(runtime, "compiled_network", no_fp32)
    ref = Explainer(bn_network(), "cpu", "fp32", backend="torch").explain(photo())
    ex = Explainer(bn_network(), "cpu", "bf16", backend="openvino")
    for _ in range(2):
        got = ex.explain(photo())
        assert got.backend == "openvino" and rescored(got) == got.maps_evaluated
        assert got.scores is not None and ref.scores is not None
        np.testing.assert_allclose(got.scores, ref.scores, rtol=0, atol=1e-4)
    assert asked.count("fp32") == 1  # not tried again on every run
    assert ex.inference.fast is not None and ex.inference.fast.fp32_failed


def test_flatness_counts_maps_not_inputs() -> None:
    """The all-fill input stands for every constant map: alike logits are flat however many
    maps share it (the per-input count once rescored 77 of random GoogLeNet's inputs), and one
    input far ahead is not."""
    from types import SimpleNamespace

    inputs = 40
    constant = torch.zeros(inputs + 30, dtype=torch.bool)
    constant[inputs:] = True  # 30 constant maps on the all-fill input (item None)
    plan = SimpleNamespace(items=[None, *range(inputs - 1)], twins={}, constant=constant)
    alike = torch.linspace(0.0, 0.03, inputs)
    assert sc.flatness(plan, alike) < 1.01 and sc.heaviest(plan, alike) == []
    ahead = alike.clone()
    ahead[5] = 6.0
    assert sc.flatness(plan, ahead) > sc.RESCORE_FLAT and 5 in sc.heaviest(plan, ahead)
