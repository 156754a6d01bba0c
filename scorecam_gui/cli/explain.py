"""`scorecam explain`: its options (the photos, the network, the method and its settings, the
overlay and the batch), and the command, whose loop is cli/batch.py's."""

from __future__ import annotations

import argparse
from typing import Any

from .. import choices
from ..engine.methods import catalog
from . import batch as cli_batch  # the batch options (issue 13); imports no torch either
from .argtypes import bounded, positive_int
from .common import Parser, add_network_arguments
from .model_options import MODEL_HELP, add_model_file_options

__all__ = ["add_parser", "run"]


# The methods whose one run gives every class (the catalog's every_class rows), for the help.
_SHARING = ", ".join(
    ["scorecam"]
    + [m.name for m in catalog.METHODS if m.every_class and not m.name.startswith("scorecam-")]
)
_opacity = bounded(float, 0.0, 1.0, out_of_range="'{text}' must be between 0 and 1")
_seconds = bounded(
    float,
    0.0,
    not_a_number="'{text}' is not a number of seconds",
    out_of_range="'{text}' must be 0 or more seconds",
)


def _colormap(text: str) -> str:
    """A colour map's name; an unknown one is a usage error (exit 2) that lists them."""
    from ..engine.colormaps import COLORMAPS  # numpy only, and only when --colormap is given

    if text not in COLORMAPS:
        raise argparse.ArgumentTypeError(f"unknown colour map '{text}': use {', '.join(COLORMAPS)}")
    return text


def _method(text: str) -> str:
    """--method: a catalog name or alias, as given (scorecam keeps --weighting)."""
    try:
        catalog.canonical(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip().lower()


def add_parser(sub: Any) -> Parser:
    """The `explain` subcommand and its options, on `sub` (the parser's subparsers)."""
    ex = sub.add_parser(
        "explain",
        help="explain the prediction for photos, folders, @lists",
        description="Explain what a network sees in photos: for each photo, writes "
        "PHOTO-METHOD-overlay.png (the heat map over the photo) and PHOTO-METHOD-map.npy (the "
        "map, values 0 to 1; METHOD the method's name, so that no method's files replace "
        "another's) into --out, and prints the class with its probability.",
    )
    ex.add_argument(
        "images",
        nargs="+",
        metavar="PATH",
        help="a photo (PNG, JPEG, TIFF, BMP, WebP...), a folder (its photos, by content) or "
        "@list.txt (one path a line); several are explained one by one",
    )
    add_network_arguments(
        ex,
        model_help=MODEL_HELP + " (default: efficientnet_lite0, bundled, works offline; the "
        "others are downloaded once: see scorecam models)",
        target_help="class index or name (default: the predicted class; scorecam classes MODEL "
        "WORD lists the names); give it several times for several classes from one run: a "
        "record and a pair of files each, the class in their names",
        several_targets=True,
        batch_size_help="masked photos scored per pass through the network (default: chosen "
        "for the device; smaller uses less memory, and Ctrl+C stops sooner)",
        device_help="where the network runs: auto (default: an NVIDIA GPU, else Apple's, else "
        "the CPU), cpu, cuda or mps",
        precision_help="number format of the masked passes: auto (default: a 16-bit format only "
        "where it was measured faster with the same map), fp32 (exact), bf16, fp16, int8 "
        "(OpenVINO with NNCF: faster, approximate; each run says how close its network's map "
        "came to the exact one); classifying always uses fp32",
    )
    ex.add_argument(
        "--method",
        type=_method,
        default="scorecam",
        metavar="NAME",
        help="the explanation: scorecam (default), "
        + ", ".join(n for n in catalog.names() if not n.startswith("scorecam-") and n != "noise")
        + " (what each computes and costs: the README's method table)",
    )
    ex.add_argument(
        "--contrast",
        metavar="CLASS",
        help="explain the target rather than this class (index or name): the map shows what "
        "makes the network choose the target over it, from the same passes ("
        + _SHARING
        + "), or the gradient of the difference (gradient methods)",
    )
    ex.add_argument(
        "--top-k",
        type=int,
        metavar="N",
        help="maps of each photo's N most likely classes (1 to 5), a record and files each: "
        "at the cost of one for " + _SHARING + "; the other methods run once per class",
    )
    ex.add_argument(
        "--weighting",
        choices=choices.WEIGHTINGS,
        default="paper",
        help="Score-CAM: how each feature map's score becomes its weight: paper (default; "
        "softmax of the class logits, Alg. 1 of the paper), matlab (the MATLAB example: softmax of "
        "probabilities, flatter maps), reference (the authors' code: the probabilities as they "
        "are)",
    )
    ex.add_argument(
        "--fill",
        choices=choices.FILLS,
        default="black",
        help="what the masked-out parts of the photo become: black (default, as the paper and "
        "the MATLAB example) or mean (the training images' average colour, as pytorch-grad-cam)",
    )
    ex.add_argument(
        "--approximate",
        type=positive_int,
        metavar="N",
        help="APPROXIMATE: score only the N highest-variance maps (faster, not exact)",
    )
    ex.add_argument(
        "--time-budget",
        type=_seconds,
        metavar="SECONDS",
        help="APPROXIMATE if it runs out: stop scoring at the first batch past SECONDS and write "
        "the map of the maps scored so far (the largest maps go first, so it is close)",
    )
    ex.add_argument(
        "--compile",
        action="store_true",
        help="compile the network with torch.compile: the first photo waits while it compiles "
        "(see docs/speed.md for measured times), the others run faster (needs a "
        "C++ compiler; falls back to the plain network)",
    )
    _add_output_arguments(ex)
    add_model_file_options(ex)
    cli_batch.add_batch_arguments(ex)
    return ex


def _add_output_arguments(ex: argparse.ArgumentParser) -> None:
    """--overlay, --colormap, --opacity, --figure, --out, --json, --no-overlays."""
    ex.add_argument(
        "--overlay",
        choices=("matlab", "blend"),
        default="matlab",
        help="the overlay picture: matlab (default, the MATLAB example's: the photo in grey under "
        "the jet colours) or blend (the colour photo with --colormap at --opacity)",
    )
    ex.add_argument(
        "--colormap",
        type=_colormap,
        default="jet",
        help="colour map of --overlay blend: jet (default), viridis (colour-blind safe), turbo, "
        "inferno, magma, hot, gray",
    )
    ex.add_argument("--opacity", type=_opacity, default=0.5, help="heat map opacity for blend")
    ex.add_argument(
        "--figure",
        action="store_true",
        help="also write PHOTO-figure.png, one picture to share: the overlay with the class and "
        "its probability, the colour bar with its title, the network, and a caution when the "
        "map should not be trusted",
    )
    ex.add_argument("--out", default=".", metavar="DIR", help="output folder (default: here)")
    ex.add_argument("--json", action="store_true", help="print one JSON object a photo")
    ex.add_argument(
        "--no-overlays", action="store_true", help="write no overlay or map files (--manifest)"
    )


def run(args: argparse.Namespace) -> int:
    """The `explain` command."""
    return cli_batch.run_explain(args)
