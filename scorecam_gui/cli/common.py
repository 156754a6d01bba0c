"""What the `scorecam` commands share: exit codes, the parser class, error lines, opening the
network. torch is imported only inside the functions that need it (fast --help)."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import choices
from .argtypes import batch_size
from .progress import TerminalStatus

if TYPE_CHECKING:
    from ..engine.explainer import Explainer
    from ..engine.models.types import Network

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class TargetError(ValueError):
    """--target names no class of the network: a usage error (exit 2)."""


class Parser(argparse.ArgumentParser):
    """argparse that says 'scorecam: ...' and exits 2 on usage errors, like the rest."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 file', '3 files': a number with its noun in the right number (English only: the
    command line's messages are English)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def classes_hint(
    model: str,
    target: object,
    categories: Sequence[str] | None = None,
    labels: str | Path | None = None,
) -> str:
    """After a --target that names no class: the `scorecam classes` command to run, with a word
    that finds something (classsearch.search_word), else without one (every class).
    `categories`: the network's class names; None reads them from `labels`, else takes
    ImageNet's (the network need not be loaded)."""
    from ..engine.models.classsearch import imagenet_names, search_word

    if categories is None:
        categories = _labels(labels) if labels is not None else imagenet_names()
    word = search_word(categories, str(target)) if categories else None
    command = ["scorecam", "classes", model]
    if labels is not None:
        command += ["--labels", str(labels)]
    if word is not None:
        command.append(word)
    return f"list the class names with: {shlex.join(command)}"


def _labels(path: str | Path) -> list[str]:
    """The names in a labels file, one a line; none when it cannot be read (only a hint needs
    them: the error that led here is the one to report)."""
    from ..engine import safe_read

    try:
        text = safe_read.read_text(Path(path), safe_read.LABELS_LIMIT)
    except (OSError, UnicodeDecodeError, safe_read.FileRefused):
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def add_network_arguments(
    parser: argparse.ArgumentParser,
    *,
    model_help: str,
    target_help: str,
    batch_size_help: str | None = None,
    device_help: str | None = None,
    precision_help: str | None = None,
    several_targets: bool = False,
) -> None:
    """The options that say which network runs where, as open_network reads them: --model,
    --layer, --target, --batch-size, --device, --precision, --backend, --center-crop, --weights,
    --labels.
    Each command words --model and --target its own way (and may explain the others)."""
    parser.add_argument("--model", default="efficientnet_lite0", help=model_help)
    parser.add_argument(
        "--layer", help="target layer as named_modules() names it (scorecam layers)"
    )
    parser.add_argument(
        "--target", help=target_help, action="append" if several_targets else "store"
    )
    parser.add_argument(
        "--batch-size", type=batch_size, default=None, metavar="N", help=batch_size_help
    )
    parser.add_argument("--device", choices=choices.DEVICES, default="auto", help=device_help)
    parser.add_argument(
        "--precision", choices=choices.PRECISIONS, default="auto", help=precision_help
    )
    parser.add_argument(
        "--backend",
        choices=choices.BACKENDS,
        default="auto",
        help="what runs the masked passes: auto (default: OpenVINO on the CPU where it is "
        "installed and gives the same map, else PyTorch), torch, openvino (CPU only)",
    )
    parser.add_argument(
        "--center-crop", action="store_true", help="crop the centre, as in training"
    )
    parser.add_argument("--weights", metavar="FILE", help="a state dict to load into --model")
    parser.add_argument("--labels", metavar="FILE", help="class names, one a line (with --weights)")


def printable(text: object) -> str:
    """Text as one line that is safe to show on a terminal: control characters (a newline, CR,
    ESC, in a file name) written as escapes (\\n, \\r, \\x1b), the rest as it is."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text)
    )


def fail(message: object, path: object = None) -> None:
    """One line on stderr: 'scorecam: PATH: message' (a multi-line message joined)."""
    text = " ".join(str(message).splitlines())
    prefix = f"scorecam: {printable(path)}: " if path is not None else "scorecam: "
    print(prefix + printable(text), file=sys.stderr)


def user_errors() -> tuple[type[BaseException], ...]:
    from ..engine.atomicio import ExportError
    from ..engine.imaging import ImageLoadError
    from ..engine.models.types import NetworkError, WeightsError
    from ..engine.runtime.device import DeviceError

    return (ImageLoadError, NetworkError, WeightsError, DeviceError, ExportError, ValueError)


def fail_file(path: object, exc: BaseException) -> None:
    """One line for a file that failed: image errors already name it, others get it as a prefix."""
    message = str(exc)
    named = str(path) in message or printable(path) in message
    fail(message if named else f"{path}: {message}")


def open_network(
    args: argparse.Namespace, status: TerminalStatus, compile_model: bool = False
) -> tuple[Network, int | None, Explainer]:
    """--model (with --weights and --labels) loaded, --target and --layer checked, and the
    explainer for --device, --precision and --batch-size; raises the errors of user_errors."""
    from ..engine.explainer import Explainer
    from ..engine.models import layers, registry, types
    from .model_options import input_options

    net = registry.load_network(
        args.model,
        args.weights,
        args.labels,
        progress=status.download,
        input_options=input_options(args),  # --input-size/--mean/--std for model files
    )
    status.clear()
    try:
        target = layers.resolve_target(net, args.target)
    except types.NetworkError as exc:
        hint = classes_hint(args.model, args.target, net.categories, args.labels)
        raise TargetError(f"{exc}; {hint}") from exc
    explainer = Explainer(
        net,
        args.device,
        args.precision,
        args.batch_size,
        compile_model=compile_model,
        backend=getattr(args, "backend", "auto"),
    )
    layers.resolve_layer(net, args.layer)
    return net, target, explainer
