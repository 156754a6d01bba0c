"""Grad-CAM (Selvaraju et al., 2017) and Grad-CAM++ (Chattopadhay et al., 2018) for comparison.

Same network, layer, target and input preparation as Score-CAM (the Explainer's), one forward and
one backward pass each. The map is ReLU(sum_k w_k A_k) on the layer's grid, upsampled bilinearly
(align_corners=False) to the input size and min-max normalised to [0, 1]:

- `gradcam`: w_k = mean over the grid of g = d logit_c / d A_k.
- `gradcam++`: w_k = sum_ij alpha_kij ReLU(g_kij), with the closed form for an exp(logit) score,
  alpha = g^2 / (2 g^2 + sum_ab A_kab g^3) (0 where the denominator is 0). The exp(logit) factor
  of the first-order term is the same positive number for every weight, so min-max removes it;
  it is left out (exp of a large logit overflows float32).

Gradients are enabled only inside the call (inference mode off, grad on, both restored on exit),
so it works from a worker thread and even inside the caller's `torch.inference_mode()`. Only the
target layer's output gradient is taken (a tensor hook, which sees the value before any later
in-place op); parameters get no `.grad` and no `requires_grad` change, and the forward hook is
removed on exit. Runs in fp32: one image, so reduced precision would save nothing.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from ..choices import GRADCAM_METHODS
from .hooks import hooked
from .networks import NetworkError, class_scores, resolve_layer
from .scorecam import Explainer, Prediction, Progress, _minmax, run_to_end
from .tokens import as_maps

__all__ = ["METHODS", "GradCamResult", "gradcam", "gradients_enabled", "run_gradcam"]

METHODS = GRADCAM_METHODS


@dataclass(frozen=True)
class GradCamResult:
    saliency: np.ndarray  # (S, S) float32 in [0, 1] at the network's input size
    weights: np.ndarray  # (K,) float32 channel weights w_k
    activations: np.ndarray  # (K, h, w) float32 activations of the target layer
    gradients: np.ndarray  # (K, h, w) float32 d logit_c / d activations
    target: Prediction
    top5: tuple[Prediction, ...]
    method: str
    layer: str
    device: str
    seconds: float
    image_rgb: np.ndarray  # (S, S, 3) uint8: the photo as the network sees it


@contextmanager
def gradients_enabled() -> Iterator[None]:
    """Autograd on for this block only, whatever the thread's grad / inference mode was."""
    # enable_grad alone does not leave inference mode; both managers restore the previous state.
    with torch.inference_mode(False), torch.enable_grad():
        yield


@contextmanager
def _capture_with_gradient(
    module: nn.Module,
) -> Iterator[tuple[list[torch.Tensor], dict[int, torch.Tensor]]]:
    """Record the module's outputs (copies) and, in backward, the gradient reaching each."""
    outputs: list[torch.Tensor] = []
    grads: dict[int, torch.Tensor] = {}

    def keep(i: int) -> object:
        def store(g: torch.Tensor) -> None:
            grads[i] = g

        return store

    def hook(_n: str, _m: nn.Module, out: object) -> None:
        if isinstance(out, torch.Tensor) and out.requires_grad:
            i = len(outputs)
            # A copy: a later in-place op (ReLU(inplace=True)) would overwrite the values.
            outputs.append(out.detach().clone())
            # A tensor hook lives with the tensor (freed with the graph), not on the module,
            # and receives the gradient of the value before any in-place change.
            out.register_hook(keep(i))  # type: ignore[arg-type]

    with hooked([("", module)], after=hook):
        yield outputs, grads


def run_gradcam(
    explainer: Explainer,
    image: Image.Image | np.ndarray,
    layer: str | None = None,
    target: int | None = None,
    method: str = "gradcam",
    center_crop: bool = False,
) -> Generator[Progress, None, GradCamResult]:
    """Grad-CAM or Grad-CAM++ as a generator (one step: yields Progress(1, 1) and returns).

    Arguments are checked before anything is computed, as in Explainer.run.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method '{method}': use {', '.join(METHODS)}")
    net = explainer.network
    net.check_target(target)
    module = resolve_layer(net, layer)
    layer_name = layer or net.default_layer
    rgb = explainer.prepare(image, center_crop=center_crop)
    return _run(explainer, rgb, module, layer_name, target, method)


def gradcam(
    explainer: Explainer,
    image: Image.Image | np.ndarray,
    layer: str | None = None,
    target: int | None = None,
    method: str = "gradcam",
    center_crop: bool = False,
) -> GradCamResult:
    """Run Grad-CAM (or `method="gradcam++"`) to the end and return the result."""
    return run_to_end(run_gradcam(explainer, image, layer, target, method, center_crop))


def _run(
    explainer: Explainer,
    rgb: np.ndarray,
    module: nn.Module,
    layer_name: str,
    target: int | None,
    method: str,
) -> Generator[Progress, None, GradCamResult]:
    t0 = time.perf_counter()
    net = explainer.network
    with gradients_enabled():
        runner = explainer.inference
        x = runner.normalise(runner.to_tensor(rgb))[None]
        # The input is ours to mark: it makes a graph exist even if every parameter is frozen.
        x = x.contiguous(memory_format=explainer.memory_format).requires_grad_(True)
        with _capture_with_gradient(module) as (outs, grads):
            logits = class_scores(net.model(x))[0].float()
            if not outs:
                raise NetworkError(f"layer '{layer_name}' did not run in the forward pass")
            if as_maps(outs[-1]).dim() != 4 or outs[-1].shape[1] < 1:
                raise NetworkError(
                    f"layer '{layer_name}' gives {tuple(outs[-1].shape[1:])}: Grad-CAM needs a "
                    "C x H x W output"
                )
            c = int(logits.argmax()) if target is None else int(target)
            # autograd.grad accumulates nothing into parameters' .grad; the tensor hook catches
            # the gradient at the layer on its way to the input.
            torch.autograd.grad(logits[c], x)
        last = len(outs) - 1
        if last not in grads:
            raise NetworkError(f"the class score does not depend on layer '{layer_name}'")
        # Transformer tokens and channels-last outputs as (C, h, w) maps, gradients alike.
        acts = as_maps(outs[last])[0].float()
        grad = as_maps(grads[last].detach())[0].float()
        logits = logits.detach()
        del outs, grads, x
    with torch.inference_mode():
        weights = _weights(acts, grad, method)
        low = (weights[:, None, None] * acts).sum(0).clamp_min(0)
        size = rgb.shape[0]
        up = F.interpolate(
            low[None, None], size=(size, size), mode="bilinear", align_corners=False
        )[0, 0]
        saliency = _minmax(up)
        top5 = explainer.predictions(logits)
        pred = explainer.prediction(logits, c)
    result = GradCamResult(
        saliency=saliency.cpu().numpy().astype(np.float32),
        weights=weights.cpu().numpy().astype(np.float32),
        activations=acts.cpu().numpy().astype(np.float32),
        gradients=grad.cpu().numpy().astype(np.float32),
        target=pred,
        top5=top5,
        method=method,
        layer=layer_name,
        device=explainer.device.type,
        seconds=time.perf_counter() - t0,
        image_rgb=rgb,
    )
    yield Progress(1, 1, result.seconds)
    return result


def _weights(acts: torch.Tensor, grad: torch.Tensor, method: str) -> torch.Tensor:
    """Channel weights from activations and gradients, both (K, h, w)."""
    if method == "gradcam":
        return grad.mean((1, 2))
    # Double precision: g^3 of small gradients loses digits in float32.
    a, g = acts.double(), grad.double()
    g2 = g * g
    denom = 2 * g2 + a.sum((1, 2), keepdim=True) * g2 * g
    alpha = torch.where(denom != 0, g2 / torch.where(denom != 0, denom, 1.0), 0.0)
    return (alpha * g.clamp_min(0)).sum((1, 2)).float()
