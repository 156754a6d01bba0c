"""One name per explanation method, and one call that makes any of them: what the faithfulness
protocols (pointing_game.py, sanity.py) compare.

Methods: Score-CAM's three weightings (`scorecam-paper`, `scorecam-matlab`, `scorecam-reference`,
black fill), Grad-CAM, Grad-CAM++, and `noise`: a map of uniform random numbers, seeded, that knows
nothing about the photo (the chance baseline of every protocol).
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from .gradcam import run_gradcam
from .scorecam import Explainer, Progress

__all__ = ["METHODS", "METHOD_TITLES", "run_method"]

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
