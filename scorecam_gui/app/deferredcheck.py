"""The OpenVINO check the window puts off until it is idle (issue 35: a first start as quick as
a later one).

A faster precision of OpenVINO (bf16) is trusted only once its map agrees with torch's exact fp32
map (engine/runtime/openvino_backend.py): that check runs every masked input through torch as
well, 3-4x the map's own time. The window's explainer defers it (`defer_check`): until it is made,
the maps run in fp32 on OpenVINO, exact and checked on their first batch. Once a map is shown and
nothing else is asked for, this job makes the check on the photo shown (its map is not shown) and
stores the result with the converted network, so later maps and later starts run bf16 at once.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .jobs import EngineSession

__all__ = ["Checking", "deferred_check_job"]


@dataclass(frozen=True)
class Checking:
    """What the check yields between its batches (the window shows nothing of it)."""


def deferred_check_job(
    session: EngineSession, layer: str | None = None
) -> Callable[[Any], Generator[object, None, None]]:
    """A worker job (JobRunner.submit_quietly): the map check the session's explainer put off,
    at `layer` (the shown map's; None: the network's default). The next request supersedes it
    at a batch's end, and it stays due; `session.check_due` says whether one is still to make."""

    def job(_control: Any) -> Generator[object, None, None]:
        explainer, image = session.explainer, session.image
        if explainer is None or image is None:
            return
        with explainer.inference.deferred_check() as due:
            if due:
                for _progress in explainer.run(image, layer=layer):
                    yield Checking()
        session.check_due = explainer.inference.deferred_precision is not None

    return job
