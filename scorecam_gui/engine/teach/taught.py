"""The taught model: the network as it was, with its last layer replaced by the one fitted on its
features; as a Network the engine explains at once, and as the two files the rest of the app
already opens (`--weights FILE.pth --labels FILE.txt`, the window's "Import weights…").

FILE.pth is the network's whole state dict with the new classifier, plain tensors only, so it
loads with `torch.load(..., weights_only=True)` into the network built with as many outputs as
classes; the model registry reads the class count from the classifier's weight
(models/weights.py: num_classes_in). FILE.txt holds the class names, one a line, in output order.
"""

from __future__ import annotations

import copy
import io
import os
from pathlib import Path

import torch
from torch import nn

from ..atomicio import ExportError, atomic_write, check_replaceable, save_text
from ..models.types import Network
from .features import classifier_of
from .fit import LinearLayer

__all__ = [
    "check_writable",
    "labels_path_for",
    "save_taught",
    "taught_network",
    "taught_state_dict",
]

TAUGHT_SOURCE = "taught"


def _new_classifier(old: nn.Linear, layer: LinearLayer) -> nn.Linear:
    k, d = layer.weight.shape
    if d != old.in_features:
        raise ValueError(f"the layer takes {d} features, the network gives {old.in_features}")
    new = nn.Linear(d, k)
    with torch.no_grad():
        new.weight.copy_(torch.from_numpy(layer.weight))
        new.bias.copy_(torch.from_numpy(layer.bias))
    return new.to(old.weight.device)


def taught_network(network: Network, layer: LinearLayer, classes: list[str]) -> Network:
    """A copy of `network` whose classifier is `layer` (the original is left as it was)."""
    name, old = classifier_of(network)
    model = copy.deepcopy(network.model).eval()
    parent_name, _, attr = name.rpartition(".")
    parent = model.get_submodule(parent_name) if parent_name else model
    setattr(parent, attr, _new_classifier(old, layer))
    return Network(
        info=network.info,
        model=model,
        categories=list(classes),
        weights_source=TAUGHT_SOURCE,
        default_layer=network.default_layer,
    )


def taught_state_dict(taught: Network) -> dict[str, torch.Tensor]:
    """The taught network's weights as plain CPU tensors (no views into shared storage, so the
    file holds only what it needs)."""
    return {k: v.detach().to("cpu").clone() for k, v in taught.model.state_dict().items()}


def labels_path_for(weights_path: str | os.PathLike[str]) -> Path:
    """FILE.txt beside FILE.pth."""
    return Path(weights_path).with_suffix(".txt")


def check_writable(weights_path: str | os.PathLike[str]) -> None:
    """ExportError now, before any work, when FILE.pth or FILE.txt could not be written: the
    folder is missing, or a file there is write-protected."""
    target = Path(weights_path)
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(target, "folder does not exist")
    if target.is_dir():
        raise ExportError(target, "it is a folder (name the model file, e.g. classes.pth)")
    check_replaceable(target)
    check_replaceable(labels_path_for(target))


def save_taught(taught: Network, weights_path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write FILE.pth and FILE.txt, each whole or not at all (engine/atomicio.py): a file that
    cannot be replaced is refused before either is written. Returns both paths."""
    target = Path(weights_path)
    labels = labels_path_for(target)
    check_replaceable(target)
    check_replaceable(labels)
    buffer = io.BytesIO()
    torch.save(taught_state_dict(taught), buffer)
    atomic_write(target, lambda f: f.write(buffer.getbuffer()))
    save_text(labels, "".join(f"{name}\n" for name in taught.categories))
    return target, labels
