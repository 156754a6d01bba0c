"""The engine's progress protocol: every long computation is a generator that yields `Progress`
after each batch and returns its result (superqt's GeneratorWorker, napari's progress), so the
window's worker, the command line and scripts drive it alike and cancel it between two batches
by closing it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

__all__ = ["Progress", "relay", "run_to_end"]


@dataclass(frozen=True)
class Progress:
    done: int  # maps whose masked input has been scored (constant maps count when shared one is)
    total: int  # maps in all
    elapsed: float  # seconds since the masked forward passes began
    evaluated: int = 0  # masked forward passes run so far
    # The running map (run(..., running_map=True)): the weighting applied to the maps scored so
    # far, (S, S) float32 in [0, 1]; after the last batch it is the exact map. None otherwise.
    saliency: np.ndarray | None = field(default=None, compare=False, repr=False)
    # The masked inputs to run in all (evaluated counts those run): hundreds of constant maps
    # share one input and count as done at once, so the time left comes from these.
    work_total: int | None = None
    # How settled the running map is, from the order it is made in (methods/scorecam/
    # progressive.py): the share of the layer's activation mass (the sum of the absolute
    # activations of the maps the map uses) held by the maps scored so far; 1.0 after the last
    # batch. None: not measured.
    settled: float | None = None

    @property
    def rate(self) -> float:
        """Maps per second."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the rate measured so far (of the work, not of the maps), None before
        the first batch."""
        done = self.done if self.work_total is None else self.evaluated
        total = self.total if self.work_total is None else self.work_total
        if self.elapsed <= 0 or done <= 0:
            return None
        return max(0, total - done) * self.elapsed / done


T = TypeVar("T")
E = TypeVar("E")


def run_to_end(
    job: Generator[Progress, None, T], progress: Callable[[Progress], None] | None = None
) -> T:
    """Drive one of the engine's generators (Score-CAM, Grad-CAM, metrics) to its result,
    handing each Progress to `progress`."""
    while True:
        try:
            p = next(job)
        except StopIteration as stop:
            return stop.value
        if progress is not None:
            progress(p)


def relay(
    job: Generator[Progress, None, T], event: Callable[[Progress], E]
) -> Generator[E, None, T]:
    """`yield from job` with each Progress turned into `event(progress)` (a step's progress
    into a whole run's, a photo's into the batch's); closing this generator closes `job`."""
    try:
        while True:
            try:
                p = next(job)
            except StopIteration as stop:
                return stop.value
            yield event(p)
    finally:
        job.close()
