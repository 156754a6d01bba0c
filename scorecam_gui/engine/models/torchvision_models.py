"""The torchvision backend: any torchvision classifier by name, with torchvision's weights API as
the source of its architecture, class names and normalisation (downloads into torch's hub cache,
or a state dict the user imports).

torchvision is imported only when a torchvision network is asked for: importing it pulls in
torch._dynamo and sympy (through torchvision.ops), about 180 MB of memory that the default network
never needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import torch
from torch import nn

from . import weights
from .catalog import NETWORK_TITLES, network_title
from .types import CancelFn, NetworkError, NetworkInfo, ProgressFn, WeightsError

if TYPE_CHECKING:
    import torchvision

__all__ = ["DEFAULT_LAYERS", "classification_models", "load", "network_info"]

# The layer each network of the app's table explains (the MATLAB example's networks, and
# VGG-16/AlexNet, which it says work too): see docs/networks.md for why each one. Their titles
# are catalog.py's; any other classifier gets the layer find_default_layer picks.
DEFAULT_LAYERS: dict[str, str] = {
    "squeezenet1_1": "classifier.2",
    "googlenet": "inception5b",
    "resnet18": "layer4",
    "mobilenet_v2": "features.18",
    "vgg16": "features.29",
    "alexnet": "features.11",
}

# Keyword arguments torchvision's builders set when they load pretrained weights; the state dicts
# only load strictly into models built the same way.
_PRETRAINED_KWARGS: dict[str, dict[str, object]] = {
    "googlenet": {"transform_input": True, "aux_logits": True, "init_weights": False},
    "inception_v3": {"transform_input": True, "aux_logits": True, "init_weights": False},
}


def _tv_models() -> ModuleType:
    """torchvision.models, imported on first use (see the module's docstring)."""
    import torchvision.models

    return torchvision.models


@cache
def classification_models() -> tuple[str, ...]:
    """Every torchvision classification architecture, by name."""
    models = _tv_models()
    return tuple(sorted(models.list_models(module=models)))


def _weights_enum(name: str) -> torchvision.models.WeightsEnum:
    try:
        return _tv_models().get_model_weights(name).DEFAULT
    except (ValueError, KeyError) as exc:  # pragma: no cover - every classifier has weights
        raise NetworkError(f"torchvision has no weights for '{name}'") from exc


def network_info(name: str) -> NetworkInfo:
    """The registry entry of a torchvision classifier (its weights' transforms and URL)."""
    if name not in classification_models():
        raise NetworkError(
            f"unknown network '{name}': use one of {', '.join(NETWORK_TITLES)} "
            "or any torchvision classification model (scorecam models)"
        )
    w = _weights_enum(name)
    tf = w.transforms()
    return NetworkInfo(
        name=name,
        title=network_title(name),
        default_layer=DEFAULT_LAYERS.get(name),
        input_size=int(tf.crop_size[0]),
        mean=_rgb(tf.mean),
        std=_rgb(tf.std),
        bundled=False,
        weights_url=w.url,
        license="BSD-3-Clause (torchvision); see the weights' recipe for their terms",
    )


def _build_torchvision(name: str, num_classes: int, pretrained_layout: bool) -> nn.Module:
    kwargs: dict[str, object] = {"num_classes": num_classes}
    if pretrained_layout:
        kwargs.update(_PRETRAINED_KWARGS.get(name, {}))
    elif name in _PRETRAINED_KWARGS:
        kwargs.update({"init_weights": True, "aux_logits": False})
    return _tv_models().get_model(name, weights=None, **kwargs)


def _rgb(values: Sequence[float]) -> tuple[float, float, float]:
    r, g, b = (float(v) for v in values)
    return r, g, b


def drop_aux_heads(model: nn.Module) -> None:
    # torchvision keeps the auxiliary classifiers only for loading; inference never uses them.
    if hasattr(model, "aux_logits"):
        setattr(model, "aux_logits", False)  # noqa: B010 - a plain attribute, not a submodule
        for attr in ("aux1", "aux2", "AuxLogits"):
            if hasattr(model, attr):
                setattr(model, attr, None)


def load(
    info: NetworkInfo,
    weights_file_path: str | Path | None,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
    allow_download: bool,
    random_init: bool,
) -> tuple[nn.Module, str]:
    """The model in eval mode and where its weights came from ("random", "downloaded", a path)."""
    name = info.name
    if random_init:
        model, source = _build_torchvision(name, 1000, pretrained_layout=False), "random"
    elif weights_file_path is not None:
        state = weights.load_state_dict_file(weights_file_path)
        model = _model_for_state_dict(name, state, Path(weights_file_path))
        source = str(weights_file_path)
    else:
        assert info.weights_url is not None
        path = weights.hub_checkpoint_path(info.weights_url)
        if not path.is_file():
            if not allow_download:
                raise WeightsError(
                    f"the weights of {info.title} are not on this machine: download them, import "
                    "the weights file, or use the bundled EfficientNet-Lite0"
                )
            weights.download_weights(info.weights_url, path, progress=progress, cancel=cancel)
        state = weights.load_state_dict_file(path)
        model = _build_torchvision(name, 1000, pretrained_layout=True)
        weights.load_into(model, state, path)
        source = "downloaded"
    drop_aux_heads(model)
    return model.eval(), source


def _model_for_state_dict(name: str, state: dict[str, torch.Tensor], path: Path) -> nn.Module:
    n = weights.num_classes_in(state) or 1000
    has_aux = any(k.startswith(("aux1.", "aux2.", "AuxLogits.")) for k in state)
    kwargs: dict[str, object] = {"num_classes": n}
    if name in _PRETRAINED_KWARGS:
        kwargs.update(_PRETRAINED_KWARGS[name])
        kwargs["aux_logits"] = has_aux
    model = _tv_models().get_model(name, weights=None, **kwargs)
    weights.load_into(model, state, path)
    return model


def num_outputs(model: nn.Module, info: NetworkInfo) -> int:
    for module in reversed(list(model.modules())):
        if isinstance(module, nn.Linear):
            return module.out_features
        if isinstance(module, nn.Conv2d):  # SqueezeNet's classifier is a 1x1 convolution
            return module.out_channels
    with torch.inference_mode():
        out = model(torch.zeros(1, 3, info.input_size, info.input_size))
    return int(out.shape[-1])
