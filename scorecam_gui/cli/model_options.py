"""Command-line options for models that are not in the registry: timm names and model files.

--input-size, --mean and --std say what an ONNX file's metadata does not
(engine/models/onnx_models.py).
Imports no torch, so that `--help` stays fast.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .argtypes import bounded

if TYPE_CHECKING:
    from ..engine.models.types import InputOptions

MODEL_HELP = "network (scorecam models), timm:NAME (a timm classifier), or a model file (FILE.onnx)"


def _three_numbers(text: str) -> tuple[float, float, float]:
    try:
        values = tuple(float(v) for v in text.replace(",", " ").split())
    except ValueError:
        values = ()
    if len(values) != 3:
        raise argparse.ArgumentTypeError(f"'{text}' is not three numbers (R,G,B)")
    return values  # type: ignore[return-value]


_size = bounded(int, 8)


def add_model_file_options(parser: argparse.ArgumentParser) -> None:
    """--input-size, --mean and --std, for model files whose metadata does not say them."""
    group = parser.add_argument_group("model files (FILE.onnx) whose metadata does not say")
    group.add_argument("--input-size", type=_size, metavar="N", help="square input size in pixels")
    group.add_argument(
        "--mean", type=_three_numbers, metavar="R,G,B", help="per-channel mean of pixels in [0, 1]"
    )
    group.add_argument(
        "--std", type=_three_numbers, metavar="R,G,B", help="per-channel std of pixels in [0, 1]"
    )


def input_options(args: argparse.Namespace) -> InputOptions:
    from ..engine.models.types import InputOptions

    return InputOptions(
        input_size=getattr(args, "input_size", None),
        mean=getattr(args, "mean", None),
        std=getattr(args, "std", None),
    )
