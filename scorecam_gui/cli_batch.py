"""`scorecam explain PATH...`: photos, folders and lists, a manifest that resumes, local or Ray.

The loop itself is the engine's (engine/folders): this module turns its events into the lines
the command prints and the overlay files it writes. torch is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cli_common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail, user_errors
from .cli_progress import TerminalStatus

if TYPE_CHECKING:
    from .engine.folders.batch import Job, PhotoDone
    from .engine.scorecam import Explainer


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    """--recursive, --manifest, --executor and --ray-address (explain, and later evaluate)."""
    parser.add_argument(
        "--recursive", action="store_true", help="look for photos in sub-folders of a folder too"
    )
    parser.add_argument(
        "--manifest",
        metavar="FILE.parquet",
        help="one Parquet row per photo, written as photos finish; a rerun skips the photos "
        "already there with the same settings (needs pyarrow)",
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


def job_from_args(args: argparse.Namespace) -> Job:
    from .engine.folders.batch import Job

    return Job(
        model=args.model,
        weights=args.weights,
        labels=args.labels,
        layer=args.layer,
        target=args.target,
        weighting=args.weighting,
        fill=args.fill,
        approximate=args.approximate,
        time_budget=getattr(args, "time_budget", None),
        center_crop=args.center_crop,
        device=args.device,
        precision=args.precision,
        batch_size=args.batch_size,
        compile_model=getattr(args, "compile", False),
    )


def _fail(message: object, path: object = None) -> None:
    fail(str(message), path)


def run_explain(args: argparse.Namespace) -> int:
    """The `explain` command."""
    from .engine.folders import manifest as mf
    from .engine.folders.batch import UnknownTarget
    from .engine.folders.paths import expand_paths

    out_dir = Path(args.out)
    if out_dir.exists() and not out_dir.is_dir():
        _fail("is not a folder", out_dir)
        return EXIT_USAGE
    if args.ray_address and args.executor != "ray":
        _fail("--ray-address needs --executor ray")
        return EXIT_USAGE
    if args.no_overlays and not args.manifest and not args.json:
        _fail("--no-overlays writes nothing without --manifest or --json")
        return EXIT_USAGE
    errors: tuple[type[BaseException], ...] = (
        *user_errors(),
        mf.ManifestError,
        mf.MissingExtra,
        ConnectionError,  # ray_executor.RayUnavailable: the cluster cannot be reached
    )
    bar = TerminalStatus(sys.stderr)
    failed = 0
    expansion = expand_paths(args.images, args.recursive)
    for path, reason in expansion.problems:
        _fail(reason, path)
        failed += 1
    if expansion.ignored:
        _fail(f"{expansion.ignored} files in the folders are not photos: ignored")
    writer = None
    try:
        finished: set[Any] = set()
        if args.manifest:
            finished = mf.finished_keys(args.manifest)
            writer = mf.ManifestWriter(args.manifest)
        job = job_from_args(args)
        explainer = None
        if args.executor == "ray":
            from .engine.folders import ray_executor

            events = ray_executor.run_ray(
                job, expansion.photos, writer, finished, address=args.ray_address
            )
        else:
            from .engine.folders.batch import open_job, run_local

            t0 = time.perf_counter()
            opened = open_job(job, progress=bar.download)
            args.network_seconds = time.perf_counter() - t0
            bar.clear()
            explainer = opened.explainer
            events = run_local(
                opened,
                expansion.photos,
                writer,
                finished,
                keep_photos=not args.no_overlays,
            )
        if not args.no_overlays:
            try:
                out_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # --out under a file, a read-only place, ...
                bar.clear()
                _fail(f"cannot create this folder: {(exc.strerror or str(exc)).lower()}", out_dir)
                events.close()
                return EXIT_FAILED
        failed += _drive(args, events, out_dir, bar, explainer)
    except UnknownTarget as exc:  # a usage error (exit 2), with how to find the names
        bar.clear()
        word = str(args.target).split()[0] if str(args.target).split() else "WORD"
        _fail(f"{exc}; list the class names with: scorecam classes {args.model} {word}")
        return EXIT_USAGE
    except BrokenPipeError:  # a ConnectionError too, but cli.main's to report (the reader left)
        raise
    except errors as exc:
        bar.clear()
        _fail(exc)
        failed += 1
    finally:
        if writer is not None:
            try:
                writer.flush()
            except errors as exc:
                _fail(exc)
                failed += 1
    return EXIT_FAILED if failed else EXIT_OK


def _drive(
    args: argparse.Namespace,
    events: Any,
    out_dir: Path,
    bar: TerminalStatus,
    explainer: Explainer | None,
) -> int:
    """Run the batch's events to the end: print a line per photo, write overlays; the count of
    photos that failed. explainer: the local one (None on Ray), for --compile's state."""
    from .engine.folders.batch import MapsProgress, PhotoDone, PhotoSkipped

    failed = skipped = 0
    used_stems: set[str] = set()
    try:
        while True:
            try:
                event = next(events)
            except StopIteration:
                break
            if isinstance(event, MapsProgress):
                p = event.progress
                bar.maps(Path(event.path).name[:24], p.done, p.total, p.rate, p.eta)
            elif isinstance(event, PhotoSkipped):
                skipped += 1
            elif isinstance(event, PhotoDone):
                bar.clear()
                if event.row["error"] is not None:
                    failed += 1
                    _fail(event.row["error"], event.path)
                    continue
                try:
                    record = _record(args, event, out_dir, used_stems, explainer)
                except Exception as exc:  # the overlay could not be written: this photo failed
                    if not isinstance(exc, user_errors()):
                        raise
                    failed += 1
                    _fail(str(exc) if event.path in str(exc) else f"{event.path}: {exc}")
                    continue
                _print_record(args, record)
    finally:
        events.close()
        bar.clear()
    if skipped:
        _fail(f"{skipped} photos already in {args.manifest} with these settings: skipped")
    return failed


def _record(
    args: argparse.Namespace,
    event: PhotoDone,
    out_dir: Path,
    used_stems: set[str],
    explainer: Explainer | None,
) -> dict[str, Any]:
    """The photo's JSON record; writes its overlay and map unless --no-overlays."""
    row, info = event.row, event.details
    t0 = time.perf_counter()
    outputs: dict[str, str] = {}
    if not args.no_overlays:
        outputs = _write_overlay(args, event, out_dir, used_stems)
    return {
        "image": event.path,
        "model": row["model"],
        "layer": row["layer"],
        "target": {
            "index": row["target_index"],
            "name": row["target_name"],
            "score": round(row["target_score"], 6),
        },
        "top5": [
            {"index": p["index"], "name": p["name"], "probability": round(p["probability"], 6)}
            for p in row["top5"]
        ],
        "maps": {"total": row["maps_total"], "evaluated": row["maps_evaluated"]},
        "weighting": row["weighting"],
        "fill": row["fill"],
        "approximate": info.get("approximate"),
        "device": info.get("device"),
        "precision": info.get("precision"),
        "compiled": bool(
            explainer is not None and explainer.compile_model and explainer.compile_error is None
        ),
        "seconds": {
            "load": round(info.get("load", 0.0), 4),
            "classify": round(info.get("classify", 0.0), 4),
            "scorecam": round(info.get("scorecam", 0.0), 4),
            "total": round(row["seconds"] + time.perf_counter() - t0, 4),
            "network": round(getattr(args, "network_seconds", 0.0), 4),  # once per run
        },
        "outputs": outputs,
    }


def _write_overlay(
    args: argparse.Namespace, event: PhotoDone, out_dir: Path, used_stems: set[str]
) -> dict[str, str]:
    import numpy as np

    from .engine import atomicio, imaging
    from .engine.folders.batch import stem_for
    from .engine.folders.manifest import map_from_row

    photo = event.photo if event.photo is not None else imaging.load_image(event.path)
    if args.center_crop:  # the map covers the centre crop only: draw it there, on that part
        photo = photo.crop(imaging.center_crop_box(photo.size, int(event.row["map_shape"][0])))
    saliency = (
        event.result.saliency if event.result is not None else map_from_row(event.row)
    ).astype(np.float32)
    rgb = np.asarray(photo)
    if args.overlay == "matlab":
        overlay = imaging.render_matlab_overlay(rgb, saliency)
    else:
        overlay = imaging.render_blend(rgb, saliency, args.colormap, args.opacity)
    stem = stem_for(event.path, used_stems)
    overlay_path = out_dir / f"{stem}-overlay.png"
    map_path = out_dir / f"{stem}-map.npy"
    atomicio.save_png(overlay_path, overlay)
    atomicio.save_npy(map_path, saliency)
    return {"overlay": str(overlay_path), "map": str(map_path)}


def _print_record(args: argparse.Namespace, record: dict[str, Any]) -> None:
    if args.json:
        print(json.dumps(record), flush=True)
        return
    t = record["target"]
    where = f" -> {record['outputs']['overlay']}" if record["outputs"] else ""
    print(
        f"{record['image']}: {t['name']} ({t['score'] * 100:.1f} %){where}"
        f" in {record['seconds']['total']:.2f} s",
        flush=True,
    )
