"""How faithful is a saliency map? The Score-CAM paper's measures, for any map of any method.

For a map L (S x S, in [0, 1], at the network's input size), the photo I as the network sees it,
and a class c, with Y = softmax probability of c for I:

- Average Drop / Average Increase (paper, Table 1): the explanation map E = L * I is scored again
  (O = probability of c for E). Per photo: drop = max(0, Y - O) / Y and increase = O > Y;
  `average_drop` and `average_increase` give the means over photos in %.
  E uses Score-CAM's `black` convention: the raw RGB pixels are multiplied, then normalised.
- Deletion and Insertion (paper, Table 3, after RISE): pixels are removed from I (set to black
  in raw RGB, as the `black` fill does), or added to a canvas, in order of decreasing map value,
  `steps` equal shares of the pixels at a time; the probability of c is scored at every step and
  the area under that curve (trapezoid, x = share of pixels from 0 to 1) is the score. Lower is
  better for deletion, higher for insertion. The insertion canvas is, by default, the photo
  blurred as in RISE (Gaussian, 11 x 11, sigma 5; edges replicated so a flat photo stays flat);
  `insertion_start="black"` starts from black instead. Equal map values are ordered by a fixed
  pseudo-random permutation (seed 0): deterministic, and flat regions (common after Grad-CAM's
  ReLU) are not removed top row first.
- Energy-based pointing game (paper, Table 2): the share of the map's mass inside a box
  (x0, y0, x1, y1) in input pixels, half-open like a PIL crop box.

The scored images run in batches with the Explainer's device, precision and batch size (halving
the batch on out-of-memory), in inference mode entered per batch, as a generator that yields
Progress (images scored) after each batch. `evaluate_map` runs it to the end. Y is scored in the
same batches and precision as every other image, so all comparisons are like for like.
"""

from __future__ import annotations

import math
import time
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from ...choices import DEFAULT_STEPS, INSERTION_STARTS
from ..explainer import Explainer
from ..imaging import resize_map
from ..progress import Progress, run_to_end

__all__ = [
    "DEFAULT_STEPS",
    "INSERTION_STARTS",
    "Curve",
    "MapMetrics",
    "Summary",
    "auc",
    "average_drop",
    "average_increase",
    "energy_pointing",
    "evaluate_map",
    "pixel_counts",
    "run_metrics",
    "summarise",
]

BLUR_SIZE, BLUR_SIGMA = 11, 5.0  # RISE's insertion canvas
TIE_SEED = 0

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Curve:
    """Probability of the class against the share of pixels removed (deletion) or added."""

    fractions: np.ndarray  # (steps + 1,) float64 from 0 to 1
    probabilities: np.ndarray  # (steps + 1,) float64
    auc: float


@dataclass(frozen=True)
class MapMetrics:
    """Every faithfulness measure of one map for one photo and class."""

    target: int
    probability: float  # Y: probability of the class for the photo
    explanation_probability: float  # O: for the explanation map E = map * photo
    drop: float  # max(0, Y - O) / Y, a fraction (0..1)
    increase: bool  # O > Y
    deletion: Curve
    insertion: Curve
    energy: float | None  # share of the map's mass in the box; None without a box
    steps: int
    insertion_start: str
    device: str
    precision: str
    seconds: float


@dataclass(frozen=True)
class Summary:
    """Means over photos, as the paper's tables give them."""

    count: int
    average_drop: float  # %
    average_increase: float  # %
    deletion: float  # mean AUC
    insertion: float  # mean AUC
    energy: float | None  # mean over the photos that had a box


def average_drop(drops: Iterable[float]) -> float:
    """Average Drop in %: the mean of per-photo max(0, Y - O) / Y, times 100."""
    values = [float(d) for d in drops]
    return 100.0 * sum(values) / len(values) if values else math.nan


def average_increase(increases: Iterable[bool]) -> float:
    """Average Increase in Confidence in %: the share of photos with O > Y, times 100."""
    values = [bool(i) for i in increases]
    return 100.0 * sum(values) / len(values) if values else math.nan


def summarise(results: Sequence[MapMetrics]) -> Summary:
    """The paper's per-method numbers over a set of photos."""
    n = len(results)
    energies = [r.energy for r in results if r.energy is not None and not math.isnan(r.energy)]
    return Summary(
        count=n,
        average_drop=average_drop(r.drop for r in results),
        average_increase=average_increase(r.increase for r in results),
        deletion=float(np.mean([r.deletion.auc for r in results])) if n else math.nan,
        insertion=float(np.mean([r.insertion.auc for r in results])) if n else math.nan,
        energy=float(np.mean(energies)) if energies else None,
    )


def auc(fractions: np.ndarray, probabilities: np.ndarray) -> float:
    """Area under a curve by the trapezoid rule."""
    x = np.asarray(fractions, np.float64)
    y = np.asarray(probabilities, np.float64)
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2.0)


def pixel_counts(n_pixels: int, steps: int) -> np.ndarray:
    """Pixels removed (or added) after step i = 0..steps: round(i * N / steps)."""
    i = np.arange(steps + 1, dtype=np.int64)
    return (i * n_pixels + steps // 2) // steps


def energy_pointing(saliency: np.ndarray, box: Box) -> float:
    """Energy-based pointing game: sum of the map inside box / sum of the map (NaN if all zero).

    box = (x0, y0, x1, y1) in the map's pixels, half-open, clipped to the map. Negative values
    count as zero.
    """
    values = np.clip(np.nan_to_num(np.asarray(saliency, np.float64)), 0, None)
    if values.ndim != 2:
        raise ValueError(f"saliency must be a 2-D array, got shape {values.shape}")
    x0, y0, x1, y1 = _check_box(box)
    total = values.sum()
    if total <= 0:
        return math.nan
    h, w = values.shape
    inside = values[max(0, y0) : min(h, y1), max(0, x0) : min(w, x1)].sum()
    return float(inside / total)


def _check_box(box: Box) -> Box:
    if len(box) != 4:
        raise ValueError(f"a box is (x0, y0, x1, y1), got {box!r}")
    x0, y0, x1, y1 = (int(v) for v in box)
    if x1 <= x0 or y1 <= y0:
        raise ValueError(f"the box {box!r} is empty: it needs x0 < x1 and y0 < y1")
    return x0, y0, x1, y1


def run_metrics(
    explainer: Explainer,
    image: Image.Image | np.ndarray,
    saliency: np.ndarray,
    target: int | None = None,
    steps: int = DEFAULT_STEPS,
    insertion_start: str = "blur",
    box: Box | None = None,
    center_crop: bool = False,
) -> Generator[Progress, None, MapMetrics]:
    """All metrics of one map as a generator: yields Progress after each batch of scored images.

    `saliency` is resized bilinearly to the input size if it has another shape, and clipped to
    [0, 1]. `target` defaults to the predicted class. Arguments are checked before any work;
    closing the generator cancels between batches.
    """
    size = explainer.network.info.input_size
    n_pixels = size * size
    if not 1 <= steps <= n_pixels:
        raise ValueError(f"steps must be between 1 and {n_pixels}, got {steps}")
    if insertion_start not in INSERTION_STARTS:
        raise ValueError(
            f"unknown insertion start '{insertion_start}': use {', '.join(INSERTION_STARTS)}"
        )
    explainer.network.check_target(target)
    if box is not None:
        box = _check_box(box)
    values = np.asarray(saliency)
    if values.ndim != 2 or values.size == 0:
        raise ValueError(f"saliency must be a non-empty 2-D array, got shape {values.shape}")
    if values.shape != (size, size):
        values = resize_map(values, size, size)
    values = np.clip(np.nan_to_num(values.astype(np.float32)), 0.0, 1.0)
    rgb = explainer.prepare(image, center_crop=center_crop)
    return _run(explainer, rgb, values, target, steps, insertion_start, box)


def evaluate_map(
    explainer: Explainer,
    image: Image.Image | np.ndarray,
    saliency: np.ndarray,
    **kwargs: object,
) -> MapMetrics:
    """run_metrics to the end."""
    return run_to_end(run_metrics(explainer, image, saliency, **kwargs))  # type: ignore[arg-type]


def _removal_order(values: np.ndarray) -> np.ndarray:
    """Pixel indices by decreasing value; ties in a fixed pseudo-random order."""
    flat = values.ravel()
    perm = np.random.default_rng(TIE_SEED).permutation(flat.size)
    return perm[np.argsort(-flat[perm], kind="stable")]


def _gaussian_blur(
    x: torch.Tensor, size: int = BLUR_SIZE, sigma: float = BLUR_SIGMA
) -> torch.Tensor:
    """(3, H, W) -> (3, H, W), separable Gaussian with replicated edges."""
    r = size // 2
    t = torch.arange(size, dtype=torch.float32, device=x.device) - r
    k = torch.exp(-(t * t) / (2 * sigma * sigma))
    k = k / k.sum()
    y = F.pad(x[None], (r, r, r, r), mode="replicate")
    y = F.conv2d(y, k.view(1, 1, 1, size).expand(3, 1, 1, size).contiguous(), groups=3)
    y = F.conv2d(y, k.view(1, 1, size, 1).expand(3, 1, size, 1).contiguous(), groups=3)
    return y[0]


def _run(
    explainer: Explainer,
    rgb: np.ndarray,
    values: np.ndarray,
    target: int | None,
    steps: int,
    insertion_start: str,
    box: Box | None,
) -> Generator[Progress, None, MapMetrics]:
    t0 = time.perf_counter()
    size = rgb.shape[0]
    n_pixels = size * size
    dev = explainer.device
    if target is None:
        target = explainer.classify(rgb)[0].index
    c = int(target)
    counts = pixel_counts(n_pixels, steps)
    with torch.inference_mode():
        x = explainer.inference.to_tensor(rgb)  # raw RGB in [0, 1]
        # rank[p]: when pixel p goes (deletion) or comes (insertion); < n means "already".
        rank_np = np.empty(n_pixels, np.int64)
        rank_np[_removal_order(values)] = np.arange(n_pixels)
        rank = torch.from_numpy(rank_np).to(dev).view(1, size, size)
        sal = torch.from_numpy(values).to(dev)
        canvas = _gaussian_blur(x) if insertion_start == "blur" else torch.zeros_like(x)

    # The images to score, in order: the photo, E, deletion steps 1..steps (step 0 is the
    # photo), insertion steps 0..steps-1 (the last step is the photo).
    jobs: list[tuple[str, int]] = [("photo", 0), ("explanation", 0)]
    jobs += [("delete", int(n)) for n in counts[1:]]
    jobs += [("insert", int(n)) for n in counts[:-1]]

    def build(kind: str, n: int, out: torch.Tensor) -> None:
        if kind == "photo":
            out.copy_(x)
        elif kind == "explanation":
            torch.mul(x, sal, out=out)
        elif kind == "delete":
            torch.mul(x, rank >= n, out=out)  # removed pixels are black
        else:
            torch.where(rank < n, x, canvas, out=out)

    runner = explainer.inference

    def images(out: torch.Tensor, start: int, stop: int) -> None:
        for j in range(start, stop):
            build(*jobs[j], out[j - start])
        out.sub_(runner.mean).div_(runner.std)  # normalised, in place

    probs = np.empty(len(jobs), np.float64)
    t_start = time.perf_counter()
    for start, stop, logits in runner.batches(len(jobs), images):
        with torch.inference_mode():
            probs[start:stop] = logits.softmax(-1)[:, c].double().cpu().numpy()
        yield Progress(stop, len(jobs), time.perf_counter() - t_start)

    y, o = float(probs[0]), float(probs[1])
    fractions = counts.astype(np.float64) / n_pixels
    deletion = np.concatenate([[y], probs[2 : 2 + steps]])
    insertion = np.concatenate([probs[2 + steps :], [y]])
    return MapMetrics(
        target=c,
        probability=y,
        explanation_probability=o,
        drop=max(0.0, y - o) / y if y > 0 else 0.0,
        increase=o > y,
        deletion=Curve(fractions, deletion, auc(fractions, deletion)),
        insertion=Curve(fractions.copy(), insertion, auc(fractions, insertion)),
        energy=energy_pointing(values, box) if box is not None else None,
        steps=steps,
        insertion_start=insertion_start,
        device=dev.type,
        precision=explainer.precision,
        seconds=time.perf_counter() - t0,
    )
