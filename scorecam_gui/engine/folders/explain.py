"""`explain` over many photos: the Job (its settings as plain data), the Job opened (its network
loaded), the manifest rows of one photo (its explanation record, engine/record.py) and the
explanation of one loaded photo, which the local loop and Ray's actors both run. MethodRows is
the base of the works whose parts are methods (evaluate, --sanity)."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Collection, Generator
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from scorecam_gui import __version__
from scorecam_gui.engine.folders import manifest as mf
from scorecam_gui.engine.folders.events import Outcome
from scorecam_gui.engine.record import ExplanationRecord

if TYPE_CHECKING:
    from PIL import Image

    from scorecam_gui.engine.explainer import Explainer
    from scorecam_gui.engine.folders.photos import LoadedPhoto
    from scorecam_gui.engine.methods.base import MethodResult
    from scorecam_gui.engine.models.types import InputOptions, Network
    from scorecam_gui.engine.progress import Progress

__all__ = [
    "Job",
    "MethodRows",
    "OpenedJob",
    "UnknownTarget",
    "error_row",
    "explain_photo",
    "open_job",
    "result_row",
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
    method: str = "scorecam"  # a catalog name; Score-CAM's rows take `weighting`
    approximate: int | None = None
    time_budget: float | None = None  # seconds of masked passes a photo; None: run to the end
    center_crop: bool = False
    device: str = "auto"
    precision: str = "auto"
    backend: str = "auto"  # what runs the masked passes (choices.BACKENDS)
    batch_size: int | None = None
    compile_model: bool = False
    input_options: InputOptions | None = None  # --input-size/--mean/--std of a model file
    # Several classes a photo, each a row of its own: more --target classes, or the top_k most
    # likely ones; from one run where the method keeps every class's scores (Score-CAM).
    more_targets: tuple[str, ...] = ()
    top_k: int | None = None
    contrast: str | None = None  # explain each class rather than this one

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
        backend: str,
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
            backend=backend,
            batch_size=batch_size,
            input_options=input_options,
            **settings,
        )

    def open(self, progress: Callable[[int, int | None], None] | None = None) -> OpenedJob:
        return open_job(self, progress)

    @property
    def weighting_column(self) -> str | None:
        """The record's `weighting`: Score-CAM's weighting, None for the other methods."""
        from scorecam_gui.engine.methods import catalog

        row = catalog.info(self.method)
        return self.scorecam_weighting if "weighting" in row.options else None

    @property
    def fill_column(self) -> str | None:
        """The record's `fill`: --fill for a method that masks the photo, else None."""
        from scorecam_gui.engine.methods import catalog

        return self.fill if catalog.info(self.method).fills else None

    @property
    def scorecam_weighting(self) -> str:
        """--weighting for `--method scorecam`; a row of its own (scorecam-matlab) its own."""
        from scorecam_gui.engine.methods import catalog

        if self.method.strip().lower() == "scorecam":
            return self.weighting
        return catalog.info(self.method).options.get("weighting", self.weighting)

    @property
    def method_name(self) -> str:
        """The record's `method`: the catalog's name of the map made (Score-CAM's row of the
        weighting used: `--method scorecam --weighting matlab` is scorecam-matlab)."""
        from scorecam_gui.engine.methods import catalog

        row = catalog.info(self.method)
        if "weighting" in row.options:  # a weighting of its own, or --weighting for `scorecam`
            return catalog.canonical(f"scorecam-{self.scorecam_weighting}")
        return row.name

    def on_driver(self) -> Job:
        """The job as the Ray driver opens it: on the CPU, uncompiled (it names error rows and
        checks the settings; the workers do the work)."""
        return replace(self, device="cpu", compile_model=False)


@dataclass
class OpenedJob:
    """A Job with its network loaded: what every photo of the batch is explained with."""

    job: Job
    network: Network
    explainer: Explainer
    target: int | None
    layer: str  # resolved: the network's default layer when the job names none
    options: str  # the manifest's options column
    more_targets: tuple[int, ...] = ()
    contrast: int | None = None

    def options_for(self, target: int | None) -> str:
        """The options column of one class's row (a photo's classes are rows of their own)."""
        options = json.loads(self.options)
        options["target"] = target
        if self.contrast is not None:
            options["contrast"] = self.contrast
        return json.dumps(options, sort_keys=True)

    kind: ClassVar[mf.Kind] = mf.EXPLAIN

    def key(self, sha256: str | None) -> tuple[Any, ...]:
        j = self.job
        return mf.settings_key(sha256, self.network.info.name, self.layer, j.method_name,
                               j.fill_column, self.options)  # fmt: skip

    # PhotoWork: one part, the map
    def prepare(self, photo: Image.Image) -> np.ndarray:
        return self.explainer.prepare(photo, center_crop=self.job.center_crop)

    def left(self, sha256: str, finished: Collection[tuple[Any, ...]]) -> tuple[str, ...]:
        return () if self.key(sha256) in finished else ("map",)

    def process(
        self, loaded: LoadedPhoto, parts: tuple[str, ...] | None = None
    ) -> Generator[Progress, None, Outcome]:
        rows, results = yield from explain_photo(self, loaded)
        return Outcome(rows, results[0] if results else None, more_results=results[1:])

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
        named = (layers.resolve_target(net, t) for t in job.more_targets)
        more = tuple(c for c in named if c is not None)
        contrast = None if job.contrast is None else layers.resolve_target(net, job.contrast)
    except types.NetworkError as exc:
        raise UnknownTarget(str(exc)) from exc
    if job.top_k is not None and not 1 <= job.top_k <= min(5, net.num_classes):
        raise ValueError(f"--top-k must be 1 to {min(5, net.num_classes)}")
    explainer = Explainer(
        net,
        job.device,
        job.precision,
        job.batch_size,
        compile_model=job.compile_model,
        backend=job.backend,
    )
    layers.resolve_layer(net, job.layer)
    weights_sha = _file_sha256(job.weights) if job.weights else None
    given = {}  # a model file's input settings, those given
    if job.input_options is not None:
        given = {k: v for k, v in asdict(job.input_options).items() if v is not None}
    options = mf.options_json(
        target, job.approximate, job.center_crop, weights_sha, job.time_budget, given
    )
    if more or job.top_k is not None or contrast is not None:  # more rows a photo: other work
        extra = {"more_targets": list(more), "top_k": job.top_k, "contrast": contrast}
        options = json.dumps(json.loads(options) | extra, sort_keys=True)
    layer = job.layer or net.default_layer
    return OpenedJob(job, net, explainer, target, layer, options, more, contrast)


def _file_sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- rows -----------------------------------------------------------------------------------------
def result_row(
    path: str,
    sha256: str,
    opened: OpenedJob,
    result: MethodResult,
    seconds: float,
    seconds_read: float | None = None,
) -> dict[str, Any]:
    """The manifest row of an explained photo: its record, the map's bytes and `options`."""
    record = ExplanationRecord.from_result(
        result,
        path=path,
        model=opened.network.info.name,
        method=opened.job.method_name,
        sha256=sha256,
        seconds_read=seconds_read,
        seconds=seconds,
    )
    return record.to_json({"map": mf.map_to_bytes(result.saliency), "options": opened.options})


def error_row(
    path: str, sha256: str | None, opened: OpenedJob, reason: str, seconds: float
) -> dict[str, Any]:
    """The manifest row of a photo that failed: `reason` is one line."""
    record = ExplanationRecord.failed(
        path=path,
        sha256=sha256,
        model=opened.network.info.name,
        layer=opened.layer,
        method=opened.job.method_name,
        weighting=opened.job.weighting_column,
        fill=opened.job.fill_column,
        reason=reason,
        seconds=seconds,
    )
    return record.to_json({"map": None, "options": opened.options})


def _past(seconds: float | None) -> Callable[[Progress], bool] | None:
    """--time-budget: stop once the masked passes have run for `seconds` (at a batch's end)."""
    if seconds is None:
        return None
    return lambda progress: progress.elapsed >= seconds


def explain_photo(
    opened: OpenedJob, loaded: LoadedPhoto
) -> Generator[Progress, None, tuple[list[dict[str, Any]], list[MethodResult]]]:
    """The job's method of one loaded photo (through the method registry, as every entry point)
    as a generator of Progress; returns its manifest rows (the record: engine/record.py), one a
    class (the job's, then --target's others or the --top-k most likely), and their results
    (none when it failed: the row says why). Local loop and Ray actors."""
    t0 = time.perf_counter()
    results: list[MethodResult] = []
    if loaded.error is None:
        assert loaded.rgb is not None
        try:
            first = yield from _explain_class(opened, loaded.rgb, opened.target)
            results.append(first)
            for c in _more_classes(opened, first):
                results.append((yield from _another_class(opened, loaded.rgb, first, c)))
        except ValueError as exc:
            loaded.error = str(exc)
        except (RuntimeError, MemoryError) as exc:
            loaded.error = f"{type(exc).__name__}: {exc}"
    seconds = loaded.seconds + time.perf_counter() - t0
    if loaded.error is not None or not results:
        return [error_row(loaded.path, loaded.sha256, opened, loaded.error or "", seconds)], []
    assert loaded.sha256 is not None
    rows = [result_row(loaded.path, loaded.sha256, opened, results[0], seconds, loaded.seconds)]
    for r in results[1:]:
        row = result_row(loaded.path, loaded.sha256, opened, r, r.seconds)
        rows.append(row | {"options": opened.options_for(r.target.index)})
    return rows, results


def _explain_class(
    opened: OpenedJob, rgb: np.ndarray, target: int | None
) -> Generator[Progress, None, MethodResult]:
    job = opened.job
    return opened.explainer.run(
        rgb,
        layer=job.layer,
        target=target,
        fill=job.fill,
        approximate=job.approximate,
        stop=_past(job.time_budget),
        method=job.method_name,
        contrast=opened.contrast,
    )


def _more_classes(opened: OpenedJob, first: MethodResult) -> list[int]:
    """The photo's other classes: --target's others, or the --top-k most likely but the first."""
    if opened.more_targets:
        return [c for c in opened.more_targets if c != first.target.index]
    k = opened.job.top_k
    if k is None:
        return []
    return [p.index for p in first.top5[:k] if p.index != first.target.index]


def _another_class(
    opened: OpenedJob, rgb: np.ndarray, first: MethodResult, c: int
) -> Generator[Progress, None, MethodResult]:
    """Class c's map: a re-weighting of the first run's passes where the method kept every
    class's scores (no pass), else a run of its own (the method's whole cost again)."""
    if first.class_scores is not None:
        from scorecam_gui.engine.methods.registry import for_class

        return for_class(first, c, opened.contrast)
    return (yield from _explain_class(opened, rgb, c))
