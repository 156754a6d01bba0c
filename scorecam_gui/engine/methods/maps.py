"""Tensor helpers every method's map goes through: bilinear upsampling to the input size (as the
paper's code does, align_corners=False) and min-max normalisation to [0, 1]."""

from __future__ import annotations

import torch
import torch.nn.functional as F

__all__ = ["minmax", "to_input_size", "upsample"]


def upsample(maps: torch.Tensor, size: int) -> torch.Tensor:
    """(N, h, w) -> (N, size, size), bilinear as in the paper's code."""
    return F.interpolate(maps[:, None], size=(size, size), mode="bilinear", align_corners=False)[
        :, 0
    ]


def minmax(x: torch.Tensor) -> torch.Tensor:
    lo, hi = x.min(), x.max()
    return (x - lo) / (hi - lo) if hi > lo else torch.zeros_like(x)


def to_input_size(low: torch.Tensor, size: int) -> torch.Tensor:
    """A map on the layer's grid (h, w), ReLU'd, upsampled to (size, size) and min-max
    normalised: how every gradient and activation method finishes its map."""
    return minmax(upsample(low.clamp_min(0)[None], size)[0])
