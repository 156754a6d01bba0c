"""Ablation-CAM (Desai & Ramaswamy, 2020, "Ablation-CAM: Visual Explanations for Deep
Convolutional Network via Gradient-free Localization"): each feature map is switched off in turn
and the class score's fall is its weight.

As pytorch-grad-cam's AblationCAM: w_k = (y_c - y_c^k) / y_c, y_c the class logit of the photo
and y_c^k its logit with map k of the layer set to 0 (to the layer's minimum minus 10^7 when the
layer's values do not have 0 as their minimum); map = ReLU(sum_k w_k A_k), upsampled and min-max
normalised.

The ablations are batched like Score-CAM's masked passes: every input of a batch is the photo,
and a forward hook on the layer (of the module the batched passes run through) zeroes one map per
batch element, so they run at the runner's batch size, with progress after each batch and cancel
between two. They run in fp32 whatever the runner's precision (the catalog row needs
`full-precision`): each weight is a small fall of the class logit, and in bf16 the map fell to
0.9935 of fp32's although y_c came from the same bf16 passes (docs/methods.md). Maps that are all
0 already are not run when 0 is the ablation value: switching them off changes nothing, w_k = 0.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Iterator

import numpy as np
import torch
from torch import nn

from ...models.types import NetworkError
from ...progress import Progress
from ...runtime.inference import CPU_ACTIVATION_BUDGET, Fill
from ..base import LayerMethod, MethodRequest, MethodResult, Runner
from ..capture import capture
from ..catalog import info
from ..classscores import ScoreSums
from ..maps import to_input_size
from ..reweighting import class_logits, reweighted
from ..scorecam import family

__all__ = ["ABLATION_OFFSET", "AblationCam", "for_class", "method"]

ABLATION_OFFSET = 1e7  # pytorch-grad-cam's, for layers whose minimum is not 0
# Ablations a batch when the photo runs once a batch (_tail_batches): as many copies of the
# layer's maps as CPU_ACTIVATION_BUDGET holds, at most this many, and never fewer than the
# runner's batch. Lite0 on chelsea (whole method, same process): 8 a batch 3.76 s, 64 0.68 s,
# 256 0.42 s, as each batch runs the network before the layer once.
TAIL_BATCH_MAX = 256

log = logging.getLogger(__name__)


class _Ablation:
    """A forward hook that sets map `channels[i]` of batch element i to `value` (-1: none)."""

    def __init__(self, value: float) -> None:
        self.value = value
        self.channels: list[int] = []
        self.calls = 0

    def __call__(self, _m: nn.Module, _inputs: object, out: object) -> torch.Tensor:
        if not isinstance(out, torch.Tensor) or out.dim() != 4:
            raise NetworkError("Ablation-CAM needs a layer with a C x H x W output")
        self.calls += 1
        n = len(self.channels)
        # One photo for several ablations (_tail_batches): its copies start here.
        out = out.expand(n, *out.shape[1:]).clone() if len(out) == 1 < n else out.clone()
        rows = [i for i, k in enumerate(self.channels) if k >= 0]
        if rows:
            out[rows, [self.channels[i] for i in rows]] = self.value
        return out


class AblationCam(LayerMethod):
    def run(
        self, runner: Runner, rgb: np.ndarray, request: MethodRequest
    ) -> Generator[Progress, None, MethodResult]:
        self.check(runner, request)
        t0 = time.perf_counter()
        module, layer = self.layer(runner, request)
        with torch.inference_mode():
            cap = capture(runner, rgb, module, layer, request.target)
            acts, size = cap.acts, rgb.shape[0]
            lowest = float(acts.min())
            value = 0.0 if lowest == 0 else lowest - ABLATION_OFFSET
            live = acts.flatten(1).abs().amax(1) != 0
            if value != 0:
                live = torch.ones_like(live)
            channels = [-1, *torch.nonzero(live).flatten().tolist()]  # -1: the photo itself
        fast = dict(runner.inference.model().named_modules()).get(layer)
        if fast is None:
            raise NetworkError(f"layer '{layer}' is not in the network the batched passes run")
        ablate = _Ablation(value)
        x_norm = cap.x_norm

        def fill(out: torch.Tensor, start: int, stop: int) -> None:
            out.copy_(x_norm.expand(stop - start, *x_norm.shape))
            ablate.channels = channels[start:stop]

        def weights(scored: family.Scored) -> torch.Tensor:
            w = torch.zeros(len(acts), device=acts.device)
            if scored.done > 1:
                y = scored.logit[0]
                idx = channels[1 : scored.done]
                w[idx] = ((y - scored.logit[1 : scored.done]) / y).to(w.dtype)
            return w

        def combine(scored: family.Scored) -> torch.Tensor:
            return to_input_size((weights(scored)[:, None, None] * acts).sum(0), size)

        # Every class's logit of every ablation: another class is a re-weighting.
        n = len(channels)
        sums = ScoreSums(torch.arange(n), n, runner.network.num_classes, cap.x.device)
        handle = fast.register_forward_hook(ablate)
        try:
            # The hook needs torch's passes: the catalog row says so, the runner routes them.
            scored = yield from family.score_inputs(
                runner,
                len(channels),
                fill,
                cap.target.index,
                request,
                combine,
                needs=self.info.needs,
                keep=sums,
                batches=_tail_batches(runner, ablate, channels, x_norm, cap.logits, acts.numel()),
            )
        finally:
            handle.remove()
        if ablate.calls == 0 and scored.done:
            raise NetworkError(f"layer '{layer}' did not run in the batched passes")
        with torch.inference_mode():
            w = weights(scored)
            saliency = combine(scored)
            rows = torch.full((len(acts),), -1, dtype=torch.long)
            if scored.done > 1:
                rows[channels[1 : scored.done]] = torch.arange(1, scored.done)
            kept = sums.kept(rows, live, cap.logits, tuple(runner.network.categories))
            ablated = torch.full((len(acts),), float("nan"))
            ablated[rows >= 0] = scored.logit.cpu()[rows[rows >= 0]]
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
            **family.kept_fields(ablated, acts, kept),
        )
        return family.contrasted(made, request.contrast, for_class)


def _tail_batches(
    runner: Runner,
    ablate: _Ablation,
    channels: list[int],
    x_norm: torch.Tensor,
    logits: torch.Tensor,
    layer_values: int,
) -> Callable[[int, Fill, frozenset[str]], Iterator[tuple[int, int, torch.Tensor]]]:
    """The runner's batches, but the photo once a batch: the layers before the ablated one see
    the same photo for every ablation, so a batch of one goes in and the hook copies it where
    the ablations start (one pass of the photo, then the rest of the network a batch of
    ablations; the default layers are the last convolutional ones, so that rest is the pooling
    and the classifier). Its first batch must give the photo's own logits (row 0, no map
    ablated) as the classifying pass did; where it cannot (a layer whose output later meets
    another of the photo's tensors by concatenation, say), the runner's batches of copies run
    instead, from the start. `layer_values`: the values of the layer's output for one photo."""

    def batches(
        total: int, fill: Fill, needs: frozenset[str]
    ) -> Iterator[tuple[int, int, torch.Tensor]]:
        copies = CPU_ACTIVATION_BUDGET // (4 * layer_values)  # fp32 copies of the layer
        size = max(runner.inference.batch_size, min(TAIL_BATCH_MAX, copies))
        for start in range(0, total, size):
            stop = min(start + size, total)
            ablate.channels = channels[start:stop]
            try:
                with torch.inference_mode():
                    got = runner.inference.fp32_logits(x_norm[None], needs)
            except RuntimeError:
                if start:
                    raise
                got = None
            if start == 0 and not _same_photo(got, stop, logits):
                log.info("Ablation-CAM: the layer's ablations need whole passes on this network")
                yield from runner.inference.batches(total, fill, needs)
                return
            assert got is not None
            yield start, stop, got

    return batches


def _same_photo(got: torch.Tensor | None, n: int, logits: torch.Tensor) -> bool:
    """A first batch of n ablations whose row 0 (nothing ablated) is the classifying pass's."""
    if got is None or got.shape != (n, logits.shape[-1]):
        return False
    want = logits.reshape(-1).to(got.device, got.dtype)
    return bool(torch.allclose(got[0], want, rtol=1e-4, atol=1e-4 * float(want.abs().max())))


def for_class(result: MethodResult, c: int, contrast: int | None = None) -> MethodResult:
    """The Ablation-CAM map of class c (against `contrast`: the score is the difference of the
    two logits) from the ablations `result` ran, with no pass (registry.for_class). Row 0 of
    the kept scores is the photo's own batched pass, y_c."""
    t0 = time.perf_counter()
    kept, ablated, _ = class_logits(result, c, contrast)
    assert result.activations is not None
    y = float(kept.logits[0, c]) - (0.0 if contrast is None else float(kept.logits[0, contrast]))
    acts = torch.from_numpy(result.activations)
    with torch.inference_mode():
        scored = torch.from_numpy(kept.row_of_map >= 0)
        w = torch.where(scored, (y - ablated) / y, torch.zeros_like(ablated))
        saliency = to_input_size((w[:, None, None] * acts).sum(0), result.saliency.shape[0])
    return reweighted(result, c, contrast, saliency, w, ablated, t0)


def method() -> AblationCam:
    return AblationCam(info("ablationcam"))
