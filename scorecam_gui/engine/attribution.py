"""One name per explanation method, and one call that makes any of them: what the faithfulness
protocols (pointing_game.py, sanity.py) compare.

Methods: Score-CAM's three weightings (`scorecam-paper`, `scorecam-matlab`, `scorecam-reference`,
black fill), Grad-CAM, Grad-CAM++, and `noise`: a map of uniform random numbers, seeded, that knows
nothing about the photo (the chance baseline of every protocol).
"""

from __future__ import annotations

import time
from collections.abc import Generator, Sequence
from typing import NamedTuple

import numpy as np

from .gradcam import run_gradcam
from .scorecam import Explainer, Progress

__all__ = ["METHODS", "METHOD_TITLES", "MethodMap", "check_methods", "run_method", "run_methods"]

METHODS: tuple[str, ...] = (
    "scorecam-paper",
    "scorecam-matlab",
    "scorecam-reference",
    "gradcam",
    "gradcam++",
    "noise",
)
METHOD_TITLES = {
    "scorecam-paper": "Score-CAM (paper)",
    "scorecam-matlab": "Score-CAM (matlab)",
    "scorecam-reference": "Score-CAM (reference)",
    "gradcam": "Grad-CAM",
    "gradcam++": "Grad-CAM++",
    "noise": "Noise (chance)",
}


def check_methods(methods: Sequence[str], known: Sequence[str] = METHODS) -> None:
    """ValueError (one line) unless `methods` are at least one, all in `known`."""
    unknown = [m for m in methods if m not in known]
    if unknown:
        raise ValueError(f"unknown method '{unknown[0]}': use {', '.join(known)}")
    if not methods:
        raise ValueError("no method to compare")


def run_method(
    explainer: Explainer,
    rgb: np.ndarray,
    method: str,
    target: int,
    layer: str | None = None,
    seed: int = 0,
) -> Generator[Progress, None, np.ndarray]:
    """The map (S, S) float32 in [0, 1] of `method` for class `target` of the prepared photo
    `rgb` (S, S, 3) uint8, as a generator of the method's own progress. `seed` is used by
    `noise` only."""
    if method not in METHODS:
        raise ValueError(f"unknown method '{method}': use {', '.join(METHODS)}")
    if method.startswith("scorecam-"):
        weighting = method.split("-", 1)[1]
        result = yield from explainer.run(rgb, layer=layer, target=target, weighting=weighting)
        return result.saliency
    if method == "noise":
        size = rgb.shape[0]
        yield Progress(1, 1, 0.0)
        return np.random.default_rng(seed).random((size, size)).astype(np.float32)
    grad = yield from run_gradcam(explainer, rgb, layer, target, method)
    return grad.saliency


class MethodMap(NamedTuple):
    saliency: np.ndarray  # (S, S) float32 in [0, 1]
    seconds: float  # time to make it; Score-CAM's weightings each give their shared run's


def run_methods(
    explainer: Explainer,
    rgb: np.ndarray,
    methods: Sequence[str],
    target: int,
    layer: str | None = None,
    seed: int = 0,
) -> Generator[Progress, None, dict[str, MethodMap]]:
    """Every method's map (as run_method makes it), with Score-CAM's weightings from one set of
    masked passes (Explainer.run_weightings): three weightings cost one. Yields each step's
    own progress; returns {method: MethodMap}, in the order of `methods`."""
    check_methods(methods)
    made: dict[str, MethodMap] = {}
    weightings = [m.split("-", 1)[1] for m in methods if m.startswith("scorecam-")]
    if weightings:
        t0 = time.perf_counter()
        results = yield from explainer.run_weightings(rgb, weightings, layer=layer, target=target)
        seconds = time.perf_counter() - t0
        made.update({f"scorecam-{w}": MethodMap(r.saliency, seconds) for w, r in results.items()})
    for method in methods:
        if method not in made:
            t0 = time.perf_counter()
            saliency = yield from run_method(explainer, rgb, method, target, layer, seed)
            made[method] = MethodMap(saliency, time.perf_counter() - t0)
    return {m: made[m] for m in methods}
