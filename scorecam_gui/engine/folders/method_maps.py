"""`explain --method NAME` for the catalog's methods other than Score-CAM: one photo's map through
the method registry (engine/methods/registry.py), as the result the batch loop writes rows from.

Score-CAM keeps its own path (Explainer.run: --weighting, --approximate); every other method runs
here with the job's layer, class, fill (the Score-CAM family's) and --time-budget (methods that
score batches of masked inputs stop at the first batch past it). The manifest's `weighting`
column holds the method's name for these rows, so a rerun with another method is other work.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scorecam_gui.engine.explainer import Explainer
    from scorecam_gui.engine.prediction import Prediction
    from scorecam_gui.engine.progress import Progress

__all__ = ["MethodMap", "Timings", "is_scorecam", "run_method"]


def is_scorecam(method: str) -> bool:
    """Whether `--method` names Score-CAM (its own path: the weightings, --approximate)."""
    from scorecam_gui.engine.methods import catalog

    return catalog.info(method).module == "scorecam.scorecam"


@dataclass(frozen=True)
class Timings:
    classify: float
    scorecam: float  # the method's own time (the record's "scorecam" seconds, as for Score-CAM)
    total: float


@dataclass(frozen=True)
class MethodMap:
    """A method's map with the fields the batch loop's rows read (as ScoreCamResult has them)."""

    saliency: np.ndarray
    target: Prediction
    top5: tuple[Prediction, ...]
    layer: str
    weighting: str  # the method's catalog name
    fill: str
    device: str
    precision: str
    maps_total: int  # the forward passes, as the record's "maps" counts them
    maps_evaluated: int
    timings: Timings
    approximate: int | None = None
    stopped: bool = False
    method: str = ""
    backward_passes: int = 0
    extra: dict[str, object] = field(default_factory=dict)
    backend: str = "torch"  # what ran its passes (the record's "backend")


def run_method(
    explainer: Explainer,
    rgb: np.ndarray,
    method: str,
    layer: str | None,
    target: int | None,
    fill: str,
    stop: Callable[[Progress], bool] | None,
) -> Generator[Progress, None, MethodMap]:
    """The method's map of the prepared photo, checked before any work."""
    from scorecam_gui.engine.methods import catalog, registry
    from scorecam_gui.engine.methods.base import MethodRequest

    name = catalog.canonical(method)
    stopped: list[bool] = []

    def asked(progress: Progress) -> bool:
        if stop is not None and stop(progress):
            stopped.append(True)
            return True
        return False

    request = MethodRequest(layer=layer, target=target, fill=fill, stop=asked)
    result = yield from registry.run_method(explainer, rgb, name, request)
    passes = result.forward_passes - 1  # the classifying pass is the record's "classify"
    return MethodMap(
        saliency=result.saliency,
        target=result.target,
        top5=result.top5,
        layer=result.layer,
        weighting=name,
        fill=fill,
        device=result.device,
        precision=explainer.precision if passes > 0 else "fp32",
        backend=explainer.backend if passes > 0 else "torch",
        maps_total=passes,
        maps_evaluated=passes,
        timings=Timings(0.0, result.seconds, result.seconds),
        stopped=bool(stopped),
        method=name,
        backward_passes=result.backward_passes,
    )
