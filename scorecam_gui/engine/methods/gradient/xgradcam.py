"""XGrad-CAM (Fu et al., 2020, "Axiom-based Grad-CAM"): w_k = sum_ij g_kij A_kij / sum_ij A_kij,
the gradient averaged with the map's own values as weights (a small epsilon keeps an all-zero
map's weight at 0); the map is ReLU(sum_k w_k A_k). Matches pytorch-grad-cam's XGradCAM."""

from __future__ import annotations

import torch

from ..catalog import info
from .common import GradientMethod

__all__ = ["XGradCam", "method"]

EPSILON = 1e-7  # pytorch-grad-cam's


class XGradCam(GradientMethod):
    def cam(self, acts: torch.Tensor, grads: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        total = acts.sum((1, 2), keepdim=True)
        weights = (grads * acts / (total + EPSILON)).sum((1, 2))
        return weights, (weights[:, None, None] * acts).sum(0)


def method() -> XGradCam:
    return XGradCam(info("xgradcam"))
