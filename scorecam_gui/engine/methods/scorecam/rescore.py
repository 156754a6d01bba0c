"""After a reduced-precision Score-CAM run, the inputs that carry the map's weight scored again
in fp32 (docs/speed.md, "Keeping the map on every photo").

A reduced precision (bf16 on the CPU, fp16 on a GPU) moves each masked input's logit a little
(EfficientNet-Lite0 in bf16: 0.05 median, 0.5 at most), and the paper's softmax passes that on to
the few maps that carry the weight: on 1-3 of 20 photos the map fell below 0.999 against exact
fp32. So the inputs whose target logit is within RESCORE_LOGITS of the highest are scored again in
fp32, the highest first, at most RESCORE_SHARE of the passes (and at least RESCORE_MIN): every
photo of the set at 0.9995 or more. Not where the softmax spreads its weight nearly evenly over
the maps (their effective number 1 / sum w^2 above 1 / RESCORE_FLAT of them, as with random
weights): there the errors average out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator
from dataclasses import replace
from typing import Any, Protocol

import torch

from ...progress import Progress
from ...runtime.inference import Fill
from ...runtime.openvino_backend import MapCheck
from ..base import Runner

__all__ = ["RESCORE_FLAT", "RESCORE_LOGITS", "RESCORE_MIN", "RESCORE_SHARE", "run"]


class _Plan(Protocol):
    """What this reads of a run's plan (scorecam._Plan)."""

    items: list[int | None]  # the masked inputs in running order; None: the all-fill one
    twins: dict[int, list[int]]  # representative -> maps with the same mask
    constant: torch.Tensor  # (K,) bool: the maps that share the all-fill input


class _Scores(Protocol):
    """The maps' scores of the run (scorecam._Scores)."""

    def record(
        self, plan: Any, logit: torch.Tensor, prob: torch.Tensor, start: int, end: int
    ) -> int: ...


RESCORE_LOGITS = 3.0
RESCORE_SHARE = 0.10
RESCORE_MIN = 8
RESCORE_FLAT = 1.5


def run(
    runner: Runner,
    plan: _Plan,
    kept: _Scores,
    every_class: torch.Tensor,
    c: int,
    fill: Fill,
    check: MapCheck | None,
    progress: Progress,
    stop: Callable[[Progress], bool] | None,
) -> Generator[Progress, None, int]:
    """Rescore the heaviest inputs of a finished run (every_class: each input's logits in
    running order, `kept` the maps' scores; both are updated). A map check that has just run
    every input in fp32 gives its logits (no pass). Yields `progress` (its time brought up to
    date) after each batch, so that Cancel, a time budget or "Stop here" end it; the map is
    whole either way. Returns the passes run."""
    exact = check.exact_logits() if check is not None else None
    with torch.inference_mode():
        heavy = heaviest(plan, every_class[:, c])
    base, t0 = progress.elapsed, time.perf_counter()
    passes = 0
    for i in range(0, len(heavy), runner.batch_size):
        part = heavy[i : i + runner.batch_size]
        with torch.inference_mode():
            if exact is not None:
                logits = exact[part].to(every_class.device)
            else:
                logits = runner.inference.fp32_logits(_inputs(runner, fill, part))
                passes += len(part)
            every_class[part] = logits
            probs = logits.softmax(-1)[:, c]
            for j, position in enumerate(part):
                kept.record(plan, logits[j : j + 1, c], probs[j : j + 1], position, position + 1)
        progress = replace(progress, elapsed=base + time.perf_counter() - t0)
        yield progress
        if stop is not None and stop(progress):
            break
    return passes


def heaviest(plan: _Plan, target: torch.Tensor) -> list[int]:
    """The positions (in running order) of the inputs to rescore, from their target logits."""
    n = len(target)
    cap = min(n, max(RESCORE_MIN, math.ceil(RESCORE_SHARE * n)))
    if cap < 1 or flatness(plan, target) < RESCORE_FLAT:
        return []
    top = torch.topk(target, cap)
    return top.indices[top.values >= top.values[0] - RESCORE_LOGITS].tolist()


def flatness(plan: _Plan, logits: torch.Tensor) -> float:
    """K sum_k w_k^2 over the K maps scored, w the paper's softmax weights: 1 when they are all
    alike, K when one map has them all. Per map, not per input: the all-fill input stands for
    every constant map and so carries their weights together (random-weight GoogLeNet: 263 maps
    on one input, and 77 inputs were rescored for nothing while they were counted as one)."""
    count = _maps_per_input(plan, len(logits)).to(logits.device)
    # Each map of input i weighs exp(logit_i) / Z, Z summing over the maps (twins and constant
    # maps share their input's logit).
    e = torch.exp(logits.double() - logits.max().double())
    z = float((count * e).sum())
    return float(count.sum() * (count * e * e).sum()) / (z * z)


def _maps_per_input(plan: _Plan, n: int) -> torch.Tensor:
    """How many maps each of the first n inputs (running order) stands for."""
    maps = [
        int(plan.constant.sum()) if k is None else 1 + len(plan.twins.get(k, ()))
        for k in plan.items[:n]
    ]
    return torch.tensor(maps, dtype=torch.float64)


def _inputs(runner: Runner, fill: Fill, positions: list[int]) -> torch.Tensor:
    """The masked inputs at these positions of the running order, as one batch."""
    size = runner.network.info.input_size
    x = torch.empty((len(positions), 3, size, size), device=runner.device)
    for j, position in enumerate(positions):
        fill(x[j : j + 1], position, position + 1)
    return x
