"""The model registry: any network by name, dispatched to its backend.

`efficientnet_lite0` is the bundled network (efficientnet_lite.py), `timm:NAME` a timm
classifier (timm_models.py), a file name a model file (ONNX: onnx_models.py; weights-only and
pickled files are refused with what to do instead, files.py), anything else a torchvision
classifier (torchvision_models.py). No backend imports this module: they share types.py,
weights.py (downloads, state dicts, labels), files.py and layers.py below them
(docs/architecture.md).
"""

from __future__ import annotations

from pathlib import Path

from .. import safe_read
from . import efficientnet_lite, files, torchvision_models, weights
from .catalog import DEFAULT_NETWORK, NETWORK_TITLES, is_model_file
from .layers import find_default_layer
from .types import (
    CancelFn,
    InputOptions,
    Network,
    NetworkInfo,
    ProgressFn,
    WeightsError,
    WeightsStatus,
)

__all__ = [
    "DEFAULT_NETWORK",
    "file_info",
    "list_networks",
    "load_model_file",
    "load_network",
    "network_info",
    "weights_file",
    "weights_status",
]


def network_info(name: str) -> NetworkInfo:
    """The registry entry of a network: one of the table's, a timm classifier, a model file, or
    any torchvision classifier."""
    if name.startswith("timm:"):
        from .timm_models import network_info as timm_network_info  # timm: an optional extra

        return timm_network_info(name)
    if is_model_file(name):
        return file_info(name)
    if name == "efficientnet_lite0":
        return efficientnet_lite.network_info()
    return torchvision_models.network_info(name)


def list_networks(include_all: bool = False) -> list[NetworkInfo]:
    """The table's networks, the bundled default first; with include_all every torchvision one."""
    names = list(NETWORK_TITLES)
    if include_all:
        names += [n for n in torchvision_models.classification_models() if n not in names]
    return [network_info(n) for n in names]


def weights_file(name: str) -> Path | None:
    """Where the network's pretrained weights are (or will be) on this machine."""
    info = network_info(name)
    if info.bundled:
        return efficientnet_lite.bundled_weights_path()
    assert info.weights_url is not None
    return weights.hub_checkpoint_path(info.weights_url)


def weights_status(name: str) -> WeightsStatus:
    """Whether the weights ship with the app, were downloaded already, or must be downloaded."""
    info = network_info(name)
    if info.bundled:
        return "bundled"
    path = weights_file(name)
    return "downloaded" if path is not None and path.is_file() else "missing"


def load_network(
    name: str = DEFAULT_NETWORK,
    weights_file_path: str | Path | None = None,
    labels_file: str | Path | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    allow_download: bool = True,
    random_init: bool = False,
    input_options: InputOptions | None = None,
) -> Network:
    """Build a network in eval mode with its weights.

    weights_file_path imports a state dict the user has (another number of classes is fine);
    otherwise the bundled or downloaded pretrained weights are used, downloading them into torch's
    hub cache if allowed. random_init skips weights entirely (architecture checks, tests).
    `timm:NAME` builds a timm classifier (timm_models.py); a file name opens a model file
    (ONNX), with input_options for what the file does not say.
    """
    if name.startswith("timm:"):
        from .timm_models import load_timm  # timm: an optional extra

        return load_timm(
            name, weights_file_path, labels_file, progress, cancel, allow_download, random_init
        )
    if is_model_file(name):
        return load_model_file(name, labels_file, input_options)
    info = network_info(name)
    if info.bundled:
        model, source = efficientnet_lite.load(weights_file_path)
    else:
        model, source = torchvision_models.load(
            info, weights_file_path, progress, cancel, allow_download, random_init
        )
    model.eval()
    n = torchvision_models.num_outputs(model, info)
    labels = weights.labels_for(n, labels_file)
    net = Network(info=info, model=model, categories=labels, weights_source=source)
    net.default_layer = info.default_layer or find_default_layer(net)
    return net


def file_info(path: str | Path) -> NetworkInfo:
    """A model file's registry entry before it is read: its name and title only are final
    (input size and normalisation are ImageNet's placeholders; load_model_file reads the
    file's own)."""
    return NetworkInfo(
        name=str(path),
        title=Path(path).name,
        default_layer=None,
        input_size=224,
        mean=(0.485, 0.456, 0.406),
        std=(0.229, 0.224, 0.225),
        bundled=False,
        weights_url=None,
        license="the model file's own",
    )


def load_model_file(
    path: str | Path, labels_file: str | Path | None = None, options: InputOptions | None = None
) -> Network:
    """A network from a file that holds one (ONNX); one line for every file that does not."""
    file = Path(path)
    if not file.exists():
        raise WeightsError(f"Could not open the model {file.name}: file not found.", file)
    if file.is_dir():
        raise WeightsError(f"Could not open the model {file.name}: it is a folder.", file)
    try:
        kind = files.file_kind(file)
    except (files.ScanRefused, safe_read.FileRefused) as exc:
        raise WeightsError(f"Could not open the model {file.name}: {exc}.", file) from exc
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise WeightsError(f"Could not open the model {file.name}: {reason}.", file) from exc
    if kind == "onnx":
        from .onnx_models import load_onnx  # onnx, onnx2torch: an optional extra

        return load_onnx(file, labels_file, options or InputOptions())
    if kind in ("safetensors", "state_dict"):
        message = files.WEIGHTS_ONLY
    elif kind == "pickled_model":
        message = files.PICKLED_MODEL
    elif kind == "torchscript":
        message = files.TORCHSCRIPT
    else:
        message = "not a model file this app opens (ONNX, or weights with --weights)"
    raise WeightsError(f"{file.name}: {message}.", file)
