"""The classifying pass every activation-based method starts with: the photo's logits in exact
fp32 and the target layer's activations, recorded by a forward hook."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..hooks import capture_output
from ..models.types import NetworkError
from ..prediction import Prediction
from ..tokens import as_maps
from ..trust import softmax_entropy_bits
from .base import Runner

__all__ = ["NOT_FINITE", "Captured", "capture"]

NOT_FINITE = (
    "the network's scores for this photo are not numbers (NaN or infinite): its weights or its "
    "normalisation (mean, std) hold NaN, infinite or zero values"
)


@dataclass(frozen=True)
class Captured:
    """The classifying pass: the input, the target, and the layer's activations."""

    x: torch.Tensor  # (3, S, S) in [0, 1]
    x_norm: torch.Tensor  # normalised
    acts: torch.Tensor  # (K, h, w) float32
    top5: tuple[Prediction, ...]
    target: Prediction
    entropy: float  # of the photo's softmax, in bits (engine/trust.py)
    logits: torch.Tensor  # (C,) the photo's exact fp32 logits
    seconds: float = 0.0  # the classifying pass's time (the record's seconds_classify)


def capture(
    runner: Runner, rgb: np.ndarray, module: nn.Module, layer_name: str, target: int | None
) -> Captured:
    """Classify in fp32 and record the target layer's activations (call in inference mode)."""
    t0 = time.perf_counter()
    inference = runner.inference
    x = inference.to_tensor(rgb)
    x_norm = inference.normalise(x)
    with capture_output(module) as outs:
        logits = inference.exact_logits(x_norm[None])[0]
    if not outs:
        raise NetworkError(f"layer '{layer_name}' did not run in the forward pass")
    if not bool(torch.isfinite(logits).all()):
        raise ValueError(NOT_FINITE)
    acts = as_maps(outs[-1])[0].float()  # transformer tokens as (C, h, w) maps
    if acts.dim() != 3 or acts.shape[0] < 1:
        raise NetworkError(
            f"layer '{layer_name}' gives {tuple(outs[-1].shape[1:])}: this method needs a "
            "C x H x W output"
        )
    c = int(logits.argmax()) if target is None else int(target)
    entropy = softmax_entropy_bits(logits.float().cpu().numpy())
    top5, chosen = runner.predictions(logits), runner.prediction(logits, c)
    return Captured(x, x_norm, acts, top5, chosen, entropy, logits, time.perf_counter() - t0)
