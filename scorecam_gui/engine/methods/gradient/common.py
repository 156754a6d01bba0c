"""What the gradient methods share: one forward and one backward pass that record the target
layer's activations A and the gradient G = d logit_c / d A, and the protocol around a method's
own rule for turning (A, G) into a map on the layer's grid.

Gradients are enabled only inside the call (inference mode off, grad on, both restored on exit),
so it works from a worker thread and even inside the caller's `torch.inference_mode()`. Only the
target layer's output gradient is taken (a tensor hook, which sees the value before any later
in-place op); parameters get no `.grad` and no `requires_grad` change, and the forward hook is
removed on exit. Runs in fp32: one image, so reduced precision would save nothing. The map is
ReLU'd on the layer's grid, upsampled bilinearly (align_corners=False) to the input size and
min-max normalised to [0, 1].
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ...hooks import hooked
from ...models.types import NetworkError, class_scores
from ...prediction import Prediction
from ...progress import Progress
from ...tokens import as_maps
from ..base import LayerMethod, MethodRequest, MethodResult, Runner, finish
from ..maps import to_input_size

__all__ = ["GradCamResult", "GradientMethod", "gradients_enabled", "layer_gradients"]


@dataclass(frozen=True)
class GradCamResult:
    """A gradient method's full result (MethodResult.detail)."""

    saliency: np.ndarray  # (S, S) float32 in [0, 1] at the network's input size
    weights: np.ndarray | None  # (K,) float32 channel weights w_k (None: an element-wise rule)
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


@dataclass(frozen=True)
class LayerGradients:
    activations: torch.Tensor  # (K, h, w) float32
    gradients: torch.Tensor  # (K, h, w) float32
    logits: torch.Tensor  # (classes,) of the photo
    target: int


def layer_gradients(
    runner: Runner,
    rgb: np.ndarray,
    module: nn.Module,
    layer_name: str,
    target: int | None,
    contrast: int | None = None,
) -> LayerGradients:
    """One forward and one backward pass: the layer's activations and the class score's gradient
    at them (transformer tokens and channels-last outputs as (C, h, w) maps)."""
    net = runner.network
    with gradients_enabled():
        inference = runner.inference
        x = inference.normalise(inference.to_tensor(rgb))[None]
        # The input is ours to mark: it makes a graph exist even if every parameter is frozen.
        x = x.contiguous(memory_format=runner.memory_format).requires_grad_(True)
        with _capture_with_gradient(module) as (outs, grads):
            logits = class_scores(net.model(x))[0].float()
            if not outs:
                raise NetworkError(f"layer '{layer_name}' did not run in the forward pass")
            if as_maps(outs[-1]).dim() != 4 or outs[-1].shape[1] < 1:
                raise NetworkError(
                    f"layer '{layer_name}' gives {tuple(outs[-1].shape[1:])}: this method needs a "
                    "C x H x W output"
                )
            c = int(logits.argmax()) if target is None else int(target)
            # autograd.grad accumulates nothing into parameters' .grad; the tensor hook catches
            # the gradient at the layer on its way to the input.
            # Against a contrast class: the gradient of the difference (Finer-CAM's, with 1 as
            # its weight of the other class; docs/contrast.md).
            score = logits[c] if contrast is None else logits[c] - logits[contrast]
            torch.autograd.grad(score, x)
        last = len(outs) - 1
        if last not in grads:
            raise NetworkError(f"the class score does not depend on layer '{layer_name}'")
        acts = as_maps(outs[last])[0].float()
        grad = as_maps(grads[last].detach())[0].float()
        return LayerGradients(acts, grad, logits.detach(), c)


class GradientMethod(LayerMethod):
    """A method made of one forward and one backward pass; a subclass gives `cam`, its rule."""

    def cam(
        self, acts: torch.Tensor, grads: torch.Tensor
    ) -> tuple[torch.Tensor | None, torch.Tensor]:
        """(channel weights or None, the map on the layer's grid before ReLU) from the
        activations and gradients, both (K, h, w)."""
        raise NotImplementedError

    def run(
        self, runner: Runner, rgb: np.ndarray, request: MethodRequest
    ) -> Generator[Progress, None, MethodResult]:
        """One step: yields Progress(1, 1) and returns."""
        self.check(runner, request)
        t0 = time.perf_counter()
        module, layer = self.layer(runner, request)
        got = layer_gradients(runner, rgb, module, layer, request.target, request.contrast)
        with torch.inference_mode():
            weights, low = self.cam(got.activations, got.gradients)
            saliency = to_input_size(low, rgb.shape[0]).cpu().numpy().astype(np.float32)
            top5 = runner.predictions(got.logits)
            pred = runner.prediction(got.logits, got.target)
            other = None
            if request.contrast is not None:
                other = runner.prediction(got.logits, request.contrast)
        w = None if weights is None else weights.cpu().numpy().astype(np.float32)
        seconds = time.perf_counter() - t0
        detail = GradCamResult(
            saliency=saliency,
            weights=w,
            activations=got.activations.cpu().numpy().astype(np.float32),
            gradients=got.gradients.cpu().numpy().astype(np.float32),
            target=pred,
            top5=top5,
            method=self.info.name,
            layer=layer,
            device=runner.device.type,
            seconds=seconds,
            image_rgb=rgb,
        )
        yield Progress(1, 1, seconds)
        return finish(
            self.info, runner, rgb, layer, saliency, pred, top5, t0, 1, w,
            backward_passes=1, detail=detail, contrast=other,
        )  # fmt: skip
