"""The protocol every explanation method implements, and what it shares with the others.

A method is one module under engine/methods/ with a catalog row (catalog.py). The module has
`method(**params) -> Method`: an object with the row's `info`, a `check` that raises a one-line
ValueError before anything is computed, and a `run` generator that yields `Progress` after each
batch (closing it cancels between two batches) and returns one `MethodResult`. A module may also
have `run_group(runner, rgb, methods, request)` when several of its rows can share their work
(Score-CAM's weightings read the same masked passes): the registry then runs them together.

Methods are given a `Runner` (engine/explainer.py's Explainer is one): the network, the batched
inference runner and the photo's preparation, so no method imports another method's module.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ..models.layers import resolve_layer
from ..prediction import Prediction
from ..progress import Progress
from .catalog import MethodInfo
from .classscores import ClassScores

if TYPE_CHECKING:
    import torch
    from PIL import Image
    from torch import nn

    from ..models.types import Network
    from ..runtime.inference import InferenceModel

__all__ = [
    "LayerMethod",
    "Method",
    "MethodRequest",
    "MethodResult",
    "Runner",
    "Timings",
    "finish",
]


class Runner(Protocol):
    """What a method needs of the network it explains (engine/explainer.py: Explainer)."""

    network: Network
    inference: InferenceModel
    device: torch.device
    memory_format: torch.memory_format

    @property
    def precision(self) -> str: ...

    @property
    def backend(self) -> str: ...

    @property
    def batch_size(self) -> int: ...

    def prepare(self, image: Image.Image | np.ndarray, center_crop: bool = False) -> np.ndarray: ...

    def predictions(self, logits: torch.Tensor, k: int = 5) -> tuple[Prediction, ...]: ...

    def prediction(self, logits: torch.Tensor, c: int) -> Prediction: ...


@dataclass(frozen=True)
class MethodRequest:
    """What to explain and how: the options every method accepts (each reads those it uses)."""

    layer: str | None = None  # None: the network's default layer
    target: int | None = None  # None: the top class
    fill: str = "black"  # Score-CAM family: where the photo is masked (choices.FILLS)
    approximate: int | None = None  # Score-CAM family: score only the N highest-variance maps
    seed: int = 0  # methods with randomness (the noise map, smoothed masks)
    # Explain `target` rather than this class (methods whose catalog row `contrasts`): Score-CAM
    # scores each masked input by the difference of the two classes' scores, a gradient method
    # takes the gradient of the difference (docs/contrast.md).
    contrast: int | None = None
    running_map: bool = False  # put the map so far into every Progress (where a method can)
    stop: Callable[[Progress], bool] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Timings:
    """Where a result's time went: the classifying pass, the method's own work, both."""

    classify: float
    map: float
    total: float


@dataclass(frozen=True)
class MethodResult:
    """One method's map of one photo and class: the one result type of every method, which the
    window, the command line, folders and the record all read.

    The fields after `seconds_classify` belong to the methods of masked passes; a method leaves
    None what it does not have (catalog.not_applicable names them), and its record says null
    there (engine/record.py)."""

    method: str  # the catalog name
    saliency: np.ndarray  # (S, S) float32 in [0, 1] at the network's input size
    target: Prediction
    top5: tuple[Prediction, ...]
    layer: str
    device: str
    seconds: float  # time to make it, the classifying pass included (a group's shared time)
    image_rgb: np.ndarray  # (S, S, 3) uint8: the photo as the network sees it
    forward_passes: int  # through the network, the classifying pass included
    backward_passes: int = 0
    weights: np.ndarray | None = None  # (K,) channel weights, for methods that have them
    backend: str = "torch"  # what ran its passes (engine/runtime/backends.py)
    precision: str = "fp32"  # of its passes
    # Its precision's map check on this network (correlation with exact fp32; INT8's and auto's
    # bf16 on OpenVINO), None where the passes ran in fp32 or were never checked
    precision_agreement: float | None = None
    seconds_classify: float = 0.0  # of `seconds`, the classifying pass
    # -- the Score-CAM family's own fields ---------------------------------------------------
    weighting: str | None = None  # Score-CAM's weighting (paper, matlab, reference)
    fill: str | None = None  # where the photo was masked (black, mean)
    scores: np.ndarray | None = None  # (K,) per-map score: logit (paper) or probability
    activations: np.ndarray | None = None  # (K, h, w) float32 activations of the layer
    maps_total: int | None = None  # the layer's feature maps
    maps_evaluated: int | None = None  # masked passes actually run
    approximate: int | None = None  # N when only the N highest-variance maps were scored
    stopped: bool | None = None  # stopped early (time budget, "Stop here"): the map so far;
    # None for a method that cannot stop (no batches of masked inputs: catalog's `stops`)
    evaluated: np.ndarray | None = None  # (K,) bool: the maps scored
    entropy: float | None = None  # of the softmax weights, in bits (engine/trust.py)
    settled: float = 1.0  # Progress.settled when the run ended (below 1 only when stopped)
    mean: tuple[float, float, float] = (0.0, 0.0, 0.0)  # the network's normalisation
    std: tuple[float, float, float] = (1.0, 1.0, 1.0)
    # Every class's scores of the masked passes, where they do not depend on the class
    # (scorecam/classes.py: the map of any other class without a pass), and the class the map
    # is contrasted with ("target rather than contrast"), if it is.
    class_scores: ClassScores | None = field(default=None, compare=False, repr=False)
    contrast: Prediction | None = None
    # What only one method has (GradCamResult's gradients) for views that show more.
    detail: object = field(default=None, compare=False, repr=False)

    @property
    def timings(self) -> Timings:
        return Timings(self.seconds_classify, self.seconds - self.seconds_classify, self.seconds)


class Method(Protocol):
    """One catalog row's method, ready to run."""

    @property
    def info(self) -> MethodInfo:
        """Its catalog row."""
        ...

    def check(self, runner: Runner, request: MethodRequest) -> None:
        """Raise ValueError (one line) or NetworkError for arguments this method cannot take;
        computes nothing."""
        ...

    def run(
        self, runner: Runner, rgb: np.ndarray, request: MethodRequest
    ) -> Generator[Progress, None, MethodResult]:
        """The map of the prepared photo `rgb` (S, S, 3) uint8 as a generator of Progress."""
        ...


class LayerMethod:
    """A method of one layer and one class, whose arguments are the network's: a class in range
    and a layer it has. Most methods are one (gradient, activation, baseline)."""

    def __init__(self, info: MethodInfo) -> None:
        self.info = info

    def check(self, runner: Runner, request: MethodRequest) -> None:
        runner.network.check_target(request.target)
        resolve_layer(runner.network, request.layer)

    @staticmethod
    def layer(runner: Runner, request: MethodRequest) -> tuple[nn.Module, str]:
        """The requested layer's module and name (the network's default one if none)."""
        module = resolve_layer(runner.network, request.layer)
        return module, request.layer or runner.network.default_layer


def finish(
    row: MethodInfo,
    runner: Runner,
    rgb: np.ndarray,
    layer: str,
    saliency: torch.Tensor | np.ndarray,
    target: Prediction,
    top5: tuple[Prediction, ...],
    t0: float,
    forward_passes: int,
    weights: torch.Tensor | np.ndarray | None = None,
    **more: Any,
) -> MethodResult:
    """The tail every method shares: its map and weights as float32 arrays, the time since `t0`,
    and the backend and precision of its batched passes (torch's exact fp32 pass where it ran
    only the classifying one). `more`: MethodResult's other fields."""
    if forward_passes > 1:
        backend, precision = runner.inference.runs(row.needs)
        agreement = runner.inference.agreement(row.needs)
        more = {
            "backend": backend,
            "precision": precision,
            "precision_agreement": agreement,
        } | more
    return MethodResult(
        method=row.name,
        saliency=_array(saliency),
        target=target,
        top5=top5,
        layer=layer,
        device=runner.device.type,
        seconds=time.perf_counter() - t0,
        image_rgb=rgb,
        forward_passes=forward_passes,
        weights=None if weights is None else _array(weights),
        **more,
    )


def _array(x: torch.Tensor | np.ndarray) -> np.ndarray:
    if not isinstance(x, np.ndarray):
        x = x.detach().float().cpu().numpy()
    return x.astype(np.float32, copy=False)


GroupRunner = Callable[
    ["Runner", np.ndarray, Sequence[Method], MethodRequest],
    Generator[Progress, None, dict[str, MethodResult]],
]
