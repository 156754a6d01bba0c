"""Grad-CAM++ (Chattopadhay et al., 2018): w_k = sum_ij alpha_kij ReLU(g_kij), with the closed
form for an exp(logit) score, alpha = g^2 / (2 g^2 + sum_ab A_kab g^3) (0 where the denominator
is 0). The exp(logit) factor of the first-order term is the same positive number for every
weight, so min-max removes it; it is left out (exp of a large logit overflows float32). Matches
pytorch-grad-cam's GradCAMPlusPlus."""

from __future__ import annotations

import torch

from ..catalog import info
from .common import GradientMethod

__all__ = ["GradCamPlusPlus", "method"]


class GradCamPlusPlus(GradientMethod):
    def cam(self, acts: torch.Tensor, grads: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        # Double precision: g^3 of small gradients loses digits in float32.
        a, g = acts.double(), grads.double()
        g2 = g * g
        denom = 2 * g2 + a.sum((1, 2), keepdim=True) * g2 * g
        alpha = torch.where(denom != 0, g2 / torch.where(denom != 0, denom, 1.0), 0.0)
        weights = (alpha * g.clamp_min(0)).sum((1, 2)).float()
        return weights, (weights[:, None, None] * acts).sum(0)


def method() -> GradCamPlusPlus:
    return GradCamPlusPlus(info("gradcam++"))
