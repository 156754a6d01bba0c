"""The networks Score-CAM Studio knows: how to build them, their weights, layers and labels.

torchvision's weights API is the source of architectures, class names and normalisation; the
bundled EfficientNet-Lite0 is defined in this package and needs no network connection.

torchvision is imported only when a torchvision network is asked for: importing it pulls in
torch._dynamo and sympy (through torchvision.ops), about 180 MB of memory that the default network
never needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Literal

import torch
from torch import nn

from . import efficientnet_lite, model_files, tokens, weights
from .hooks import probe
from .model_files import InputOptions

if TYPE_CHECKING:
    import torchvision

ProgressFn = Callable[[int, int | None], None]
CancelFn = Callable[[], bool]
WeightsStatus = Literal["bundled", "downloaded", "missing"]

DEFAULT_NETWORK = "efficientnet_lite0"

# The networks of the original MATLAB example (and VGG-16/AlexNet, which it says work too), with the
# layer it explains: see docs/networks.md for why each one.
_KNOWN: dict[str, tuple[str, str]] = {
    "efficientnet_lite0": ("EfficientNet-Lite0", efficientnet_lite.DEFAULT_LAYER),
    "squeezenet1_1": ("SqueezeNet 1.1", "classifier.2"),
    "googlenet": ("GoogLeNet", "inception5b"),
    "resnet18": ("ResNet-18", "layer4"),
    "mobilenet_v2": ("MobileNet-v2", "features.18"),
    "vgg16": ("VGG-16", "features.29"),
    "alexnet": ("AlexNet", "features.11"),
}

# Keyword arguments torchvision's builders set when they load pretrained weights; the state dicts
# only load strictly into models built the same way.
_PRETRAINED_KWARGS: dict[str, dict[str, object]] = {
    "googlenet": {"transform_input": True, "aux_logits": True, "init_weights": False},
    "inception_v3": {"transform_input": True, "aux_logits": True, "init_weights": False},
}

_ACTIVATIONS = (
    nn.ReLU,
    nn.ReLU6,
    nn.SiLU,
    nn.Hardswish,
    nn.GELU,
    nn.Mish,
    nn.LeakyReLU,
    nn.ELU,
    nn.Hardtanh,
)


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
    """The registry entry of a network: one of the table's, or any torchvision classifier."""
    if name.startswith("timm:"):
        from .timm_models import network_info as timm_network_info

        return timm_network_info(name)
    if model_files.is_model_file(name):
        return model_files.file_info(name)
    if name == "efficientnet_lite0":
        return NetworkInfo(
            name=name,
            title=_KNOWN[name][0],
            default_layer=_KNOWN[name][1],
            input_size=efficientnet_lite.INPUT_SIZE,
            mean=efficientnet_lite.MEAN,
            std=efficientnet_lite.STD,
            bundled=True,
            weights_url=None,
            license=efficientnet_lite.LICENSE,
        )
    if name not in classification_models():
        raise NetworkError(
            f"unknown network '{name}': use one of {', '.join(n for n in _KNOWN)} "
            "or any torchvision classification model (scorecam models)"
        )
    w = _weights_enum(name)
    tf = w.transforms()
    title, layer = _KNOWN.get(name, (name, None))
    return NetworkInfo(
        name=name,
        title=title,
        default_layer=layer,
        input_size=int(tf.crop_size[0]),
        mean=_rgb(tf.mean),
        std=_rgb(tf.std),
        bundled=False,
        weights_url=w.url,
        license="BSD-3-Clause (torchvision); see the weights' recipe for their terms",
    )


def list_networks(include_all: bool = False) -> list[NetworkInfo]:
    """The table's networks, the bundled default first; with include_all every torchvision one."""
    names = list(_KNOWN)
    if include_all:
        names += [n for n in classification_models() if n not in _KNOWN]
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


@cache
def _imagenet_categories() -> tuple[str, ...]:
    text = files(__package__ or "scorecam_gui.engine").joinpath("imagenet_classes.txt")
    return tuple(text.read_text(encoding="utf-8").splitlines())


def imagenet_categories() -> list[str]:
    """The 1000 ImageNet class names in torchvision's order (a copy of torchvision's list that a
    test keeps equal to it, so that the bundled network needs no torchvision import)."""
    return list(_imagenet_categories())


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


def _drop_aux_heads(model: nn.Module) -> None:
    # torchvision keeps the auxiliary classifiers only for loading; inference never uses them.
    if hasattr(model, "aux_logits"):
        setattr(model, "aux_logits", False)  # noqa: B010 - a plain attribute, not a submodule
        for attr in ("aux1", "aux2", "AuxLogits"):
            if hasattr(model, attr):
                setattr(model, attr, None)


def _labels(n: int, labels_file: str | Path | None) -> list[str]:
    if labels_file is not None:
        return weights.read_labels(labels_file, n)
    if n == 1000:
        return imagenet_categories()
    return weights.default_labels(n)


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
    `timm:NAME` builds a timm classifier (engine/timm_models.py); a file name opens a model file
    (engine/model_files.py: ONNX), with input_options for what the file does not say.
    """
    if name.startswith("timm:"):
        from .timm_models import load_timm

        return load_timm(
            name, weights_file_path, labels_file, progress, cancel, allow_download, random_init
        )
    if model_files.is_model_file(name):
        return model_files.load_model_file(name, labels_file, input_options)
    info = network_info(name)
    if info.bundled:
        model, source = _load_lite0(weights_file_path)
    elif random_init:
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
                raise weights.WeightsError(
                    f"the weights of {info.title} are not on this machine: download them, import "
                    "the weights file, or use the bundled EfficientNet-Lite0"
                )
            weights.download_weights(info.weights_url, path, progress=progress, cancel=cancel)
        state = weights.load_state_dict_file(path)
        model = _build_torchvision(name, 1000, pretrained_layout=True)
        weights.load_into(model, state, path)
        source = "downloaded"
    _drop_aux_heads(model)
    model.eval()
    n = _num_outputs(model, info)
    net = Network(info=info, model=model, categories=_labels(n, labels_file), weights_source=source)
    net.default_layer = info.default_layer or find_default_layer(net)
    return net


def _load_lite0(path: str | Path | None) -> tuple[nn.Module, str]:
    if path is None:
        return efficientnet_lite.load_efficientnet_lite0(), "bundled"
    state = weights.load_state_dict_file(path)
    n = weights.num_classes_in(state) or 1000
    model = efficientnet_lite.EfficientNetLite0(num_classes=n)
    weights.load_into(model, state, Path(path))
    return model, str(path)


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


def _num_outputs(model: nn.Module, info: NetworkInfo) -> int:
    for module in reversed(list(model.modules())):
        if isinstance(module, nn.Linear):
            return module.out_features
        if isinstance(module, nn.Conv2d):  # SqueezeNet's classifier is a 1x1 convolution
            return module.out_channels
    with torch.inference_mode():
        out = model(torch.zeros(1, 3, info.input_size, info.input_size))
    return int(out.shape[-1])


def resolve_layer(network: Network, layer: str | None) -> nn.Module:
    """The module named `layer` (named_modules() spelling), or the network's default one."""
    name = layer or network.default_layer
    modules = dict(network.model.named_modules())
    if name not in modules or name == "":
        close = [n for n in modules if n and name.split(".")[-1] in n][:5]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise NetworkError(
            f"{network.info.title} has no layer '{name}'{hint}: see 'scorecam layers "
            f"{network.info.name}'"
        )
    return modules[name]


@dataclass
class _Traced:
    name: str
    module: nn.Module
    calls: int
    out: torch.Tensor | None
    version: int  # the output's version counter when the module returned it

    @property
    def faithful(self) -> bool:
        """False when later in-place operations (ResNet's `out += identity`) changed the output."""
        return self.out is not None and self.out._version == self.version


def _trace(network: Network) -> list[_Traced]:
    """Run one forward pass and record each module's last output, in the order they finish."""
    order: dict[str, _Traced] = {}

    def record(name: str, module: nn.Module, output: object) -> None:
        previous = order.pop(name, None)
        out = output if isinstance(output, torch.Tensor) else None
        version = out._version if out is not None else 0
        calls = previous.calls + 1 if previous else 1
        order[name] = _Traced(name, module, calls, out, version)

    # no_grad, not inference_mode: inference tensors have no version counter.
    probe(network.model, network.info.input_size, after=record, inference=False)
    return list(order.values())


def list_layers(network: Network) -> list[LayerInfo]:
    """Every module that runs in a forward pass, in the order the modules are declared."""
    traced = {t.name: t for t in _trace(network)}
    layers = []
    for name, module in network.model.named_modules():
        if name in traced:
            t = traced[name]
            shape = tuple(t.out.shape[1:]) if t.out is not None else ()
            layers.append(LayerInfo(name, type(module).__name__, shape, t.calls))
    return layers


_NOT_TARGETS = (
    nn.MaxPool2d,
    nn.AvgPool2d,
    nn.AdaptiveAvgPool2d,
    nn.AdaptiveMaxPool2d,
    nn.Dropout,
    nn.Dropout2d,
    nn.Identity,
    nn.Flatten,
)


def find_default_layer(network: Network) -> str:
    """The last ReLU-like output after the last convolution, else the last C x H x W output.

    A shared activation (ResNet's blocks run one ReLU twice) is replaced by the innermost module
    that runs once and returns the same tensor; outputs changed later by in-place operations and
    channels-last (N, H, W, C) tensors of transformer-like blocks are passed over.
    Transformers (ViT, DeiT, Swin, EVA) get their last block instead (tokens.default_block_norm).
    """
    traced = _trace(network)
    block_norm = tokens.default_block_norm([(t.name, t.module, t.out) for t in traced])
    if block_norm is not None:
        return block_norm
    convs = [i for i, t in enumerate(traced) if isinstance(t.module, nn.Conv2d)]
    if not convs:
        raise NetworkError(
            f"{network.info.title} has no convolution to explain: "
            "pick a layer with a C x H x W output"
        )

    def nchw(t: _Traced) -> bool:
        out = t.out
        if out is None or out.dim() != 4 or not t.faithful:
            return False
        c, h, w = out.shape[1:]
        return h > 1 and w > 1 and c >= h and c >= w

    after = [
        t for t in traced[convs[-1] + 1 :] if nchw(t) and not isinstance(t.module, _NOT_TARGETS)
    ]
    if not after:
        return traced[convs[-1]].name
    acts = [t for t in after if isinstance(t.module, _ACTIVATIONS)]
    pick = acts[-1] if acts else after[-1]
    # The innermost module that runs once and returns that very tensor, unchanged.
    for t in traced:
        if t.calls == 1 and t.out is pick.out and t.faithful:
            return t.name
    return pick.name


def resolve_target(network: Network, target: str | int | None) -> int | None:
    """A class index from an index or a class name (exact, then unique partial match)."""
    if target is None:
        return None
    if isinstance(target, int) or re.fullmatch(r"\d+", str(target).strip()):
        idx = int(target)
        network.check_target(idx)
        return idx
    wanted = str(target).strip().lower()
    names = [c.lower() for c in network.categories]
    if wanted in names:
        return names.index(wanted)
    partial = [i for i, n in enumerate(names) if wanted in n]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise NetworkError(f"no class named '{target}' in {network.info.title}")
    shown = ", ".join(f"{network.categories[i]} ({i})" for i in partial[:6])
    raise NetworkError(f"'{target}' matches several classes: {shown}")
