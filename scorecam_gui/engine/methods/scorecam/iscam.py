"""IS-CAM (Naidu et al., 2020, "IS-CAM: Integrated Score-CAM for axiomatic-based explanations"):
Score-CAM with each map's score integrated over N scales of its mask.

As torch-cam's ISCAM defines it: masked input i of map k (i = 1..N) is c_i * M_k * X with
c_i = sum_{j=1..i} j / N (so c_1 = 1/N ... c_N = (N + 1) / 2), M_k the min-max normalised
upsampled map; the map's score s_k is the mean over i of the target's logit; the weights are
softmax(s_k) (the baseline score cancels) and the map is ReLU(sum_k w_k U(A_k)), min-max
normalised. torch-cam scales its normalised input (our `--fill mean`); `--fill black` scales the
photo's pixels instead. Constant maps share one all-fill input (c_i * 0 is 0 at every scale) and
twin maps their twin's N inputs, exactly as in Score-CAM. Maps are scored largest first, all N
scales of a map in a row, so the running map converges as Score-CAM's does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator

import numpy as np
import torch

from ...progress import Progress
from ..base import LayerMethod, MethodRequest, MethodResult, Runner
from ..catalog import MethodInfo, info
from ..classscores import ScoreSums
from . import family
from .masks import normalised_masks

__all__ = ["IsCam", "coefficients", "for_class", "method"]

SAMPLES = 10  # torch-cam's default


def coefficients(samples: int) -> torch.Tensor:
    """c_i = sum_{j=1..i} j / N for i = 1..N (torch-cam's ISCAM)."""
    steps = torch.arange(1, samples + 1, dtype=torch.float64) / samples
    return steps.cumsum(0).float()


class IsCam:
    def __init__(self, row: MethodInfo, samples: int = SAMPLES) -> None:
        self.info = row
        self.samples = samples

    def check(self, runner: Runner, request: MethodRequest) -> None:
        if self.samples < 1:
            raise ValueError("IS-CAM needs at least 1 sample")
        family.check_request(runner, request)

    def run(
        self, runner: Runner, rgb: np.ndarray, request: MethodRequest
    ) -> Generator[Progress, None, MethodResult]:
        self.check(runner, request)
        t0 = time.perf_counter()
        module, layer = LayerMethod.layer(runner, request)
        n = self.samples
        with torch.inference_mode():
            cap = family.capture(runner, rgb, module, layer, request.target)
            acts, size = cap.acts, cap.x.shape[-1]
            plan = family.map_plan(acts, size, runner.batch_size)
            scale, offset = family.fill_terms(cap, runner, request.fill)
            coef = coefficients(n).to(runner.device)
        skip = int(bool(plan.constant.any()))  # input 0: the all-fill one, if any map is constant
        units = plan.units
        total = skip + n * len(units)

        def fill(out: torch.Tensor, start: int, stop: int) -> None:
            j = torch.arange(start, stop)
            if start == 0 and skip:
                out[0].copy_(-offset.expand(3, size, size))
            rest = j[j >= skip] - skip
            if not len(rest):
                return
            which = rest // n  # position in units
            first = int(which[0])
            idx = units[first : int(which[-1]) + 1]
            masks = normalised_masks(acts[idx], plan.lo[idx], plan.span[idx], size)
            scaled = masks[which - first] * coef[rest % n].view(-1, 1, 1, 1)
            torch.addcmul(-offset, scaled, scale, out=out[len(j) - len(rest) :])

        def scores(scored: family.Scored) -> tuple[torch.Tensor, torch.Tensor]:
            """Each map's mean logit over its scales, and which maps have all their scales."""
            k_total = acts.shape[0]
            s = torch.full((k_total,), float("nan"), device=runner.device)
            used = torch.zeros(k_total, dtype=torch.bool, device=runner.device)
            if skip and scored.done >= 1:
                s[plan.constant] = scored.logit[0]
                used |= plan.constant
            full = max(0, (scored.done - skip) // n)
            if full:
                means = scored.logit[skip : skip + full * n].view(full, n).mean(1)
                for u, k in enumerate(units[:full]):
                    for t in (k, *plan.twins.get(k, ())):
                        s[t] = means[u]
                        used[t] = True
            return s, used

        def running(scored: family.Scored) -> torch.Tensor:
            s, used = scores(scored)
            return family.softmax_map(s, used, acts, size)[1]

        # Every class's mean over each map's scales: another class is a re-weighting.
        row_of_input = torch.cat(
            [torch.zeros(skip, dtype=torch.long), skip + torch.arange(total - skip) // n]
        )
        sums = ScoreSums(row_of_input, skip + len(units), runner.network.num_classes, cap.x.device)
        c = cap.target.index
        scored = yield from family.score_inputs(
            runner,
            total,
            fill,
            c,
            request,
            running,
            _counter(plan, skip, n),
            acts.shape[0],
            keep=sums,
        )
        with torch.inference_mode():
            s, used = scores(scored)
            w, saliency = family.softmax_map(s, used, acts, size)
            kept = sums.kept(
                _row_of_map(plan, sums.counts.cpu(), skip, n),
                ~plan.constant,
                cap.logits,
                tuple(runner.network.categories),
            )
        made = family.result(
            self.info,
            runner,
            cap,
            rgb,
            layer,
            saliency,
            w,
            t0,
            scored,
            request.fill,
            **family.kept_fields(torch.where(used, s, 0.0), acts, kept),
        )
        return family.contrasted(made, request.contrast, for_class)


for_class = family.softmax_for_class  # the softmax of each map's mean logit (registry.for_class)


def _row_of_map(plan: family.MapPlan, counts: torch.Tensor, skip: int, n: int) -> torch.Tensor:
    """The row of kept sums each map reads: the all-fill input's for the constant maps, its
    unit's for a map and its twins; -1 where the run stopped before all its scales."""
    rows = torch.full((len(plan.constant),), -1, dtype=torch.long)
    if skip and int(counts[0]) == 1:
        rows[plan.constant.cpu()] = 0
    for u, k in enumerate(plan.units):
        if int(counts[skip + u]) == n:
            rows[[k, *plan.twins.get(k, ())]] = skip + u
    return rows


def _counter(plan: family.MapPlan, skip: int, n: int) -> Callable[[int], int]:
    """Maps done after `end` inputs: the constant ones with the all-fill input, then each
    unit and its twins once all its scales are scored."""
    sizes = [1 + len(plan.twins.get(k, ())) for k in plan.units]
    prefix = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    constant = int(plan.constant.sum())

    def done(end: int) -> int:
        full = min(len(sizes), max(0, (end - skip) // n))
        return (constant if skip and end >= 1 else 0) + int(prefix[full])

    return done


def method(samples: int = SAMPLES) -> IsCam:
    return IsCam(info("iscam"), samples)
