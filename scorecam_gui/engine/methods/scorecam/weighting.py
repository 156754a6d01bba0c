"""Score-CAM's three weightings (docs/scorecam.md) and how a set of per-map scores becomes
weights and a map: shared by a run (scorecam.py) and by the maps made again from its kept passes
for another class or a contrast (classes.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch

from ..maps import minmax, upsample
from .masks import upsampled_range

__all__ = ["WEIGHTING_SPECS", "Weighting", "combine"]


@dataclass(frozen=True)
class Weighting:
    """How one weighting turns the masked inputs' logits into a map."""

    score: Literal["logit", "probability"]  # s_k: the target's logit or its softmax probability
    weights: Literal["softmax", "raw"]  # w_k: softmax over the s_k, or the s_k themselves
    combine: Literal["activations", "masks"]  # sum_k w_k U(A_k), or sum_k w_k M_k (normalised)
    # Constant maps: "shared" scores their one all-fill input and weights them like the others;
    # "skipped" leaves them out (weight 0), as the authors' loop does (`continue` when max == min).
    constant_maps: Literal["shared", "skipped"] = "shared"


# One entry per name in choices.WEIGHTINGS (a test keeps the two equal).
WEIGHTING_SPECS: dict[str, Weighting] = {
    "paper": Weighting("logit", "softmax", "activations"),
    "matlab": Weighting("probability", "softmax", "masks"),
    "reference": Weighting("probability", "raw", "activations", constant_maps="skipped"),
}


def combine(
    spec: Weighting,
    scores: torch.Tensor,
    used: torch.Tensor,
    acts: torch.Tensor,
    varying: torch.Tensor,
    size: int,
    chunk: int,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Weights and saliency of the maps in `used` (the others weigh nothing): the final map, and
    the running map of the maps scored so far (docs/scorecam.md)."""
    if not bool(used.any()) or not bool(varying.any()):
        # No map varies (a 1 x 1 layer, a constant photo): nothing is located, the map is zero.
        return torch.zeros_like(scores), torch.zeros((size, size), device=scores.device)
    if spec.weights == "softmax":
        # softmax over (s_k - s_baseline): the baseline term cancels exactly.
        w = torch.softmax(scores.masked_fill(~used, float("-inf")), 0)
    else:
        w = torch.where(used, scores, torch.zeros_like(scores))
    if spec.combine == "masks":
        cam = _combine_masks(acts, varying, w, size, chunk).to(scores.device)
    else:
        low = (w[:, None, None] * acts).sum(0)
        cam = upsample(low[None], size)[0]
    return w, minmax(cam.clamp_min(0))


def _combine_masks(
    acts: torch.Tensor, varying: torch.Tensor, w: torch.Tensor, size: int, chunk: int
) -> torch.Tensor:
    """sum_k w_k M_k with M_k = (U(A_k) - lo_k) / span_k = U((A_k - lo_k) / span_k).

    In float64 on the CPU (K small maps: cheap, and MPS has no float64): a near-saturated map
    (ReLU6 at 6 with a span of 1e-5) gets a coefficient w_k / span_k of about 1e5, and in float32
    its range and the subtraction of lo_k cost 0.6 % of the final map. Constant maps give zeros.
    """
    a = acts.detach().to("cpu", torch.float64)
    lo, hi = upsampled_range(a, size, chunk)
    keep = varying.cpu() & (hi > lo)
    coef = torch.where(keep, w.detach().to("cpu", torch.float64) / (hi - lo), 0.0)
    low = (coef[:, None, None] * (a - lo[:, None, None])).sum(0)
    return upsample(low[None], size)[0].float()
