"""The noise map: uniform random numbers, seeded, that know nothing about the photo. The chance
baseline of every faithfulness protocol (a method that scores like it explains nothing)."""

from __future__ import annotations

import time
from collections.abc import Generator

import numpy as np
import torch

from ..progress import Progress
from .base import LayerMethod, MethodRequest, MethodResult, Runner, finish
from .catalog import info

__all__ = ["Noise", "method"]


class Noise(LayerMethod):
    def run(
        self, runner: Runner, rgb: np.ndarray, request: MethodRequest
    ) -> Generator[Progress, None, MethodResult]:
        """The map of random numbers (the class comes from one classifying pass)."""
        self.check(runner, request)
        t0 = time.perf_counter()
        with torch.inference_mode():
            inference = runner.inference
            logits = inference.exact_logits(inference.normalise(inference.to_tensor(rgb))[None])[0]
            c = int(logits.argmax()) if request.target is None else int(request.target)
            top5, pred = runner.predictions(logits), runner.prediction(logits, c)
        size = rgb.shape[0]
        saliency = np.random.default_rng(request.seed).random((size, size)).astype(np.float32)
        yield Progress(1, 1, time.perf_counter() - t0)
        layer = request.layer or runner.network.default_layer
        return finish(self.info, runner, rgb, layer, saliency, pred, top5, t0, 1)


def method() -> Noise:
    return Noise(info("noise"))
