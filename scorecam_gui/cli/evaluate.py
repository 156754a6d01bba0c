"""`scorecam evaluate`: faithfulness metrics of Score-CAM, Grad-CAM and Grad-CAM++ on photos.

One row per photo and method (stdout, and --out FILE.csv), then the means per method as the
Score-CAM paper reports them (Average Drop / Increase in %, Deletion / Insertion AUC).
Exit codes as for `explain`: 0 all done, 1 something failed (the rest still done, one line each
on stderr), 2 usage. torch is imported only when the command runs (fast --help).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import choices
from ..engine.methods import catalog
from . import protocols as cli_faithfulness
from .argtypes import positive_int
from .batch import add_batch_arguments, expand_photos
from .common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_network_arguments, fail
from .model_options import MODEL_HELP, add_model_file_options
from .progress import TerminalStatus

if TYPE_CHECKING:
    from ..engine.folders.batch import MapsProgress, PhotoDone, PhotoWork
    from ..engine.folders.evaluation import Evaluation

# Any catalog name or alias (engine/methods/catalog.py); plain `scorecam` means each --weighting.
METHODS = catalog.accepted()
WEIGHTINGS = choices.WEIGHTINGS
DEFAULT_STEPS = choices.DEFAULT_STEPS
CSV_HEADER = (
    "image",
    "method",
    "class_index",
    "class_name",
    "probability",
    "explanation_probability",
    "drop_pct",
    "increase",
    "deletion_auc",
    "insertion_auc",
    "steps",
    "insertion_start",
    "device",
    "precision",
    "map_seconds",
    "metrics_seconds",
)


def _comma_list(allowed: tuple[str, ...]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        items = [t.strip().lower() for t in text.split(",") if t.strip()]
        bad = [t for t in items if t not in allowed]
        if bad or not items:
            what = f"'{', '.join(bad)}'" if bad else "nothing"
            raise argparse.ArgumentTypeError(f"{what}: choose from {','.join(allowed)}")
        return list(dict.fromkeys(items))  # keep order, drop repeats

    return parse


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Register `evaluate` on the `scorecam` subparsers."""
    ev = sub.add_parser(
        "evaluate",
        help="faithfulness metrics (Average Drop/Increase, Deletion, Insertion) per method",
        description="Score each photo's explanation maps as the Score-CAM paper does: Average "
        "Drop and Increase (Table 1), Deletion and Insertion AUC (Table 3). One row per photo and "
        "method, then the means. Lower is better for drop and deletion, higher for increase and "
        "insertion.",
    )
    ev.add_argument("images", nargs="+", metavar="PATH", help="photos, folders, @list.txt")
    add_batch_arguments(ev, rows="one Parquet row per photo and method (the CSV's columns)")
    add_network_arguments(
        ev,
        model_help=MODEL_HELP,
        target_help="class index or name (default: each photo's predicted class)",
    )
    ev.add_argument(
        "--methods",
        type=_comma_list(METHODS),
        default=None,
        metavar="LIST",
        help=f"comma list of {', '.join(catalog.names())} (noise: a map of random numbers, "
        "the chance baseline); scorecam means each --weighting; default "
        "scorecam,gradcam,gradcam++ (with --grid or --sanity: the three Score-CAM weightings, "
        "gradcam, gradcam++ and noise)",
    )
    ev.add_argument(
        "--weighting",
        type=_comma_list(WEIGHTINGS),
        default=None,
        metavar="LIST",
        help="Score-CAM weightings, comma list of paper, matlab, reference; each is its own "
        "method row (default: paper)",
    )
    ev.add_argument(
        "--steps",
        type=positive_int,
        default=DEFAULT_STEPS,
        metavar="N",
        help=f"deletion/insertion steps (default {DEFAULT_STEPS})",
    )
    ev.add_argument(
        "--insertion-start",
        choices=choices.INSERTION_STARTS,
        default="blur",
        help="insertion canvas: the blurred photo (RISE, default) or black",
    )
    ev.add_argument("--out", metavar="FILE.csv", help="write the rows as CSV (atomically)")
    add_model_file_options(ev)
    cli_faithfulness.add_arguments(ev)
    return ev


def _method_labels(methods: list[str], weightings: list[str]) -> list[str]:
    labels: list[str] = []
    for m in methods:
        labels += [f"scorecam-{w}" for w in weightings] if m == "scorecam" else [m]
    return list(dict.fromkeys(catalog.canonical(label) for label in labels))


def run(args: argparse.Namespace) -> int:
    """The `evaluate` command; `args` from the parser add_parser built."""
    weightings: list[str] = args.weighting or ["paper"]
    if args.weighting and "scorecam" not in (args.methods or ["scorecam"]):
        fail("--weighting needs scorecam in --methods")
        return EXIT_USAGE
    if args.ray_address and args.executor != "ray":
        fail("--ray-address needs --executor ray")
        return EXIT_USAGE
    if cli_faithfulness.wanted(args):
        chosen = args.methods or (["scorecam"] if args.weighting else None)
        return cli_faithfulness.run(args, chosen and _method_labels(chosen, weightings))
    args.methods = args.methods or ["scorecam", "gradcam", "gradcam++"]
    out = Path(args.out) if args.out else None
    if out is not None and out.is_dir():
        fail("is a folder, not a file", out)
        return EXIT_USAGE
    if out is not None and not out.parent.is_dir():
        fail("its folder does not exist", out)
        return EXIT_USAGE
    labels = _method_labels(args.methods, weightings)
    return _run_batch(args, labels, out)


def evaluation_from_args(args: argparse.Namespace, labels: list[str]) -> Evaluation:
    from ..engine.folders.evaluation import Evaluation
    from .batch import network_job

    return Evaluation(network_job(args), tuple(labels), args.steps, args.insertion_start)


def _run_batch(args: argparse.Namespace, labels: list[str], out: Path | None) -> int:
    """The metrics of every photo and method through the batch loop (local or Ray), a row a
    method as each photo finishes, then the means; the manifest as rows finish."""
    from .batch import batch_errors, collect_rows

    status = TerminalStatus(sys.stderr)
    photos, problems = expand_photos(args.images, args.recursive)
    for problem in problems:
        fail(problem)
    printed: list[bool] = []

    def progress_text(event: MapsProgress, work: PhotoWork | None) -> str:
        p = event.progress
        stage = getattr(work, "stage", "")
        unit = "images" if stage.endswith("metrics") else "maps"
        return f"{Path(event.path).name[:28]} {stage}: {p.done}/{p.total} {unit}"

    def on_photo(event: PhotoDone) -> None:
        if not printed:
            print(_row_header(), flush=True)
            printed.append(True)
        for row in event.rows:
            print(_row_line(row), flush=True)

    spec = evaluation_from_args(args, labels)
    run = collect_rows(args, spec, photos, status, progress_text, on_photo, "evaluated")
    if run.usage:
        return EXIT_USAGE
    failed = len(problems) + run.failed
    if run.rows:
        print()
        print(_summary(run.rows, labels))
    if out is not None and (run.rows or not failed):
        from ..engine.atomicio import save_csv

        try:
            save_csv(out, CSV_HEADER, [_csv(r) for r in run.rows])
        except batch_errors() as exc:
            fail(exc)
            return EXIT_FAILED
    return EXIT_FAILED if failed else EXIT_OK


def _csv(row: dict[str, Any]) -> list[object]:
    return [
        row["path"],
        row["method"],
        row["class_index"],
        row["class_name"],
        f"{row['probability']:.6f}",
        f"{row['explanation_probability']:.6f}",
        f"{row['drop_pct']:.4f}",
        int(row["increase"]),
        f"{row['deletion_auc']:.6f}",
        f"{row['insertion_auc']:.6f}",
        row["steps"],
        row["insertion_start"],
        row["device"],
        row["precision"],
        f"{row['map_seconds']:.3f}",
        f"{row['metrics_seconds']:.3f}",
    ]


def cut(text: str, width: int) -> str:
    """Text that fits `width` characters, ending in "…" when it had to be shortened."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _row_header() -> str:
    # p photo / p map: the class's probability for the photo and for the map times the photo
    # (the paper's Y and O).
    return (
        f"{'image':<24} {'method':<19} {'class':<22} {'p photo':>7} {'p map':>7} {'drop %':>7} "
        f"{'incr':>4} {'deletion':>8} {'insertion':>9}"
    )


def _row_line(row: dict[str, Any]) -> str:
    image = cut(Path(row["path"]).name, 24)
    index = f" ({row['class_index']})"
    cls = cut(row["class_name"], 22 - len(index)) + index
    return (
        f"{image:<24} {cut(row['method'], 19):<19} {cls:<22} {row['probability']:7.3f} "
        f"{row['explanation_probability']:7.3f} {row['drop_pct']:7.1f} "
        f"{'yes' if row['increase'] else 'no':>4} "
        f"{row['deletion_auc']:8.3f} {row['insertion_auc']:9.3f}"
    )


def _summary(rows: list[dict[str, Any]], labels: list[str]) -> str:
    import numpy as np

    from ..engine.faithfulness.metrics import average_drop, average_increase

    lines = [
        "means (drop and deletion: lower is better; increase and insertion: higher is better)",
        f"{'method':<19} {'photos':>6} {'avg drop %':>10} {'avg increase %':>14} "
        f"{'deletion':>8} {'insertion':>9}",
    ]
    for label in labels:
        mine = [r for r in rows if r["method"] == label]
        if not mine:
            continue
        drop = average_drop(r["drop_pct"] / 100.0 for r in mine)
        if math.isnan(drop):
            continue
        increase = average_increase(r["increase"] for r in mine)
        deletion = float(np.mean([r["deletion_auc"] for r in mine]))
        insertion = float(np.mean([r["insertion_auc"] for r in mine]))
        lines.append(
            f"{label:<19} {len(mine):>6} {drop:10.1f} {increase:14.1f} "
            f"{deletion:8.3f} {insertion:9.3f}"
        )
    return "\n".join(lines)
