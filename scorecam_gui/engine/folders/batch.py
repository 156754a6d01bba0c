"""Explaining many photos in one process: the engine path the command line and the window share.

`run_local` is a generator, like the rest of the engine: it yields an event per batch of masked
inputs and per photo, writes each finished photo's rows to the manifest, and returns a summary.
Closing it stops between two batches. Photos are read, hashed, decoded and resized by a reader
thread while the network computes (`prefetch` photos ahead; 0 reads in the caller's thread).

What is done to each photo is a `PhotoWork` (events.py): `explain` (explain.py's OpenedJob: one
row per photo with its map), `evaluate` (evaluation.py: one row per photo and method with the
faithfulness metrics) or `evaluate --sanity` (sanity_batch.py: one row per photo, method and
step). Both loops, this one and Ray's, only read (photos.py), skip, run and write.

The names the window and the command line take from here (Job, open_job, the events, ...) are
those of explain.py, events.py and photos.py, imported here so that they have one address.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Generator, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scorecam_gui.engine.folders import manifest as mf
from scorecam_gui.engine.folders.events import (
    BatchSummary,
    Event,
    MapsProgress,
    Outcome,
    PhotoDone,
    PhotoSkipped,
    PhotoWork,
    WorkSpec,
)
from scorecam_gui.engine.folders.explain import Job, OpenedJob, UnknownTarget, open_job
from scorecam_gui.engine.folders.photos import LoadedPhoto, PhotoReader, load_photo, read_file

if TYPE_CHECKING:
    from scorecam_gui.engine.progress import Progress

__all__ = [
    "BatchSummary",
    "Event",
    "Job",
    "LoadedPhoto",
    "MapsProgress",
    "OpenedJob",
    "Outcome",
    "OutputStems",
    "PhotoDone",
    "PhotoReader",
    "PhotoSkipped",
    "PhotoWork",
    "UnknownTarget",
    "WorkSpec",
    "load_photo",
    "open_job",
    "read_file",
    "run_local",
    "stem_for",
]


def run_local(
    work: PhotoWork,
    paths: list[str],
    writer: mf.ManifestWriter | None = None,
    finished: Collection[tuple[Any, ...]] = frozenset(),
    prefetch: int = 2,
    keep_photos: bool = False,
) -> Generator[Event, None, BatchSummary]:
    """Do `work` (an OpenedJob: explain) to `paths` one after the other in this process (see the
    module docstring).

    finished: the manifest's finished keys (manifest.finished_keys) of the work to skip. A
    failing photo becomes error rows; a manifest that cannot be written raises ExportError (the
    rows written before stay readable).
    """
    from scorecam_gui.engine.progress import relay  # torch: loaded by now, not at import

    summary = BatchSummary(total=len(paths))
    t_start = time.perf_counter()

    def load(path: str) -> LoadedPhoto:
        def left(sha: str) -> tuple[str, ...]:
            return work.left(sha, mf.for_path(finished, path))  # a copy is not the same photo

        return load_photo(path, work.prepare, keep_photos, left if finished else None)

    reader = PhotoReader(paths, load, prefetch)
    try:
        for index, loaded in enumerate(reader):
            if loaded.skipped:
                summary.skipped += 1
                yield PhotoSkipped(index, loaded.path)
                continue

            def event(p: Progress, index: int = index, path: str = loaded.path) -> MapsProgress:
                if writer is not None:
                    writer.flush_due()  # rows finished a second ago reach the disk meanwhile
                return MapsProgress(index, path, p)

            outcome = yield from relay(work.process(loaded, loaded.parts), event)
            if outcome.failed:
                summary.failed += 1
            else:
                summary.explained += 1
            if writer is not None:
                writer.add(outcome.rows)
            yield PhotoDone(
                index, loaded.path, outcome.rows, loaded.photo, outcome.result, outcome.details,
                outcome.more_results,
            )  # fmt: skip
    finally:
        reader.close()
        summary.seconds = time.perf_counter() - t_start
    return summary


class OutputStems:
    """Output file stems (`cat` for cat-overlay.png, `cat-2`, ...) unique within a run and
    across the runs of one manifest: every photo the manifest already holds keeps the stem it
    got (reserved first, in the order its rows were written), so a new photo with the same
    name gets another stem instead of replacing that photo's files."""

    def __init__(self, held: Iterable[str] = ()) -> None:
        self.used: set[str] = set()
        self._reserved: dict[str, str] = {}
        for path in held:
            if path not in self._reserved:
                self._reserved[path] = stem_for(path, self.used)

    def stem(self, path: str) -> str:
        """The photo's stem: its reserved one, else a new one."""
        reserved = self._reserved.pop(path, None)
        return reserved if reserved is not None else stem_for(path, self.used)


def stem_for(path: str, used: set[str]) -> str:
    """An output file stem for the photo, unique within one run (`cat`, `cat-2`, ...)."""
    base = Path(path).stem
    stem, n = base, 2
    while stem in used:
        stem, n = f"{base}-{n}", n + 1
    used.add(stem)
    return stem
