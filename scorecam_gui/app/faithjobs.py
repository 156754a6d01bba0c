"""Worker jobs for the Compare tab's ranking protocols: the sanity check (cascading randomisation)
of the shown photo, and the grid pointing game over the photo strip's photos. No Qt here: the
window's worker drives these generators like the other jobs (jobs.py), and cancels them between
two engine batches.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..engine import imaging
from .control import JobControl
from .jobs import EngineSession, Explanation, Stage, _prepare
from .translation import translate

if TYPE_CHECKING:  # torch loads in the worker, after the window is up (docs/architecture.md)
    from ..engine.faithfulness.pointing_game import GridGame, Skipped
    from ..engine.faithfulness.sanity import SanityResult

# Explanations after this many evenly spread depths of randomisation (plus the intact network):
# enough to see the trend, few enough for a laptop.
SANITY_STEPS = 5
GRID_SIZES = (3, 2)  # the largest grid the qualifying photos fill


@dataclass(frozen=True)
class SanityOutcome:
    explanation: Explanation  # the one checked (its photo, class and layer)
    result: SanityResult


@dataclass(frozen=True)
class GridOutcome:
    game: GridGame | None  # None: too few photos qualified (see message)
    skipped: tuple[Skipped, ...]
    message: str


def _engine_methods(methods: Sequence[str]) -> tuple[str, ...]:
    """The checked methods (catalog names) and the noise map, the baseline of both protocols."""
    return (*methods, "noise")


def sanity_job(
    session: EngineSession, shown: Explanation, methods: Sequence[str]
) -> Callable[[Any], Generator[object, None, SanityOutcome]]:
    """A worker job: the shown photo and class explained again as the network's layers are
    re-initialised from the top down (on a copy; the loaded network is left as it is)."""

    def job(control: JobControl) -> Generator[object, None, SanityOutcome]:
        from ..engine.faithfulness.sanity import layer_groups, run_sanity, spread_checkpoints

        explainer = yield from _prepare(session, shown.request, control)
        assert explainer is not None and session.image is not None
        result = shown.result
        checkpoints = spread_checkpoints(len(layer_groups(explainer.network)), SANITY_STEPS)
        yield Stage(
            translate("FaithJobs", "Sanity check…"),
            label=translate("FaithJobs", "Sanity check"),
            unit="maps",  # translated where shown (gui/window/progress.py: UNITS)
        )
        checked: SanityResult = yield from run_sanity(
            explainer,
            session.image,
            _engine_methods(methods),
            target=result.target.index,
            layer=result.layer,
            checkpoints=checkpoints,
        )
        return SanityOutcome(shown, checked)

    return job


def grid_job(
    session: EngineSession, shown: Explanation, paths: Sequence[str], methods: Sequence[str]
) -> Callable[[Any], Generator[object, None, GridOutcome]]:
    """A worker job: the strip's photos of confident, distinct classes tiled into one grid (3 x 3
    if nine qualify, else 2 x 2), every cell explained for its own class with every method."""

    def job(control: JobControl) -> Generator[object, None, GridOutcome]:
        from ..engine.faithfulness.pointing_game import Skipped, run_grid_game, select_photos

        explainer = yield from _prepare(session, shown.request, control)
        assert explainer is not None
        yield Stage(translate("FaithJobs", "Choosing photos for the grid…"))
        photos = []
        unreadable: list[Skipped] = []
        for path in paths:
            try:
                photos.append((path, imaging.load_image(path)))
            except imaging.ImageLoadError as exc:
                unreadable.append(Skipped(path, str(exc)))
        chosen, skipped = select_photos(explainer, photos)
        skipped = [*unreadable, *skipped]
        n = next((n for n in GRID_SIZES if len(chosen) >= n * n), None)
        if n is None:
            message = translate(
                "FaithJobs",
                "A grid test needs 4 photos in the strip whose top classes are confident (50 % "
                "or more) and all different; {count} qualify.",
            ).format(count=len(chosen))
            return GridOutcome(None, tuple(skipped), message)
        yield Stage(
            translate("FaithJobs", "Grid test ({n} × {n})…").format(n=n),
            label=translate("FaithJobs", "Grid test"),
            unit="maps",  # translated where shown (gui/window/progress.py: UNITS)
        )
        game: GridGame = yield from run_grid_game(
            explainer,
            chosen,
            n=n,
            grids=1,
            seed=0,
            methods=_engine_methods(methods),
            layer=shown.result.layer,
        )
        names = ", ".join(Path(p.label).name for p in chosen)
        message = translate(
            "FaithJobs", "{count} photos qualified ({names}); {cells} are in the grid."
        ).format(count=len(chosen), names=names, cells=n * n)
        return GridOutcome(game, tuple(skipped), message)

    return job
