"""The `scorecam` command line: explain photos, list networks and their layers."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from .. import __version__, choices
from ..engine.methods import catalog
from ..engine.runtime.threads import choose_thread_policy
from ..fastexit import exit_now, tune_process_memory
from . import evaluate as cli_evaluate
from .argtypes import bounded, positive_int
from .common import EXIT_FAILED, EXIT_OK, Parser, add_network_arguments, fail, user_errors
from .model_options import MODEL_HELP, add_model_file_options, input_options

STATUS_WORDS = {"missing": "to download"}  # as the window says it: nothing is broken


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


def build_parser() -> argparse.ArgumentParser:
    # Choices come from the torch-free choices module, so `--help` does not need torch.
    parser = Parser(prog="scorecam", description="Score-CAM explanations of image classifiers.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True

    ex = sub.add_parser(
        "explain",
        help="explain the prediction for photos, folders, @lists",
        description="Explain what a network sees in photos: for each photo, writes "
        "PHOTO-overlay.png (the heat map over the photo) and PHOTO-map.npy (the map, values 0 "
        "to 1) into --out, and prints the class with its probability.",
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
        "WORD lists the names)",
        batch_size_help="masked photos scored per pass through the network (default: chosen "
        "for the device; smaller uses less memory, and Ctrl+C stops sooner)",
        device_help="where the network runs: auto (default: an NVIDIA GPU, else Apple's, else "
        "the CPU), cpu, cuda or mps",
        precision_help="number format of the masked passes: auto (default: a 16-bit format only "
        "where it was measured faster with the same map), fp32 (exact), bf16, fp16; classifying "
        "always uses fp32",
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
        "(see the README's speed section for measured times), the others run faster (needs a "
        "C++ compiler; falls back to the plain network)",
    )
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
    add_model_file_options(ex)
    from . import batch as cli_batch  # the batch options (issue 13); imports no torch either

    cli_batch.add_batch_arguments(ex)

    cli_evaluate.add_parser(sub)

    models = sub.add_parser("models", help="the networks, their default layers and weights")
    models.add_argument("--all", action="store_true", help="every torchvision classifier too")

    layers = sub.add_parser("layers", help="a network's layers with their output shapes")
    layers.add_argument("model", help=MODEL_HELP)
    layers.add_argument("--weights", metavar="FILE")
    add_model_file_options(layers)

    classes = sub.add_parser(
        "classes",
        help="a network's class names with their numbers (for --target)",
        description="List the classes a network knows, with the number --target also takes. "
        "Needs no download.",
    )
    classes.add_argument("model", metavar="MODEL", help="network, e.g. efficientnet_lite0")
    classes.add_argument(
        "word",
        nargs="?",
        metavar="WORD",
        help="only classes whose name contains WORD, and for ImageNet's classes those WordNet "
        "puts under it (dog: the breeds; cat: tabby, Siamese...)",
    )
    classes.add_argument("--labels", metavar="FILE", help="class names, one a line")
    return parser


class _EngineWarnings(logging.Handler):
    """The engine's warnings (a slower fall-back taken, say) as 'scorecam: ...' lines on stderr,
    looked up at each line so that a replaced sys.stderr is honoured."""

    def emit(self, record: logging.LogRecord) -> None:
        fail(record.getMessage())


def _show_engine_warnings() -> None:
    logger = logging.getLogger("scorecam_gui")
    if not any(isinstance(h, _EngineWarnings) for h in logger.handlers):
        logger.addHandler(_EngineWarnings(logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _show_engine_warnings()
    if args.command in ("explain", "evaluate"):
        tune_process_memory()  # the library leaves the process alone; the command may not
    try:
        if args.command == "explain":
            return _explain(args)
        if args.command == "evaluate":
            return cli_evaluate.run(args)
        if args.command == "models":
            return _models(args)
        if args.command == "classes":
            return _classes(args)
        return _layers(args)
    except KeyboardInterrupt:
        fail("interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (`scorecam explain ... --json | head -1`): nothing more can be
        # written there, and the flush at exit must not fail again with a traceback.
        _stdout_to_devnull()
        fail("the output was closed before everything was written (broken pipe)")
        return EXIT_FAILED
    except OSError as exc:  # whatever else the system refuses: one line, never a traceback
        reason = (exc.strerror or str(exc)).rstrip(".").lower()
        fail(reason, exc.filename)
        return EXIT_FAILED


def _stdout_to_devnull() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a windowed build): nothing to silence
        pass


def _explain(args: argparse.Namespace) -> int:
    from . import batch as cli_batch

    return cli_batch.run_explain(args)


def _models(args: argparse.Namespace) -> int:
    from ..engine.models import registry

    infos = registry.list_networks(include_all=args.all)
    print(f"{'network':<22} {'title':<20} {'default layer':<16} {'input':>5}  weights")
    for info in infos:
        layer = info.default_layer or "(automatic)"
        state = registry.weights_status(info.name)
        status = STATUS_WORDS.get(state, state)
        print(f"{info.name:<22} {info.title:<20} {layer:<16} {info.input_size:>5}  {status}")
    return EXIT_OK


def _classes(args: argparse.Namespace) -> int:
    from ..engine.models import registry

    try:
        # The class names come with the registry entry: never download weights for them.
        net = registry.load_network(args.model, labels_file=args.labels, random_init=True)
    except user_errors() as exc:
        fail(exc)
        return EXIT_FAILED
    from ..engine.models.classsearch import find_classes

    # In the names, and for ImageNet's classes in WordNet's hierarchy too (dog: the breeds).
    shown = [(i, net.categories[i]) for i in find_classes(net.categories, args.word or "")]
    if not shown:
        fail(f"no class of {net.info.title} is or contains '{args.word}'")
        return EXIT_FAILED
    print(f"{'class':>5}  name")
    for index, name in shown:
        print(f"{index:>5}  {name}")
    return EXIT_OK


def _layers(args: argparse.Namespace) -> int:
    from ..engine.models import layers, registry

    try:
        options = input_options(args)
        if args.weights:
            net = registry.load_network(args.model, args.weights, input_options=options)
        else:
            # The layer tree does not depend on the weights: never download for it.
            net = registry.load_network(args.model, random_init=True, input_options=options)
    except user_errors() as exc:
        fail(exc)
        return EXIT_FAILED
    print(f"{'layer':<40} {'type':<22} output shape (channels x height x width)")
    for layer in layers.list_layers(net):
        shape = " x ".join(str(d) for d in layer.shape) if layer.shape else "-"
        mark = "  <- default" if layer.name == net.default_layer else ""
        calls = f" (runs {layer.calls} times)" if layer.calls > 1 else ""
        indent = "  " * layer.depth
        name = f"{indent}{layer.name}"
        print(f"{name:<40} {layer.type_name:<22} {shape}{calls}{mark}")
    return EXIT_OK


def run(argv: Sequence[str] | None = None) -> NoReturn:
    """The `scorecam` command: main(), then exit without tearing torch down.

    Once torch is imported, interpreter shutdown runs libtorch's static destructors, which page in
    about 125 MB of library code and take 0.3-0.5 s here, only to free memory that the process
    gives back anyway: most of the peak resident memory of a short run. By the time main() returns
    every output file is written and closed; fastexit.exit_now still runs the atexit callbacks.
    The OpenMP thread policy is chosen first, before anything imports torch
    (engine/runtime/threads.py).
    """
    choose_thread_policy()
    try:
        code = main(argv)
    except SystemExit as exc:  # usage errors, --help, --version
        if not isinstance(exc.code, int | None):
            raise
        code = exc.code or 0
    if "torch" not in sys.modules:
        sys.exit(code)
    exit_now(code)


if __name__ == "__main__":  # pragma: no cover
    run()
