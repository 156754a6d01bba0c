"""The model registry's shared types and errors: a leaf every model module imports from, and
that imports none of them (docs/architecture.md: the model registry's layers)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import torch
from torch import nn

from .. import tokens

__all__ = [
    "CancelFn",
    "DownloadCancelled",
    "InputOptions",
    "LabelsError",
    "LayerInfo",
    "Network",
    "NetworkError",
    "NetworkInfo",
    "ProgressFn",
    "WeightsError",
    "WeightsStatus",
    "class_scores",
]

ProgressFn = Callable[[int, int | None], None]
CancelFn = Callable[[], bool]
WeightsStatus = Literal["bundled", "downloaded", "missing"]


class NetworkError(ValueError):
    """A network or layer that cannot be used, with a message a user can act on."""


@dataclass(frozen=True)
class NetworkInfo:
    """What the registry knows about a network before it is built."""

    name: str
    title: str
    default_layer: str | None  # None: found automatically once the network is built
    input_size: int
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    bundled: bool
    weights_url: str | None
    license: str


@dataclass
class Network:
    """A built network in eval mode with its labels."""

    info: NetworkInfo
    model: nn.Module
    categories: list[str]
    weights_source: str  # "bundled", "downloaded", "random" or the imported file's path
    default_layer: str = field(default="")

    @property
    def num_classes(self) -> int:
        return len(self.categories)

    def check_target(self, target: int | None) -> None:
        """NetworkError unless target is None (the predicted class) or one of the classes."""
        if target is not None and not 0 <= target < self.num_classes:
            raise NetworkError(
                f"class {target} is out of range: {self.info.title} has classes 0 to "
                f"{self.num_classes - 1}"
            )


def class_scores(output: object) -> torch.Tensor:
    """The logits in a model's output (GoogLeNet/Inception return named tuples in some modes;
    the logits come first)."""
    if isinstance(output, torch.Tensor):
        return output
    if isinstance(output, tuple) and output and isinstance(output[0], torch.Tensor):
        return output[0]
    raise NetworkError("the network's output is not a tensor of class scores")


@dataclass(frozen=True)
class LayerInfo:
    """One module of a network with the shape of its output for one input image."""

    name: str
    type_name: str
    shape: tuple[int, ...]  # output shape without the batch dimension; () if not a tensor
    calls: int  # how often the module runs in one forward pass

    @property
    def depth(self) -> int:
        return self.name.count(".")

    @property
    def is_spatial(self) -> bool:
        """Whether Score-CAM can explain this layer: its output is C x H x W, channels-last or
        transformer tokens on a square patch grid (see tokens.py)."""
        return tokens.map_shape(self.shape) is not None


@dataclass(frozen=True)
class InputOptions:
    """What the command line (--input-size, --mean, --std) says about a model file's input, for
    files whose metadata does not say it."""

    input_size: int | None = None
    mean: tuple[float, float, float] | None = None
    std: tuple[float, float, float] | None = None


class WeightsError(Exception):
    """Weights could not be downloaded, read or loaded; the message is one sentence."""

    def __init__(self, message: str, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__(message)
        self.path = Path(path) if path is not None else None


class DownloadCancelled(WeightsError):
    """The user cancelled a download; nothing was left behind."""


class LabelsError(WeightsError):
    """A class-names file could not be read or does not match the network."""
