"""Transformer outputs as C x h x w maps, so that Score-CAM and Grad-CAM can explain them.

Two layouts besides a convolution's (N, C, H, W) reach a forward hook:

- tokens (N, T, C), vision transformers (torchvision `vit_*`, timm ViT/DeiT/EVA/BEiT): the first
  T - g*g tokens are class, distillation or register tokens and are dropped; the other g*g are the
  patches in row-major order and become a g x g grid;
- channels-last (N, H, W, C), Swin (torchvision `swin_*`, timm `swin_*`) and ConvNeXt's blocks.

The layout is read from the shape alone, which works because the app always feeds a square image:
a square grid of patches plus a few extra tokens, or H == W in the middle for channels-last.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import torch
from torch import nn

Layout = Literal["nchw", "nhwc", "tokens"]

# Class (1), distillation (1, DeiT) and register tokens (4 in DINOv2/ViT-reg, up to 8 elsewhere):
# more than this many extra tokens and the shape is not taken for a token sequence.
MAX_EXTRA_TOKENS = 16


def layout(shape: Sequence[int]) -> Layout | None:
    """How an output of this shape (without the batch dimension) holds a spatial map, if it does.

    (T, C): tokens when T is a square number of patches (at least 2 x 2) plus at most
    MAX_EXTRA_TOKENS leading extra tokens (and fewer than the 2g + 1 that would make the next
    square). (A, B, C): channels-last when A == B != C, else channels-first.
    """
    if len(shape) == 2:
        t = int(shape[0])
        g = math.isqrt(t)
        extra = t - g * g
        return "tokens" if g >= 2 and extra <= min(MAX_EXTRA_TOKENS, 2 * g) else None
    if len(shape) == 3:
        a, b, c = (int(v) for v in shape)
        return "nhwc" if a == b and b != c else "nchw"
    return None


def map_shape(shape: Sequence[int]) -> tuple[int, int, int] | None:
    """The C x h x w shape that as_maps turns an output of this shape into, or None."""
    kind = layout(shape)
    if kind == "tokens":
        g = math.isqrt(int(shape[0]))
        return (int(shape[1]), g, g)
    if kind == "nhwc":
        return (int(shape[2]), int(shape[0]), int(shape[1]))
    if kind == "nchw":
        return (int(shape[0]), int(shape[1]), int(shape[2]))
    return None


def as_maps(out: torch.Tensor) -> torch.Tensor:
    """A layer's batched output as (N, C, h, w) maps (a view); other shapes come back unchanged,
    so that the caller's own shape check reports them."""
    kind = layout(tuple(out.shape[1:])) if out.dim() >= 2 else None
    if kind == "tokens":
        n, t, c = out.shape
        g = math.isqrt(t)
        # Extra tokens come first in torchvision's and timm's models; patches follow row by row.
        return out[:, t - g * g :].transpose(1, 2).reshape(n, c, g, g)
    if kind == "nhwc":
        return out.permute(0, 3, 1, 2)
    return out


def default_block_norm(outputs: Sequence[tuple[str, nn.Module, torch.Tensor | None]]) -> str | None:
    """The default layer of a transformer: its last block's first norm (ViT's `ln_1`, timm's
    `norm1`) when the block's tokens include a class token, else the last block itself (Swin).

    `outputs` lists (name, module, output for one image) in the order the modules finished.
    A transformer block is a module with at least two normalisation children whose outputs are
    tokens or channels-last maps (pre-norm blocks: norm1 before attention, norm2 before the MLP);
    convolutional networks have none (ConvNeXt's blocks have one), so None is returned for them.

    Why: a ViT classifies from the class token alone, so the patch tokens that leave the last
    block reach the logits by no path (their gradient is exactly zero, and Grad-CAM's map with
    it); at the last block's norm1 they still feed the class token through that block's
    attention (pytorch-grad-cam recommends `model.blocks[-1].norm1` too). Swin has no class token
    and averages its last block's output over the grid, as a CNN averages its last stage: that
    output reaches the logits and includes the last block's attention and MLP. docs/networks.md
    has the measurements.
    """
    norms: dict[str, list[tuple[int, str, torch.Tensor]]] = {}
    for i, (name, module, out) in enumerate(outputs):
        if out is None or not _is_norm(module) or "." not in name:
            continue
        if layout(tuple(out.shape[1:])) in ("tokens", "nhwc"):
            parent = name.rsplit(".", 1)[0]
            norms.setdefault(parent, []).append((i, name, out))
    blocks = {parent: found for parent, found in norms.items() if len(found) >= 2}
    if not blocks:
        return None
    parent = max(blocks, key=lambda p: min(i for i, _, _ in blocks[p]))
    _i, first_norm, out = min(blocks[parent], key=lambda found: found[0])
    shape = tuple(out.shape[1:])
    has_extra_tokens = layout(shape) == "tokens" and math.isqrt(shape[0]) ** 2 != shape[0]
    return first_norm if has_extra_tokens else parent


def _is_norm(module: nn.Module) -> bool:
    # nn.LayerNorm and its subclasses (timm's), and RMSNorm-like modules of other libraries.
    return isinstance(module, nn.LayerNorm | nn.RMSNorm) or type(module).__name__.endswith(
        ("LayerNorm", "RmsNorm", "RMSNorm")
    )
