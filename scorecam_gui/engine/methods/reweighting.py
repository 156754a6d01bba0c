"""What every method's `for_class` shares: the kept scores of a result for one class (or one
class against another), and the result made again from them with no pass (registry.for_class)."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import torch

from .base import MethodResult
from .classscores import ClassScores

__all__ = ["class_logits", "reweighted"]


def class_logits(
    result: MethodResult, c: int, contrast: int | None
) -> tuple[ClassScores, torch.Tensor, torch.Tensor]:
    """The kept scores of `result`, and each map's logit and probability of class c (minus
    class `contrast`'s: "c rather than contrast"; NaN for maps no input scored). ValueError (one
    line) for a result that kept none, or a class out of range."""
    kept = result.class_scores
    if kept is None:
        raise ValueError(f"{result.method} keeps no class scores: run it again for class {c}")
    classes = len(kept.photo_logits)
    for k in (c, contrast):
        if k is not None and not 0 <= k < classes:
            raise ValueError(f"class {k} is out of range: the network has {classes} classes")
    logit, prob = kept.map_scores(c)
    if contrast is not None:
        other_logit, other_prob = kept.map_scores(contrast)
        logit, prob = logit - other_logit, prob - other_prob
    return kept, logit, prob


def reweighted(
    result: MethodResult,
    c: int,
    contrast: int | None,
    saliency: torch.Tensor,
    weights: torch.Tensor,
    scores: torch.Tensor,
    t0: float,
) -> MethodResult:
    """`result` made again for class c (against `contrast`) from its kept scores: the time is
    the re-weighting's alone, with no pass, not even the classifying one."""
    kept = result.class_scores
    assert kept is not None
    return replace(
        result,
        saliency=saliency.float().cpu().numpy().astype(np.float32),
        target=kept.prediction(c),
        weights=weights.float().cpu().numpy().astype(np.float32),
        scores=np.nan_to_num(scores.float().cpu().numpy(), nan=0.0).astype(np.float32),
        contrast=None if contrast is None else kept.prediction(contrast),
        seconds=time.perf_counter() - t0,
        seconds_classify=0.0,
    )
