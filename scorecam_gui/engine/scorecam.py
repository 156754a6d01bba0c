"""Score-CAM (Wang et al., 2019) as a generator that yields progress after every batch.

Three weightings (docs/scorecam.md): `paper` (Algorithm 1: softmax over the logits of the masked
inputs, combined with the upsampled activations), `matlab` (the MATLAB example: softmax over
probabilities, combined with the normalised masks) and `reference` (the authors' code: the
probabilities themselves as weights, constant maps skipped). Two fills: `black` masks the raw
RGB image, `mean` the normalised tensor.

Bilinear upsampling and min-max normalisation are affine per map, so every weighted sum is formed
on the small activation maps and upsampled once: exact, and no K x H x W tensor ever exists.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from ..choices import FILL_HELP, FILLS, WEIGHTING_HELP, WEIGHTINGS
from . import progressive
from .hooks import capture_output
from .imaging import resize_for_network
from .inference import InferenceModel, default_batch_size
from .networks import Network, NetworkError, resolve_layer
from .tokens import as_maps

__all__ = [
    "FILLS",
    "FILL_HELP",
    "WEIGHTINGS",
    "WEIGHTING_HELP",
    "WEIGHTING_SPECS",
    "Explainer",
    "Prediction",
    "Progress",
    "ScoreCamResult",
    "Timings",
    "Weighting",
    "capture_output",
    "default_batch_size",
    "explain",
    "masked_input",
    "relay",
    "run_to_end",
]


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


@dataclass(frozen=True)
class Prediction:
    index: int
    name: str
    probability: float
    logit: float


@dataclass(frozen=True)
class Progress:
    done: int  # maps whose masked input has been scored (constant maps count when shared one is)
    total: int  # maps in all
    elapsed: float  # seconds since the masked forward passes began
    evaluated: int = 0  # masked forward passes run so far
    # The running map (run(..., running_map=True)): the weighting applied to the maps scored so
    # far, (S, S) float32 in [0, 1]; after the last batch it is the exact map. None otherwise.
    saliency: np.ndarray | None = field(default=None, compare=False, repr=False)
    # The masked inputs to run in all (evaluated counts those run): hundreds of constant maps
    # share one input and count as done at once, so the time left comes from these.
    work_total: int | None = None

    @property
    def rate(self) -> float:
        """Maps per second."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the rate measured so far (of the work, not of the maps), None before
        the first batch."""
        done = self.done if self.work_total is None else self.evaluated
        total = self.total if self.work_total is None else self.work_total
        if self.elapsed <= 0 or done <= 0:
            return None
        return max(0, total - done) * self.elapsed / done


@dataclass(frozen=True)
class Timings:
    classify: float
    scorecam: float
    total: float


@dataclass(frozen=True)
class ScoreCamResult:
    saliency: np.ndarray  # (S, S) float32 in [0, 1] at the network's input size
    scores: np.ndarray  # (K,) per-map score: logit (paper) or probability of the target
    weights: np.ndarray  # (K,) per-map weight; 0 for maps left out in approximate mode
    activations: np.ndarray  # (K, h, w) float32 activations of the target layer
    target: Prediction
    top5: tuple[Prediction, ...]
    layer: str
    weighting: str
    fill: str
    device: str
    precision: str  # of the masked passes
    maps_total: int
    maps_evaluated: int  # masked forward passes actually run
    timings: Timings
    image_rgb: np.ndarray  # (S, S, 3) uint8: the photo as the network sees it
    mean: tuple[float, float, float] = (0.0, 0.0, 0.0)
    std: tuple[float, float, float] = (1.0, 1.0, 1.0)
    approximate: int | None = None  # N when only the N highest-variance maps were scored
    stopped: bool = False  # stopped early (time budget, "Stop here"): the map of the maps scored
    evaluated: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # (K,) scored maps
    backend: str = "torch"  # what ran the masked passes: torch or openvino


T = TypeVar("T")
E = TypeVar("E")


def run_to_end(
    job: Generator[Progress, None, T], progress: Callable[[Progress], None] | None = None
) -> T:
    """Drive one of the engine's generators (Score-CAM, Grad-CAM, metrics) to its result,
    handing each Progress to `progress`."""
    while True:
        try:
            p = next(job)
        except StopIteration as stop:
            return stop.value
        if progress is not None:
            progress(p)


def relay(
    job: Generator[Progress, None, T], event: Callable[[Progress], E]
) -> Generator[E, None, T]:
    """`yield from job` with each Progress turned into `event(progress)` (a step's progress
    into a whole run's, a photo's into the batch's); closing this generator closes `job`."""
    try:
        while True:
            try:
                p = next(job)
            except StopIteration as stop:
                return stop.value
            yield event(p)
    finally:
        job.close()


class Explainer:
    """Runs classification and Score-CAM for one network on one device."""

    def __init__(
        self,
        network: Network,
        device: str = "auto",
        precision: str = "auto",
        batch_size: int | None = None,
        channels_last: bool = True,
        fold_batchnorm: bool = True,
        compile_model: bool = False,
        backend: str = "auto",
    ) -> None:
        """compile_model: run the masked passes through torch.compile (Inductor, weights frozen
        into the compiled code). Opt-in: the first batch waits for the compiler (10-30 s on 2
        cores, less with its disk cache warm) and it needs a C++ compiler on the CPU; a network
        that cannot be compiled runs as it is (see compile_error).

        backend: what runs the masked passes (choices.BACKENDS): `auto` (OpenVINO on the CPU
        where it is installed and agrees with torch's fp32, else torch), `torch`, `openvino`.
        The classification and the layer's activations always come from torch in fp32."""
        self.network = network
        self.inference = InferenceModel(
            network,
            device,
            precision,
            batch_size,
            channels_last,
            fold_batchnorm,
            compile_model,
            backend,
        )
        self.device = self.inference.device
        self.memory_format = self.inference.memory_format
        self.compile_model = compile_model
        self.fold_batchnorm = fold_batchnorm

    @property
    def precision(self) -> str:
        """The precision of the masked passes (it may change on the first batch: see backend)."""
        return self.inference.precision

    @property
    def backend(self) -> str:
        """What runs the masked passes: `torch` or `openvino` (`auto` falls back to torch on the
        first batch if OpenVINO cannot compile the network or disagrees with torch's fp32)."""
        return self.inference.backend

    @property
    def batch_size(self) -> int:
        """Masked inputs per forward pass: as given, else chosen for the device and network."""
        return self.inference.batch_size

    @property
    def compile_error(self) -> str | None:
        """Why compiling the masked passes failed, if it did."""
        return self.inference.compile_error

    def inference_model(self) -> nn.Module:
        """The module the masked passes run through (see InferenceModel.model)."""
        return self.inference.model()

    # -- inputs -------------------------------------------------------------------------------
    def prepare(self, image: Image.Image | np.ndarray, center_crop: bool = False) -> np.ndarray:
        """The photo as the network sees it: (S, S, 3) uint8, whole image resized by default."""
        size = self.network.info.input_size
        if isinstance(image, np.ndarray):
            if image.shape == (size, size, 3) and image.dtype == np.uint8:
                return image
            image = Image.fromarray(image)
        return resize_for_network(image, size, center_crop=center_crop)

    def predictions(self, logits: torch.Tensor, k: int = 5) -> tuple[Prediction, ...]:
        """The k most probable classes for one image's logits."""
        probs = logits.softmax(-1)
        top = probs.topk(min(k, probs.numel()))
        names = self.network.categories
        return tuple(
            Prediction(int(i), names[int(i)], float(p), float(logits[int(i)]))
            for p, i in zip(top.values, top.indices, strict=True)
        )

    def prediction(self, logits: torch.Tensor, c: int) -> Prediction:
        """Class c with its probability and logit for one image's logits."""
        probs = logits.softmax(-1)
        return Prediction(c, self.network.categories[c], float(probs[c]), float(logits[c]))

    # -- public API ---------------------------------------------------------------------------
    def classify(self, image: Image.Image | np.ndarray) -> tuple[Prediction, ...]:
        """The top-5 classes of the photo, in fp32."""
        runner = self.inference
        with torch.inference_mode():
            x = runner.normalise(runner.to_tensor(self.prepare(image)))
            logits = runner.exact_logits(x[None])[0]
        return self.predictions(logits)

    def explain(self, image: Image.Image | np.ndarray, **kwargs: object) -> ScoreCamResult:
        """Run Score-CAM to the end and return the result."""
        return run_to_end(self.run(image, **kwargs))  # type: ignore[arg-type]

    def run(
        self,
        image: Image.Image | np.ndarray,
        layer: str | None = None,
        target: int | None = None,
        weighting: str = "paper",
        fill: str = "black",
        approximate: int | None = None,
        center_crop: bool = False,
        running_map: bool = False,
        stop: Callable[[Progress], bool] | None = None,
    ) -> Generator[Progress, None, ScoreCamResult]:
        """Score-CAM as a generator: yields Progress after each batch, returns the result.

        Maps are scored largest first (engine/progressive.py), so the map of the maps scored so
        far converges fast: `running_map` puts it into every Progress. `stop` is asked after each
        batch but the last; when it returns True, scoring ends there and the result is that
        running map, marked `stopped` (a time budget: `stop=lambda p: p.elapsed >= seconds`).

        Arguments are checked before anything is computed. Closing the generator (or simply not
        resuming it) stops the job between two batches. Inference mode is entered inside the
        generator, so it holds in whichever thread drives it.
        """
        gen = self.run_weightings(  # checks the arguments now, before any work
            image, (weighting,), layer, target, fill, approximate, center_crop, running_map, stop
        )
        return _one(gen, weighting)

    def run_weightings(
        self,
        image: Image.Image | np.ndarray,
        weightings: Sequence[str] = WEIGHTINGS,
        layer: str | None = None,
        target: int | None = None,
        fill: str = "black",
        approximate: int | None = None,
        center_crop: bool = False,
        running_map: bool = False,
        stop: Callable[[Progress], bool] | None = None,
    ) -> Generator[Progress, None, dict[str, ScoreCamResult]]:
        """Several weightings from one set of masked passes: they differ only in how the same
        logits become weights (WEIGHTING_SPECS), so each map equals its own `run` (up to the
        batches' rounding) at the cost of one. Progress, `running_map` (of the first
        weighting) and `stop` as in `run`; returns {weighting: result}, each result's timings
        being the shared run's."""
        unknown = [w for w in weightings if w not in WEIGHTING_SPECS]
        if unknown or not weightings:
            what = unknown[0] if unknown else ""
            raise ValueError(f"unknown weighting '{what}': use {', '.join(WEIGHTINGS)}")
        if fill not in FILLS:
            raise ValueError(f"unknown fill '{fill}': use {', '.join(FILLS)}")
        self.network.check_target(target)
        if approximate is not None and approximate < 1:
            raise ValueError("approximate mode needs at least 1 map")
        module = resolve_layer(self.network, layer)
        layer_name = layer or self.network.default_layer
        rgb = self.prepare(image, center_crop=center_crop)
        return self._run(
            rgb,
            module,
            layer_name,
            target,
            tuple(dict.fromkeys(weightings)),
            fill,
            approximate,
            running_map,
            stop,
        )

    def _run(
        self,
        rgb: np.ndarray,
        module: nn.Module,
        layer_name: str,
        target: int | None,
        weightings: tuple[str, ...],
        fill: str,
        approximate: int | None,
        running_map: bool = False,
        stop: Callable[[Progress], bool] | None = None,
    ) -> Generator[Progress, None, dict[str, ScoreCamResult]]:
        t0 = time.perf_counter()
        specs = {w: WEIGHTING_SPECS[w] for w in weightings}
        spec = specs[weightings[0]]  # the running map's
        runner = self.inference
        mean, std = runner.mean, runner.std
        # Inference mode is entered per step, never across a yield: it is thread-local state that
        # must not leak into the caller between batches.
        with torch.inference_mode():
            x = runner.to_tensor(rgb)
            x_norm = runner.normalise(x)
            # 1. Classify in fp32 and record the target layer's activations.
            with capture_output(module) as outs:
                logits = runner.exact_logits(x_norm[None])[0]
            if not outs:
                raise NetworkError(f"layer '{layer_name}' did not run in the forward pass")
            acts = as_maps(outs[-1])[0].float()  # transformer tokens as (C, h, w) maps
            if acts.dim() != 3 or acts.shape[0] < 1:
                raise NetworkError(
                    f"layer '{layer_name}' gives {tuple(outs[-1].shape[1:])}: Score-CAM needs a "
                    "C x H x W output"
                )
            del outs
            top5 = self.predictions(logits)
            c = int(logits.argmax()) if target is None else int(target)
            target_pred = self.prediction(logits, c)
            t1 = time.perf_counter()

            # 2. Per-map statistics of the upsampled maps (bilinear, align_corners=False).
            size = x.shape[-1]
            k_total = acts.shape[0]
            lo, hi = _upsampled_range(acts, size, self.batch_size)
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
            # Maps that are affine images of each other give the same mask (say, maps that are
            # zero but for the same pixel): one masked input stands for them all.
            first = _twin_maps(acts[chosen], lo[chosen], span[chosen])
            queue = chosen[first == torch.arange(len(chosen), device=first.device)].tolist()
            twins: dict[int, list[int]] = {}
            for k, rep in zip(chosen.tolist(), chosen[first].tolist(), strict=True):
                if k != rep:
                    twins.setdefault(rep, []).append(k)
            # The all-fill input is run when some weighting scores the constant maps.
            shares = [w for w, sp in specs.items() if sp.constant_maps == "shared"]
            with_constant = bool(constant.any()) and not approx_active and bool(shares)
            # Largest maps first, so that the running map converges fast (docs/scorecam.md).
            queue = progressive.scoring_order(acts, queue, twins)
            used_by = {
                w: selected | constant if with_constant and w in shares else selected
                for w in weightings
            }
            used = used_by[weightings[0]]
            scored = torch.zeros_like(used)
            # The masked inputs in running order: the shared all-fill one (None), then the maps.
            items: list[int | None] = [None] * with_constant + queue
            n_eval = len(items)

            # Inputs for the masked passes: black fills the raw RGB, mean the normalised tensor.
            if fill == "black":
                scale, offset = x / std, mean / std
            else:
                scale, offset = x_norm, torch.zeros_like(mean)
            # Each map's target logit and probability: every weighting reads one of the two.
            logit_scores = torch.full((k_total,), float("nan"), device=self.device)
            prob_scores = torch.full_like(logit_scores, float("nan"))
            scores = logit_scores if spec.score == "logit" else prob_scores

        def masked_inputs(out: torch.Tensor, start: int, stop: int) -> None:
            skip = int(start == 0 and with_constant)
            if skip:
                out[0].copy_(-offset.expand(3, size, size))
            idx = [
                k for k in items[start + skip : stop] if k is not None
            ]  # None: the all-fill input
            if idx:
                masks = _normalised_masks(acts[idx], lo[idx], span[idx], size)
                torch.addcmul(-offset, masks, scale, out=out[skip:])  # masks * scale - offset

        # Constant maps count as done once their shared input is scored.
        constant_maps = int(constant.sum())
        progress_total = len(chosen) if approx_active else k_total
        # Skipped constant maps need no pass: they are done from the start.
        maps_done = 0 if with_constant or approx_active else constant_maps
        passes_done = 0
        stopped = False
        t_start = time.perf_counter()
        checking = runner.start_map_check()  # auto's first use of a reduced-precision backend
        batches = runner.batches(n_eval, masked_inputs)
        for start, end, batch_logits in batches:
            with torch.inference_mode():
                batch_logit = batch_logits[:, c]
                batch_prob = batch_logits.softmax(-1)[:, c]
                skip = int(start == 0 and with_constant)
                if skip:
                    logit_scores[constant] = batch_logit[0]
                    prob_scores[constant] = batch_prob[0]
                    scored |= constant
                    maps_done = constant_maps
                idx = [
                    k for k in items[start + skip : end] if k is not None
                ]  # None: the all-fill input
                if idx:
                    logit_scores[idx] = batch_logit[skip:]
                    prob_scores[idx] = batch_prob[skip:]
                    scored[idx] = True
                    dst = [t for k in idx for t in twins.get(k, ())]
                    if dst:  # twins share their representative's score
                        src = [k for k in idx for _ in twins.get(k, ())]
                        logit_scores[dst] = logit_scores[src]
                        prob_scores[dst] = prob_scores[src]
                        scored[dst] = True
                    maps_done += len(idx) + len(dst)
                running = None
                if running_map:
                    now = _combine(
                        spec, scores, used & scored, acts, varying, size, self.batch_size
                    )[1]
                    running = now.float().cpu().numpy()
            passes_done = end
            # The work is the masked inputs run (for the time left), not the maps counted.
            elapsed = time.perf_counter() - t_start
            progress = Progress(maps_done, progress_total, elapsed, passes_done, running, n_eval)
            yield progress
            if stop is not None and end < n_eval and stop(progress):
                stopped = True
                batches.close()  # type: ignore[attr-defined]
                break

        backend, precision = self.backend, self.precision
        exact = runner.map_check_logits() if checking else None
        if exact is not None:  # the map against torch's exact one: kept if they agree
            with torch.inference_mode():
                ref = _map_scores(exact, items, constant, twins, c, k_total)
                done = used & scored
                ours = _combine(spec, scores, done, acts, varying, size, self.batch_size)[1]
                ref_scores = ref[0] if spec.score == "logit" else ref[1]
                theirs = _combine(spec, ref_scores, done, acts, varying, size, self.batch_size)[1]
                agree = float(torch.corrcoef(torch.stack([ours.flatten(), theirs.flatten()]))[0, 1])
            if not runner.finish_map_check(agree if agree == agree else 0.0):
                logit_scores, prob_scores = ref
                backend, precision = "torch", "fp32"

        # 3. Weights and the combined map (formed on the small maps, upsampled once).
        combined = {}
        with torch.inference_mode():
            for w_name, sp in specs.items():
                w_scores = logit_scores if sp.score == "logit" else prob_scores
                w_used = used_by[w_name] & scored if stopped else used_by[w_name]
                w, saliency = _combine(sp, w_scores, w_used, acts, varying, size, self.batch_size)
                combined[w_name] = (w_scores, w_used, w, saliency)
        t2 = time.perf_counter()
        activations = acts.cpu().numpy().astype(np.float32)
        results = {}
        for w_name, (w_scores, w_used, w, saliency) in combined.items():
            scores_np = w_scores.float().cpu().numpy()
            results[w_name] = ScoreCamResult(
                saliency=saliency.cpu().numpy().astype(np.float32),
                scores=np.nan_to_num(scores_np, nan=0.0).astype(np.float32),
                weights=w.float().cpu().numpy().astype(np.float32),
                activations=activations,
                target=target_pred,
                top5=top5,
                layer=layer_name,
                weighting=w_name,
                fill=fill,
                device=self.device.type,
                precision=precision,
                backend=backend,
                maps_total=k_total,
                maps_evaluated=passes_done if stopped else n_eval,
                timings=Timings(classify=t1 - t0, scorecam=t2 - t1, total=t2 - t0),
                image_rgb=rgb,
                mean=self.network.info.mean,
                std=self.network.info.std,
                approximate=approximate,
                evaluated=w_used.cpu().numpy(),
                stopped=stopped,
            )
        return results


def _one(
    gen: Generator[Progress, None, dict[str, ScoreCamResult]], weighting: str
) -> Generator[Progress, None, ScoreCamResult]:
    results = yield from gen  # closing this generator closes `gen` too
    return results[weighting]


def _map_scores(
    logits: torch.Tensor,
    items: list[int | None],
    constant: torch.Tensor,
    twins: dict[int, list[int]],
    c: int,
    k_total: int,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Each map's target logit and probability from the logits of the masked inputs run, in
    running order (items: None for the shared all-fill input); NaN for maps not run."""
    logit = torch.full((k_total,), float("nan"), device=constant.device)
    prob = torch.full_like(logit, float("nan"))
    row_logit = logits[:, c].to(logit.device)
    row_prob = logits.softmax(-1)[:, c].to(logit.device)
    for row, k in enumerate(items[: len(logits)]):
        maps = constant if k is None else [k, *twins.get(k, ())]
        logit[maps] = row_logit[row]
        prob[maps] = row_prob[row]
    return logit, prob


def _combine(
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
    if not bool(used.any()):
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
        cam = _upsample(low[None], size)[0]
    return w, _minmax(cam.clamp_min(0))


def _combine_masks(
    acts: torch.Tensor, varying: torch.Tensor, w: torch.Tensor, size: int, chunk: int
) -> torch.Tensor:
    """sum_k w_k M_k with M_k = (U(A_k) - lo_k) / span_k = U((A_k - lo_k) / span_k).

    In float64 on the CPU (K small maps: cheap, and MPS has no float64): a near-saturated map
    (ReLU6 at 6 with a span of 1e-5) gets a coefficient w_k / span_k of about 1e5, and in float32
    its range and the subtraction of lo_k cost 0.6 % of the final map. Constant maps give zeros.
    """
    a = acts.detach().to("cpu", torch.float64)
    lo, hi = _upsampled_range(a, size, chunk)
    keep = varying.cpu() & (hi > lo)
    coef = torch.where(keep, w.detach().to("cpu", torch.float64) / (hi - lo), 0.0)
    low = (coef[:, None, None] * (a - lo[:, None, None])).sum(0)
    return _upsample(low[None], size)[0].float()


def _upsample(maps: torch.Tensor, size: int) -> torch.Tensor:
    """(N, h, w) -> (N, size, size), bilinear as in the paper's code."""
    return F.interpolate(maps[:, None], size=(size, size), mode="bilinear", align_corners=False)[
        :, 0
    ]


def _upsampled_range(
    acts: torch.Tensor, size: int, chunk: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Min and max of every bilinearly upsampled map, mostly without upsampling it.

    Along each axis, every output position between the same two source samples interpolates
    linearly between them, so a map's extremes lie where such a run of positions starts or ends:
    the maps are evaluated there only (16 x 16 points for 7 x 7 maps instead of 224 x 224; equal
    to F.interpolate's values up to float rounding). Maps near the output size are upsampled in
    chunks instead.
    """
    n, h, w = acts.shape
    ry, rx = _axis_weights(h, size, acts), _axis_weights(w, size, acts)
    ry, rx = ry[_run_ends(ry)], rx[_run_ends(rx)]
    lo = torch.empty(n, device=acts.device)
    hi = torch.empty_like(lo)
    sparse = 4 * len(ry) * len(rx) <= size * size
    step = 1024 if sparse else max(chunk, 64)
    for start in range(0, n, step):
        part = acts[start : start + step]
        if sparse:
            values = torch.einsum("yi,kij,xj->kyx", ry, part, rx).flatten(1)
        else:
            values = _upsample(part, size).flatten(1)
        lo[start : start + len(part)] = values.amin(1)
        hi[start : start + len(part)] = values.amax(1)
    return lo, hi


def _axis_weights(n: int, size: int, like: torch.Tensor) -> torch.Tensor:
    """(size, n): the weights with which bilinear upsampling mixes source samples along one axis."""
    eye = torch.eye(n, dtype=like.dtype, device=like.device)[:, None, :]
    return F.interpolate(eye, size=size, mode="linear", align_corners=False)[:, 0].T


def _run_ends(weights: torch.Tensor) -> torch.Tensor:
    """Output positions that start or end a run interpolating between the same source samples."""
    support = weights != 0
    change = (support[1:] != support[:-1]).any(1)
    ends = torch.zeros(len(weights), dtype=torch.bool, device=weights.device)
    ends[0] = ends[-1] = True
    ends[1:] |= change
    ends[:-1] |= change
    return torch.nonzero(ends).flatten()


# Twins are looked for only among maps of at most this many pixels (late layers, where they
# occur): the search compares every pair of maps.
_TWIN_MAX_PIXELS = 4096
_TWIN_TOLERANCE = 1e-6  # on normalised maps in [0, 1]: float rounding, no more


def _twin_maps(acts: torch.Tensor, lo: torch.Tensor, span: torch.Tensor) -> torch.Tensor:
    """For each map, the index of the first map with the same normalised mask (itself if none).

    M_k = (U(A_k) - lo_k) / span_k = U((A_k - lo_k) / span_k) as bilinear weights sum to 1, so
    maps whose normalised small maps agree (to float rounding) give the same mask.
    """
    n = acts.shape[0]
    first = list(range(n))
    if n < 2 or acts[0].numel() > _TWIN_MAX_PIXELS:
        return torch.tensor(first, device=acts.device)
    norm = ((acts - lo[:, None, None]) / span[:, None, None]).flatten(1)
    sq = (norm * norm).sum(1)
    # Candidates by squared distance (one matrix product, loose for its rounding), then checked.
    d2 = sq[:, None] + sq[None, :] - 2.0 * (norm @ norm.T)
    a, b = torch.nonzero(torch.triu(d2 <= 1e-5 * norm.shape[1], diagonal=1), as_tuple=True)
    same = torch.zeros(len(a), dtype=torch.bool, device=acts.device)
    for i in range(0, len(a), 4096):
        diff = (norm[a[i : i + 4096]] - norm[b[i : i + 4096]]).abs().amax(1)
        same[i : i + 4096] = diff <= _TWIN_TOLERANCE
    for i, j in zip(a[same].tolist(), b[same].tolist(), strict=True):  # i < j, i ascending
        if first[i] == i and first[j] == j:
            first[j] = i
    return torch.tensor(first, device=acts.device)


def _normalised_masks(
    acts: torch.Tensor, lo: torch.Tensor, span: torch.Tensor, size: int
) -> torch.Tensor:
    """M_k = (U(A_k) - min) / (max - min), shape (n, 1, size, size).

    Formed as U((A_k - min) / (max - min)), equal as bilinear weights sum to 1: the small maps
    are normalised, so the full-size ones are written once.
    """
    return _upsample((acts - lo[:, None, None]) / span[:, None, None], size)[:, None]


def _minmax(x: torch.Tensor) -> torch.Tensor:
    lo, hi = x.min(), x.max()
    return (x - lo) / (hi - lo) if hi > lo else torch.zeros_like(x)


def masked_input(result: ScoreCamResult, k: int) -> np.ndarray:
    """Masked input k as an RGB image (S, S, 3) uint8, as the network saw it."""
    if not 0 <= k < result.maps_total:
        raise IndexError(f"map {k} out of range 0..{result.maps_total - 1}")
    size = result.image_rgb.shape[0]
    a = torch.from_numpy(result.activations[k : k + 1])
    up = _upsample(a, size)[0]
    mask = _minmax(up).numpy()[..., None]  # constant maps give all zeros, as in the engine
    rgb = result.image_rgb.astype(np.float32) / 255.0
    if result.fill == "black":
        out = mask * rgb
    else:  # masked-out pixels become the dataset mean
        mean = np.asarray(result.mean, np.float32)
        out = mean + mask * (rgb - mean)
    return np.clip(out * 255.0 + 0.5, 0, 255).astype(np.uint8)


def explain(
    network: Network,
    image: Image.Image | np.ndarray,
    progress: Callable[[Progress], None] | None = None,
    device: str = "auto",
    precision: str = "auto",
    batch_size: int | None = None,
    **kwargs: object,
) -> ScoreCamResult:
    """One-call Score-CAM for scripts: build an Explainer, run to the end, report progress."""
    gen = Explainer(network, device, precision, batch_size).run(image, **kwargs)  # type: ignore[arg-type]
    return run_to_end(gen, progress)
