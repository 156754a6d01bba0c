"""Transformer outputs as maps (engine/tokens.py): the reshape, the default layer, Score-CAM and
Grad-CAM on tiny torchvision ViT and Swin models with random weights."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn
from torchvision.models.swin_transformer import SwinTransformer
from torchvision.models.vision_transformer import VisionTransformer

from scorecam_gui.cli import main as cli
from scorecam_gui.engine import tokens
from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods import registry
from scorecam_gui.engine.models import layers
from scorecam_gui.engine.models.types import Network, NetworkInfo

SIZE = 32


def _network(model: nn.Module, name: str) -> Network:
    info = NetworkInfo(
        name=name,
        title=name,
        default_layer=None,
        input_size=SIZE,
        mean=(0.5, 0.5, 0.5),
        std=(0.25, 0.25, 0.25),
        bundled=False,
        weights_url=None,
        license="test",
    )
    net = Network(info, model.eval(), [f"class {i}" for i in range(10)], "random")
    net.default_layer = layers.find_default_layer(net)
    return net


def _tiny_vit() -> Network:
    torch.manual_seed(0)
    model = VisionTransformer(
        image_size=SIZE, patch_size=8, num_layers=2, num_heads=2, hidden_dim=16, mlp_dim=32,
        num_classes=10,
    )  # fmt: skip
    # torchvision starts the head at zero (every logit 0, no gradient anywhere): make it random.
    nn.init.normal_(model.heads.head.weight, std=0.5)
    return _network(model, "tiny_vit")


def _photo() -> np.ndarray:
    return np.random.default_rng(0).integers(0, 256, (SIZE, SIZE, 3), dtype=np.uint8)


def test_tokens_drop_the_extra_ones_and_fill_the_grid_row_by_row() -> None:
    # One image, a class token and 2 x 2 patches with 3 channels each; patch p has values
    # 10p + channel, the class token -1.
    patches = [[10 * p + ch for ch in range(3)] for p in range(4)]
    out = torch.tensor([[[-1.0, -1.0, -1.0], *patches]])
    expected = torch.tensor(
        [[[[0.0, 10.0], [20.0, 30.0]], [[1.0, 11.0], [21.0, 31.0]], [[2.0, 12.0], [22.0, 32.0]]]]
    )
    assert torch.equal(tokens.as_maps(out), expected)
    # A distillation token as well (DeiT): still dropped, the same grid.
    two = torch.cat([out[:, :1], out], dim=1)
    assert torch.equal(tokens.as_maps(two), expected)


def test_channels_last_becomes_channels_first() -> None:
    nhwc = torch.arange(2 * 3 * 3 * 5, dtype=torch.float32).reshape(2, 3, 3, 5)
    maps = tokens.as_maps(nhwc)
    assert maps.shape == (2, 5, 3, 3)
    assert maps[1, 4, 2, 1] == nhwc[1, 2, 1, 4]


@pytest.mark.parametrize(
    ("shape", "kind", "maps"),
    [
        ((197, 768), "tokens", (768, 14, 14)),  # ViT-B/16: class token + 14 x 14
        ((198, 384), "tokens", (384, 14, 14)),  # DeiT distilled: class + distillation
        ((201, 384), "tokens", (384, 14, 14)),  # class + 4 registers
        ((49, 512), "tokens", (512, 7, 7)),  # no class token (global average pooling)
        ((7, 7, 768), "nhwc", (768, 7, 7)),  # Swin
        ((512, 7, 7), "nchw", (512, 7, 7)),  # a convolution
        ((64, 112, 112), "nchw", (64, 112, 112)),
        ((1000,), None, None),  # logits
        ((1, 384), None, None),  # a single token is no grid
    ],
)
def test_layouts(shape: tuple[int, ...], kind: str | None, maps: tuple[int, ...] | None) -> None:
    assert tokens.layout(shape) == kind
    assert tokens.map_shape(shape) == maps


def test_vit_default_layer_is_the_last_blocks_first_norm_and_its_tokens_are_the_maps() -> None:
    net = _tiny_vit()
    assert net.default_layer == "encoder.layers.encoder_layer_1.ln_1"
    module = net.model.get_submodule(net.default_layer)
    seen: list[torch.Tensor] = []
    handle = module.register_forward_hook(lambda _m, _i, out: seen.append(out.detach()))
    explainer = Explainer(net, "cpu", "fp32")
    try:
        result = explainer.explain(_photo())
    finally:
        handle.remove()
    # By hand: drop the class token, patch (r, c) is token 1 + 4r + c.
    first = seen[0][0]
    hand = torch.stack([first[1 + 4 * r : 5 + 4 * r] for r in range(4)])  # (4, 4, 16)
    assert np.allclose(result.activations, hand.permute(2, 0, 1).numpy(), atol=1e-6)
    assert result.activations.shape == (16, 4, 4)
    assert result.saliency.shape == (SIZE, SIZE) and result.saliency.max() == pytest.approx(1.0)


def test_gradcam_on_tokens_and_why_not_the_last_blocks_output() -> None:
    net = _tiny_vit()
    explainer = Explainer(net, "cpu", "fp32")
    at_norm = registry.explain(explainer, _photo(), "gradcam").detail
    assert at_norm.gradients.shape == (16, 4, 4) and np.abs(at_norm.gradients).max() > 0
    assert at_norm.saliency.max() == pytest.approx(1.0)
    # The patch tokens leaving the last block do not reach the class token: zero gradient.
    at_output = registry.explain(
        explainer, _photo(), "gradcam", layer="encoder.layers.encoder_layer_1"
    ).detail
    assert np.abs(at_output.gradients).max() == 0.0


def test_swin_default_layer_and_map() -> None:
    torch.manual_seed(0)
    model = SwinTransformer(
        patch_size=[4, 4], embed_dim=16, depths=[2, 2], num_heads=[2, 2], window_size=[4, 4],
        num_classes=10,
    )  # fmt: skip
    net = _network(model, "tiny_swin")
    assert net.default_layer == "features.3.1"  # last stage's last block: no class token
    explainer = Explainer(net, "cpu", "fp32")
    result = explainer.explain(_photo())
    assert result.activations.shape == (32, 4, 4)
    grads = registry.explain(explainer, _photo(), "gradcam").detail.gradients
    assert grads.shape == (32, 4, 4) and np.abs(grads).max() > 0


def test_listed_token_layers_count_as_spatial() -> None:
    listed = {layer.name: layer for layer in layers.list_layers(_tiny_vit())}
    assert listed["encoder.layers.encoder_layer_1.ln_1"].is_spatial
    assert not listed["heads.head"].is_spatial


def test_scorecam_layers_vit_b_16_marks_an_encoder_block(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["layers", "vit_b_16"]) == 0
    default = [line for line in capsys.readouterr().out.splitlines() if "<- default" in line]
    assert len(default) == 1
    name, type_name, *shape = default[0].split()[:6]
    assert name == "encoder.layers.encoder_layer_11.ln_1" and type_name == "LayerNorm"
    assert shape[:3] == ["197", "x", "768"]  # tokens, shown as a map of 768 x 14 x 14
