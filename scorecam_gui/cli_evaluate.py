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
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from . import choices, cli_faithfulness
from .cli_common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    TargetError,
    fail,
    fail_file,
    open_network,
    positive_int,
    user_errors,
)
from .cli_model import MODEL_HELP, add_model_file_options
from .cli_progress import TerminalStatus

if TYPE_CHECKING:
    import numpy as np

    from .engine.metrics import MapMetrics
    from .engine.networks import Network
    from .engine.scorecam import Explainer, Progress

T = TypeVar("T")
METHODS = ("scorecam", "gradcam", "gradcam++", "random")
# Each Score-CAM weighting on its own, and "noise" for "random" (the protocols' names).
METHOD_ALIASES = {
    "paper": "scorecam-paper",
    "matlab": "scorecam-matlab",
    "reference": "scorecam-reference",
    "noise": "random",
}
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
    ev.add_argument("--recursive", action="store_true", help="sub-folders of a folder too")
    ev.add_argument("--model", default="efficientnet_lite0", help=MODEL_HELP)
    ev.add_argument("--layer", help="target layer as named_modules() names it (scorecam layers)")
    ev.add_argument("--target", help="class index or name (default: each photo's predicted class)")
    ev.add_argument(
        "--methods",
        type=_comma_list(METHODS + tuple(METHOD_ALIASES)),
        default=None,
        metavar="LIST",
        help="comma list of scorecam, gradcam, gradcam++, random (a noise map: a sanity "
        "baseline; also 'noise'), or a weighting alone (paper, matlab, reference); default "
        "scorecam,gradcam,gradcam++ (with --grid or --sanity: all)",
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
    ev.add_argument("--batch-size", type=positive_int, default=None, metavar="N")
    ev.add_argument("--device", choices=choices.DEVICES, default="auto")
    ev.add_argument("--precision", choices=choices.PRECISIONS, default="auto")
    ev.add_argument("--center-crop", action="store_true", help="crop the centre, as in training")
    ev.add_argument("--weights", metavar="FILE", help="a state dict to load into --model")
    ev.add_argument("--labels", metavar="FILE", help="class names, one a line (with --weights)")
    ev.add_argument("--out", metavar="FILE.csv", help="write the rows as CSV (atomically)")
    add_model_file_options(ev)
    cli_faithfulness.add_arguments(ev)
    return ev


@dataclass
class _Row:
    image: str
    method: str
    class_index: int
    class_name: str
    metrics: MapMetrics
    map_seconds: float

    def csv(self) -> list[object]:
        m = self.metrics
        return [
            self.image,
            self.method,
            self.class_index,
            self.class_name,
            f"{m.probability:.6f}",
            f"{m.explanation_probability:.6f}",
            f"{100 * m.drop:.4f}",
            int(m.increase),
            f"{m.deletion.auc:.6f}",
            f"{m.insertion.auc:.6f}",
            m.steps,
            m.insertion_start,
            m.device,
            m.precision,
            f"{self.map_seconds:.3f}",
            f"{m.seconds:.3f}",
        ]


def _method_labels(methods: list[str], weightings: list[str]) -> list[str]:
    labels: list[str] = []
    for m in methods:
        labels += [f"scorecam-{w}" for w in weightings] if m == "scorecam" else [m]
    return list(dict.fromkeys(METHOD_ALIASES.get(label, label) for label in labels))


def _expand(paths: Sequence[str], recursive: bool = False) -> tuple[list[str], list[str]]:
    """Photos named, inside named folders (by content; sub-folders with --recursive) or in
    @lists, as `explain` takes them (engine/folders/paths.py); folders and lists that failed,
    each with its reason."""
    from .engine.folders.paths import expand_paths

    found = expand_paths(list(paths), recursive)
    return found.photos, [f"{path}: {reason}" for path, reason in found.problems]


def run(args: argparse.Namespace) -> int:
    """The `evaluate` command; `args` from the parser add_parser built."""
    weightings: list[str] = args.weighting or ["paper"]
    if args.weighting and "scorecam" not in (args.methods or ["scorecam"]):
        fail("--weighting needs scorecam in --methods")
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
    errors = user_errors()
    status = TerminalStatus(sys.stderr)
    try:
        net, target, explainer = open_network(args, status)
    except TargetError as exc:
        status.clear()
        fail(exc)
        return EXIT_USAGE
    except errors as exc:
        status.clear()
        fail(exc)
        return EXIT_FAILED

    photos, problems = _expand(args.images, args.recursive)
    failed = 0
    for problem in problems:
        fail(problem)
        failed += 1
    rows: list[_Row] = []
    for photo in photos:
        try:
            new = _evaluate_photo(args, photo, net, explainer, target, labels, weightings, status)
        except errors as exc:
            status.clear()
            failed += 1
            fail_file(photo, exc)
            continue
        if not rows:
            print(_row_header(), flush=True)
        for row in new:
            print(_row_line(row), flush=True)
        rows += new
    if rows:
        print()
        print(_summary(rows, labels))
    if out is not None:
        from .engine.atomicio import save_csv

        try:
            save_csv(out, CSV_HEADER, [r.csv() for r in rows])
        except errors as exc:
            fail(exc)
            return EXIT_FAILED
    return EXIT_FAILED if failed else EXIT_OK


def _evaluate_photo(
    args: argparse.Namespace,
    photo: str,
    net: Network,
    explainer: Explainer,
    target: int | None,
    labels: list[str],
    weightings: list[str],
    status: TerminalStatus,
) -> list[_Row]:
    """Every method's map and metrics for one photo (all or nothing for the photo)."""
    from .engine import imaging
    from .engine.metrics import run_metrics

    name = Path(photo).name[:28]
    rgb = explainer.prepare(imaging.load_image(photo), center_crop=args.center_crop)
    c = target if target is not None else explainer.classify(rgb)[0].index
    rows = []
    for label in labels:
        t0 = time.perf_counter()
        saliency = _saliency(args, explainer, rgb, c, label, status, f"{name} {label}")
        map_seconds = time.perf_counter() - t0
        gen = run_metrics(
            explainer,
            rgb,
            saliency,
            target=c,
            steps=args.steps,
            insertion_start=args.insertion_start,
        )
        metrics = _drain(gen, status, f"{name} {label} metrics", "images")
        rows.append(_Row(photo, label, c, net.categories[c], metrics, map_seconds))
    status.clear()
    return rows


def _saliency(
    args: argparse.Namespace,
    explainer: Explainer,
    rgb: np.ndarray,
    c: int,
    label: str,
    status: TerminalStatus,
    text: str,
) -> np.ndarray:
    if label.startswith("scorecam-"):
        gen = explainer.run(rgb, layer=args.layer, target=c, weighting=label.split("-", 1)[1])
        return _drain(gen, status, text, "maps").saliency
    if label == "random":
        import numpy as np

        # A fixed noise map: what the metrics give for a map that knows nothing.
        return np.random.default_rng(0).random(rgb.shape[:2]).astype(np.float32)
    from .engine.gradcam import run_gradcam

    return _drain(run_gradcam(explainer, rgb, args.layer, c, label), status, text, "").saliency


def _drain(gen: Generator[Progress, None, T], status: TerminalStatus, text: str, unit: str) -> T:
    """Run an engine generator to its result, showing its progress."""
    from .engine.scorecam import run_to_end

    if not unit:
        return run_to_end(gen)
    return run_to_end(gen, lambda p: status.show(f"{text}: {p.done}/{p.total} {unit}"))


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


def _row_line(row: _Row) -> str:
    m = row.metrics
    image = cut(Path(row.image).name, 24)
    index = f" ({row.class_index})"
    cls = cut(row.class_name, 22 - len(index)) + index
    return (
        f"{image:<24} {cut(row.method, 19):<19} {cls:<22} {m.probability:7.3f} "
        f"{m.explanation_probability:7.3f} {100 * m.drop:7.1f} {'yes' if m.increase else 'no':>4} "
        f"{m.deletion.auc:8.3f} {m.insertion.auc:9.3f}"
    )


def _summary(rows: list[_Row], labels: list[str]) -> str:
    from .engine.metrics import summarise

    lines = [
        "means (drop and deletion: lower is better; increase and insertion: higher is better)",
        f"{'method':<19} {'photos':>6} {'avg drop %':>10} {'avg increase %':>14} "
        f"{'deletion':>8} {'insertion':>9}",
    ]
    for label in labels:
        s = summarise([r.metrics for r in rows if r.method == label])
        if s.count == 0 or math.isnan(s.average_drop):
            continue
        lines.append(
            f"{label:<19} {s.count:>6} {s.average_drop:10.1f} {s.average_increase:14.1f} "
            f"{s.deletion:8.3f} {s.insertion:9.3f}"
        )
    return "\n".join(lines)
