"""Explaining many photos in one process: the engine path the command line and the window share.

`run_local` is a generator, like the rest of the engine: it yields an event per batch of masked
inputs and per photo, writes each finished photo's rows to the manifest, and returns a summary.
Closing it stops between two batches. Photos are read, hashed, decoded and resized by a reader
thread while the network computes (`prefetch` photos ahead; 0 reads in the caller's thread).

What is done to each photo is a `PhotoWork`: `explain` (OpenedJob here: one row per photo with
its map), `evaluate` (engine/folders/evaluation.py: one row per photo and method with the
faithfulness metrics) or `evaluate --sanity` (engine/folders/sanity_batch.py: one row per photo,
method and step). Both loops, this one and Ray's, only read, skip, run and write.
"""

from __future__ import annotations

import hashlib
import os
import queue
import stat
import threading
import time
from collections.abc import Callable, Collection, Generator, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import numpy as np

from scorecam_gui import __version__
from scorecam_gui.engine import imaging
from scorecam_gui.engine.folders import manifest as mf
from scorecam_gui.engine.imaging import ImageLoadError

if TYPE_CHECKING:
    from PIL import Image

    from scorecam_gui.engine.explainer import Explainer
    from scorecam_gui.engine.methods.scorecam.scorecam import ScoreCamResult
    from scorecam_gui.engine.models.types import InputOptions, Network
    from scorecam_gui.engine.progress import Progress

__all__ = [
    "BatchSummary",
    "Job",
    "LoadedPhoto",
    "MapsProgress",
    "OpenedJob",
    "Outcome",
    "PhotoDone",
    "PhotoReader",
    "PhotoSkipped",
    "PhotoWork",
    "WorkSpec",
    "open_job",
    "run_local",
]


@dataclass(frozen=True)
class Job:
    """A batch's settings, as plain data: they travel to Ray workers, which load the network."""

    kind: ClassVar[mf.Kind] = mf.EXPLAIN
    model: str = "efficientnet_lite0"
    weights: str | None = None
    labels: str | None = None
    layer: str | None = None
    target: str | None = None  # a class index or name; None: each photo's predicted class
    weighting: str = "paper"
    fill: str = "black"
    approximate: int | None = None
    time_budget: float | None = None  # seconds of masked passes a photo; None: run to the end
    center_crop: bool = False
    device: str = "auto"
    precision: str = "auto"
    batch_size: int | None = None
    compile_model: bool = False
    input_options: InputOptions | None = None  # --input-size/--mean/--std of a model file

    @classmethod
    def from_settings(
        cls,
        *,
        model: str,
        weights: str | None,
        labels: str | None,
        layer: str | None,
        target: str | None,
        center_crop: bool,
        device: str,
        precision: str,
        batch_size: int | None,
        input_options: InputOptions | None,
        **settings: Any,
    ) -> Job:
        """The Job of the command line (cli_batch.network_job) and of the window's Folder view
        (gui/folder/view.py): the network settings are all required, so a new one is an error
        in both until both pass it; `settings` are the rest (weighting, fill, approximate...)."""
        return cls(
            model=model,
            weights=weights,
            labels=labels,
            layer=layer,
            target=target,
            center_crop=center_crop,
            device=device,
            precision=precision,
            batch_size=batch_size,
            input_options=input_options,
            **settings,
        )

    def open(self, progress: Callable[[int, int | None], None] | None = None) -> OpenedJob:
        return open_job(self, progress)

    def on_driver(self) -> Job:
        """The job as the Ray driver opens it: on the CPU, uncompiled (it names error rows and
        checks the settings; the workers do the work)."""
        return replace(self, device="cpu", compile_model=False)


@dataclass
class Outcome:
    """What a PhotoWork made of one photo: its manifest rows (each with `error` null when it
    worked), the Score-CAM result when there is one, and details for --json."""

    rows: list[dict[str, Any]]
    result: ScoreCamResult | None = None
    details: dict[str, Any] = field(default_factory=dict)

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


@dataclass
class OpenedJob:
    """A Job with its network loaded: what every photo of the batch is explained with."""

    job: Job
    network: Network
    explainer: Explainer
    target: int | None
    layer: str  # resolved: the network's default layer when the job names none
    options: str  # the manifest's options column

    kind: ClassVar[mf.Kind] = mf.EXPLAIN

    def key(self, sha256: str | None) -> tuple[Any, ...]:
        j = self.job
        return mf.settings_key(sha256, self.network.info.name, self.layer, j.weighting, j.fill,
                               self.options)  # fmt: skip

    # PhotoWork: one part, the map
    def prepare(self, photo: Image.Image) -> np.ndarray:
        return self.explainer.prepare(photo, center_crop=self.job.center_crop)

    def left(self, sha256: str, finished: Collection[tuple[Any, ...]]) -> tuple[str, ...]:
        return () if self.key(sha256) in finished else ("map",)

    def process(
        self, loaded: LoadedPhoto, parts: tuple[str, ...] | None = None
    ) -> Generator[Progress, None, Outcome]:
        row, result, info = yield from explain_photo(self, loaded)
        return Outcome([row], result, info)

    def error_rows(
        self, path: str, sha256: str | None, reason: str, parts: tuple[str, ...] | None = None
    ) -> list[dict[str, Any]]:
        return [error_row(path, sha256, self, reason, 0.0)]


class MethodRows:
    """For the works whose parts are explanation methods (evaluate, --sanity): a row per photo
    and method, keyed by the photo's hash, the network, the layer, the method and `options`."""

    opened: OpenedJob

    @property
    def methods(self) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def options(self) -> str:
        raise NotImplementedError

    def key(self, sha256: str | None, method: str) -> tuple[Any, ...]:
        """The manifest key (Kind.key) of one method's row."""
        return (sha256, self.opened.network.info.name, self.opened.layer, method, self.options)

    def prepare(self, photo: Image.Image) -> np.ndarray:
        return self.opened.prepare(photo)

    def left(self, sha256: str, finished: Collection[tuple[Any, ...]]) -> tuple[str, ...]:
        return tuple(m for m in self.methods if self.key(sha256, m) not in finished)

    def common(self, path: str, sha256: str | None, method: str) -> dict[str, Any]:
        """The columns every row of the photo and method has, whatever the work."""
        return {
            "path": path,
            "sha256": sha256,
            "model": self.opened.network.info.name,
            "layer": self.opened.layer,
            "method": method,
            "version": __version__,
            "options": self.options,
        }


class UnknownTarget(ValueError):
    """The job's target names no class of its network (the command line's usage error)."""


def open_job(job: Job, progress: Callable[[int, int | None], None] | None = None) -> OpenedJob:
    """Load the job's network and check its layer and class; raises the engine's user errors
    (NetworkError, WeightsError, DeviceError, ValueError; UnknownTarget for the class) with
    one-line messages."""
    from scorecam_gui.engine.explainer import Explainer
    from scorecam_gui.engine.models import layers, registry, types

    net = registry.load_network(
        job.model, job.weights, job.labels, progress=progress, input_options=job.input_options
    )
    try:
        target = layers.resolve_target(net, job.target)
    except types.NetworkError as exc:
        raise UnknownTarget(str(exc)) from exc
    explainer = Explainer(
        net, job.device, job.precision, job.batch_size, compile_model=job.compile_model
    )
    layers.resolve_layer(net, job.layer)
    weights_sha = _file_sha256(job.weights) if job.weights else None
    given = {}  # a model file's input settings, those given
    if job.input_options is not None:
        given = {k: v for k, v in asdict(job.input_options).items() if v is not None}
    options = mf.options_json(
        target, job.approximate, job.center_crop, weights_sha, job.time_budget, given
    )
    return OpenedJob(job, net, explainer, target, job.layer or net.default_layer, options)


def _file_sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- rows -----------------------------------------------------------------------------------------
def result_row(
    path: str, sha256: str, opened: OpenedJob, result: ScoreCamResult, seconds: float
) -> dict[str, Any]:
    """The manifest row of an explained photo."""
    t = result.target
    return {
        "path": path,
        "sha256": sha256,
        "model": opened.network.info.name,
        "layer": result.layer,
        "weighting": result.weighting,
        "fill": result.fill,
        "target_index": t.index,
        "target_name": t.name,
        "target_score": float(t.probability),
        "top5": [
            {"index": p.index, "name": p.name, "probability": float(p.probability)}
            for p in result.top5
        ],
        "maps_total": result.maps_total,
        "maps_evaluated": result.maps_evaluated,
        "map": mf.map_to_bytes(result.saliency),
        "map_shape": list(result.saliency.shape),
        "seconds": seconds,
        "version": __version__,
        "error": None,
        "options": opened.options,
    }


def error_row(
    path: str, sha256: str | None, opened: OpenedJob, reason: str, seconds: float
) -> dict[str, Any]:
    """The manifest row of a photo that failed: `reason` is one line."""
    return {
        "path": path,
        "sha256": sha256,
        "model": opened.network.info.name,
        "layer": opened.layer,
        "weighting": opened.job.weighting,
        "fill": opened.job.fill,
        "target_index": None,
        "target_name": None,
        "target_score": None,
        "top5": None,
        "maps_total": None,
        "maps_evaluated": None,
        "map": None,
        "map_shape": None,
        "seconds": seconds,
        "version": __version__,
        "error": " ".join(reason.split()) or "failed",
        "options": opened.options,
    }


def details(result: ScoreCamResult, load_seconds: float) -> dict[str, Any]:
    """What the command line's --json adds to a row: device, precision and the time split."""
    return {
        "device": result.device,
        "precision": result.precision,
        # N with --approximate N; true when --time-budget stopped scoring early
        "approximate": result.approximate or (True if result.stopped else None),
        "load": load_seconds,
        "classify": result.timings.classify,
        "scorecam": result.timings.scorecam,
    }


# -- reading photos ahead ------------------------------------------------------------------------
@dataclass
class LoadedPhoto:
    """One photo as the reader hands it over: decoded and resized, or why not."""

    path: str
    sha256: str | None = None
    rgb: np.ndarray | None = None  # (S, S, 3) uint8: what the network sees
    photo: Image.Image | None = None  # the whole photo, when asked for (overlays)
    error: str | None = None
    seconds: float = 0.0
    parts: tuple[str, ...] | None = None  # the work left (PhotoWork.left); None: not asked

    @property
    def skipped(self) -> bool:
        """Already in the manifest, every part with the same settings."""
        return self.parts == ()


def read_file(path: str) -> bytes:
    """A photo file's bytes; ImageLoadError (one line naming the file) when it cannot be read."""
    try:
        info = os.stat(path)
        if stat.S_ISREG(info.st_mode):  # never open a FIFO or a device: it could block forever
            with open(path, "rb") as f:
                return f.read()
    except (OSError, ValueError):
        pass
    imaging.load_image(path)  # raises the ImageLoadError that says why
    raise ImageLoadError(path, "cannot read file")


def load_photo(
    path: str,
    prepare: Callable[[Image.Image], np.ndarray],
    keep_photo: bool = False,
    left: Callable[[str], tuple[str, ...]] | None = None,
) -> LoadedPhoto:
    """Read, hash, decode and prepare one photo; errors become the result's `error`.
    left: the work the manifest does not hold for this content; nothing left: not decoded."""
    t0 = time.perf_counter()
    out = LoadedPhoto(path)
    try:
        data = read_file(path)
        out.sha256 = hashlib.sha256(data).hexdigest()
        if left is not None:
            out.parts = left(out.sha256)
            if not out.parts:
                return out
        photo = imaging.load_image_bytes(data, name=path)
        out.rgb = prepare(photo)
        out.photo = photo if keep_photo else None
    except ImageLoadError as exc:
        out.error = exc.reason
    except (ValueError, MemoryError) as exc:
        out.error = str(exc) or type(exc).__name__
    out.seconds = time.perf_counter() - t0
    return out


_END = object()


class PhotoReader:
    """Iterates LoadedPhoto in order; with prefetch > 0 a thread loads that many photos ahead."""

    def __init__(
        self, paths: list[str], load: Callable[[str], LoadedPhoto], prefetch: int = 2
    ) -> None:
        self._paths = list(paths)
        self._load = load
        self._stop = threading.Event()
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max(1, prefetch))
        self._thread: threading.Thread | None = None
        if prefetch > 0:
            self._thread = threading.Thread(target=self._fill, name="photo-reader", daemon=True)
            self._thread.start()

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _fill(self) -> None:
        try:
            for path in self._paths:
                if self._stop.is_set() or not self._put(self._load(path)):
                    return
        except BaseException as exc:  # handed to the consumer, which re-raises it
            self._put(exc)
            return
        self._put(_END)

    def __iter__(self) -> Iterator[LoadedPhoto]:
        if self._thread is None:
            for path in self._paths:
                if self._stop.is_set():
                    return
                yield self._load(path)
            return
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, LoadedPhoto)
            yield item

    def close(self) -> None:
        """Stop reading ahead and wait for the thread (it finishes the photo it is on)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


# -- events ---------------------------------------------------------------------------------------
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
    result: ScoreCamResult | None = None
    details: dict[str, Any] = field(default_factory=dict)

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


def _past(seconds: float | None) -> Callable[[Progress], bool] | None:
    """--time-budget: stop once the masked passes have run for `seconds` (at a batch's end)."""
    if seconds is None:
        return None
    return lambda progress: progress.elapsed >= seconds


def explain_photo(
    opened: OpenedJob, loaded: LoadedPhoto
) -> Generator[Progress, None, tuple[dict[str, Any], ScoreCamResult | None, dict[str, Any]]]:
    """Score-CAM of one loaded photo as a generator of Progress; returns its manifest row, the
    result (None when it failed: the row says why) and details(). Local loop and Ray actors."""
    job = opened.job
    t0 = time.perf_counter()
    result: ScoreCamResult | None = None
    if loaded.error is None:
        assert loaded.rgb is not None
        try:
            result = yield from opened.explainer.run(
                loaded.rgb,
                layer=job.layer,
                target=opened.target,
                weighting=job.weighting,
                fill=job.fill,
                approximate=job.approximate,
                stop=_past(job.time_budget),
            )
        except ValueError as exc:
            loaded.error = str(exc)
        except (RuntimeError, MemoryError) as exc:
            loaded.error = f"{type(exc).__name__}: {exc}"
    seconds = loaded.seconds + time.perf_counter() - t0
    if result is None:
        return error_row(loaded.path, loaded.sha256, opened, loaded.error or "", seconds), None, {}
    assert loaded.sha256 is not None
    row = result_row(loaded.path, loaded.sha256, opened, result, seconds)
    return row, result, details(result, loaded.seconds)


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

    def left(sha: str) -> tuple[str, ...]:
        return work.left(sha, finished)

    def load(path: str) -> LoadedPhoto:
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
                index, loaded.path, outcome.rows, loaded.photo, outcome.result, outcome.details
            )
    finally:
        reader.close()
        summary.seconds = time.perf_counter() - t_start
    return summary


def stem_for(path: str, used: set[str]) -> str:
    """An output file stem for the photo, unique within one run (`cat`, `cat-2`, ...)."""
    base = Path(path).stem
    stem, n = base, 2
    while stem in used:
        stem, n = f"{base}-{n}", n + 1
    used.add(stem)
    return stem
