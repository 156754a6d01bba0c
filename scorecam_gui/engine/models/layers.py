"""Layers of a built network: find one by name, list them with their output shapes (one traced
forward pass), and choose the default one Score-CAM explains (docs/networks.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import torch
from torch import nn

from .. import tokens
from ..hooks import probe
from .types import LayerInfo, Network, NetworkError

__all__ = ["find_default_layer", "list_layers", "resolve_layer", "resolve_target"]

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
