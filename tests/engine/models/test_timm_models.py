"""timm classifiers by name: each builds with random weights, its default layer gives a map;
weights files load; offline, the hub says so in one line (no network is used)."""

from __future__ import annotations

import sys
from pathlib import Path

import huggingface_hub.constants
import numpy as np
import pytest
import timm
import torch
from safetensors.torch import save_file

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.models import registry, timm_models
from scorecam_gui.engine.models.types import NetworkError, WeightsError


@pytest.mark.parametrize(
    ("name", "layer", "maps"),
    [
        ("resnet50", "layer4.2.act3", (2048, 7, 7)),
        ("convnext_tiny", "stages.3.blocks.2", (768, 7, 7)),
        ("efficientnet_b0", "bn2.act", (1280, 7, 7)),
        ("vit_small_patch16_224", "blocks.11.norm1", (384, 14, 14)),
        ("deit_small_patch16_224", "blocks.11.norm1", (384, 14, 14)),
        ("swin_tiny_patch4_window7_224", "layers.3.blocks.1", (768, 7, 7)),
    ],
)
def test_default_layer_gives_a_map(name: str, layer: str, maps: tuple[int, int, int]) -> None:
    torch.manual_seed(0)
    net = registry.load_network(f"timm:{name}", random_init=True)
    assert net.default_layer == layer and net.weights_source == "random"
    assert net.num_classes == 1000 and net.categories[0] == "tench"  # ImageNet names
    cfg = timm.models.get_pretrained_cfg(name)
    assert (net.info.mean, net.info.std) == (tuple(cfg.mean), tuple(cfg.std))
    rgb = np.random.default_rng(0).integers(0, 256, (224, 224, 3), dtype=np.uint8)
    # fp32, no BatchNorm folding, one masked input: the map's shape is checked, quickly.
    explainer = Explainer(net, "cpu", "fp32", batch_size=2, fold_batchnorm=False)
    result = explainer.explain(rgb, approximate=1)
    assert result.activations.shape == maps
    assert result.saliency.shape == (224, 224) and result.saliency.max() == pytest.approx(1.0)


def test_weights_file_with_another_number_of_classes(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = timm.create_model("resnet18", pretrained=False, num_classes=5)
    path = tmp_path / "mine.safetensors"
    save_file(model.state_dict(), str(path))
    net = registry.load_network("timm:resnet18", weights_file_path=path)
    assert net.num_classes == 5 and net.categories == [f"class {i}" for i in range(5)]
    assert torch.equal(net.model.fc.weight, model.fc.weight)


@pytest.fixture
def offline_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty hub cache and the hub's offline mode: nothing can be downloaded."""
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path))
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    return tmp_path


def test_offline_the_message_is_torchvisions(offline_hub: Path) -> None:
    with pytest.raises(WeightsError, match="not on this machine: download them, import"):
        registry.load_network("timm:resnet18", allow_download=False)
    with pytest.raises(WeightsError) as caught:
        registry.load_network("timm:resnet18")
    message = str(caught.value)
    assert message.startswith("Could not download resnet18 (no network connection?)")
    assert "--weights" in message and "\n" not in message
    assert not any(offline_hub.iterdir())  # nothing half-downloaded


def test_unknown_name_and_missing_timm(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(NetworkError, match="timm has no model 'resnet51'"):
        registry.load_network("timm:resnet51", random_init=True)
    monkeypatch.setitem(sys.modules, "timm", None)  # as if not installed
    with pytest.raises(NetworkError, match=r"pip install 'scorecam-gui\[timm\]'"):
        registry.load_network("timm:resnet18", random_init=True)
    assert timm_models.INSTALL_HINT.startswith("timm is not installed")
