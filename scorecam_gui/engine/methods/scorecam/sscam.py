"""SS-CAM (Wang et al., 2020, "SS-CAM: Smoothed Score-CAM for Sharper Visual Feature
Localization"): Score-CAM with each map's score averaged over N noisy copies of its mask.

As torch-cam's SSCAM defines it: noisy mask i of map k is M_k + d_ik, with M_k the min-max
normalised upsampled map and d_ik Gaussian noise of standard deviation sigma at every pixel (no
clipping); the masked input is (M_k + d_ik) * X; the map's score s_k is the mean over i of the
target's logit; the weights are softmax(s_k) and the map is ReLU(sum_k w_k U(A_k)), min-max
normalised. Defaults as torch-cam's: N = 35, sigma = 2.

The noise is drawn from a generator seeded with the request's seed, sample by sample and map by
map in index order, each map's S x S values in a row: the same numbers torch-cam draws after
`torch.manual_seed(seed)`, so two runs agree and the peer's map can be reproduced. Constant maps
are not scored: with the softmax's positive weights they only add a constant to the map, which
min-max normalisation removes whenever the map is non-negative (a ReLU layer's maps); their noise
is still drawn, so the others' noise stays the peer's. Twins get their own noise, so no twin
shortcut here.
"""

from __future__ import annotations

import time
from collections.abc import Generator

import numpy as np
import torch

from ...progress import Progress
from ..base import LayerMethod, MethodRequest, MethodResult, Runner
from ..catalog import MethodInfo, info
from ..classscores import ScoreSums
from . import family
from .masks import normalised_masks

__all__ = ["NoiseStream", "SsCam", "for_class", "method"]

SAMPLES = 35  # torch-cam's defaults
SIGMA = 2.0


class NoiseStream:
    """Gaussian noise for (sample i, map k), drawn in the order i * K + k, one S x S map at a
    time (the same stream as one draw of (K, S, S) a sample: torch's CPU normal_ fills in
    blocks of 16 values and S * S is a multiple of 16 for the usual sizes)."""

    _SKIP_CHUNK = 64  # maps drawn and dropped at a time

    def __init__(self, seed: int, maps: int, size: int, sigma: float) -> None:
        self._gen = torch.Generator().manual_seed(seed)
        self._maps, self._size, self._sigma = maps, size, sigma
        self._next = 0  # the next position the generator gives
        self._kept: dict[int, torch.Tensor] = {}  # the last call's, for a batch run again

    def take(self, positions: list[int]) -> torch.Tensor:
        """The noise at ascending stream positions: (n, S, S). Positions drawn before are given
        again while no later call started past them (a batch halved for memory runs again)."""
        pixels = self._size * self._size
        out = torch.empty((len(positions), self._size, self._size))
        first = positions[0] if positions else self._next
        kept = {p: t for p, t in self._kept.items() if p >= first}
        for i, pos in enumerate(positions):
            if pos < self._next:
                if pos not in self._kept:
                    raise ValueError("noise positions must ascend")
                out[i] = self._kept[pos]
            else:
                while pos > self._next:
                    skip = min(self._SKIP_CHUNK, pos - self._next)
                    torch.randn(skip * pixels, generator=self._gen)
                    self._next += skip
                out[i] = torch.randn(pixels, generator=self._gen).view(self._size, self._size)
                self._next += 1
            kept[pos] = out[i]
        self._kept = kept
        return out * self._sigma


class SsCam:
    def __init__(self, row: MethodInfo, samples: int = SAMPLES, sigma: float = SIGMA) -> None:
        self.info = row
        self.samples = samples
        self.sigma = sigma

    def check(self, runner: Runner, request: MethodRequest) -> None:
        if self.samples < 1:
            raise ValueError("SS-CAM needs at least 1 sample")
        if not self.sigma >= 0:
            raise ValueError("SS-CAM's noise needs a standard deviation of 0 or more")
        family.check_request(runner, request)

    def run(
        self, runner: Runner, rgb: np.ndarray, request: MethodRequest
    ) -> Generator[Progress, None, MethodResult]:
        self.check(runner, request)
        t0 = time.perf_counter()
        module, layer = LayerMethod.layer(runner, request)
        with torch.inference_mode():
            cap = family.capture(runner, rgb, module, layer, request.target)
            acts, size = cap.acts, cap.x.shape[-1]
            plan = family.map_plan(acts, size, runner.batch_size, twins=False)
            scale, offset = family.fill_terms(cap, runner, request.fill)
        k_total = acts.shape[0]
        units = sorted(plan.units)  # index order: the noise stream's
        v = len(units)
        total = self.samples * v
        stream = NoiseStream(request.seed, k_total, size, self.sigma)
        index = torch.tensor(units, dtype=torch.long)

        def fill(out: torch.Tensor, start: int, stop: int) -> None:
            j = torch.arange(start, stop)
            ks = index[j % v]
            noise = stream.take((j // v * k_total + ks).tolist()).to(out.device)
            masks = normalised_masks(acts[ks], plan.lo[ks], plan.span[ks], size)[:, 0]
            torch.addcmul(-offset, (masks + noise)[:, None], scale, out=out)

        def scores(scored: family.Scored) -> tuple[torch.Tensor, torch.Tensor]:
            """Each map's mean logit over the samples scored so far, and which maps have one."""
            sums = torch.zeros(k_total, dtype=torch.float64, device=runner.device)
            counts = torch.zeros_like(sums)
            done = scored.logit[: scored.done].double()
            if len(done):
                ks = index.to(runner.device)[torch.arange(len(done), device=runner.device) % v]
                sums.index_add_(0, ks, done)
                counts.index_add_(0, ks, torch.ones_like(done))
            used = counts > 0
            return (sums / counts.clamp_min(1)).float(), used

        def running(scored: family.Scored) -> torch.Tensor:
            s, used = scores(scored)
            return family.softmax_map(s, used, acts, size)[1]

        # Every class's mean over each map's noisy copies: another class is a re-weighting.
        sums = ScoreSums(
            index[torch.arange(total) % v], k_total, runner.network.num_classes, cap.x.device
        )
        c = cap.target.index
        scored = yield from family.score_inputs(runner, total, fill, c, request, running, keep=sums)
        with torch.inference_mode():
            s, used = scores(scored)
            w, saliency = family.softmax_map(s, used, acts, size)
            scored_maps = sums.counts.cpu() > 0
            kept = sums.kept(
                torch.where(scored_maps, torch.arange(k_total), -1),
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


def method(samples: int = SAMPLES, sigma: float = SIGMA) -> SsCam:
    return SsCam(info("sscam"), samples, sigma)
