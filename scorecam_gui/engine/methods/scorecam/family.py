"""What the Score-CAM family's methods share besides the masks (masks.py): the classifying pass
that records the layer's activations, the plan of which maps need a masked input of their own
(constant maps and twins share one), the batched scoring loop over the engine's inference runner,
and the protocol result.

The loop runs the masked inputs through `runner.inference.batches` (the batch size, precision and
fast backend chosen for the device; a batch that runs out of memory is halved), yields Progress
after every batch (closing the generator cancels between two batches), asks `request.stop` after
each batch but the last and can put the running map into each Progress. SS-CAM, IS-CAM and
Group-CAM are built on it; Score-CAM's own loop (scorecam.py) predates it and shares its passes
between the weightings.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import torch

from ....choices import FILLS
from ...models.layers import resolve_layer
from ...progress import Progress
from ...runtime.inference import Fill
from ..base import MethodRequest, MethodResult, Runner, finish
from ..capture import Captured, capture
from ..catalog import MethodInfo
from ..classscores import ClassScores, ScoreSums
from ..maps import minmax, upsample
from ..reweighting import class_logits, reweighted
from . import progressive
from .masks import twin_maps, upsampled_range

__all__ = [
    "Captured",
    "MapPlan",
    "Scored",
    "capture",
    "check_request",
    "contrasted",
    "fill_terms",
    "kept_fields",
    "map_plan",
    "result",
    "score_inputs",
    "softmax_for_class",
    "softmax_map",
]


def check_request(runner: Runner, request: MethodRequest) -> None:
    """The checks every masked-input method makes before any work (one-line errors)."""
    if request.fill not in FILLS:
        raise ValueError(f"unknown fill '{request.fill}': use {', '.join(FILLS)}")
    runner.network.check_target(request.target)
    resolve_layer(runner.network, request.layer)


def fill_terms(cap: Captured, runner: Runner, fill: str) -> tuple[torch.Tensor, torch.Tensor]:
    """(scale, offset) with masked input = mask * scale - offset, normalised: black fills the raw
    RGB photo (black where the mask is 0), mean the normalised tensor (the dataset mean)."""
    mean, std = runner.inference.mean, runner.inference.std
    if fill == "black":
        return cap.x / std, mean / std
    return cap.x_norm, torch.zeros_like(mean)


@dataclass(frozen=True)
class MapPlan:
    """Which maps need a masked input of their own: the constant maps share the all-fill one,
    twins (maps with the same normalised mask) their first twin's."""

    lo: torch.Tensor  # (K,) min of each upsampled map
    span: torch.Tensor  # (K,) its max - min (0 for constant maps)
    constant: torch.Tensor  # (K,) bool
    units: list[int]  # maps that stand for a masked input, largest first (progressive order)
    twins: dict[int, list[int]]  # unit -> the other maps with its mask


def map_plan(acts: torch.Tensor, size: int, chunk: int, twins: bool = True) -> MapPlan:
    """The plan of Score-CAM's exact shortcuts (docs/scorecam.md); `twins=False` gives every
    varying map its own input (SS-CAM: each map gets its own noise)."""
    lo, hi = upsampled_range(acts, size, chunk)
    varying = (acts.flatten(1).amax(1) > acts.flatten(1).amin(1)) & (hi > lo)
    span = torch.where(varying, hi - lo, torch.zeros_like(lo))
    chosen = torch.nonzero(varying).flatten()
    pairs: dict[int, list[int]] = {}
    if twins and len(chosen):
        first = twin_maps(acts[chosen], lo[chosen], span[chosen])
        units = chosen[first == torch.arange(len(chosen), device=first.device)].tolist()
        for k, rep in zip(chosen.tolist(), chosen[first].tolist(), strict=True):
            if k != rep:
                pairs.setdefault(rep, []).append(k)
    else:
        units = chosen.tolist()
    order = progressive.scoring_order(acts, units, pairs)
    return MapPlan(lo, span, ~varying, order, pairs)


@dataclass(frozen=True)
class Scored:
    """The target's logit and probability for every masked input run (NaN past a stop)."""

    logit: torch.Tensor  # (n,)
    prob: torch.Tensor  # (n,)
    done: int  # inputs scored
    stopped: bool


def score_inputs(
    runner: Runner,
    total: int,
    fill: Fill,
    c: int,
    request: MethodRequest,
    running: Callable[[Scored], torch.Tensor] | None = None,
    maps: Callable[[int], int] | None = None,
    maps_total: int | None = None,
    needs: frozenset[str] = frozenset(),
    keep: ScoreSums | None = None,
    batches: Callable[[int, Fill, frozenset[str]], Iterator[tuple[int, int, torch.Tensor]]]
    | None = None,
) -> Generator[Progress, None, Scored]:
    """Score `total` masked inputs (fill(out, start, stop) writes inputs start..stop, normalised)
    for class c, batch by batch; yields Progress after each. `running(scored)` gives the map so
    far when request.running_map; `maps(end)` the maps done after `end` inputs (of maps_total;
    by default the inputs themselves are counted); `needs`: what the passes need of the backend
    (the method's catalog row: Ablation-CAM's hook runs on torch); `keep` sums every class's
    logits, for the methods whose inputs do not depend on the class (registry.for_class);
    `batches`: what runs them, if not the runner's own (InferenceModel.batches' signature)."""
    with torch.inference_mode():
        logit = torch.full((total,), float("nan"), device=runner.device)
        prob = torch.full_like(logit, float("nan"))
    t_start = time.perf_counter()
    steps = (batches or runner.inference.batches)(total, fill, needs)
    end, stopped = 0, False
    for start, end, batch_logits in steps:
        with torch.inference_mode():
            logit[start:end] = batch_logits[:, c]
            prob[start:end] = batch_logits.softmax(-1)[:, c]
            if keep is not None:
                keep.add(start, end, batch_logits)
            now = None
            if running is not None and request.running_map:
                now = running(Scored(logit, prob, end, False)).float().cpu().numpy()
        elapsed = time.perf_counter() - t_start
        done = end if maps is None else maps(end)
        progress = Progress(
            done, total if maps_total is None else maps_total, elapsed, end, now, total
        )
        yield progress
        if request.stop is not None and end < total and request.stop(progress):
            stopped = True
            steps.close()  # type: ignore[attr-defined]
            break
    return Scored(logit, prob, end, stopped)


def contrasted(
    result: MethodResult,
    contrast: int | None,
    reweigh: Callable[[MethodResult, int, int | None], MethodResult],
) -> MethodResult:
    """`result` explained against class `contrast` (if given) by `reweigh` (the method's
    for_class): a re-weighting of the passes it kept, on the run's own clock."""
    if contrast is None:
        return result
    made = reweigh(result, result.target.index, contrast)
    return replace(made, seconds=result.seconds, seconds_classify=result.seconds_classify)


def kept_fields(
    scores: torch.Tensor | np.ndarray, acts: torch.Tensor, class_scores: ClassScores
) -> dict[str, Any]:
    """MethodResult's fields a method that keeps every class's scores fills in: each map's score
    (0 where none), the layer's activations and the kept scores (registry.for_class)."""
    if isinstance(scores, torch.Tensor):
        scores = scores.float().cpu().numpy()
    return {
        "scores": np.nan_to_num(scores, nan=0.0).astype(np.float32),
        "activations": acts.float().cpu().numpy(),
        "class_scores": class_scores,
    }


def softmax_for_class(result: MethodResult, c: int, contrast: int | None = None) -> MethodResult:
    """IS-CAM's and SS-CAM's map of class c (against `contrast`) from the per-map mean logits
    a run kept: the softmax of each scored map's mean, with no pass (registry.for_class)."""
    t0 = time.perf_counter()
    kept_scores, logit, _ = class_logits(result, c, contrast)
    assert result.activations is not None
    acts = torch.from_numpy(result.activations)
    used = torch.from_numpy(kept_scores.row_of_map >= 0)
    with torch.inference_mode():
        w, saliency = softmax_map(logit, used, acts, result.saliency.shape[0])
    return reweighted(result, c, contrast, saliency, w, logit, t0)


def softmax_map(
    scores: torch.Tensor, used: torch.Tensor, acts: torch.Tensor, size: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """(weights, map): w = softmax of the scores of the maps in `used` (the others weigh 0),
    map = minmax(ReLU(U(sum_k w_k A_k))), formed on the small maps and upsampled once."""
    if not bool(used.any()):
        return torch.zeros_like(scores), torch.zeros((size, size), device=scores.device)
    w = torch.softmax(scores.masked_fill(~used, float("-inf")), 0)
    low = (w[:, None, None] * acts).sum(0)
    return w, minmax(upsample(low[None], size)[0].clamp_min(0))


def result(
    row: MethodInfo,
    runner: Runner,
    cap: Captured,
    rgb: np.ndarray,
    layer: str,
    saliency: torch.Tensor,
    weights: torch.Tensor | None,
    t0: float,
    scored: Scored,
    fill: str | None = None,
    backward_passes: int = 0,
    **more: Any,
) -> MethodResult:
    """The protocol's result of a masked-input method: the classifying pass (with its backward
    pass, if any) and the inputs scored (`scored`, which says whether it stopped early);
    `more`: MethodResult's other fields."""
    return finish(
        row,
        runner,
        rgb,
        layer,
        saliency,
        cap.target,
        cap.top5,
        t0,
        1 + scored.done,
        weights,
        backward_passes=backward_passes,
        fill=fill,
        stopped=scored.stopped,
        entropy=cap.entropy,
        **({"seconds_classify": cap.seconds} | more),
    )
