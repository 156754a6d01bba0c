"""What a batch is made of: the work done to each photo (PhotoWork, its plain-data WorkSpec, the
Outcome of one photo) and the events the batch loops yield (engine/folders/batch.py, Ray's)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import numpy as np

from scorecam_gui.engine.folders import manifest as mf

if TYPE_CHECKING:
    from PIL import Image

    from scorecam_gui.engine.folders.photos import LoadedPhoto
    from scorecam_gui.engine.methods.base import MethodResult
    from scorecam_gui.engine.progress import Progress

__all__ = [
    "BatchSummary",
    "Event",
    "MapsProgress",
    "Outcome",
    "PhotoDone",
    "PhotoSkipped",
    "PhotoWork",
    "WorkSpec",
]


@dataclass
class Outcome:
    """What a PhotoWork made of one photo: its manifest rows (each with `error` null when it
    worked), the Score-CAM result when there is one, and details for --json."""

    rows: list[dict[str, Any]]
    result: MethodResult | None = None
    details: dict[str, Any] = field(default_factory=dict)
    more_results: list[MethodResult] = field(default_factory=list)  # of rows[1:], in order

    @property
    def failed(self) -> bool:
        return any(row["error"] is not None for row in self.rows)


class PhotoWork(Protocol):
    """What a batch does to each photo, once its network is loaded (see the module docstring).

    `parts` are the pieces of a photo's work that rows are written for (the methods of
    `evaluate`; `explain` has one, "map"); `left` says which the manifest does not hold yet."""

    kind: ClassVar[mf.Kind]

    def prepare(self, photo: Image.Image) -> np.ndarray: ...

    def left(self, sha256: str, finished: Collection[tuple[Any, ...]]) -> tuple[str, ...]: ...

    def process(
        self, loaded: LoadedPhoto, parts: tuple[str, ...] | None = None
    ) -> Generator[Progress, None, Outcome]:
        """The photo's rows (parts None: all parts); errors become error rows."""
        ...

    def error_rows(
        self, path: str, sha256: str | None, reason: str, parts: tuple[str, ...] | None = None
    ) -> list[dict[str, Any]]: ...


class WorkSpec(Protocol):
    """A PhotoWork as plain data (Job, evaluation.Evaluation): it travels to Ray's workers,
    which open it, loading the network there."""

    kind: ClassVar[mf.Kind]

    def open(self, progress: Callable[[int, int | None], None] | None = None) -> PhotoWork: ...

    def on_driver(self) -> WorkSpec: ...


@dataclass(frozen=True)
class MapsProgress:
    """A batch of masked inputs of photo `index` is done."""

    index: int
    path: str
    progress: Progress


@dataclass(frozen=True)
class PhotoDone:
    """Photo `index` is finished (`error` says whether it failed) and its rows queued for the
    manifest. photo and result are there when the photo was explained in this process."""

    index: int
    path: str
    rows: list[dict[str, Any]]
    photo: Image.Image | None = None
    result: MethodResult | None = None
    details: dict[str, Any] = field(default_factory=dict)
    more_results: list[MethodResult] = field(default_factory=list)  # of rows[1:], in order

    @property
    def row(self) -> dict[str, Any]:
        """The first row: the only one of `explain`."""
        return self.rows[0]

    @property
    def error(self) -> str | None:
        """The one-line reason the photo failed, None when it worked."""
        return next((r["error"] for r in self.rows if r["error"] is not None), None)


@dataclass(frozen=True)
class PhotoSkipped:
    """Photo `index` is already in the manifest with the same content and settings."""

    index: int
    path: str


@dataclass
class BatchSummary:
    total: int = 0
    explained: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Photos finished (explained or failed) per second."""
        return (self.explained + self.failed) / self.seconds if self.seconds > 0 else 0.0


Event = MapsProgress | PhotoDone | PhotoSkipped
