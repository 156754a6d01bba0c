"""The faster copy of a network that the masked forward passes run through.

Two rewrites, each checked against the network's own logits before it is used:

- BatchNorm folding. An eval-mode BatchNorm right after a convolution is an affine map per
  channel: folded into the convolution's weights it costs nothing, where on its own it is one more
  pass over a large activation (measured on this project's CPU: EfficientNet-Lite0 -25% in fp32,
  -6% in bf16; MobileNet-v2 -40%; ResNet-18 -4%). The answer is the same up to float rounding.
- In bf16, the leading convolutions run in fp32 (see _FULL_PRECISION_SHARE).
"""

from __future__ import annotations

import copy
import itertools
import logging
import math
import weakref
from collections.abc import Callable, Iterator

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from ..hooks import hooked, probe
from ..models.efficientnet_lite import _Conv2dSameStrided
from ..models.types import class_scores
from . import device as devices

# Convolution types whose forward is a plain convolution with self.weight and self.bias.
_PLAIN_CONV_FORWARDS = (nn.Conv2d.forward, _Conv2dSameStrided.forward)

log = logging.getLogger(__name__)


def _leaves(obj: object) -> Iterator[object]:
    if isinstance(obj, list | tuple):
        for item in obj:
            yield from _leaves(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _leaves(item)
    else:
        yield obj


class _ConvOutputReads(TorchFunctionMode):
    """Counts the torch calls that read each convolution's output, except inside BatchNorms.

    Outputs are held by weak references: the trace keeps no activation alive, and a new tensor
    that reuses a dead one's id is not mistaken for it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.outputs: dict[int, tuple[weakref.ref[torch.Tensor], str]] = {}
        self.reads: dict[str, int] = {}
        self.in_batchnorm = 0

    def watch(self, t: torch.Tensor, conv: str) -> None:
        self.outputs[id(t)] = (weakref.ref(t), conv)
        self.reads[conv] = 0

    def producer(self, t: object) -> str | None:
        entry = self.outputs.get(id(t))
        return entry[1] if entry is not None and entry[0]() is t else None

    def __torch_function__(
        self,
        func: Callable[..., object],
        types: object,
        args: tuple[object, ...] = (),
        kwargs: dict[str, object] | None = None,
    ) -> object:
        kwargs = kwargs or {}
        if not self.in_batchnorm:
            for leaf in _leaves((args, kwargs)):
                conv = self.producer(leaf) if isinstance(leaf, torch.Tensor) else None
                if conv is not None:
                    self.reads[conv] += 1
        return func(*args, **kwargs)


def _foldable_pairs(model: nn.Module, x: torch.Tensor) -> list[tuple[str, str]]:
    """(convolution, BatchNorm) names where the BatchNorm is the convolution's only reader.

    Found by running the model once: each module must run once, the BatchNorm's input must be the
    very tensor the convolution returned, and no other torch call may read that tensor.
    """
    convs = {
        n: m
        for n, m in model.named_modules()
        if isinstance(m, nn.Conv2d) and type(m).forward in _PLAIN_CONV_FORWARDS
    }
    bns = {
        n: m
        for n, m in model.named_modules()
        if type(m).forward is nn.BatchNorm2d.forward
        and isinstance(m, nn.BatchNorm2d)
        and not m.training
        and m.running_mean is not None
        and m.running_var is not None
    }
    if not bns:
        return []
    calls: dict[str, int] = {}
    source: dict[str, str | None] = {}  # BatchNorm -> the convolution whose output it read
    reads = _ConvOutputReads()

    def on_conv(name: str, _m: nn.Module, out: object) -> None:
        calls[name] = calls.get(name, 0) + 1
        if isinstance(out, torch.Tensor):
            reads.watch(out, name)

    def before_bn(name: str, _m: nn.Module, inputs: tuple[object, ...]) -> None:
        calls[name] = calls.get(name, 0) + 1
        source[name] = reads.producer(inputs[0]) if inputs else None
        reads.in_batchnorm += 1

    def after_bn(_n: str, _m: nn.Module, _o: object) -> None:
        reads.in_batchnorm -= 1

    with hooked(convs.items(), after=on_conv), reads:
        probe(model, x, bns.items(), after=after_bn, before=before_bn)
    return [
        (conv, bn)
        for bn, conv in source.items()
        if conv is not None
        and calls[conv] == calls[bn] == 1
        and reads.reads[conv] == 0
        and convs[conv].out_channels == bns[bn].num_features
    ]


def _fold_batchnorm(model: nn.Module, pairs: list[tuple[str, str]]) -> nn.Module:
    """A copy of `model` with each BatchNorm folded into its convolution.

    The copy shares every tensor it does not change with `model` (no second set of weights).
    """
    shared = {id(t): t for t in itertools.chain(model.parameters(), model.buffers())}
    folded = copy.deepcopy(model, shared)
    for conv_name, bn_name in pairs:
        conv = folded.get_submodule(conv_name)
        bn = folded.get_submodule(bn_name)
        assert isinstance(conv, nn.Conv2d) and isinstance(bn, nn.BatchNorm2d)
        assert bn.running_var is not None and bn.running_mean is not None
        w = conv.weight
        # float64 so that folding adds no rounding of its own.
        scale = torch.rsqrt(bn.running_var.double() + bn.eps)
        if bn.weight is not None:
            scale = scale * bn.weight.double()
        shift = -bn.running_mean.double() * scale
        if bn.bias is not None:
            shift = shift + bn.bias.double()
        if conv.bias is not None:
            shift = shift + conv.bias.double() * scale
        new_w = torch.empty_like(w).copy_(w.double() * scale.view(-1, 1, 1, 1))  # keeps layout
        conv.weight = nn.Parameter(new_w, requires_grad=False)
        conv.bias = nn.Parameter(shift.to(w.dtype), requires_grad=False)
        parent, _, child = bn_name.rpartition(".")
        setattr(folded.get_submodule(parent), child, nn.Identity())
    return folded.eval()


# bf16 keeps 8 significant bits. Rounding errors made in the first layers pass through all the
# others, and cost least to avoid there: the leading convolutions that together do at most this
# share of the network's convolution work run in fp32. EfficientNet-Lite0 on chelsea (black fill):
# map correlation with fp32 0.9985 -> 0.9994 (the stem and block 0, 5.4% of the work); ResNet-18
# keeps all in bf16 (its first convolution alone is 6.5%).
_FULL_PRECISION_SHARE = 0.06


class _FullPrecision(nn.Module):
    """Runs a module in fp32 inside an autocast region."""

    def __init__(self, module: nn.Module) -> None:
        super().__init__()
        self.module = module

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        with torch.autocast(device_type=x.device.type, enabled=False):
            return self.module(x.float())


def _leading_convolutions(model: nn.Module, x: torch.Tensor) -> list[str]:
    """The first convolutions, in running order, within _FULL_PRECISION_SHARE of all their work."""
    work: list[tuple[str, int]] = []

    def on_conv(name: str, m: nn.Module, out: object) -> None:
        if isinstance(out, torch.Tensor) and isinstance(m, nn.Conv2d):
            macs = out[0].numel() * m.in_channels // m.groups * math.prod(m.kernel_size)
            work.append((name, macs))

    convs = [(n, m) for n, m in model.named_modules() if isinstance(m, nn.Conv2d) and n]
    probe(model, x, convs, after=on_conv)
    total = sum(macs for _, macs in work)
    first: list[str] = []
    done = 0
    for name, macs in work:
        done += macs
        if done > _FULL_PRECISION_SHARE * total or name in first:
            break
        first.append(name)
    return first


def params_version(model: nn.Module) -> int:
    # In-place changes (load_state_dict, copy_) bump a tensor's version counter.
    return sum(t._version for t in itertools.chain(model.parameters(), model.buffers()))


def fast_copy(
    model: nn.Module, x: torch.Tensor, fold_batchnorm: bool, bf16: bool, device: torch.device
) -> nn.Module:
    """`model` with its BatchNorms folded (if fold_batchnorm) and, if bf16, its first
    convolutions kept in fp32; `model` itself when there is nothing to change, or when the copy's
    logits for `x` (a normalised batch) differ from the model's beyond float rounding."""
    try:
        pairs = _foldable_pairs(model, x) if fold_batchnorm else []
        first = _leading_convolutions(model, x) if bf16 else []
        if not pairs and not first:
            return model
        built = _fold_batchnorm(model, pairs)
        for name in first:
            parent, _, child = name.rpartition(".")
            owner = built.get_submodule(parent)
            setattr(owner, child, _FullPrecision(getattr(owner, child)))
        with torch.inference_mode(), devices.exact_fp32(device):
            want = class_scores(model(x)).float()
            got = class_scores(built(x)).float()
    except Exception as exc:  # a model that cannot be traced or copied runs as it is
        first_line = (str(exc).strip().splitlines() or [""])[0]
        log.warning(
            "the faster copy of the network failed (%s: %s): its passes run unchanged, slower",
            type(exc).__name__,
            first_line,
        )
        return model
    # A wrong fold changes logits by O(1); float rounding by far less than this.
    error = float((got - want).abs().max())
    if error <= 1e-4 * float(want.abs().max()) + 1e-6:
        return built
    log.warning(
        "the faster copy of the network disagrees with it (logits differ by %.3g): "
        "its passes run unchanged, slower",
        error,
    )
    return model
