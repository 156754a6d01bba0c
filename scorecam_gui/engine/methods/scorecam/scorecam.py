"""Score-CAM (Wang et al., 2020) as a generator that yields progress after every batch.

Three weightings (docs/scorecam.md): `paper` (Algorithm 1: softmax over the logits of the masked
inputs, combined with the upsampled activations), `matlab` (the MATLAB example: softmax over
probabilities, combined with the normalised masks) and `reference` (the authors' code: the
probabilities themselves as weights, constant maps skipped). Two fills: `black` masks the raw
RGB image, `mean` the normalised tensor.

Bilinear upsampling and min-max normalisation are affine per map, so every weighted sum is formed
on the small activation maps and upsampled once: exact, and no K x H x W tensor ever exists.
The three weightings read the same masked passes, so `run_group` makes any of them for the cost
of one (the catalog's three rows share this module).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, replace

import numpy as np
import torch
from PIL import Image
from torch import nn

from ....choices import FILLS, WEIGHTINGS
from ...models.layers import resolve_layer
from ...progress import Progress
from ...runtime.inference import Fill, InferenceModel
from ...runtime.openvino_backend import MapCheck
from ..base import Method, MethodRequest, MethodResult, Runner
from ..capture import Captured as _Captured
from ..capture import capture as _capture
from ..catalog import MethodInfo, info
from ..classscores import ClassScores, row_of_map, scores_of_maps
from . import family, progressive, rescore
from .classes import for_class
from .masks import normalised_masks, twin_maps, upsampled_range
from .weighting import WEIGHTING_SPECS, Weighting, combine

__all__ = [
    "WEIGHTING_SPECS",
    "ScoreCam",
    "Weighting",
    "for_class",
    "method",
    "run_group",
    "run_weightings",
]


def run_weightings(
    runner: Runner,
    image: Image.Image | np.ndarray,
    weightings: Sequence[str] = WEIGHTINGS,
    layer: str | None = None,
    target: int | None = None,
    fill: str = "black",
    approximate: int | None = None,
    center_crop: bool = False,
    running_map: bool = False,
    stop: Callable[[Progress], bool] | None = None,
) -> Generator[Progress, None, dict[str, MethodResult]]:
    """Several weightings from one set of masked passes: they differ only in how the same
    logits become weights (WEIGHTING_SPECS), so each map equals its own run (up to the
    batches' rounding) at the cost of one. Yields Progress after each batch; `running_map`
    puts the map so far (of the first weighting) into each; `stop` is asked after each batch
    but the last, and True ends scoring there (the result is then marked `stopped`). Returns
    {weighting: result}, each result's timings being the shared run's.

    Arguments are checked now, before anything is computed (this is no generator function).
    """
    unknown = [w for w in weightings if w not in WEIGHTING_SPECS]
    if unknown or not weightings:
        what = unknown[0] if unknown else ""
        raise ValueError(f"unknown weighting '{what}': use {', '.join(WEIGHTINGS)}")
    if fill not in FILLS:
        raise ValueError(f"unknown fill '{fill}': use {', '.join(FILLS)}")
    runner.network.check_target(target)
    if approximate is not None and approximate < 1:
        raise ValueError("approximate mode needs at least 1 map")
    module = resolve_layer(runner.network, layer)
    layer_name = layer or runner.network.default_layer
    rgb = runner.prepare(image, center_crop=center_crop)
    specs = {w: WEIGHTING_SPECS[w] for w in dict.fromkeys(weightings)}
    return _run(
        runner, rgb, module, layer_name, target, specs, fill, approximate, running_map, stop
    )


@dataclass
class _Plan:
    """Which masked inputs to run, in which order, and which maps each weighting uses."""

    varying: torch.Tensor  # (K,) maps that are not constant
    lo: torch.Tensor  # (K,) min of each upsampled map
    span: torch.Tensor  # (K,) its max - min (0 for constant maps)
    constant: torch.Tensor  # (K,) constant maps: all share the one all-fill input
    chosen: torch.Tensor  # indices of the maps scored (all varying ones, or the N approximate)
    approx_active: bool
    twins: dict[int, list[int]]  # representative -> maps with the same normalised mask
    with_constant: bool  # the all-fill input is run (some weighting scores constant maps)
    used_by: dict[str, torch.Tensor]  # weighting -> (K,) maps it combines
    items: list[int | None]  # the masked inputs in running order; None: the all-fill one
    mass: torch.Tensor  # (K,) float64: each map's activation mass (sum of |A_k|)
    mass_total: float  # of the maps the running map uses

    def settled(self, scored: torch.Tensor) -> float:
        """How settled the running map is: the share of its maps' activation mass scored."""
        return float(self.mass[scored].sum()) / self.mass_total if self.mass_total > 0 else 1.0


def _plan(
    acts: torch.Tensor,
    size: int,
    chunk: int,
    specs: dict[str, Weighting],
    approximate: int | None,
) -> _Plan:
    """The exact shortcuts (constant and twin maps) and the running order (docs/scorecam.md)."""
    lo, hi = upsampled_range(acts, size, chunk)
    # A constant small map upsamples to a constant map, whatever the float rounding.
    varying = (acts.flatten(1).amax(1) > acts.flatten(1).amin(1)) & (hi > lo)
    span = torch.where(varying, hi - lo, torch.zeros_like(lo))
    selected = varying.clone()
    approx_active = approximate is not None and int(varying.sum()) > approximate
    if approx_active:
        # "Faster Score-CAM": only the highest-variance maps are scored.
        var = acts.flatten(1).var(1).masked_fill(~varying, -1.0)
        selected = torch.zeros_like(varying)
        selected[var.topk(int(approximate)).indices] = True  # type: ignore[arg-type]
    # Constant maps normalise to all zeros: one masked input (all fill) stands for all.
    # Approximate mode leaves them out with the other low-variance maps.
    constant = ~varying
    chosen = torch.nonzero(selected).flatten()
    # Maps that are affine images of each other give the same mask (say, maps that are zero but
    # for the same pixel): one masked input stands for them all.
    first = twin_maps(acts[chosen], lo[chosen], span[chosen])
    queue = chosen[first == torch.arange(len(chosen), device=first.device)].tolist()
    twins: dict[int, list[int]] = {}
    for k, rep in zip(chosen.tolist(), chosen[first].tolist(), strict=True):
        if k != rep:
            twins.setdefault(rep, []).append(k)
    shares = [w for w, sp in specs.items() if sp.constant_maps == "shared"]
    with_constant = bool(constant.any()) and not approx_active and bool(shares)
    # Largest maps first, so that the running map converges fast (docs/scorecam.md).
    queue = progressive.scoring_order(acts, queue, twins)
    used_by = {w: selected | constant if with_constant and w in shares else selected for w in specs}
    items: list[int | None] = [None] * with_constant + queue
    # The running map's convergence is measured by the activation mass of the maps scored.
    mass = acts.abs().flatten(1).sum(1, dtype=torch.float64)
    mass_total = float(mass[used_by[next(iter(specs))]].sum())
    return _Plan(
        varying,
        lo,
        span,
        constant,
        chosen,
        approx_active,
        twins,
        with_constant,
        used_by,
        items,
        mass,
        mass_total,
    )


@dataclass
class _Scores:
    """Each map's target logit and probability as the batches come in (NaN until scored)."""

    logit: torch.Tensor  # (K,)
    prob: torch.Tensor  # (K,)
    scored: torch.Tensor  # (K,) bool

    @classmethod
    def empty(cls, k: int, device: torch.device) -> _Scores:
        logit = torch.full((k,), float("nan"), device=device)
        return cls(
            logit,
            torch.full_like(logit, float("nan")),
            torch.zeros(k, dtype=torch.bool, device=device),
        )

    def record(
        self, plan: _Plan, logit: torch.Tensor, prob: torch.Tensor, start: int, end: int
    ) -> int:
        """Store one batch's scores (masked inputs start..end of plan.items); returns how many
        maps they complete (the constant maps with the shared input, twins with theirs)."""
        done = 0
        skip = int(start == 0 and plan.with_constant)
        if skip:
            self.logit[plan.constant] = logit[0]
            self.prob[plan.constant] = prob[0]
            self.scored |= plan.constant
            done += int(plan.constant.sum())
        idx = [k for k in plan.items[start + skip : end] if k is not None]  # None: all fill
        if idx:
            self.logit[idx] = logit[skip:]
            self.prob[idx] = prob[skip:]
            self.scored[idx] = True
            dst = [t for k in idx for t in plan.twins.get(k, ())]
            if dst:  # twins share their representative's score
                src = [k for k in idx for _ in plan.twins.get(k, ())]
                self.logit[dst] = self.logit[src]
                self.prob[dst] = self.prob[src]
                self.scored[dst] = True
            done += len(idx) + len(dst)
        return done


def _run(
    runner: Runner,
    rgb: np.ndarray,
    module: nn.Module,
    layer_name: str,
    target: int | None,
    specs: dict[str, Weighting],
    fill: str,
    approximate: int | None,
    running_map: bool = False,
    stop: Callable[[Progress], bool] | None = None,
) -> Generator[Progress, None, dict[str, MethodResult]]:
    t0 = time.perf_counter()
    first = next(iter(specs))
    spec = specs[first]  # the running map's
    inference = runner.inference
    # Inference mode per step, never across a yield: its thread-local state must not leak.
    with torch.inference_mode():
        cap = _capture(runner, rgb, module, layer_name, target)
        t1 = time.perf_counter()
        # After the classifying pass: choosing the batch size may build the fast copy.
        chunk = runner.batch_size
        acts, size, c = cap.acts, cap.x.shape[-1], cap.target.index
        k_total = acts.shape[0]
        plan = _plan(acts, size, chunk, specs, approximate)
        items, constant = plan.items, plan.constant
        used = plan.used_by[first]
        n_eval = len(items)
        scale, offset = family.fill_terms(cap, runner, fill)
        # Each map's target logit and probability: every weighting reads one of the two.
        kept = _Scores.empty(k_total, runner.device)
        # Every class's logit of each masked input: the masks do not depend on the class, so
        # any other class's map is a re-weighting of these (classes.py), with no pass.
        every_class = torch.empty((n_eval, runner.network.num_classes), device=runner.device)
        scores = kept.logit if spec.score == "logit" else kept.prob

    # Constant maps count as done once their shared input is scored; skipped ones need no pass.
    constant_maps = int(constant.sum())
    progress_total = len(plan.chosen) if plan.approx_active else k_total
    maps_done = 0 if plan.with_constant or plan.approx_active else constant_maps
    passes_done = 0
    stopped = False
    settled = 1.0 if n_eval == 0 else 0.0
    t_start = time.perf_counter()
    checking = inference.start_map_check()  # auto's first use of a reduced-precision backend
    inputs = _masked_inputs(plan, acts, scale, offset, size)  # the passes' and the rescore's
    batches = inference.batches(n_eval, inputs)
    for start, end, batch_logits in batches:
        with torch.inference_mode():
            every_class[start:end] = batch_logits
            maps_done += kept.record(
                plan, batch_logits[:, c], batch_logits.softmax(-1)[:, c], start, end
            )
            running = None
            if running_map:
                now = combine(spec, scores, used & kept.scored, acts, plan.varying, size, chunk)[1]
                running = now.float().cpu().numpy()
        passes_done = end
        # The work is the masked inputs run (for the time left), not the maps counted.
        elapsed = time.perf_counter() - t_start
        settled = plan.settled(used & kept.scored)
        progress = Progress(
            maps_done, progress_total, elapsed, passes_done, running, n_eval, settled
        )
        yield progress
        if stop is not None and end < n_eval and stop(progress):
            stopped = True
            batches.close()  # type: ignore[attr-defined]
            break

    after = (runner, checking, spec, kept, plan, acts, c, used, size, every_class, inputs)
    backend, precision, rescored, agreement = yield from _check_and_rescore(
        *after, stopped=stopped, progress=progress if passes_done else None, stop=stop
    )
    with torch.inference_mode():
        exact = checking.exact_logits() if checking is not None and backend == "torch" else None
        class_scores = _class_scores(runner, cap, plan, every_class[:passes_done], exact)
        results = _results(
            runner,
            cap,
            plan,
            specs,
            kept,
            stopped,
            settled,
            backend,
            precision,
            rgb,
            layer_name,
            fill,
            approximate,
            passes_done if stopped else n_eval,
            rescored,
            agreement,
        )
    t2 = time.perf_counter()
    return {
        w: replace(r, seconds=t2 - t0, seconds_classify=t1 - t0, class_scores=class_scores)
        for w, r in results.items()
    }


def _check_and_rescore(
    runner: Runner,
    checking: MapCheck | None,
    spec: Weighting,
    kept: _Scores,
    plan: _Plan,
    acts: torch.Tensor,
    c: int,
    used: torch.Tensor,
    size: int,
    every_class: torch.Tensor,
    inputs: Fill,
    *,
    stopped: bool,
    progress: Progress | None,  # the last batch's (None: no pass ran)
    stop: Callable[[Progress], bool] | None,
) -> Generator[Progress, None, tuple[str, str, int, float | None]]:
    """After the passes: the map check (if one ran) and the fp32 rescore of the heaviest inputs
    of a reduced precision. Returns the backend and precision the map comes from, the passes
    rescored and the precision's map agreement (MethodResult.precision_agreement). auto's check
    of bf16 judges the map before the rescore (a gate: the stricter); INT8's measures the map it
    gives, after it, and only a whole one (part of a map says little: the next whole run)."""
    inference = runner.inference
    measured = checking is not None and checking.measures_only
    check = (inference, checking, spec, kept, plan, acts, c, used, size)
    backend, precision = inference.backend, inference.precision
    if not measured:
        backend, precision = _check_backend(*check)
    rescored = 0  # passes run again in fp32 (rescore.py)
    if not stopped and precision != "fp32" and progress is not None:  # the heaviest in fp32
        rescored = yield from rescore.run(
            runner, plan, kept, every_class, c, inputs, checking, progress, stop
        )
    if checking is not None and measured:
        if stopped:
            checking.abandon()
        else:
            backend, precision = _check_backend(*check)
    # its precision's map check (INT8's, auto's bf16), unless the map came from torch's scores
    agreement = inference.agreement() if (backend, precision) == inference.runs() else None
    return backend, precision, rescored, agreement


def _masked_inputs(
    plan: _Plan, acts: torch.Tensor, scale: torch.Tensor, offset: torch.Tensor, size: int
) -> Fill:
    """The batches' fill: masked inputs start..stop of the plan (normalised)."""

    def fill(out: torch.Tensor, start: int, stop: int) -> None:
        skip = int(start == 0 and plan.with_constant)
        if skip:
            out[0].copy_(-offset.expand(3, size, size))
        idx = [k for k in plan.items[start + skip : stop] if k is not None]  # None: all fill
        if idx:
            masks = normalised_masks(acts[idx], plan.lo[idx], plan.span[idx], size)
            torch.addcmul(-offset, masks, scale, out=out[skip:])  # masks * scale - offset

    return fill


def _class_scores(
    runner: Runner,
    cap: _Captured,
    plan: _Plan,
    every_class: torch.Tensor,
    exact: torch.Tensor | None,
) -> ClassScores:
    """Every class's scores of the inputs scored (`every_class`, in running order); `exact`:
    torch's fp32 logits when the map was made from them (a failed map check), which then stand
    for the other classes too."""
    if exact is not None:
        every_class[: len(exact)] = exact[: len(every_class)]
    categories = tuple(runner.network.categories)
    return ClassScores.of_run(
        every_class, plan.items, plan.constant, plan.twins, plan.varying, cap.logits, categories
    )


def _check_backend(
    inference: InferenceModel,
    check: MapCheck | None,
    spec: Weighting,
    kept: _Scores,
    plan: _Plan,
    acts: torch.Tensor,
    c: int,
    used: torch.Tensor,
    size: int,
) -> tuple[str, str]:
    """The backend and precision the map comes from. On auto's first use of a reduced-precision
    backend (a MapCheck) the masked inputs also ran through torch fp32: the two maps are
    compared, and when they disagree the map is made from torch's scores (and later runs use
    fp32)."""
    backend, precision = inference.backend, inference.precision
    exact = check.exact_logits() if check is not None else None
    if check is None or exact is None:
        return backend, precision
    chunk = inference.batch_size
    with torch.inference_mode():
        rows = row_of_map(plan.items, plan.constant, plan.twins, len(exact))
        ref = tuple(t.to(kept.logit.device) for t in scores_of_maps(exact, rows, c))
        done = used & kept.scored
        ours_scores = kept.logit if spec.score == "logit" else kept.prob
        ours = combine(spec, ours_scores, done, acts, plan.varying, size, chunk)[1]
        ref_scores = ref[0] if spec.score == "logit" else ref[1]
        theirs = combine(spec, ref_scores, done, acts, plan.varying, size, chunk)[1]
        agree = float(torch.corrcoef(torch.stack([ours.flatten(), theirs.flatten()]))[0, 1])
    if not check.finish(agree if agree == agree else 0.0):
        kept.logit, kept.prob = ref
        return "torch", "fp32"
    return backend, precision


def _results(
    runner: Runner,
    cap: _Captured,
    plan: _Plan,
    specs: dict[str, Weighting],
    kept: _Scores,
    stopped: bool,  # early: only the maps scored so far count
    settled: float,  # the running map's Progress.settled when it ended
    backend: str,  # what ran the masked passes
    precision: str,  # in which precision
    rgb: np.ndarray,
    layer_name: str,
    fill: str,
    approximate: int | None,
    evaluated: int,
    rescored: int = 0,  # passes run again in fp32 (rescore.py)
    agreement: float | None = None,  # MethodResult.precision_agreement
) -> dict[str, MethodResult]:
    """Each weighting's weights and map (formed on the small maps, upsampled once)."""
    acts, size = cap.acts, cap.x.shape[-1]
    activations = acts.cpu().numpy().astype(np.float32)
    results = {}
    for w_name, sp in specs.items():
        w_scores = kept.logit if sp.score == "logit" else kept.prob
        w_used = plan.used_by[w_name] & kept.scored if stopped else plan.used_by[w_name]
        w, saliency = combine(sp, w_scores, w_used, acts, plan.varying, size, runner.batch_size)
        results[w_name] = MethodResult(
            method=f"scorecam-{w_name}",
            saliency=saliency.cpu().numpy().astype(np.float32),
            target=cap.target,
            top5=cap.top5,
            layer=layer_name,
            device=runner.device.type,
            seconds=0.0,
            image_rgb=rgb,
            forward_passes=1 + evaluated + rescored,
            weights=w.float().cpu().numpy().astype(np.float32),
            backend=backend,
            precision=precision,
            precision_agreement=agreement,
            weighting=w_name,
            fill=fill,
            scores=np.nan_to_num(w_scores.float().cpu().numpy(), nan=0.0).astype(np.float32),
            activations=activations,
            maps_total=acts.shape[0],
            maps_evaluated=evaluated,
            approximate=approximate,
            stopped=stopped,
            evaluated=w_used.cpu().numpy(),
            entropy=cap.entropy,
            settled=settled if stopped else 1.0,
            mean=runner.network.info.mean,
            std=runner.network.info.std,
        )
    return results


def _one(
    gen: Generator[Progress, None, dict[str, MethodResult]], weighting: str
) -> Generator[Progress, None, MethodResult]:
    results = yield from gen  # closing this generator closes `gen` too
    return results[weighting]


def run(
    runner: Runner, image: Image.Image | np.ndarray, weighting: str = "paper", **kwargs: object
) -> Generator[Progress, None, MethodResult]:
    """One weighting's Score-CAM (run_weightings of one; the same keyword arguments)."""
    gen = run_weightings(runner, image, (weighting,), **kwargs)  # type: ignore[arg-type]
    return _one(gen, weighting)


# -- the method protocol (engine/methods/base.py) ---------------------------------------------
@dataclass(frozen=True)
class ScoreCam:
    """Score-CAM with one weighting, as a catalog method."""

    info: MethodInfo
    weighting: str = "paper"

    def check(self, runner: Runner, request: MethodRequest) -> None:
        if self.weighting not in WEIGHTING_SPECS:
            raise ValueError(f"unknown weighting '{self.weighting}': use {', '.join(WEIGHTINGS)}")
        if request.approximate is not None and request.approximate < 1:
            raise ValueError("approximate mode needs at least 1 map")
        family.check_request(runner, request)  # the fill, the class and the layer

    def run(
        self, runner: Runner, rgb: np.ndarray, request: MethodRequest
    ) -> Generator[Progress, None, MethodResult]:
        made = yield from run_group(runner, rgb, (self,), request)
        return made[self.info.name]


def method(weighting: str = "paper") -> ScoreCam:
    """The catalog row of this weighting as a Method."""
    return ScoreCam(info(f"scorecam-{weighting}"), weighting)


def run_group(
    runner: Runner, rgb: np.ndarray, methods: Sequence[Method], request: MethodRequest
) -> Generator[Progress, None, dict[str, MethodResult]]:
    """Several weightings from one set of masked passes (run_weightings): {name: result}."""
    chosen = [m for m in methods if isinstance(m, ScoreCam)]
    for m in chosen:
        m.check(runner, request)
    results = yield from run_weightings(
        runner,
        rgb,
        [m.weighting for m in chosen],
        layer=request.layer,
        target=request.target,
        fill=request.fill,
        approximate=request.approximate,
        running_map=request.running_map,
        stop=request.stop,
    )
    made = {m.info.name: results[m.weighting] for m in chosen}
    # The contrast: a re-weighting of the same passes.
    return {name: family.contrasted(r, request.contrast, for_class) for name, r in made.items()}
