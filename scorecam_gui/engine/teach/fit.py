"""The new last layer: multinomial logistic regression on the frozen features, fitted whole-batch
with L-BFGS (written out here, its products in torch: a few hundred photos fit in well under a
second), its L2 penalty chosen by cross-validation on the training photos only.

The features are standardised for the fit (each channel to mean 0, spread 1, so one penalty suits
every channel and L-BFGS converges in tens of steps), and the standardisation is folded back into
the weights, so the result is a plain `Linear(D, K)` on the network's own features. The held-out
photos never take part in choosing anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .features import TeachProgress

__all__ = ["PENALTIES", "LinearLayer", "fit_linear", "predict_proba"]

# L2 penalties tried (on the mean loss, standardised features): from barely any to strong. With a
# few dozen photos a class and 1280 channels, the data are separable and the penalty is what
# keeps the layer from trusting a handful of channels.
PENALTIES: tuple[float, ...] = (1e-3, 1e-2, 1e-1, 1.0)
_FOLDS = 3
_MAX_ITERATIONS = 300  # weak penalties on separable classes converge slowly: enough is enough
_MEMORY = 20  # L-BFGS's pairs kept
_GRADIENT_TOLERANCE = 1e-6
_LOSS_TOLERANCE = 1e-10


@dataclass(frozen=True)
class LinearLayer:
    """The fitted layer on the raw features: logits = features @ weight.T + bias."""

    weight: np.ndarray  # (K, D) float32
    bias: np.ndarray  # (K,) float32
    penalty: float  # the L2 penalty cross-validation chose
    iterations: int  # L-BFGS iterations of the final fit


def predict_proba(layer: LinearLayer, features: np.ndarray) -> np.ndarray:
    """Each photo's probability for each class, (N, K)."""
    z = features.astype(np.float64) @ layer.weight.T.astype(np.float64) + layer.bias
    z -= z.max(1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(1, keepdims=True)


def _loss_and_gradient(
    theta: np.ndarray, x: torch.Tensor, onehot: torch.Tensor, penalty: float
) -> tuple[float, np.ndarray]:
    """Mean cross-entropy + penalty/2 * |W|^2 (the bias is not penalised), and its gradient;
    theta is W (K x D, row by row) followed by b (K). The products run in torch, whose threads
    follow the entry points' OpenMP policy (numpy's BLAS threads were 4x slower with other
    processes busy)."""
    n, d = x.shape
    k = onehot.shape[1]
    t = torch.from_numpy(theta)
    w = t[: k * d].view(k, d)
    log_p = torch.log_softmax(torch.addmm(t[k * d :], x, w.T), 1)
    loss = -float((onehot * log_p).sum()) / n + 0.5 * penalty * float((w * w).sum())
    diff = (log_p.exp() - onehot) / n
    gradient = torch.cat([(diff.T @ x).add_(w, alpha=penalty).ravel(), diff.sum(0)])
    return loss, gradient.numpy()


def _lbfgs(
    fun: Callable[[np.ndarray], tuple[float, np.ndarray]], theta: np.ndarray
) -> tuple[np.ndarray, int]:
    """Minimise a smooth convex function by L-BFGS (Nocedal and Wright, algorithm 7.4) with a
    backtracking line search; returns the minimum and the iterations it took. Written out here
    (40 lines) because torch.optim's imports pull in torch._dynamo: seconds and 180 MB."""
    f, g = fun(theta)
    pairs: list[tuple[np.ndarray, np.ndarray, float]] = []  # (s, y, 1 / y.s), newest last
    iterations = 0
    while iterations < _MAX_ITERATIONS and float(np.abs(g).max()) >= _GRADIENT_TOLERANCE:
        iterations += 1
        q = g.copy()
        alphas = []
        for s, y, rho in reversed(pairs):
            a = rho * float(s @ q)
            q -= a * y
            alphas.append(a)
        if pairs:
            s, y, _ = pairs[-1]
            q *= float(s @ y) / float(y @ y)
        else:
            q /= max(1.0, float(np.linalg.norm(g)))
        for (s, y, rho), a in zip(pairs, reversed(alphas), strict=True):
            q += s * (a - rho * float(y @ q))
        direction = -q
        slope = float(g @ direction)
        if slope >= 0:  # not a descent direction (rounding): start again from the gradient
            pairs.clear()
            direction, slope = -g, -float(g @ g)
        step = 1.0
        while True:
            new = theta + step * direction
            f_new, g_new = fun(new)
            if f_new <= f + 1e-4 * step * slope or step < 1e-12:
                break
            step *= 0.5
        s, y = new - theta, g_new - g
        if float(y @ s) > 1e-12:
            pairs = [*pairs[-(_MEMORY - 1) :], (s, y, 1.0 / float(y @ s))]
        converged = f - f_new <= _LOSS_TOLERANCE * max(1.0, abs(f))
        theta, f, g = new, f_new, g_new
        if converged:
            break
    return theta, iterations


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
    x: np.ndarray, y: np.ndarray, k: int, penalty: float, start: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    """The layer on the raw features, its iterations, and the solution on the standardised
    ones (`start` for the next, weaker penalty: a warm start saves most of its iterations)."""
    mean, std = _standardise(x)
    xs = torch.from_numpy((x - mean) / std)
    onehot = torch.from_numpy(np.eye(k)[y])
    d = x.shape[1]
    first = np.zeros(k * d + k) if start is None else start
    theta, iterations = _lbfgs(lambda t: _loss_and_gradient(t, xs, onehot, penalty), first)
    weight = theta[: k * d].reshape(k, d) / std  # fold the standardisation back:
    bias = theta[k * d :] - weight @ mean  # W' x + b' = W (x - mean) / std + b
    return weight, bias, iterations, theta


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
    starts: list[np.ndarray | None] = [None] * len(folds)
    for penalty in sorted(penalties, reverse=True) if folds else []:
        right = 0
        for f, held in enumerate(folds):
            keep = np.setdiff1d(np.arange(len(y)), held)
            weight, bias, _, starts[f] = _fit_one(x[keep], y[keep], n_classes, penalty, starts[f])
            right += int(((x[held] @ weight.T + bias).argmax(1) == y[held]).sum())
            step += 1
            yield TeachProgress(step, steps, time.perf_counter() - start, stage="fit")
        if right / len(y) > best_accuracy:
            best, best_accuracy = penalty, right / len(y)
    weight, bias, iterations, _ = _fit_one(x, y, n_classes, best)
    yield TeachProgress(steps, steps, time.perf_counter() - start, stage="fit")
    return LinearLayer(weight.astype(np.float32), bias.astype(np.float32), best, iterations)
