"""Grad-CAM (Selvaraju et al., 2017): w_k = the mean over the layer's grid of the gradient of the
class logit at A_k; the map is ReLU(sum_k w_k A_k). Matches pytorch-grad-cam's GradCAM."""

from __future__ import annotations

import torch

from ..catalog import info
from .common import GradientMethod

__all__ = ["GradCam", "method"]


class GradCam(GradientMethod):
    def cam(self, acts: torch.Tensor, grads: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        weights = grads.mean((1, 2))
        return weights, (weights[:, None, None] * acts).sum(0)


def method() -> GradCam:
    return GradCam(info("gradcam"))
