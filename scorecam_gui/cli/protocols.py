"""`scorecam evaluate --grid N` and `scorecam evaluate --sanity`: the two protocols that can rank
methods without a labelled dataset (docs in engine/faithfulness/pointing_game.py and
engine/faithfulness/sanity.py).

--grid: the grid pointing game. One CSV row per method, grid and cell (`localisation` = share of
the map's positive mass in the cell); the summary gives each method's mean with a 95 % bootstrap
interval, and chance (1/N²).
--sanity: cascading randomisation. One CSV row per photo, method and step (Spearman and SSIM of
the map against the intact network's); the summary gives the means over the photos per step.

Exit codes as for `evaluate`: 0 done, 1 something failed (one line each on stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..engine.methods import catalog
from .argtypes import bounded, positive_int
from .batch import batch_errors, expand_photos
from .common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, counted, fail, fail_file, open_network
from .progress import TerminalStatus

if TYPE_CHECKING:
    import numpy as np

    from ..engine.explainer import Explainer
    from ..engine.faithfulness.pointing_game import GridGame
    from ..engine.folders.batch import MapsProgress, PhotoDone
    from ..engine.progress import Progress

    Photos = list[tuple[str, np.ndarray]]

T = TypeVar("T")
GRID_HEADER = (
    "method",
    "grid",
    "cell",
    "row",
    "col",
    "photo",
    "class_index",
    "class_name",
    "localisation",
    "chance",
    "grid_size",
    "cell_pixels",
    "seed",
    "layer",
    "device",
    "precision",
    "map_seconds",
)
SANITY_HEADER = (
    "photo",
    "method",
    "class_index",
    "class_name",
    "randomised",
    "layer_group",
    "spearman",
    "ssim",
    "seed",
    "device",
    "precision",
)
ALL_LABELS = catalog.PROTOCOL_METHODS


_probability = bounded(
    float, 0.0, 1.0, low_open=True, out_of_range="{text} is not a probability in (0, 1]"
)
_grid_size = bounded(int, 2, 8, out_of_range="{text}: a grid is 2 to 8 cells a side")


def add_arguments(ev: argparse.ArgumentParser) -> None:
    """The protocols' options on the `evaluate` parser."""
    group = ev.add_argument_group(
        "ranking protocols",
        "--grid: the grid pointing game (Rao et al., CVPR 2022); --sanity: cascading "
        "randomisation (Adebayo et al., NeurIPS 2018). Without --methods both compare "
        + ", ".join(ALL_LABELS)
        + " (sscam, iscam and ablationcam only when named: they take far more passes).",
    )
    group.add_argument(
        "--grid",
        type=_grid_size,
        metavar="N",
        help="tile photos of confident, distinct classes into N x N grids and score how much of "
        "each cell's map falls in that cell (chance: 1/N²)",
    )
    group.add_argument(
        "--grids", type=positive_int, default=4, metavar="K", help="grids to make (default 4)"
    )
    group.add_argument(
        "--seed", type=int, default=0, metavar="S", help="arrangement, noise, bootstrap (0)"
    )
    group.add_argument(
        "--min-confidence",
        type=_probability,
        default=0.5,
        metavar="P",
        help="a photo takes part in a grid if its top class has at least this (default 0.5)",
    )
    group.add_argument(
        "--sanity",
        action="store_true",
        help="re-initialise the network's layers from the top down and compare each method's "
        "map with the original one (Spearman, SSIM)",
    )
    group.add_argument(
        "--sanity-steps",
        type=positive_int,
        default=None,
        metavar="N",
        help="explain after N evenly spread depths of randomisation (default: after every layer)",
    )


def wanted(args: argparse.Namespace) -> bool:
    """Whether the command line asks for one of the protocols."""
    return args.grid is not None or bool(args.sanity)


def run(args: argparse.Namespace, labels: list[str] | None) -> int:
    """--grid or --sanity; `labels` are evaluate's method labels (None: all six)."""
    if args.grid is not None and args.sanity:
        fail("--grid and --sanity are two runs: choose one")
        return EXIT_USAGE
    if args.grid is not None and args.target is not None:
        fail("--grid explains each cell for its own photo's class: leave out --target")
        return EXIT_USAGE
    if args.grid is not None and args.manifest:
        fail("--manifest keeps rows per photo; a grid's cells go to --out FILE.csv")
        return EXIT_USAGE
    out = Path(args.out) if args.out else None
    if out is not None and (out.is_dir() or not out.parent.is_dir()):
        fail("is a folder, not a file" if out.is_dir() else "its folder does not exist", out)
        return EXIT_USAGE
    methods = list(labels or ALL_LABELS)
    if args.sanity:
        return _sanity(args, methods, out)
    errors = batch_errors()
    status = TerminalStatus(sys.stderr)
    try:
        _net, _target, explainer = open_network(args, status)
    except errors as exc:
        status.clear()
        fail(str(exc))
        return EXIT_FAILED
    from ..engine import imaging

    photos, empty = expand_photos(args.images, args.recursive)
    failed = len(empty)
    for problem in empty:
        fail(problem)
    images = []
    for photo in photos:
        try:
            images.append((photo, explainer.prepare(imaging.load_image(photo), args.center_crop)))
        except errors as exc:
            failed += 1
            fail_file(photo, exc)
    try:
        ok = _grid(args, explainer, images, methods, status, out)
    except errors as exc:
        status.clear()
        fail(str(exc))
        return EXIT_FAILED
    return EXIT_FAILED if failed or not ok else EXIT_OK


def _drain(gen: Generator[Progress, None, T], status: TerminalStatus, text: str) -> T:
    from ..engine.progress import run_to_end

    def show(p: Progress) -> None:
        status.show(_progress_text(text, p))

    result = run_to_end(gen, show)
    status.clear()
    return result


def _progress_text(text: str, p: Progress) -> str:
    eta = f", {p.eta:.0f} s left" if p.eta is not None and p.done else ""
    return f"{text}: {p.done}/{p.total} maps{eta}"


# -- grid pointing game -------------------------------------------------------------------------
def _grid(
    args: argparse.Namespace,
    explainer: Explainer,
    images: Photos,
    methods: list[str],
    status: TerminalStatus,
    out: Path | None,
) -> bool:
    from ..engine.faithfulness.pointing_game import run_grid_game, select_photos

    n = args.grid
    status.show(f"classifying {counted(len(images), 'photo')}…")
    chosen, skipped = select_photos(explainer, images, args.min_confidence)
    status.clear()
    for s in skipped:
        print(f"skipped {s.label}: {s.reason}", flush=True)
    if len(chosen) < n * n:
        fail(
            f"a {n} x {n} grid needs {n * n} photos of confident, distinct classes; "
            f"{len(chosen)} qualify (at least {args.min_confidence:.2f}, --min-confidence)"
        )
        return False
    print(
        f"{len(chosen)} photos take part: "
        + ", ".join(
            f"{Path(p.label).name} ({p.prediction.name} {p.prediction.probability:.2f})"
            for p in chosen
        ),
        flush=True,
    )
    if args.executor == "ray":
        from ..engine.folders.grid_ray import run_grid_game_ray
        from .batch import network_job

        job = network_job(args)
        gen = run_grid_game_ray(job, chosen, n, args.grids, args.seed, methods, args.ray_address)
    else:
        gen = run_grid_game(explainer, chosen, n, args.grids, args.seed, methods, args.layer)
    game = _drain(gen, status, f"{counted(args.grids, 'grid')} of {n} x {n}")
    print(_grid_summary(game))
    if out is not None:
        from ..engine.atomicio import save_csv

        save_csv(out, GRID_HEADER, _grid_rows(game, explainer, args.layer))
    return True


def _grid_rows(game: GridGame, explainer: Explainer, layer: str | None) -> list[list[object]]:
    size = game.images[0].shape[0]
    layer_name = layer or explainer.network.default_layer
    device = explainer.device.type
    precision = explainer.precision
    rows: list[list[object]] = []
    for s in game.scores:
        r, c = divmod(s.cell, game.n)
        rows.append(
            [
                s.method,
                s.grid,
                s.cell,
                r,
                c,
                s.photo,
                s.class_index,
                s.class_name,
                f"{s.localisation:.6f}",
                f"{game.chance:.6f}",
                game.n,
                f"{size / game.n:g}",
                game.seed,
                layer_name,
                device,
                precision,
                f"{s.seconds:.3f}",
            ]
        )
    return rows


def _grid_summary(game: GridGame) -> str:
    from ..engine.faithfulness.pointing_game import CellScore

    n, size = game.n, game.images[0].shape[0]
    lines = [
        f"grid pointing game: {counted(len(game.arrangements), 'grid')} of {n} x {n}, "
        f"seed {game.seed}; each "
        f"grid resized whole to {size} px, so a cell is {size / n:g} px of the network's view",
        "localisation = share of the map's positive mass in the explained cell "
        f"(higher is better; chance {game.chance:.3f})",
        f"{'method':<19} {'cells':>5} {'mean':>6} {'95 % interval':>15} {'best cell':>9}",
    ]
    for method in game.methods:
        mine: list[CellScore] = [s for s in game.scores if s.method == method]
        iv = game.summary(method)
        top = sum(1 for s in mine if s.localisation > 0.5)
        lines.append(
            f"{method:<19} {iv.count:>5} {iv.mean:6.3f} {f'{iv.low:.3f} - {iv.high:.3f}':>15} "
            f"{f'{top}/{len(mine)}':>9}"
        )
    lines.append("best cell: cells with more than half of the map's mass in them")
    return "\n".join(lines)


# -- sanity check -------------------------------------------------------------------------------
def _sanity(args: argparse.Namespace, methods: list[str], out: Path | None) -> int:
    """--sanity through the batch loop (engine/folders/sanity_batch.py): local or Ray, and a
    manifest that resumes; one line per photo, then the means over the photos."""
    from ..engine.folders.sanity_batch import SanityCheck
    from .batch import collect_rows, network_job

    status = TerminalStatus(sys.stderr)
    spec = SanityCheck(network_job(args), tuple(methods), args.sanity_steps, args.seed)
    photos, problems = expand_photos(args.images, args.recursive)
    for problem in problems:
        fail(problem)

    def progress_text(event: MapsProgress, _work: object) -> str:
        return _progress_text(f"{Path(event.path).name[:28]} sanity", event.progress)

    def on_photo(event: PhotoDone) -> None:
        first = event.rows[0]
        print(f"{event.path}: {first['class_name']} ({first['class_index']})", flush=True)

    run = collect_rows(args, spec, photos, status, progress_text, on_photo, "checked")
    if run.usage:
        return EXIT_USAGE
    rows, failed = run.rows, len(problems) + run.failed
    if rows:
        print(_sanity_summary(rows, methods))
    if out is not None and rows:
        from ..engine.atomicio import save_csv

        try:
            save_csv(out, SANITY_HEADER, [_sanity_csv(r) for r in rows])
        except batch_errors() as exc:
            fail(exc)
            return EXIT_FAILED
    return EXIT_FAILED if failed or not (rows or run.skipped) else EXIT_OK


def _sanity_csv(row: dict[str, Any]) -> list[object]:
    return [
        row["path"],
        row["method"],
        row["class_index"],
        row["class_name"],
        row["randomised"],
        row["layer_group"],
        f"{row['spearman']:.6f}",
        f"{row['ssim']:.6f}",
        row["seed"],
        row["device"],
        row["precision"],
    ]


def _sanity_summary(rows: list[dict[str, Any]], methods: list[str]) -> str:
    import numpy as np

    photos = {r["path"] for r in rows}
    present = [m for m in methods if any(r["method"] == m for r in rows)]
    steps = sorted({(r["randomised"], r["layer_group"]) for r in rows if r["randomised"]})
    lines = [
        f"cascading randomisation over {len(photos)} photo(s): mean similarity to the intact "
        "network's map (1 = unchanged; a method that passes falls towards 0)",
    ]
    for measure in ("spearman", "ssim"):
        title = "Spearman rank correlation" if measure == "spearman" else "SSIM"
        lines.append("")
        lines.append(title)
        lines.append(f"{'randomised down to':<22}" + "".join(f"{m[:12]:>13}" for m in present))
        for randomised, group in steps:
            cells = []
            for m in present:
                values = [
                    r[measure] for r in rows if r["method"] == m and r["randomised"] == randomised
                ]
                finite = [v for v in values if not np.isnan(v)]
                cells.append(f"{np.mean(finite):13.3f}" if finite else f"{'flat':>13}")
            name = f"{group} ({randomised})"
            lines.append(f"{name[:22]:<22}" + "".join(cells))
    return "\n".join(lines)
