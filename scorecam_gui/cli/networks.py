"""`scorecam models`, `scorecam layers MODEL` and `scorecam classes MODEL [WORD]`: what the
networks are, their layers with the shapes, their class names. None downloads weights for it."""

from __future__ import annotations

import argparse
from typing import Any

from .common import EXIT_FAILED, EXIT_OK, classes_hint, fail, user_errors
from .model_options import MODEL_HELP, add_model_file_options, input_options

__all__ = ["COMMANDS", "STATUS_WORDS", "add_parsers"]

STATUS_WORDS = {"missing": "to download"}  # as the window says it: nothing is broken


def add_parsers(sub: Any) -> None:
    """The `models`, `layers` and `classes` subcommands, on `sub` (the parser's subparsers)."""
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
        help="only classes with WORD as a whole word of their name, and for ImageNet's classes "
        "those WordNet puts under it (dog: the breeds; cat or kitty: tabby, Siamese...)",
    )
    classes.add_argument("--labels", metavar="FILE", help="class names, one a line")


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

    # Whole words of the names, and for ImageNet's classes WordNet's hierarchy (dog: the breeds).
    shown = [(i, net.categories[i]) for i in find_classes(net.categories, args.word or "")]
    if not shown:
        hint = classes_hint(args.model, args.word, net.categories, args.labels)
        fail(f"no class of {net.info.title} has the word '{args.word}'; {hint}")
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


#: The command's name -> what runs it.
COMMANDS = {"models": _models, "layers": _layers, "classes": _classes}
