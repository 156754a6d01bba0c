"""HiResCAM (Draelos & Carin, 2020, "Use HiResCAM instead of Grad-CAM for faithful explanations"):
the gradient times the activation, position by position, summed over the maps:
map = ReLU(sum_k g_k * A_k). Grad-CAM averages the gradient over the grid first; HiResCAM does
not, so its map is what the class score's first-order change is made of. Matches
pytorch-grad-cam's HiResCAM."""

from __future__ import annotations

import torch

from ..catalog import info
from .common import GradientMethod

__all__ = ["HiResCam", "method"]


class HiResCam(GradientMethod):
    def cam(self, acts: torch.Tensor, grads: torch.Tensor) -> tuple[None, torch.Tensor]:
        return None, (grads * acts).sum(0)


def method() -> HiResCam:
    return HiResCam(info("hirescam"))
