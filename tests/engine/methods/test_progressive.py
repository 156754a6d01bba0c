"""Progressive Score-CAM: the scoring order, the running map, stopping early."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods.base import MethodResult
from scorecam_gui.engine.methods.scorecam import progressive
from scorecam_gui.engine.models.types import Network, NetworkInfo
from scorecam_gui.engine.progress import Progress, run_to_end

SIZE = 32


class Small(nn.Module):
    """24 maps of 8 x 8 at `act`; with the bias below some are constant (all zero)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 12, 3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(12, 24, 3, stride=2, padding=1)
        self.act = nn.ReLU()
        self.fc = nn.Linear(24, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(self.conv2(torch.relu(self.conv1(x))))
        return self.fc(x.mean((2, 3)))


def small_network() -> Network:
    torch.manual_seed(3)
    model = Small().eval()
    with torch.no_grad():
        model.conv2.bias[:4] = -50.0  # four maps that are zero everywhere: one shared input
    info = NetworkInfo("small", "Small", "act", SIZE, (0.5,) * 3, (0.25,) * 3, False, None, "test")
    net = Network(info, model, [f"c{i}" for i in range(5)], "random")
    net.default_layer = "act"
    return net


def photo(seed: int = 2) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (SIZE, SIZE, 3), dtype=np.uint8)


def run_all(
    ex: Explainer, image: object = None, **kwargs: object
) -> tuple[list[Progress], MethodResult]:
    """Every Progress of a run (of `image`, else the random photo) and its result."""
    steps: list[Progress] = []
    job = ex.run(photo() if image is None else image, **kwargs)  # type: ignore[arg-type]
    return steps, run_to_end(job, steps.append)


def unordered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progressive, "scoring_order", lambda _acts, units, _twins: list(units))


def test_order_is_by_mass_of_the_maps_a_pass_stands_for() -> None:
    acts = torch.zeros(5, 2, 2)
    acts[0] = 1.0  # mass 4
    acts[1, 0, 0] = -9.0  # mass 9 (absolute values)
    acts[2, 0, 0] = 3.0  # mass 3, but its twin 4 adds 3 more: 6
    acts[3, 1, 1] = 5.0  # mass 5
    acts[4, 0, 0] = 3.0
    assert progressive.scoring_order(acts, [0, 1, 2, 3], {2: [4]}) == [1, 2, 3, 0]
    assert progressive.scoring_order(acts, [3], {}) == [3]


@pytest.mark.parametrize("fill", ["black", "mean"])
@pytest.mark.parametrize("weighting", ["paper", "matlab", "reference"])
def test_last_running_map_is_the_exact_map(
    weighting: str, fill: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ex = Explainer(small_network(), "cpu", "fp32", batch_size=4)
    steps, result = run_all(ex, weighting=weighting, fill=fill, running_map=True)
    assert len(steps) > 3 and all(p.saliency is not None for p in steps)
    assert [p.evaluated for p in steps][-1] == result.maps_evaluated
    last = steps[-1].saliency
    assert last is not None and last.shape == (SIZE, SIZE) and last.dtype == np.float32
    np.testing.assert_array_equal(last, result.saliency)
    unordered(monkeypatch)
    ref = Explainer(small_network(), "cpu", "fp32", batch_size=4).explain(
        photo(), weighting=weighting, fill=fill
    )
    assert ref.saliency.std() > 0.05  # a map with something in it
    np.testing.assert_allclose(last, ref.saliency, rtol=0, atol=1e-6)
    np.testing.assert_allclose(result.weights, ref.weights, rtol=1e-5, atol=1e-7)
    assert not result.stopped and result.maps_evaluated == ref.maps_evaluated


def test_running_maps_differ_from_the_exact_one_until_the_end() -> None:
    ex = Explainer(small_network(), "cpu", "fp32", batch_size=2)
    steps, result = run_all(ex, running_map=True)
    first = steps[0].saliency
    assert first is not None and not np.allclose(first, result.saliency, atol=1e-3)


def test_without_running_map_progress_carries_no_map() -> None:
    steps, _ = run_all(Explainer(small_network(), "cpu", "fp32", batch_size=4))
    assert steps and all(p.saliency is None for p in steps)
    assert [p.evaluated for p in steps] == sorted({p.evaluated for p in steps})


@pytest.mark.parametrize("weighting", ["paper", "matlab", "reference"])
def test_stop_keeps_the_running_map_of_the_maps_scored(weighting: str) -> None:
    ex = Explainer(small_network(), "cpu", "fp32", batch_size=4)
    full = ex.explain(photo(), weighting=weighting)
    asked: list[int] = []

    def stop(p: Progress) -> bool:
        asked.append(p.evaluated)
        return p.evaluated >= 8

    steps, result = run_all(ex, weighting=weighting, running_map=True, stop=stop)
    assert asked == [4, 8] and [p.evaluated for p in steps] == [4, 8]
    assert result.stopped and result.maps_evaluated == 8 < full.maps_evaluated
    np.testing.assert_array_equal(result.saliency, steps[-1].saliency)
    assert not np.allclose(result.saliency, full.saliency, atol=1e-4)
    scored = result.evaluated
    assert 8 <= scored.sum() < result.maps_total
    assert np.all(result.weights[~scored] == 0) and np.all(result.weights[scored] > 0)
    np.testing.assert_allclose(result.scores[scored], full.scores[scored], rtol=1e-5, atol=1e-6)


def test_stop_asked_only_while_there_is_something_left() -> None:
    ex = Explainer(small_network(), "cpu", "fp32", batch_size=64)  # one batch
    result = run_all(ex, stop=lambda _p: True)[1]
    assert not result.stopped and result.maps_evaluated == ex.explain(photo()).maps_evaluated


@pytest.mark.slow  # a full fp32 run of 483 passes; tests/cli/test_cli_time_budget.py runs one too
def test_real_network_running_map_converges_fast() -> None:
    """EfficientNet-Lite0 on chelsea: a fifth of the passes gives the map (docs/scorecam.md)."""
    from PIL import Image
    from skimage import data

    from scorecam_gui.engine.models.registry import load_network

    ex = Explainer(load_network("efficientnet_lite0"), "cpu", "fp32", batch_size=16)
    steps, result = run_all(ex, Image.fromarray(data.chelsea()), running_map=True)
    n = result.maps_evaluated
    early = next(p for p in steps if p.evaluated >= n // 5)
    assert early.saliency is not None
    corr = np.corrcoef(early.saliency.ravel(), result.saliency.ravel())[0, 1]
    assert corr >= 0.99
