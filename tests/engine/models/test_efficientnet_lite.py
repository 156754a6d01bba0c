"""EfficientNet-Lite0 with the real bundled ImageNet weights on real photos (CPU, no network)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from skimage import data
from torch import nn

from scorecam_gui.engine.models.efficientnet_lite import (
    DEFAULT_LAYER,
    INPUT_SIZE,
    MEAN,
    STD,
    EfficientNetLite0,
    bundled_weights_path,
    load_efficientnet_lite0,
)

TIGER_CAT, EGYPTIAN_CAT, TABBY, ESPRESSO = 282, 285, 281, 967


def _preprocess(rgb: np.ndarray) -> torch.Tensor:
    # Whole-image resize (no crop), as the app does.
    image = Image.fromarray(rgb).convert("RGB").resize((INPUT_SIZE, INPUT_SIZE), Image.BILINEAR)
    x = torch.from_numpy(np.array(image)).permute(2, 0, 1).float() / 255.0
    return (x - torch.tensor(MEAN)[:, None, None]) / torch.tensor(STD)[:, None, None]


@pytest.fixture(scope="module")
def model() -> EfficientNetLite0:
    return load_efficientnet_lite0()


@pytest.fixture(scope="module")
def photos() -> torch.Tensor:
    return torch.stack([_preprocess(data.chelsea()), _preprocess(data.coffee())])


@pytest.fixture(scope="module")
def logits(model: EfficientNetLite0, photos: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return model(photos)


def test_strict_load_matches_every_tensor(model: EfficientNetLite0) -> None:
    state = torch.load(bundled_weights_path(), map_location="cpu", weights_only=True)
    assert len(state) == 296
    assert set(model.state_dict()) == set(state)
    assert torch.equal(model._fc.weight, state["_fc.weight"])
    assert not model.training


def test_activations_are_separate_modules(model: EfficientNetLite0) -> None:
    acts = [m for m in model.modules() if isinstance(m, nn.ReLU6)]
    # stem + 15 expanding blocks * 2 + first block's depthwise + head
    assert len(acts) == 1 + 15 * 2 + 1 + 1
    assert len({id(m) for m in acts}) == len(acts)
    assert isinstance(model.get_submodule(DEFAULT_LAYER), nn.ReLU6)
    assert isinstance(model.get_submodule("_blocks.3._act1"), nn.ReLU6)


def test_head_act_hook_shape(model: EfficientNetLite0, photos: torch.Tensor) -> None:
    seen: list[torch.Tensor] = []
    handle = model.get_submodule(DEFAULT_LAYER).register_forward_hook(
        lambda _m, _i, out: seen.append(out)
    )
    try:
        with torch.no_grad():
            model(photos)
    finally:
        handle.remove()
    assert len(seen) == 1  # the hook fires once per forward pass
    assert seen[0].shape == (2, 1280, 7, 7)


def test_chelsea_is_a_cat(logits: torch.Tensor) -> None:
    top3 = set(logits[0].topk(3).indices.tolist())
    assert top3 == {TIGER_CAT, EGYPTIAN_CAT, TABBY}


def test_coffee_is_espresso(logits: torch.Tensor) -> None:
    assert logits[1].argmax().item() == ESPRESSO


def test_other_input_size(model: EfficientNetLite0) -> None:
    # Odd sizes exercise the asymmetric SAME padding at every stride-2 stage.
    seen: list[tuple[int, ...]] = []
    handle = model.get_submodule(DEFAULT_LAYER).register_forward_hook(
        lambda _m, _i, out: seen.append(tuple(out.shape))
    )
    try:
        with torch.no_grad():
            out = model(torch.zeros(1, 3, 255, 321))
    finally:
        handle.remove()
    assert out.shape == (1, 1000)
    assert seen == [(1, 1280, 8, 11)]  # ceil(255 / 32), ceil(321 / 32)


def test_wrong_class_count_is_reported() -> None:
    with pytest.raises(ValueError, match="1000 classes"):
        load_efficientnet_lite0(num_classes=10)


def test_non_state_dict_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.pth"
    torch.save([torch.zeros(1)], path)
    with pytest.raises(ValueError, match="state dict"):
        load_efficientnet_lite0(path)


def test_data_parallel_prefix_is_stripped(tmp_path: Path) -> None:
    small = EfficientNetLite0(num_classes=3)
    path = tmp_path / "dp.pth"
    torch.save({f"module.{k}": v for k, v in small.state_dict().items()}, path)
    loaded = load_efficientnet_lite0(path, num_classes=3)
    assert torch.equal(loaded._fc.weight, small._fc.weight)
