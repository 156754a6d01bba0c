"""Every class from one Score-CAM run, and "why class A rather than class B" (docs/contrast.md).

Score-CAM's masked inputs X_k = M_k * photo come from the layer's activations, not from the class:
one pass of X_k gives the logits of all C classes. A run keeps them (ClassScores: n x C floats,
about 5 MB for the bundled network's 1280 maps and 1000 classes), so that the map of any other
class is a re-weighting of the same passes, with no pass at all (`for_class`): the same numbers
a run for that class would score, so the same map to float rounding.

The contrast of class A against class B scores each masked input by the difference of the two
classes' scores, s_k = logit_A(X_k) - logit_B(X_k) (probabilities for the weightings that read
probabilities), and weighs and combines the maps as the weighting does: the map of what raises A
above B. Finer-CAM (Zhang et al., CVPR 2025) takes the gradient of the same difference; this is
its Score-CAM form, from passes already made.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import torch

from ..classscores import ClassScores
from ..reweighting import class_logits, reweighted
from .weighting import WEIGHTING_SPECS, combine

if TYPE_CHECKING:
    from ..base import MethodResult

__all__ = ["ClassScores", "for_class"]


def for_class(result: MethodResult, c: int, contrast: int | None = None) -> MethodResult:
    """The Score-CAM map of class `c` (against class `contrast`, if given) from the passes
    `result` kept: no pass through the network. ValueError (one line) for a result that kept
    none, or a class out of range."""
    t0 = time.perf_counter()
    if result.activations is None or result.evaluated is None:
        raise ValueError(f"{result.method} keeps no class scores: run it again for class {c}")
    kept, logit, prob = class_logits(result, c, contrast)
    spec = WEIGHTING_SPECS[result.weighting or "paper"]
    scores = logit if spec.score == "logit" else prob
    acts = torch.from_numpy(result.activations)
    used = torch.from_numpy(result.evaluated)
    varying = torch.from_numpy(kept.varying)
    size = result.saliency.shape[0]
    with torch.inference_mode():
        weights, saliency = combine(spec, scores, used, acts, varying, size, 64)
    return reweighted(result, c, contrast, saliency, weights, scores, t0)
