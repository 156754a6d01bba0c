"""The shortcut check: explain every held-out photo for its own class with the taught network,
then per class the average map, where the maps look (regions.py), the warning when they gather
in the same corner or edge, and the photos whose map is least like the class's usual one.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass

import numpy as np

from ..explainer import Explainer
from ..imaging import ImageLoadError, load_image, resize_for_network
from ..methods import registry
from ..models.types import Network
from .dataset import TeachError
from .features import TeachProgress
from .regions import Spot, agreement, needed, shortcut_warning, spot

__all__ = ["DEFAULT_METHOD", "ClassCheck", "ShortcutReport", "check_class", "check_shortcuts"]

DEFAULT_METHOD = "scorecam-paper"  # the window's and the command line's default method
ODD_PHOTOS = 3  # photos listed a class as least like its usual map


@dataclass(frozen=True)
class ClassCheck:
    """What the maps of one class's held-out photos show."""

    name: str
    paths: tuple[str, ...]
    average_map: np.ndarray  # (S, S) float32, the mean of the maps (not rescaled)
    average_photo: np.ndarray  # (S, S, 3) uint8, the mean of the photos as the network sees them
    spots: tuple[Spot, ...]  # one a photo, in the order of paths
    maps: tuple[np.ndarray, ...]  # (S, S) float32 in [0, 1] a photo: the views show them
    warning: str | None  # the plain-words shortcut warning, if any
    odd: tuple[tuple[str, float], ...]  # (path, likeness to the average map), least alike first

    @property
    def judged(self) -> bool:
        """Whether there were maps enough to judge a habit (regions.MIN_PHOTOS)."""
        return len(self.spots) >= needed(0)

    def habit(self) -> tuple[str, int] | None:
        """The corner or edge most of the small spots are in, and how many (or None)."""
        return agreement(self.spots)


@dataclass(frozen=True)
class ShortcutReport:
    """The check of every class, with the method that made the maps and the time it took."""

    classes: tuple[ClassCheck, ...]
    method: str
    seconds: float

    @property
    def warnings(self) -> list[str]:
        return [c.warning for c in self.classes if c.warning]


def _likeness(saliency: np.ndarray, average: np.ndarray) -> float:
    """Cosine similarity of two maps: 1 when they look at the same places in the same way."""
    a = saliency.ravel().astype(np.float64)
    b = average.ravel().astype(np.float64)
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / norm if norm > 0 else 0.0


def check_class(
    name: str,
    paths: Sequence[str],
    maps: Sequence[np.ndarray],
    photos: Sequence[np.ndarray] | None = None,
) -> ClassCheck:
    """One class's check from its photos' maps (at least one) and, to show beside them, the
    photos as the network saw them."""
    stack = np.stack([np.asarray(m, dtype=np.float32) for m in maps])
    if photos:
        mean_photo = np.stack(photos).astype(np.float32).mean(axis=0)
    else:
        mean_photo = np.full((*stack.shape[1:], 3), 128.0, dtype=np.float32)
    average = stack.mean(0)
    spots = tuple(spot(m) for m in stack)
    likeness = [_likeness(m, average) for m in stack]
    order = np.argsort(likeness, kind="stable")[:ODD_PHOTOS]
    return ClassCheck(
        name=name,
        paths=tuple(paths),
        average_map=average,
        average_photo=np.clip(np.round(mean_photo), 0, 255).astype(np.uint8),
        spots=spots,
        maps=tuple(stack),
        warning=shortcut_warning(name, spots),
        odd=tuple((paths[i], likeness[i]) for i in order),
    )


def check_shortcuts(
    taught: Network,
    paths: Sequence[str],
    labels: Sequence[int] | np.ndarray,
    method: str = DEFAULT_METHOD,
    approximate: int | None = None,
    explainer: Explainer | None = None,
) -> Generator[TeachProgress, None, ShortcutReport]:
    """Explain each photo for its own class (`labels` index taught.categories) with `method`
    (`approximate`: score only the N strongest maps, Score-CAM's family), yielding progress after
    each photo, and return the report. Closing the generator stops between two photos."""
    runner = explainer or Explainer(taught)
    by_class: dict[int, list[tuple[str, np.ndarray, np.ndarray]]] = {}
    size = taught.info.input_size
    total = len(paths)
    start = time.perf_counter()
    yield TeachProgress(0, total, 0.0, stage="check")
    for done, (path, label) in enumerate(zip(paths, labels, strict=True), start=1):
        try:
            photo = load_image(path)
        except ImageLoadError as exc:
            raise TeachError(str(exc)) from None
        result = registry.explain(runner, photo, method, target=int(label), approximate=approximate)
        seen = resize_for_network(photo, size)
        by_class.setdefault(int(label), []).append((path, result.saliency, seen))
        yield TeachProgress(done, total, time.perf_counter() - start, stage="check")
    checks = tuple(
        check_class(
            taught.categories[c],
            [p for p, _, _ in items],
            [m for _, m, _ in items],
            [photo for _, _, photo in items],
        )
        for c, items in sorted(by_class.items())
    )
    return ShortcutReport(checks, method, time.perf_counter() - start)
