"""The method protocol, its catalog and its registry (engine/methods/): every row runs, every
name is one method, the weightings share their passes, arguments fail before any work."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch
from torch import nn

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods import catalog, registry
from scorecam_gui.engine.methods.base import MethodRequest, MethodResult
from scorecam_gui.engine.models.types import Network, NetworkInfo
from scorecam_gui.engine.progress import run_to_end

SIZE = 24


class Small(nn.Module):
    """conv -> ReLU (the target, 6 maps of 6 x 6) -> pool -> linear, 4 classes."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3, stride=4, padding=1)
        self.act = nn.ReLU()
        self.fc = nn.Linear(6, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.act(self.conv(x)).mean((2, 3)))


class Counting(Small):
    """Small, counting the images it is given (the forward passes)."""

    def __init__(self) -> None:
        super().__init__()
        self.images = 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.images += x.shape[0]
        return super().forward(x)


def _network(model: nn.Module) -> Network:
    torch.manual_seed(0)
    for p in model.parameters():
        nn.init.normal_(p, std=0.5)
    info = NetworkInfo("t", "T", "act", SIZE, (0.5,) * 3, (0.25,) * 3, False, None, "test")
    return Network(info, model.eval(), [f"c{i}" for i in range(4)], "random", "act")


def _photo() -> np.ndarray:
    return np.random.default_rng(3).integers(0, 256, (SIZE, SIZE, 3), dtype=np.uint8)


def _explainer(model: nn.Module | None = None) -> Explainer:
    # fp32 without the fast copy: the passes counted are the model's own.
    return Explainer(_network(model or Small()), "cpu", "fp32", 4, fold_batchnorm=False)


def test_catalog_names_are_unique_and_aliases_resolve() -> None:
    spellings = catalog.accepted()
    assert len(spellings) == len(set(spellings))
    for row in catalog.METHODS:
        assert row.family in catalog.FAMILIES
        assert catalog.canonical(row.name) == row.name
        for alias in row.aliases:
            assert catalog.canonical(alias) == row.name
        assert row.summary and row.reference and row.cost and row.title
    assert catalog.canonical(" Random ") == "noise"
    assert set(catalog.PROTOCOL_METHODS) <= set(catalog.names())
    with pytest.raises(ValueError, match=r"^unknown method 'gradcam\+\+\+': use scorecam-paper"):
        catalog.canonical("gradcam+++")


@pytest.mark.parametrize("name", catalog.names())
def test_every_catalog_row_runs_on_the_protocol(name: str) -> None:
    explainer = _explainer()
    method = registry.get(name)
    assert method.info == catalog.info(name)
    result = registry.explain(explainer, _photo(), name, target=2)
    assert isinstance(result, MethodResult)
    assert result.method == name and result.layer == "act" and result.target.index == 2
    assert result.saliency.shape == (SIZE, SIZE) and result.saliency.dtype == np.float32
    assert result.saliency.min() >= 0.0 and result.saliency.max() <= 1.0
    assert result.forward_passes >= 1 and result.seconds >= 0


def test_weightings_share_one_set_of_masked_passes() -> None:
    model = Counting()
    explainer = _explainer(model)
    rgb = explainer.prepare(_photo())
    model.images = 0
    one = run_to_end(registry.run_methods(explainer, rgb, ["scorecam-paper"], target=1))
    alone = model.images
    model.images = 0
    three = run_to_end(
        registry.run_methods(
            explainer, rgb, ["scorecam-matlab", "gradcam", "scorecam-paper", "noise"], target=1
        )
    )
    # Gradient methods and the noise map add one pass each; the three weightings one set.
    assert model.images == alone + 2
    assert list(three) == ["scorecam-matlab", "gradcam", "scorecam-paper", "noise"]
    np.testing.assert_allclose(
        three["scorecam-paper"].saliency, one["scorecam-paper"].saliency, atol=1e-6
    )
    own = run_to_end(explainer.run(rgb, target=1, weighting="matlab"))
    np.testing.assert_allclose(three["scorecam-matlab"].saliency, own.saliency, atol=1e-5)


def test_aliases_run_the_same_method() -> None:
    explainer = _explainer()
    rgb = explainer.prepare(_photo())
    made = run_to_end(registry.run_methods(explainer, rgb, ["paper", "random"], target=0))
    assert list(made) == ["scorecam-paper", "noise"]


def test_arguments_fail_before_any_work() -> None:
    model = Counting()
    explainer = _explainer(model)
    rgb = explainer.prepare(_photo())
    model.images = 0
    with pytest.raises(ValueError, match="out of range"):
        registry.run_methods(explainer, rgb, ["gradcam"], target=9).send(None)
    with pytest.raises(ValueError, match="no layer"):
        registry.run_method(explainer, rgb, "noise", MethodRequest(layer="nope"))
    with pytest.raises(ValueError, match="unknown fill"):
        registry.run_method(explainer, rgb, "scorecam-paper", MethodRequest(fill="grey"))
    with pytest.raises(ValueError, match="unknown method"):
        registry.run_methods(explainer, rgb, ["gradcam", "nope"], target=0).send(None)
    assert model.images == 0


def test_closing_a_method_run_stops_it_between_batches() -> None:
    model = Counting()
    explainer = _explainer(model)
    rgb = explainer.prepare(_photo())
    model.images = 0
    job = registry.run_method(explainer, rgb, "scorecam-paper", MethodRequest(target=0))
    first = next(job)
    job.close()
    assert first.done < first.total and model.images < 1 + 6


def test_catalog_and_command_line_help_need_no_torch() -> None:
    code = (
        "import sys\n"
        "from scorecam_gui.engine.methods import catalog\n"
        "assert catalog.names()\n"
        "sys.exit(3 if 'torch' in sys.modules else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
