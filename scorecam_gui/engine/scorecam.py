"""Score-CAM (Wang et al., 2019) as a generator that yields progress after every batch.

Three weightings (DESIGN.md): `paper` (Algorithm 1: softmax over the logits of the masked inputs,
combined with the upsampled activations), `matlab` (the MATLAB example: softmax over probabilities,
combined with the normalised masks) and `reference` (the authors' code: the probabilities themselves
as weights). Two fills: `black` masks the raw RGB image, `mean` the normalised tensor.

Bilinear upsampling and min-max normalisation are affine per map, so every weighted sum is formed
on the small activation maps and upsampled once: exact, and no K x H x W tensor ever exists.
"""

from __future__ import annotations

import copy
import itertools
import math
import time
import weakref
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn
from torch.overrides import TorchFunctionMode

from . import device as devices
from .efficientnet_lite import _Conv2dSameStrided
from .imaging import resize_for_network
from .networks import Network, NetworkError, resolve_layer

WEIGHTINGS: tuple[str, ...] = ("paper", "matlab", "reference")
FILLS: tuple[str, ...] = ("black", "mean")
WEIGHTING_HELP = {
    "paper": "Algorithm 1 of the paper (pytorch-grad-cam, torch-cam): softmax over logits",
    "matlab": "The MATLAB example, line for line: softmax over probabilities, normalised masks",
    "reference": "The authors' released code: the probabilities themselves are the weights",
}
FILL_HELP = {
    "black": "Mask the photo's pixels, masked-out parts are black (the MATLAB example)",
    "mean": "Mask the normalised input, masked-out parts are the dataset mean (the paper's code)",
}
# Masked inputs per forward pass when none is asked for. GPUs need large batches to be busy (a
# batch that does not fit is halved as it runs). On the CPU the batch keeps the network's largest
# activation within CPU_ACTIVATION_BUDGET: beyond about 8 images, larger batches gained at most 5 %
# (2 cores, bf16: ResNet-18 5.21 s at 8, 4.94 s at 16, 4.90 s at 32, 5.16 s at 64; EfficientNet-
# Lite0 2.73 s at 8, 2.67 s at 16; Lite0 fp32 5.32 s at 4, 4.68 s at 8), while the peak memory of
# `scorecam explain` with Lite0 grew from about 770 MB at 8 to 850-900 MB at 16.
DEFAULT_BATCH_SIZES = {"cuda": 128, "mps": 32}
DEFAULT_BATCH_SIZE = 32  # any other device type
CPU_ACTIVATION_BUDGET = 32 << 20  # bytes of a batch's largest activation
CPU_BATCH_RANGE = (8, 32)


def default_batch_size(device: torch.device | str, largest_activation: int | None = None) -> int:
    """The batch size `Explainer` uses when none is given.

    On the CPU it depends on the bytes of the network's largest activation for one image (None:
    that of EfficientNet-Lite0 in bf16): the largest power of two within CPU_ACTIVATION_BUDGET.
    """
    kind = device.type if isinstance(device, torch.device) else str(device).split(":")[0]
    if kind != "cpu":
        return DEFAULT_BATCH_SIZES.get(kind, DEFAULT_BATCH_SIZE)
    per_image = largest_activation or 96 * 112 * 112 * 2
    fit = max(1, CPU_ACTIVATION_BUDGET // max(1, per_image))
    low, high = CPU_BATCH_RANGE
    return min(high, max(low, 1 << (fit.bit_length() - 1)))


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

    @property
    def rate(self) -> float:
        """Maps per second."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate, None before the first batch."""
        return (self.total - self.done) / self.rate if self.rate > 0 else None


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
    precision: str
    maps_total: int
    maps_evaluated: int  # masked forward passes actually run
    timings: Timings
    image_rgb: np.ndarray  # (S, S, 3) uint8: the photo as the network sees it
    mean: tuple[float, float, float] = (0.0, 0.0, 0.0)
    std: tuple[float, float, float] = (1.0, 1.0, 1.0)
    approximate: int | None = None  # N when only the N highest-variance maps were scored
    evaluated: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # (K,) scored maps


@contextmanager
def capture_output(module: nn.Module) -> Iterator[list[torch.Tensor]]:
    """Collect a module's output during a forward pass; the hook is removed on exit."""
    outputs: list[torch.Tensor] = []

    def hook(_m: nn.Module, _i: object, out: object) -> None:
        if isinstance(out, torch.Tensor):
            # A copy: later in-place operations (ResNet's `out += identity`) must not change it.
            outputs.append(out.detach().clone())

    handle = module.register_forward_hook(hook)
    try:
        yield outputs
    finally:
        handle.remove()


def _is_oom(exc: BaseException) -> bool:
    return isinstance(exc, torch.OutOfMemoryError) or "out of memory" in str(exc).lower()


def _logits(output: object) -> torch.Tensor:
    # GoogLeNet/Inception return named tuples in some modes; the logits come first.
    if isinstance(output, torch.Tensor):
        return output
    if isinstance(output, tuple) and output and isinstance(output[0], torch.Tensor):
        return output[0]
    raise NetworkError("the network's output is not a tensor of class scores")


T = TypeVar("T")


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
    ) -> None:
        """compile_model: run the masked passes through torch.compile (Inductor, weights frozen
        into the compiled code). Opt-in: the first batch waits for the compiler (10-30 s on 2
        cores, less with its disk cache warm) and it needs a C++ compiler on the CPU; a network
        that cannot be compiled runs as it is (see compile_error)."""
        if batch_size is not None and batch_size < 1:
            raise ValueError("batch size must be at least 1")
        self.network = network
        self.device = devices.resolve_device(device)
        self.precision = devices.resolve_precision(precision, self.device)
        self._batch_size = batch_size  # None: chosen on first use (see batch_size)
        if self.device.type == "cpu":
            devices.tune_cpu_allocator()
        # channels-last lets oneDNN/cuDNN pick their fastest convolution kernels.
        self.memory_format = torch.channels_last if channels_last else torch.contiguous_format
        network.model.to(self.device, memory_format=self.memory_format).eval()
        info = network.info
        self._mean = torch.tensor(info.mean, device=self.device).view(3, 1, 1)
        self._std = torch.tensor(info.std, device=self.device).view(3, 1, 1)
        self.fold_batchnorm = fold_batchnorm
        self._inference: tuple[tuple[int, int], nn.Module] | None = None
        self.compile_model = compile_model
        self.compile_error: str | None = None  # why compiling failed, if it did
        self._compiled: tuple[nn.Module, nn.Module, int] | None = None  # source, compiled, batch

    @property
    def batch_size(self) -> int:
        """Masked inputs per forward pass: as given, else chosen for the device and network."""
        if self._batch_size is None:
            largest = None
            if self.device.type == "cpu":
                bytes_per_value = 4 if self.precision == "fp32" else 2
                largest = _largest_activation(self.network) * bytes_per_value
            self._batch_size = default_batch_size(self.device, largest)
        return self._batch_size

    # -- inputs -------------------------------------------------------------------------------
    def prepare(self, image: Image.Image | np.ndarray, center_crop: bool = False) -> np.ndarray:
        """The photo as the network sees it: (S, S, 3) uint8, whole image resized by default."""
        size = self.network.info.input_size
        if isinstance(image, np.ndarray):
            if image.shape == (size, size, 3) and image.dtype == np.uint8:
                return image
            image = Image.fromarray(image)
        return resize_for_network(image, size, center_crop=center_crop)

    def _to_tensor(self, rgb: np.ndarray) -> torch.Tensor:
        x = torch.from_numpy(np.array(rgb, copy=True)).to(self.device)  # a writable copy
        return x.permute(2, 0, 1).float().div_(255.0)  # (3, S, S) in [0, 1]

    def _forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (fp32) of a batch of normalised inputs, at the explainer's precision."""
        x = x.contiguous(memory_format=self.memory_format)
        model = self.inference_model()
        if self.compile_model and self.compile_error is None:
            try:
                return self._compiled_forward(model, x)
            except Exception as exc:
                # No C++ compiler, an operator Inductor cannot lower, ...: run uncompiled. Out
                # of memory as well, so that smaller batches can follow (compiled ones are
                # padded to the full batch).
                first_line = (str(exc).strip().splitlines() or [""])[0]
                self.compile_error = f"{type(exc).__name__}: {first_line}"
                self._compiled = None
                if _is_oom(exc):
                    raise
        with devices.autocast(self.device, self.precision):
            return _logits(model(x)).float()

    def _compiled_forward(self, model: nn.Module, x: torch.Tensor) -> torch.Tensor:
        # One input shape, so one compilation: smaller batches (the last one) are padded.
        batch = max(self.batch_size, x.shape[0])
        if self._compiled is None or self._compiled[0] is not model or self._compiled[2] < batch:
            compiled = torch.compile(model, dynamic=False, options={"freezing": True})
            self._compiled = (model, compiled, batch)  # type: ignore[assignment]
        _, compiled, batch = self._compiled
        n = x.shape[0]
        if n < batch:
            pad = x.new_zeros((batch - n, *x.shape[1:]))
            x = torch.cat([x, pad]).contiguous(memory_format=self.memory_format)
        with devices.autocast(self.device, self.precision):
            return _logits(compiled(x))[:n].float()

    def inference_model(self) -> nn.Module:
        """The module the masked passes run through: the network with its BatchNorms folded
        and, in bf16, its first convolutions kept in fp32 (see _FULL_PRECISION_SHARE).

        Built on first use and again whenever the network's weights change in place; it shares
        every tensor it does not change with the network. Forward hooks on the network's layers
        see only the classification pass.
        """
        model = self.network.model
        if not self.fold_batchnorm and self.precision != "bf16":
            return model
        key = (id(model), _params_version(model))
        if self._inference is None or self._inference[0] != key:
            self._inference = (key, self._build_inference_model(model))
        return self._inference[1]

    def _build_inference_model(self, model: nn.Module) -> nn.Module:
        size = self.network.info.input_size
        noise = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(0))
        x = self._normalise(noise.to(self.device)).contiguous(memory_format=self.memory_format)
        try:
            pairs = _foldable_pairs(model, x) if self.fold_batchnorm else []
            first = _leading_convolutions(model, x) if self.precision == "bf16" else []
            if not pairs and not first:
                return model
            built = _fold_batchnorm(model, pairs)
            for name in first:
                parent, _, child = name.rpartition(".")
                owner = built.get_submodule(parent)
                setattr(owner, child, _FullPrecision(getattr(owner, child)))
            with torch.inference_mode(), devices.exact_fp32(self.device):
                want = _logits(model(x)).float()
                got = _logits(built(x)).float()
        except Exception:  # a model that cannot be traced or copied runs as it is
            return model
        # A wrong fold changes logits by O(1); float rounding by far less than this.
        ok = bool((got - want).abs().max() <= 1e-4 * float(want.abs().max()) + 1e-6)
        return built if ok else model

    def _predictions(self, logits: torch.Tensor, k: int = 5) -> tuple[Prediction, ...]:
        probs = logits.softmax(-1)
        top = probs.topk(min(k, probs.numel()))
        names = self.network.categories
        return tuple(
            Prediction(int(i), names[int(i)], float(p), float(logits[int(i)]))
            for p, i in zip(top.values, top.indices, strict=True)
        )

    # -- public API ---------------------------------------------------------------------------
    def classify(self, image: Image.Image | np.ndarray) -> tuple[Prediction, ...]:
        """The top-5 classes of the photo, in fp32."""
        x = self._to_tensor(self.prepare(image))
        with torch.inference_mode(), devices.exact_fp32(self.device):
            logits = _logits(self.network.model(self._normalise(x)[None]))[0].float()
        return self._predictions(logits)

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
    ) -> Generator[Progress, None, ScoreCamResult]:
        """Score-CAM as a generator: yields Progress after each batch, returns the result.

        Arguments are checked before anything is computed. Closing the generator (or simply not
        resuming it) stops the job between two batches. Inference mode is entered inside the
        generator, so it holds in whichever thread drives it.
        """
        if weighting not in WEIGHTINGS:
            raise ValueError(f"unknown weighting '{weighting}': use {', '.join(WEIGHTINGS)}")
        if fill not in FILLS:
            raise ValueError(f"unknown fill '{fill}': use {', '.join(FILLS)}")
        if target is not None and not 0 <= target < self.network.num_classes:
            raise NetworkError(f"class {target} is out of range 0..{self.network.num_classes - 1}")
        if approximate is not None and approximate < 1:
            raise ValueError("approximate mode needs at least 1 map")
        module = resolve_layer(self.network, layer)
        layer_name = layer or self.network.default_layer
        rgb = self.prepare(image, center_crop=center_crop)
        return self._run(rgb, module, layer_name, target, weighting, fill, approximate)

    def _normalise(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self._mean) / self._std

    def _run(
        self,
        rgb: np.ndarray,
        module: nn.Module,
        layer_name: str,
        target: int | None,
        weighting: str,
        fill: str,
        approximate: int | None,
    ) -> Generator[Progress, None, ScoreCamResult]:
        t0 = time.perf_counter()
        # Inference mode is entered per step, never across a yield: it is thread-local state that
        # must not leak into the caller between batches.
        with torch.inference_mode():
            x = self._to_tensor(rgb)
            x_norm = self._normalise(x)
            # 1. Classify in fp32 and record the target layer's activations.
            with capture_output(module) as outs, devices.exact_fp32(self.device):
                logits = _logits(self.network.model(x_norm[None]))[0].float()
            if not outs:
                raise NetworkError(f"layer '{layer_name}' did not run in the forward pass")
            acts = outs[-1][0].float()
            if acts.dim() != 3 or acts.shape[1] < 1:
                raise NetworkError(
                    f"layer '{layer_name}' gives {tuple(outs[-1].shape[1:])}: Score-CAM needs a "
                    "C x H x W output"
                )
            del outs
            top5 = self._predictions(logits)
            c = int(logits.argmax()) if target is None else int(target)
            probs0 = logits.softmax(-1)
            target_pred = Prediction(
                c, self.network.categories[c], float(probs0[c]), float(logits[c])
            )
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
                selected[var.topk(approximate).indices] = True
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
            pending_constant = bool(constant.any()) and not approx_active
            n_eval = len(queue) + int(pending_constant)

            # Inputs for the masked passes: black fills the raw RGB, mean the normalised tensor.
            if fill == "black":
                scale, offset = x / self._std, self._mean / self._std
            else:
                scale, offset = x_norm, torch.zeros_like(self._mean)
            scores = torch.full((k_total,), float("nan"), device=self.device)
            buffer = torch.empty((self.batch_size, 3, size, size), device=self.device)
            buffer = buffer.contiguous(memory_format=self.memory_format)

        # Constant maps count as done once their shared input is scored.
        constant_maps = int(constant.sum())
        progress_total = len(chosen) if approx_active else k_total
        maps_done = 0
        batch = self.batch_size
        t_start = time.perf_counter()
        while pending_constant or queue:
            n_maps = min(batch - int(pending_constant), len(queue))
            idx = queue[:n_maps]
            nb = n_maps + int(pending_constant)
            try:
                with torch.inference_mode():
                    out = buffer[:nb]
                    if pending_constant:
                        out[0].copy_(-offset.expand(3, size, size))
                    if n_maps:
                        masks = _normalised_masks(acts[idx], lo[idx], span[idx], size)
                        rest = out[int(pending_constant) :]
                        torch.addcmul(-offset, masks, scale, out=rest)  # masks * scale - offset
                    batch_logits = self._forward(out)
            except (torch.OutOfMemoryError, RuntimeError) as exc:
                if not _is_oom(exc) or batch == 1:
                    raise
                # Halve the batch and go on; finished batches are kept.
                batch = max(1, batch // 2)
                buffer = buffer[:batch]
                if self.device.type == "cuda":
                    torch.cuda.empty_cache()
                continue
            with torch.inference_mode():
                if weighting == "paper":
                    batch_scores = batch_logits[:, c]
                else:
                    batch_scores = batch_logits.softmax(-1)[:, c]
                if pending_constant:
                    scores[constant] = batch_scores[0]
                    maps_done = constant_maps
                    pending_constant = False
                if n_maps:
                    scores[idx] = batch_scores[nb - n_maps :]
                maps_done += sum(len(twins.get(k, ())) for k in idx)
            queue = queue[n_maps:]
            maps_done += n_maps
            yield Progress(maps_done, progress_total, time.perf_counter() - t_start)

        # 3. Weights and the combined map (formed on the small maps, upsampled once).
        with torch.inference_mode():
            if twins:
                dst = [k for ks in twins.values() for k in ks]
                src = [rep for rep, ks in twins.items() for _ in ks]
                scores[dst] = scores[src]
            used = selected if approx_active else selected | constant
            s = scores.masked_fill(~used, float("-inf"))
            if weighting in ("paper", "matlab"):
                # softmax over (s_k - s_baseline): the baseline term cancels exactly.
                w = torch.softmax(s, 0)
            else:
                w = torch.where(used, scores, torch.zeros_like(scores))
            if weighting == "matlab":
                # sum_k w_k M_k with M_k = (U(A_k) - lo_k) / span_k; constant maps give zeros.
                coef = torch.where(varying, w / span.clamp_min(1e-30), torch.zeros_like(w))
                low = (coef[:, None, None] * acts).sum(0)
                cam = _upsample(low[None], size)[0] - (coef * lo).sum()
            else:
                low = (w[:, None, None] * acts).sum(0)
                cam = _upsample(low[None], size)[0]
            saliency = _minmax(cam.clamp_min(0))
        t2 = time.perf_counter()
        scores_np = scores.float().cpu().numpy()
        evaluated = used.cpu().numpy()
        return ScoreCamResult(
            saliency=saliency.cpu().numpy().astype(np.float32),
            scores=np.nan_to_num(scores_np, nan=0.0).astype(np.float32),
            weights=w.float().cpu().numpy().astype(np.float32),
            activations=acts.cpu().numpy().astype(np.float32),
            target=target_pred,
            top5=top5,
            layer=layer_name,
            weighting=weighting,
            fill=fill,
            device=self.device.type,
            precision=self.precision,
            maps_total=k_total,
            maps_evaluated=n_eval,
            timings=Timings(classify=t1 - t0, scorecam=t2 - t1, total=t2 - t0),
            image_rgb=rgb,
            mean=self.network.info.mean,
            std=self.network.info.std,
            approximate=approximate,
            evaluated=evaluated,
        )


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


def _largest_activation(network: Network) -> int:
    """Values in the largest module output for one image (one forward pass, at batch 1)."""
    model = network.model
    largest = 0

    def hook(_m: nn.Module, _i: object, out: object) -> None:
        nonlocal largest
        if isinstance(out, torch.Tensor):
            largest = max(largest, out[0].numel() if out.dim() > 1 else out.numel())

    param = next(itertools.chain(model.parameters(), model.buffers()), None)
    device = param.device if param is not None else torch.device("cpu")
    size = network.info.input_size
    handles = [m.register_forward_hook(hook) for m in model.modules()]
    try:
        with torch.inference_mode():
            model(torch.zeros(1, 3, size, size, device=device))
    finally:
        for h in handles:
            h.remove()
    return largest


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


# -- BatchNorm folding for the masked passes -----------------------------------------------------
# An eval-mode BatchNorm right after a convolution is an affine map per channel: folded into the
# convolution's weights it costs nothing, where on its own it is one more pass over a large
# activation (measured on this project's CPU: EfficientNet-Lite0 -25% in fp32, -6% in bf16;
# MobileNet-v2 -40%; ResNet-18 -4%). The answer is the same up to float rounding.

# Convolution types whose forward is a plain convolution with self.weight and self.bias.
_PLAIN_CONV_FORWARDS = (nn.Conv2d.forward, _Conv2dSameStrided.forward)


def _leaves(obj: object) -> Iterator[object]:
    if isinstance(obj, list | tuple):
        for item in obj:
            yield from _leaves(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _leaves(item)
    else:
        yield obj


class _ConvOutputReads(TorchFunctionMode):
    """Counts the torch calls that read each convolution's output, except inside BatchNorms.

    Outputs are held by weak references: the trace keeps no activation alive, and a new tensor
    that reuses a dead one's id is not mistaken for it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.outputs: dict[int, tuple[weakref.ref[torch.Tensor], str]] = {}
        self.reads: dict[str, int] = {}
        self.in_batchnorm = 0

    def watch(self, t: torch.Tensor, conv: str) -> None:
        self.outputs[id(t)] = (weakref.ref(t), conv)
        self.reads[conv] = 0

    def producer(self, t: object) -> str | None:
        entry = self.outputs.get(id(t))
        return entry[1] if entry is not None and entry[0]() is t else None

    def __torch_function__(
        self,
        func: Callable[..., object],
        types: object,
        args: tuple[object, ...] = (),
        kwargs: dict[str, object] | None = None,
    ) -> object:
        kwargs = kwargs or {}
        if not self.in_batchnorm:
            for leaf in _leaves((args, kwargs)):
                conv = self.producer(leaf) if isinstance(leaf, torch.Tensor) else None
                if conv is not None:
                    self.reads[conv] += 1
        return func(*args, **kwargs)


def _foldable_pairs(model: nn.Module, x: torch.Tensor) -> list[tuple[str, str]]:
    """(convolution, BatchNorm) names where the BatchNorm is the convolution's only reader.

    Found by running the model once: each module must run once, the BatchNorm's input must be the
    very tensor the convolution returned, and no other torch call may read that tensor.
    """
    convs = {
        n: m
        for n, m in model.named_modules()
        if isinstance(m, nn.Conv2d) and type(m).forward in _PLAIN_CONV_FORWARDS
    }
    bns = {
        n: m
        for n, m in model.named_modules()
        if type(m).forward is nn.BatchNorm2d.forward
        and isinstance(m, nn.BatchNorm2d)
        and not m.training
        and m.running_mean is not None
        and m.running_var is not None
    }
    if not bns:
        return []
    calls: dict[str, int] = {}
    source: dict[str, str | None] = {}  # BatchNorm -> the convolution whose output it read
    reads = _ConvOutputReads()

    def on_conv(name: str) -> Callable[..., None]:
        def hook(_m: nn.Module, _i: object, out: object) -> None:
            calls[name] = calls.get(name, 0) + 1
            if isinstance(out, torch.Tensor):
                reads.watch(out, name)

        return hook

    def before_bn(name: str) -> Callable[..., None]:
        def hook(_m: nn.Module, inputs: tuple[object, ...]) -> None:
            calls[name] = calls.get(name, 0) + 1
            source[name] = reads.producer(inputs[0]) if inputs else None
            reads.in_batchnorm += 1

        return hook

    def after_bn(_m: nn.Module, _i: object, _o: object) -> None:
        reads.in_batchnorm -= 1

    handles = [m.register_forward_hook(on_conv(n)) for n, m in convs.items()]
    for n, m in bns.items():
        handles.append(m.register_forward_pre_hook(before_bn(n)))
        handles.append(m.register_forward_hook(after_bn))
    try:
        with torch.inference_mode(), reads:
            model(x)
    finally:
        for h in handles:
            h.remove()
    return [
        (conv, bn)
        for bn, conv in source.items()
        if conv is not None
        and calls[conv] == calls[bn] == 1
        and reads.reads[conv] == 0
        and convs[conv].out_channels == bns[bn].num_features
    ]


def _fold_batchnorm(model: nn.Module, pairs: list[tuple[str, str]]) -> nn.Module:
    """A copy of `model` with each BatchNorm folded into its convolution.

    The copy shares every tensor it does not change with `model` (no second set of weights).
    """
    shared = {id(t): t for t in itertools.chain(model.parameters(), model.buffers())}
    folded = copy.deepcopy(model, shared)
    for conv_name, bn_name in pairs:
        conv = folded.get_submodule(conv_name)
        bn = folded.get_submodule(bn_name)
        w = conv.weight
        # float64 so that folding adds no rounding of its own.
        scale = torch.rsqrt(bn.running_var.double() + bn.eps)
        if bn.weight is not None:
            scale = scale * bn.weight.double()
        shift = -bn.running_mean.double() * scale
        if bn.bias is not None:
            shift = shift + bn.bias.double()
        if conv.bias is not None:
            shift = shift + conv.bias.double() * scale
        new_w = torch.empty_like(w).copy_(w.double() * scale.view(-1, 1, 1, 1))  # keeps layout
        conv.weight = nn.Parameter(new_w, requires_grad=False)
        conv.bias = nn.Parameter(shift.to(w.dtype), requires_grad=False)
        parent, _, child = bn_name.rpartition(".")
        setattr(folded.get_submodule(parent), child, nn.Identity())
    return folded.eval()


# bf16 keeps 8 significant bits. Rounding errors made in the first layers pass through all the
# others, and cost least to avoid there: the leading convolutions that together do at most this
# share of the network's convolution work run in fp32. EfficientNet-Lite0 on chelsea (black fill):
# map correlation with fp32 0.9985 -> 0.9994 (the stem and block 0, 5.4% of the work); ResNet-18
# keeps all in bf16 (its first convolution alone is 6.5%).
_FULL_PRECISION_SHARE = 0.06


class _FullPrecision(nn.Module):
    """Runs a module in fp32 inside an autocast region."""

    def __init__(self, module: nn.Module) -> None:
        super().__init__()
        self.module = module

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        with torch.autocast(device_type=x.device.type, enabled=False):
            return self.module(x.float())


def _leading_convolutions(model: nn.Module, x: torch.Tensor) -> list[str]:
    """The first convolutions, in running order, within _FULL_PRECISION_SHARE of all their work."""
    work: list[tuple[str, int]] = []

    def on_conv(name: str) -> Callable[..., None]:
        def hook(m: nn.Module, _i: object, out: object) -> None:
            if isinstance(out, torch.Tensor) and isinstance(m, nn.Conv2d):
                macs = out[0].numel() * m.in_channels // m.groups * math.prod(m.kernel_size)
                work.append((name, macs))

        return hook

    handles = [
        m.register_forward_hook(on_conv(n))
        for n, m in model.named_modules()
        if isinstance(m, nn.Conv2d) and n
    ]
    try:
        with torch.inference_mode():
            model(x)
    finally:
        for h in handles:
            h.remove()
    total = sum(macs for _, macs in work)
    first: list[str] = []
    done = 0
    for name, macs in work:
        done += macs
        if done > _FULL_PRECISION_SHARE * total or name in first:
            break
        first.append(name)
    return first


def _params_version(model: nn.Module) -> int:
    # In-place changes (load_state_dict, copy_) bump a tensor's version counter.
    return sum(t._version for t in itertools.chain(model.parameters(), model.buffers()))


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
