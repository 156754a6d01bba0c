"""Choosing where and in which precision the masked forward passes run."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Literal

import torch

DeviceName = Literal["auto", "cpu", "cuda", "mps"]
PrecisionName = Literal["auto", "fp32", "bf16", "fp16"]
DEVICES: tuple[str, ...] = ("auto", "cpu", "cuda", "mps")
PRECISIONS: tuple[str, ...] = ("auto", "fp32", "bf16", "fp16")

_DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}


class DeviceError(ValueError):
    """A device or precision this machine cannot use."""


def mps_available() -> bool:
    return bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())


def cpu_has_fast_bf16() -> bool:
    """True where oneDNN runs bfloat16 natively (AVX-512 BF16 or AMX), not by emulation."""
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # pragma: no cover - builds without oneDNN
        return False


def resolve_device(device: str = "auto") -> torch.device:
    """`auto` picks CUDA, then Apple MPS, then the CPU."""
    if device not in DEVICES:
        raise DeviceError(f"unknown device '{device}': use one of {', '.join(DEVICES)}")
    if device == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps") if mps_available() else torch.device("cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise DeviceError("CUDA was asked for, but torch sees no CUDA GPU on this machine")
    if device == "mps" and not mps_available():
        raise DeviceError("Apple MPS was asked for, but it is not available on this machine")
    return torch.device(device)


def resolve_precision(precision: str, device: torch.device) -> str:
    """The precision of the masked forward passes.

    `auto` chooses reduced precision only where it was measured to be faster and to give the same
    map (correlation >= 0.999 with fp32, see benchmarks/): bf16 on CPUs with native bf16, fp16 on
    CUDA and MPS. The classification itself always runs in fp32.
    """
    if precision not in PRECISIONS:
        raise DeviceError(f"unknown precision '{precision}': use one of {', '.join(PRECISIONS)}")
    if precision == "auto":
        if device.type == "cpu":
            return "bf16" if cpu_has_fast_bf16() else "fp32"
        return "fp16"
    if precision == "fp16" and device.type == "cpu":
        raise DeviceError("fp16 is not supported on the CPU: use bf16 or fp32")
    return precision


@contextlib.contextmanager
def autocast(device: torch.device, precision: str) -> Iterator[None]:
    """Autocast to the chosen precision; fp32 runs untouched."""
    if precision == "fp32":
        yield
        return
    with torch.autocast(device_type=device.type, dtype=_DTYPES[precision]):
        yield


def describe(device: torch.device) -> str:
    """A short human name of the device for status bars and JSON."""
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return device.type
