"""The teach window's job (issue 37): teach a network the classes of some folders, check what it
looks at, and keep it as a taught network; run by the teach window's own worker thread.

Everything is the engine's (engine/teach/: the dataset checks, the features, the fit, the
shortcut check); this module drives it as one generator, yields `TeachStep`s for the progress
bar and returns a `TeachOutcome` of plain data and prepared pictures (numpy arrays), so the
window draws without computing. Cancel stops between two batches or two photos, and nothing is
kept: the taught network is saved only at the end. Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..control import JobControl
from . import taughtnets

if TYPE_CHECKING:
    from ...engine.models.types import Network
    from ...engine.teach.shortcuts import ClassCheck, ShortcutReport
    from ...engine.teach.teaching import Teaching

__all__ = [
    "CHECK_APPROXIMATE",
    "ClassLook",
    "OddPhoto",
    "TeachOutcome",
    "TeachRequest",
    "TeachStep",
    "WrongPhoto",
    "teach_job",
]

# The check scores each photo's 64 strongest maps: about a second a photo on a laptop CPU, and
# the same shares of the map on the mark and the same warnings as full Score-CAM on the tests'
# data set (docs/teaching.md).
CHECK_APPROXIMATE = 64
THUMBNAIL = 96  # pixels a side of the photos shown in the result


@dataclass(frozen=True)
class TeachRequest:
    """What the person chose: the folders (one with a sub-folder a class, or one a class), the
    name of the taught network and the network to teach."""

    folders: tuple[str, ...]
    name: str
    network: str
    device: str = "cpu"
    check: bool = True
    seed: int = 0


@dataclass(frozen=True)
class TeachStep:
    """Progress: the step ("load", "features", "fit", "check", "save") and how far it is."""

    stage: str
    done: int = 0
    total: int = 0


@dataclass(frozen=True)
class WrongPhoto:
    path: str
    true_class: str
    said: str
    probability: float
    thumbnail: np.ndarray  # (THUMBNAIL, THUMBNAIL, 3) uint8


@dataclass(frozen=True)
class OddPhoto:
    """A photo whose map is least like its class's usual map, drawn with its map."""

    path: str
    likeness: float  # cosine similarity with the class's average map
    overlay: np.ndarray  # (THUMBNAIL, THUMBNAIL, 3) uint8


@dataclass(frozen=True)
class ClassLook:
    """What the maps of one class's held-out photos show (engine/teach/shortcuts.py)."""

    name: str
    average: np.ndarray  # the average map over the average photo, (S, S, 3) uint8
    photos: int
    flagged: bool  # the shortcut warning applies
    region: str | None  # the corner or edge most small spots are in (regions.REGIONS)
    count: int  # how many photos' maps hold their spot there
    judged: bool  # enough photos to judge a habit
    middle: int  # maps whose spot is in the middle
    odd: tuple[OddPhoto, ...]


@dataclass(frozen=True)
class TeachOutcome:
    """The taught network (saved) and how it did on the photos held out from teaching."""

    taught: taughtnets.TaughtNetwork
    network_title: str
    classes: tuple[str, ...]
    counts: tuple[int, ...]  # photos a class
    held_out: int
    per_class: tuple[tuple[int, int], ...]  # right, of
    confusion: np.ndarray  # (K, K): row the photos' class, column what the network said
    wrong: tuple[WrongPhoto, ...]
    seconds_features: float
    seconds_fit: float
    penalty: float
    looks: tuple[ClassLook, ...] = field(default=())  # empty: no check
    check_method: str = ""
    check_seconds: float = 0.0

    @property
    def right(self) -> int:
        return sum(r for r, _ in self.per_class)

    @property
    def accuracy(self) -> float:
        return self.right / self.held_out if self.held_out else 0.0


def _thumbnail(path: str) -> np.ndarray:
    from ...engine.imaging import ImageLoadError, load_image, resize_for_network

    try:
        return resize_for_network(load_image(path), THUMBNAIL)
    except ImageLoadError:  # read once already: gone since, say
        return np.full((THUMBNAIL, THUMBNAIL, 3), 200, np.uint8)


def _look(check: ClassCheck) -> ClassLook:
    from ...engine import imaging
    from ...engine.teach.regions import MIDDLE

    peak = float(check.average_map.max())
    average = check.average_map / peak if peak > 0 else check.average_map
    odd = []
    for path, likeness in check.odd:
        index = check.paths.index(path)
        overlay = imaging.render_matlab_overlay(_thumbnail(path), _small_map(check.maps[index]))
        odd.append(OddPhoto(path, likeness, overlay))
    habit = check.habit()
    return ClassLook(
        name=check.name,
        average=imaging.render_matlab_overlay(check.average_photo, average),
        photos=len(check.paths),
        flagged=check.warning is not None,
        region=habit[0] if habit else None,
        count=habit[1] if habit else 0,
        judged=check.judged,
        middle=sum(1 for s in check.spots if s.region == MIDDLE),
        odd=tuple(odd),
    )


def _small_map(saliency: np.ndarray) -> np.ndarray:
    from ...engine.imaging import resize_map

    return resize_map(saliency, THUMBNAIL, THUMBNAIL)


def _outcome(
    result: Teaching, saved: taughtnets.TaughtNetwork, title: str, report: ShortcutReport | None
) -> TeachOutcome:
    wrong = tuple(
        WrongPhoto(m.path, m.true_class, m.said, m.probability, _thumbnail(m.path))
        for m in result.mistakes()
    )
    return TeachOutcome(
        taught=saved,
        network_title=title,
        classes=result.classes,
        counts=tuple(result.dataset.counts()),
        held_out=len(result.split.test),
        per_class=tuple(result.per_class()),
        confusion=result.confusion(),
        wrong=wrong,
        seconds_features=result.seconds_features,
        seconds_fit=result.seconds_fit,
        penalty=result.layer.penalty,
        looks=tuple(_look(c) for c in report.classes) if report else (),
        check_method=report.method if report else "",
        check_seconds=report.seconds if report else 0.0,
    )


def _relay(steps: Generator[Any, None, Any]) -> Generator[TeachStep, None, Any]:
    """The engine's TeachProgress as TeachSteps; returns what the engine's generator returns."""
    while True:
        try:
            item = next(steps)
        except StopIteration as stop:
            return stop.value
        yield TeachStep(item.stage, item.done, item.total)


def _dataset(folders: Sequence[str]) -> Any:
    from ...engine.teach import dataset

    if len(folders) == 1:
        return dataset.read_folder(folders[0])
    return dataset.from_class_folders([Path(f) for f in folders])


def _teach(request: TeachRequest, load: Callable[..., Network]) -> Generator[TeachStep, None, Any]:
    from ...engine.explainer import Explainer
    from ...engine.runtime.device import resolve_device
    from ...engine.teach import shortcuts, teaching
    from ...engine.teach.dataset import TeachError

    problem = taughtnets.name_problem(request.name)
    if problem is not None:
        raise TeachError(f"{request.name!r} cannot name a taught network")
    yield TeachStep("load")
    data = _dataset(request.folders)  # the one-line refusals: before the network loads
    network = load(request.network, allow_download=False)
    device = str(resolve_device(request.device))
    result = yield from _relay(teaching.teach(data, network, device=device))
    report = None
    if request.check:
        test = result.split.test
        report = yield from _relay(
            shortcuts.check_shortcuts(
                result.taught,
                [data.paths[i] for i in test],
                data.labels[test],
                approximate=CHECK_APPROXIMATE,
                explainer=Explainer(result.taught, device, precision="fp32"),
            )
        )
    yield TeachStep("save")
    saved = taughtnets.save(request.name, request.network, result.taught, result.accuracy)
    return _outcome(result, saved, network.info.title, report)


def _load_network(*args: Any, **kwargs: Any) -> Network:
    from ...engine.models.registry import load_network

    return load_network(*args, **kwargs)


def teach_job(
    request: TeachRequest, load: Callable[..., Network] | None = None
) -> Callable[[JobControl], Generator[TeachStep, None, TeachOutcome]]:
    """The job the teach window's JobRunner runs (`load`: the engine's load_network)."""

    def run(_control: JobControl) -> Generator[TeachStep, None, TeachOutcome]:
        return _teach(request, load or _load_network)

    return run
