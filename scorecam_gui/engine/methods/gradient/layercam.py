"""LayerCAM (Jiang et al., 2021, "LayerCAM: Exploring Hierarchical Class Activation Maps for
Localization"): every position of every map weighs by its own positive gradient,
map = ReLU(sum_k ReLU(g_k) * A_k), with no channel weight. Matches pytorch-grad-cam's LayerCAM."""

from __future__ import annotations

import torch

from ..catalog import info
from .common import GradientMethod

__all__ = ["LayerCam", "method"]


class LayerCam(GradientMethod):
    def cam(self, acts: torch.Tensor, grads: torch.Tensor) -> tuple[None, torch.Tensor]:
        return None, (grads.clamp_min(0) * acts).sum(0)


def method() -> LayerCam:
    return LayerCam(info("layercam"))
