"""`scorecam teach FOLDER --out FILE.pth`: teach a network new classes from folders of photos,
write the model (FILE.pth) and its class names (FILE.txt) that `explain --weights --labels`
opens, and print the held-out accuracy, the confusion table and the shortcut check
(engine/teach/, docs/teaching.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import choices
from .argtypes import bounded, positive_int
from .common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail, printable, user_errors
from .progress import TerminalStatus

if TYPE_CHECKING:
    from ..engine.teach.shortcuts import ShortcutReport
    from ..engine.teach.teaching import Teaching

__all__ = ["add_parser", "run"]

_STAGES = {"features": "reading photos", "fit": "fitting the last layer", "check": "explaining"}
held_out_share = bounded(
    float, 0.0, 1.0, low_open=True, out_of_range="'{text}' must be above 0 and below 1"
)


def add_parser(sub: Any) -> None:
    """The `teach` subcommand, on `sub` (the parser's subparsers)."""
    p = sub.add_parser(
        "teach",
        help="teach a network your own classes from folders of photos",
        description="Teach a network new classes: the network is kept as it is and a new last "
        "layer is learnt on its features. FOLDER holds one sub-folder of photos a class (named "
        "after the class); or give several folders, one a class. Writes FILE.pth (the weights, "
        "for --weights) and FILE.txt (the class names, for --labels), prints the accuracy on "
        "the photos held out from teaching and what the network looks at in them.",
    )
    p.add_argument("folders", nargs="+", metavar="FOLDER", help="the photos, one folder a class")
    p.add_argument("--out", required=True, metavar="FILE.pth", help="the model file to write")
    p.add_argument(
        "--model",
        default="efficientnet_lite0",
        help="the network to teach (default: the bundled EfficientNet-Lite0; any network whose "
        "weights are on this machine and whose last layer is linear)",
    )
    p.add_argument(
        "--held-out",
        type=held_out_share,
        default=0.25,
        metavar="SHARE",
        help="share of each class's photos kept to test the result (default 0.25)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        help="which photos are held out (default 0: the same photos every run)",
    )
    p.add_argument(
        "--no-check",
        action="store_true",
        help="skip the shortcut check (explaining every held-out photo)",
    )
    p.add_argument(
        "--approximate",
        type=positive_int,
        metavar="N",
        help="in the shortcut check, score only the N strongest maps of each photo (faster)",
    )
    p.add_argument("--maps", metavar="DIR", help="save each class's average map there as PNG")
    p.add_argument(
        "--device",
        choices=choices.DEVICES,
        default="auto",
        help="where the network runs: auto (default: a GPU if there is one), cpu, cuda, mps",
    )


def _labels_file(out: Path) -> Path | None:
    from ..engine.teach.taught import labels_path_for

    labels = labels_path_for(out)
    return None if labels == out else labels


def _percent(right: int, total: int) -> str:
    return f"{100 * right / total:.0f} % ({right} of {total})" if total else "-"


def print_teaching(result: Teaching, title: str) -> None:
    """The accuracy per class, the confusion table and the photos it got wrong."""
    classes = result.classes
    counts = result.dataset.counts()
    n_test = len(result.split.test)
    print(
        f"Taught {title} {len(classes)} classes from {sum(counts)} photos: "
        f"{sum(counts) - n_test} to learn from, {n_test} held out (seed {result.split.seed})."
    )
    print(
        f"Reading the photos took {result.seconds_features:.1f} s, the fit "
        f"{result.seconds_fit:.1f} s."
    )
    right = sum(r for r, _ in result.per_class())
    print(f"\nHeld-out accuracy: {_percent(right, n_test)}")
    width = max(len(printable(c)) for c in classes)
    for name, (r, total) in zip(classes, result.per_class(), strict=True):
        print(f"  {printable(name):<{width}}  {_percent(r, total)}")
    print("\nConfusion (rows: the photos' class, columns: what the network said):")
    cell = max(width, *(len(str(v)) for v in result.confusion().ravel()), 5)
    print(" " * (width + 2) + "".join(f"  {printable(c)[:cell]:>{cell}}" for c in classes))
    for name, row in zip(classes, result.confusion(), strict=True):
        print(f"  {printable(name):<{width}}" + "".join(f"  {v:>{cell}}" for v in row))
    mistakes = result.mistakes()
    print(f"\nGot wrong: {len(mistakes)}" if not mistakes else f"\nGot wrong ({len(mistakes)}):")
    for m in mistakes:
        said = f"said {printable(m.said)} ({100 * m.probability:.0f} %)"
        print(f"  {printable(m.path)}: {printable(m.true_class)}, {said}")


def print_check(report: ShortcutReport, photos: int) -> None:
    """Per class: the shortcut warning or where its maps look, and the odd photos."""
    print(
        f"\nShortcut check ({report.method} on the {photos} held-out photos, "
        f"{report.seconds:.0f} s):"
    )
    for c in report.classes:
        name = printable(c.name)
        if c.warning:
            print(f"  {name}: WARNING: {printable(c.warning)}.")
        elif not c.judged:
            print(f"  {name}: too few held-out photos to judge ({len(c.spots)}).")
        else:
            middle = sum(1 for s in c.spots if s.region == "middle")
            print(
                f"  {name}: no shortcut seen (no corner or edge in most maps; the middle in "
                f"{middle} of {len(c.spots)})."
            )
        odd = ", ".join(f"{printable(Path(p).name)} ({like:.2f})" for p, like in c.odd)
        print(f"    least like its usual map: {odd}")


def _save_maps(report: ShortcutReport, folder: Path) -> list[Path]:
    from ..engine.atomicio import save_png
    from ..engine.imaging import render_matlab_overlay

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, c in enumerate(report.classes):
        m = c.average_map
        peak = float(m.max())
        scaled = m / peak if peak > 0 else m
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in c.name)
        path = folder / f"average-{index:02d}-{safe}.png"
        written.append(save_png(path, render_matlab_overlay(c.average_photo, scaled)))
    return written


def _teach(args: argparse.Namespace, out: Path, labels: Path, status: TerminalStatus) -> int:
    from ..engine.explainer import Explainer
    from ..engine.models import registry
    from ..engine.models.catalog import is_model_file
    from ..engine.progress import run_to_end
    from ..engine.runtime.device import resolve_device
    from ..engine.teach import dataset, shortcuts, taught, teaching

    taught.check_writable(out)  # before the work, not after it
    if len(args.folders) == 1:
        data = dataset.read_folder(args.folders[0])
    else:
        data = dataset.from_class_folders([Path(f) for f in args.folders])
    if is_model_file(args.model):  # its weights could not be loaded back with --weights
        raise dataset.TeachError(
            f"{args.model}: a model file cannot be taught; teach a network by name, such as "
            "efficientnet_lite0 or resnet18"
        )
    net = registry.load_network(args.model, allow_download=False)
    device = str(resolve_device(args.device))

    def show(p: Any) -> None:
        status.show(f"{_STAGES.get(p.stage, p.stage)}: {p.done}/{p.total}")

    result = run_to_end(teaching.teach(data, net, args.held_out, args.seed, device=device), show)
    status.clear()
    print_teaching(result, net.info.title)
    taught.save_taught(result.taught, out)
    print(f"\nWrote {printable(out)} and {printable(labels)}. Explain with it:")
    model = "" if args.model == "efficientnet_lite0" else f" --model {printable(args.model)}"
    print(
        f"  scorecam explain PHOTO{model} --weights {printable(out)} --labels {printable(labels)}"
    )
    if args.no_check:
        return EXIT_OK
    test = result.split.test
    report = run_to_end(
        shortcuts.check_shortcuts(
            result.taught,
            [data.paths[i] for i in test],
            data.labels[test],
            approximate=args.approximate,
            explainer=Explainer(result.taught, args.device),
        ),
        show,
    )
    status.clear()
    print_check(report, len(test))
    if args.maps:
        written = _save_maps(report, Path(args.maps))
        print(f"\nThe average maps: {', '.join(printable(p) for p in written)}")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """`scorecam teach`: one line on stderr and exit 1 for what a user can fix."""
    out = Path(args.out)
    labels = _labels_file(out)
    if labels is None:
        fail("--out must name the model file, e.g. classes.pth (the names go beside it, in .txt)")
        return EXIT_USAGE
    status = TerminalStatus(sys.stderr)
    try:
        return _teach(args, out, labels, status)
    except user_errors() as exc:  # TeachError is a ValueError: one of them
        status.clear()
        fail(exc)
        return EXIT_FAILED
