"""What the `scorecam` commands share: exit codes, the parser class, error lines, opening the
network. torch is imported only inside the functions that need it (fast --help)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .cli_model import input_options
from .cli_progress import TerminalStatus

if TYPE_CHECKING:
    from .engine.networks import Network
    from .engine.scorecam import Explainer

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class TargetError(ValueError):
    """--target names no class of the network: a usage error (exit 2)."""


class Parser(argparse.ArgumentParser):
    """argparse that says 'scorecam: ...' and exits 2 on usage errors, like the rest."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be at least 1")
    return value


def fail(message: object, path: object = None) -> None:
    prefix = f"scorecam: {path}: " if path is not None else "scorecam: "
    print(prefix + str(message).replace("\n", " "), file=sys.stderr)


def user_errors() -> tuple[type[BaseException], ...]:
    from .engine.atomicio import ExportError
    from .engine.device import DeviceError
    from .engine.imaging import ImageLoadError
    from .engine.networks import NetworkError
    from .engine.weights import WeightsError

    return (ImageLoadError, NetworkError, WeightsError, DeviceError, ExportError, ValueError)


def fail_file(path: object, exc: BaseException) -> None:
    """One line for a file that failed: image errors already name it, others get it as a prefix."""
    message = str(exc)
    fail(message if str(path) in message else f"{path}: {message}")


def open_network(
    args: argparse.Namespace, status: TerminalStatus, compile_model: bool = False
) -> tuple[Network, int | None, Explainer]:
    """--model (with --weights and --labels) loaded, --target and --layer checked, and the
    explainer for --device, --precision and --batch-size; raises the errors of user_errors."""
    from .engine import networks
    from .engine.scorecam import Explainer

    net = networks.load_network(
        args.model,
        args.weights,
        args.labels,
        progress=status.download,
        input_options=input_options(args),  # --input-size/--mean/--std for model files
    )
    status.clear()
    try:
        target = networks.resolve_target(net, args.target)
    except networks.NetworkError as exc:
        word = str(args.target).split()[0] if str(args.target).split() else "WORD"
        raise TargetError(
            f"{exc}; list the class names with: scorecam classes {args.model} {word}"
        ) from exc
    explainer = Explainer(
        net, args.device, args.precision, args.batch_size, compile_model=compile_model
    )
    networks.resolve_layer(net, args.layer)
    return net, target, explainer
