"""The new last layer: multinomial logistic regression on the frozen features, fitted whole-batch
with L-BFGS, its L2 penalty chosen by cross-validation on the training photos only.

The features are standardised for the fit (each channel to mean 0, spread 1, so one penalty suits
every channel and L-BFGS converges in tens of steps), and the standardisation is folded back into
the weights, so the result is a plain `Linear(D, K)` on the network's own features. The held-out
photos never take part in choosing anything.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .features import TeachProgress

__all__ = ["PENALTIES", "LinearLayer", "fit_linear", "predict_proba"]

# L2 penalties tried (on the mean loss, standardised features): from barely any to strong. With a
# few dozen photos a class and 1280 channels, the data are separable and the penalty is what
# keeps the layer from trusting a handful of channels.
PENALTIES: tuple[float, ...] = (1e-4, 1e-3, 1e-2, 1e-1)
_FOLDS = 3
_STEP_ITERATIONS = 25  # L-BFGS iterations between two progress reports
_MAX_ITERATIONS = 500


@dataclass(frozen=True)
class LinearLayer:
    """The fitted layer on the raw features: logits = features @ weight.T + bias."""

    weight: np.ndarray  # (K, D) float32
    bias: np.ndarray  # (K,) float32
    penalty: float  # the L2 penalty cross-validation chose
    iterations: int  # L-BFGS iterations of the final fit


def predict_proba(layer: LinearLayer, features: np.ndarray) -> np.ndarray:
    """Each photo's probability for each class, (N, K)."""
    logits = torch.from_numpy(features.astype(np.float64)) @ torch.from_numpy(
        layer.weight.astype(np.float64)
    ).T + torch.from_numpy(layer.bias.astype(np.float64))
    return logits.softmax(1).numpy()


def _lbfgs(
    x: torch.Tensor, y: torch.Tensor, k: int, penalty: float
) -> tuple[torch.Tensor, torch.Tensor, int]:
    """Minimise mean cross-entropy + penalty/2 * |W|^2 (the bias is not penalised)."""
    w = torch.zeros(k, x.shape[1], dtype=x.dtype, requires_grad=True)
    b = torch.zeros(k, dtype=x.dtype, requires_grad=True)
    opt = torch.optim.LBFGS(
        [w, b],
        lr=1.0,
        max_iter=_MAX_ITERATIONS,
        history_size=20,
        tolerance_grad=1e-7,
        tolerance_change=1e-10,
        line_search_fn="strong_wolfe",
    )

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = F.cross_entropy(x @ w.T + b, y) + 0.5 * penalty * (w * w).sum()
        loss.backward()  # type: ignore[no-untyped-call]
        return loss

    with torch.enable_grad():  # a caller's inference mode must not switch the gradients off
        opt.step(closure)  # type: ignore[no-untyped-call]
    return w.detach(), b.detach(), int(opt.state[w]["n_iter"])


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(0)
    std = x.std(0)
    return mean, np.where(std > 1e-6, std, 1.0)


def _folds(labels: np.ndarray, folds: int, seed: int) -> list[np.ndarray]:
    """Stratified folds: each class's photos dealt out in turn after a seeded shuffle."""
    rng = np.random.default_rng(seed)
    fold_of = np.empty(len(labels), dtype=np.int64)
    for c in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == c))
        fold_of[members] = np.arange(len(members)) % folds
    return [np.flatnonzero(fold_of == f) for f in range(folds)]


def _fit_one(
    x: np.ndarray, y: np.ndarray, k: int, penalty: float
) -> tuple[np.ndarray, np.ndarray, int]:
    mean, std = _standardise(x)
    xs = torch.from_numpy((x - mean) / std)
    w, b, iterations = _lbfgs(xs, torch.from_numpy(y), k, penalty)
    weight = w.numpy() / std  # fold the standardisation back: W' x = W (x - mean) / std
    bias = b.numpy() - weight @ mean
    return weight, bias, iterations


def fit_linear(
    features: np.ndarray,
    labels: np.ndarray,
    n_classes: int,
    seed: int = 0,
    penalties: Sequence[float] = PENALTIES,
) -> Generator[TeachProgress, None, LinearLayer]:
    """Fit the layer on the training photos' features and labels, yielding progress after each
    fit (the cross-validation's, then the final one; each takes a fraction of a second). Ties in
    cross-validated accuracy go to the stronger penalty, the safer choice with few photos."""
    x = features.astype(np.float64)
    y = labels.astype(np.int64)
    smallest = int(np.bincount(y, minlength=n_classes).min())
    folds = _folds(y, min(_FOLDS, smallest), seed) if smallest >= 2 and len(penalties) > 1 else []
    steps = len(penalties) * len(folds) + 1 if folds else 1
    start = time.perf_counter()
    step = 0
    best, best_accuracy = max(penalties), -1.0
    for penalty in sorted(penalties, reverse=True) if folds else []:
        right = 0
        for held in folds:
            keep = np.setdiff1d(np.arange(len(y)), held)
            weight, bias, _ = _fit_one(x[keep], y[keep], n_classes, penalty)
            right += int(((x[held] @ weight.T + bias).argmax(1) == y[held]).sum())
            step += 1
            yield TeachProgress(step, steps, time.perf_counter() - start, stage="fit")
        if right / len(y) > best_accuracy:
            best, best_accuracy = penalty, right / len(y)
    weight, bias, iterations = _fit_one(x, y, n_classes, best)
    yield TeachProgress(steps, steps, time.perf_counter() - start, stage="fit")
    return LinearLayer(weight.astype(np.float32), bias.astype(np.float32), best, iterations)
