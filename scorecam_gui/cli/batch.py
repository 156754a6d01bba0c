"""`scorecam explain PATH...`: photos, folders and lists, a manifest that resumes, local or Ray.

The loop itself is the engine's (engine/folders): this module turns its events into the lines
the command prints and the overlay files it writes. torch is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..choices import INT8
from .common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    TargetError,
    classes_hint,
    counted,
    fail,
    fail_file,
    printable,
    user_errors,
)
from .model_options import input_options
from .progress import TerminalStatus

if TYPE_CHECKING:
    from ..engine.explainer import Explainer
    from ..engine.folders.batch import (
        BatchSummary,
        Event,
        Job,
        MapsProgress,
        OutputStems,
        PhotoDone,
        PhotoWork,
        WorkSpec,
    )
    from ..engine.folders.manifest import Finished, ManifestWriter


def add_batch_arguments(
    parser: argparse.ArgumentParser, rows: str = "one Parquet row per photo"
) -> None:
    """--recursive, --manifest, --executor and --ray-address (explain and evaluate)."""
    parser.add_argument(
        "--recursive", action="store_true", help="look for photos in sub-folders of a folder too"
    )
    parser.add_argument(
        "--manifest",
        metavar="FILE.parquet",
        help=f"{rows}, written as photos finish; a rerun skips the work already there with "
        "the same settings (needs pyarrow)",
    )
    parser.add_argument(
        "--executor",
        choices=("local", "ray"),
        default="local",
        help="local (default), or ray: one actor per worker on a Ray cluster (needs ray)",
    )
    parser.add_argument(
        "--ray-address",
        metavar="ADDR",
        help="the Ray cluster (default: RAY_ADDRESS, else a new one on this machine)",
    )


def network_job(args: argparse.Namespace, **settings: Any) -> Job:
    """A batch Job from the options every command has (the network, layer, class, crop and
    device), with `settings` for the rest (explain's weighting, fill, --approximate, ...)."""
    from ..engine.folders.batch import Job

    return Job.from_settings(
        model=args.model,
        weights=args.weights,
        labels=args.labels,
        layer=args.layer,
        target=args.target,
        center_crop=args.center_crop,
        device=args.device,
        precision=args.precision,
        backend=getattr(args, "backend", "auto"),
        batch_size=args.batch_size,
        input_options=input_options(args),
        **settings,
    )


def job_from_args(args: argparse.Namespace) -> Job:
    """`explain`'s Job (--target may be given several times: the first is the job's)."""
    targets = args.target if isinstance(args.target, list) else [args.target]
    args = argparse.Namespace(**(vars(args) | {"target": targets[0]}))
    return network_job(
        args,
        weighting=args.weighting,
        method=getattr(args, "method", "scorecam"),
        fill=args.fill,
        approximate=args.approximate,
        time_budget=getattr(args, "time_budget", None),
        compile_model=getattr(args, "compile", False),
        more_targets=tuple(targets[1:]),
        top_k=getattr(args, "top_k", None),
        contrast=getattr(args, "contrast", None),
    )


def _fail(message: object, path: object = None) -> None:
    fail(str(message), path)


def batch_errors() -> tuple[type[BaseException], ...]:
    """What a batch reports in one line and carries on or stops cleanly after."""
    from ..engine.folders import manifest as mf

    return (
        *user_errors(),
        mf.ManifestError,
        mf.MissingExtra,
        ConnectionError,  # ray_executor.RayUnavailable: the cluster cannot be reached
    )


@dataclass
class Batch:
    """A batch under way: its events, the work when it runs here (None on Ray), its manifest."""

    events: Generator[Event, None, BatchSummary]
    work: PhotoWork | None
    writer: ManifestWriter | None
    finished: Finished | None = None  # what the manifest held when the batch started

    def close(self) -> int:
        """Stop the batch and write the rows still waiting; 1 if they could not be written."""
        self.events.close()
        if self.writer is None:
            return 0
        try:
            self.writer.finish()  # every finished row, even through another Ctrl+C
            from ..engine.folders import manifest as mf

            if (
                self.writer.kind is mf.EXPLAIN
                and self.writer.rows_written
                and not self.writer.failed
            ):
                from ..engine.folders.csvtable import write_csv

                write_csv(self.writer.path)  # beside the manifest, for spreadsheets
        except batch_errors() as exc:
            _fail(exc)
            return 1
        return 0


def open_batch(
    args: argparse.Namespace,
    spec: WorkSpec,
    photos: list[str],
    status: TerminalStatus,
    keep_photos: bool = False,
) -> Batch:
    """--manifest read (what is finished) and opened for writing, the work opened (the network
    loaded: here, or on the driver's CPU for Ray, so bad settings fail before any worker
    starts) and its events started on --executor. Raises batch_errors(); TargetError (usage)
    for a class the network does not have."""
    from ..engine.folders import manifest as mf
    from ..engine.folders.batch import UnknownTarget, run_local

    finished: mf.Finished = mf.Finished()
    writer = None
    if args.manifest:
        writer = mf.ManifestWriter(args.manifest, kind=spec.kind)  # locked: one run at a time
    ray = args.executor == "ray"
    try:
        if writer is not None:
            finished = mf.finished_keys(args.manifest, spec.kind)
        t0 = time.perf_counter()
        work = (spec.on_driver() if ray else spec).open(progress=status.download)
        args.network_seconds = time.perf_counter() - t0
    except UnknownTarget as exc:  # a usage error (exit 2), with how to find the names
        if writer is not None:
            writer.close()
        named = re.search(r"'([^']*)'", str(exc))  # the class (of several) that names none
        asked = named.group(1) if named else args.target
        hint = classes_hint(args.model, asked, labels=args.labels)
        raise TargetError(f"{exc}; {hint}") from exc
    except BaseException:
        if writer is not None:
            writer.close()
        raise
    finally:
        status.clear()
    if ray:
        from ..engine.folders import ray_executor

        events = ray_executor.run_ray(
            spec, photos, writer, finished, address=args.ray_address, opened=work
        )
        return Batch(events, None, writer, finished)
    events = run_local(work, photos, writer, finished, keep_photos=keep_photos)
    return Batch(events, work, writer, finished)


@dataclass
class RowsRun:
    """What `collect_rows` gathered: the rows of the photos done, how many failed, and whether
    the run stopped on a usage error (exit 2)."""

    rows: list[dict[str, Any]]
    failed: int = 0
    skipped: int = 0  # photos whose rows the manifest already held
    usage: bool = False


def collect_rows(
    args: argparse.Namespace,
    spec: WorkSpec,
    photos: list[str],
    status: TerminalStatus,
    progress_text: Callable[[MapsProgress, PhotoWork | None], str],
    on_photo: Callable[[PhotoDone], None],
    done_word: str,
) -> RowsRun:
    """Run a batch whose rows the command prints at the end (evaluate's metrics, --sanity):
    a progress line while it works, `on_photo` for each photo done, one line per failure and
    for the photos the manifest already held (`done_word`: "evaluated", "checked")."""
    from ..engine.folders.batch import MapsProgress, PhotoDone, PhotoSkipped

    run = RowsRun([])
    batch = None
    try:
        batch = open_batch(args, spec, photos, status)
        for event in batch.events:
            if isinstance(event, MapsProgress):
                status.show(progress_text(event, batch.work))
            elif isinstance(event, PhotoSkipped):
                run.skipped += 1
            elif isinstance(event, PhotoDone):
                status.clear()
                if event.error is not None:
                    run.failed += 1
                    _fail(event.error, event.path)
                    continue
                on_photo(event)
                run.rows += event.rows
    except TargetError as exc:
        status.clear()
        _fail(exc)
        run.usage = True
    except BrokenPipeError:  # cli.main's to report (the reader left)
        raise
    except batch_errors() as exc:
        status.clear()
        _fail(exc)
        run.failed += 1
    finally:
        if batch is not None:
            run.failed += batch.close()
        status.clear()
    if run.skipped:
        _fail(
            f"{counted(run.skipped, 'photo')} already {done_word} in the manifest with these "
            "settings: skipped"
        )
    return run


def run_explain(args: argparse.Namespace) -> int:
    """The `explain` command."""
    from ..engine.folders.batch import OpenedJob, OutputStems
    from ..engine.folders.paths import expand_paths

    out_dir = Path(args.out)
    if out_dir.exists() and not out_dir.is_dir():
        _fail("is not a folder", out_dir)
        return EXIT_USAGE
    if args.ray_address and args.executor != "ray":
        _fail("--ray-address needs --executor ray")
        return EXIT_USAGE
    if args.approximate is not None and not _takes_approximate(args):
        _fail(f"--approximate is Score-CAM's: --method {args.method} scores no feature maps")
        return EXIT_USAGE
    if args.no_overlays and not args.manifest and not args.json:
        _fail("--no-overlays writes nothing without --manifest or --json")
        return EXIT_USAGE
    errors = batch_errors()
    bar = TerminalStatus(sys.stderr)
    failed = 0
    expansion = expand_paths(args.images, args.recursive)
    for path, reason in expansion.problems:
        _fail(reason, path)
        failed += 1
    if expansion.ignored:
        n = expansion.ignored
        verb = "is not a photo" if n == 1 else "are not photos"
        _fail(f"{counted(n, 'file')} in the folders {verb}: ignored")
    batch = None
    try:
        keep = not args.no_overlays
        batch = open_batch(args, job_from_args(args), expansion.photos, bar, keep_photos=keep)
        explainer = batch.work.explainer if isinstance(batch.work, OpenedJob) else None
        if not args.no_overlays:
            try:
                out_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # --out under a file, a read-only place, ...
                _fail(f"cannot create this folder: {(exc.strerror or str(exc)).lower()}", out_dir)
                return EXIT_FAILED
        held = batch.finished.photos if batch.finished is not None else []
        failed += _drive(args, batch.events, out_dir, bar, explainer, OutputStems(held))
    except TargetError as exc:
        _fail(exc)
        return EXIT_USAGE
    except BrokenPipeError:  # a ConnectionError too, but cli.main's to report (the reader left)
        raise
    except errors as exc:
        bar.clear()
        _fail(exc)
        failed += 1
    finally:
        if batch is not None:
            failed += batch.close()
    return EXIT_FAILED if failed else EXIT_OK


def _drive(
    args: argparse.Namespace,
    events: Any,
    out_dir: Path,
    bar: TerminalStatus,
    explainer: Explainer | None,
    stems: OutputStems,
) -> int:
    """Run the batch's events to the end: print a line per photo, write overlays; the count of
    photos that failed. explainer: the local one (None on Ray), for --compile's state; stems:
    the output names, those of the photos the manifest holds reserved."""
    from ..engine.folders.batch import MapsProgress, PhotoDone, PhotoSkipped

    failed = skipped = 0
    try:
        for event in events:
            if isinstance(event, MapsProgress):
                p = event.progress
                bar.maps(printable(Path(event.path).name)[:24], p.done, p.total, p.rate, p.eta)
            elif isinstance(event, PhotoSkipped):
                skipped += 1
            elif isinstance(event, PhotoDone):
                bar.clear()
                if event.row["error"] is not None:
                    failed += 1
                    _fail(event.row["error"], event.path)
                    continue
                try:
                    records = _records(args, event, out_dir, stems, explainer)
                except Exception as exc:  # the overlay could not be written: this photo failed
                    if not isinstance(exc, user_errors()):
                        raise
                    failed += 1
                    fail_file(event.path, exc)
                    continue
                for record in records:
                    _print_record(args, record)
    finally:
        events.close()
        bar.clear()
    if skipped:
        _fail(
            f"{counted(skipped, 'photo')} already in {args.manifest} with these settings: skipped"
        )
    return failed


def _records(
    args: argparse.Namespace,
    event: PhotoDone,
    out_dir: Path,
    stems: OutputStems,
    explainer: Explainer | None,
) -> list[dict[str, Any]]:
    """The photo's JSON records, one a class: the manifest rows' explanation records
    (engine/record.py) and what only the command line knows; writes each one's overlay and
    map unless --no-overlays (the class in the names when the photo has several)."""
    from ..engine.record import ExplanationRecord

    compiled = bool(
        explainer is not None and explainer.compile_model and explainer.compile_error is None
    )
    stem = stems.stem(event.path)
    several = len(event.rows) > 1
    records = []
    for i, row in enumerate(event.rows):
        t0 = time.perf_counter()
        outputs: dict[str, str] = {}
        if not args.no_overlays:
            outputs = _write_overlay(args, event, i, _stem(stem, row, several), out_dir)
        extra = {
            "compiled": compiled,
            "seconds_outputs": time.perf_counter() - t0,  # writing the overlay and map files
            "seconds_load_model": getattr(args, "network_seconds", 0.0),  # once per run
            "outputs": outputs,
        }
        records.append(ExplanationRecord.from_json(row).to_json(extra))
    return records


def _stem(photo_stem: str, row: dict[str, Any], several: bool) -> str:
    """The output files' stem: the photo's, the method's name (so that no method's files replace
    another's) and, when the photo has several classes, the class (and the one it is against)."""
    stem = f"{photo_stem}-{row['method']}"
    if several or row.get("contrast_index") is not None:
        stem += f"-{row['target_index']}"
    if row.get("contrast_index") is not None:
        stem += f"-vs-{row['contrast_index']}"
    return stem


def _takes_approximate(args: argparse.Namespace) -> bool:
    from ..engine.methods import catalog

    return catalog.info(getattr(args, "method", "scorecam")).approximates


def _write_overlay(
    args: argparse.Namespace, event: PhotoDone, i: int, stem: str, out_dir: Path
) -> dict[str, str]:
    """Row i's overlay and map (and --figure) as STEM-overlay.png, STEM-map.npy, ..."""
    import numpy as np

    from ..engine import atomicio, imaging
    from ..engine.folders.manifest import map_from_row

    photo = event.photo if event.photo is not None else imaging.load_image(event.path)
    if args.center_crop:  # the map covers the centre crop only: draw it there, on that part
        photo = photo.crop(imaging.center_crop_box(photo.size, int(event.row["map_shape"][0])))
    row = event.rows[i]
    # The results where this process made them (their rows' maps are stored in half precision).
    made = [event.result, *event.more_results] if event.result is not None else []
    result = made[i] if i < len(made) else None
    saliency = (result.saliency if result is not None else map_from_row(row)).astype(np.float32)
    rgb = np.asarray(photo)
    if args.overlay == "matlab":
        overlay = imaging.render_matlab_overlay(rgb, saliency)
    else:
        overlay = imaging.render_blend(rgb, saliency, args.colormap, args.opacity)
    overlay_path = out_dir / f"{stem}-overlay.png"
    map_path = out_dir / f"{stem}-map.npy"
    for path in (overlay_path, map_path):  # both files or neither
        atomicio.check_replaceable(path)
    atomicio.save_png(overlay_path, overlay)
    atomicio.save_npy(map_path, saliency)
    outputs = {"overlay": str(overlay_path), "map": str(map_path)}
    if getattr(args, "figure", False):
        figure_path = out_dir / f"{stem}-figure.png"
        colormap = "jet" if args.overlay == "matlab" else args.colormap
        atomicio.save_png(figure_path, _figure(row, result, overlay, colormap))
        outputs["figure"] = str(figure_path)
    return outputs


def _figure(row: dict[str, Any], result: Any, overlay: Any, colormap: str) -> Any:
    """--figure's picture (engine/figure.py), from the result, or from the row (Ray, and the
    photo's other classes)."""
    from ..engine.figure import figure_for_result, figure_text, render_figure
    from ..engine.models.catalog import network_title

    title = network_title(row["model"])
    if result is not None:
        return figure_for_result(overlay, result, title, colormap)
    text = figure_text(row["target_name"], row["target_probability"], title, row["layer"])
    return render_figure(overlay, text, colormap)


def _print_record(args: argparse.Namespace, record: dict[str, Any]) -> None:
    if args.json:
        print(json.dumps(record), flush=True)
        return
    where = f" -> {record['outputs']['overlay']}" if record["outputs"] else ""
    approximate = ""
    if record["approximate"] and record["maps_total"] is not None:
        approximate = (
            f" APPROXIMATE: {record['maps_evaluated']} of {record['maps_total']} maps scored"
        )
    elif record["approximate"]:  # a method without feature maps of its own to count (SS-CAM)
        approximate = f" APPROXIMATE: stopped after {record['passes']} masked passes"
    if record["precision"] == INT8:  # an approximation the user named: how close it comes
        agreement = record["precision_agreement"]
        approximate += " INT8, APPROXIMATE" + (
            "" if agreement is None else f": map agreement {agreement:.3f} with the exact one"
        )
    seconds = record["seconds"] + record["seconds_outputs"]
    name, probability = record["target_name"], record["target_probability"]
    print(  # a file or class name with a newline or ESC stays one line, and harmless
        printable(f"{record['path']}: {name} ({probability * 100:.1f} %){where}")
        + f" in {seconds:.2f} s{approximate}",
        flush=True,
    )


def expand_photos(paths: Sequence[str], recursive: bool = False) -> tuple[list[str], list[str]]:
    """Photos named, inside named folders (by content; sub-folders with --recursive) or in
    @lists, as `explain` takes them (engine/folders/paths.py); folders and lists that failed,
    each with its reason."""
    from ..engine.folders.paths import expand_paths

    found = expand_paths(list(paths), recursive)
    return found.photos, [f"{path}: {reason}" for path, reason in found.problems]
