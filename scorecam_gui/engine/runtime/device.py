"""Choosing where and in which precision the masked forward passes run."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import sys
from collections.abc import Iterator
from types import MappingProxyType

import torch

from ...choices import DEVICES, INT8, PRECISIONS

_DTYPES = MappingProxyType({"bf16": torch.bfloat16, "fp16": torch.float16})


class DeviceError(ValueError):
    """A device or precision this machine cannot use."""


def mps_available() -> bool:
    return bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())


# The three CPU classes whose defaults differ (docs/speed.md). oneDNN's own "bf16 supported"
# (torch.ops.mkldnn._is_mkldnn_bf16_supported) says yes on any AVX-512 CPU and then *emulates*
# bf16 there, 1.3-2.8x slower than fp32 (Ice Lake Xeon: ResNet-18 30.8 s against 11.2 s), so the
# class is read from the CPU's own flags.
NATIVE_BF16, AVX512, AVX2, BASIC = "native-bf16", "avx512", "avx2", "basic"

# ONEDNN_MAX_CPU_ISA values that still let oneDNN run bf16 natively (its ISA names, upper case).
_BF16_ISAS = ("BF16", "AMX", "AVX10", "FP16")


def cpu_flags() -> frozenset[str]:
    """The CPU's instruction-set flags the defaults depend on, from CPUID (torch's cpuinfo, on
    every OS): a subset of {"avx2", "avx512", "avx512_bf16", "amx"}."""
    probe = getattr(torch, "cpu", None)
    checks = {
        "avx2": "_is_avx2_supported",
        "avx512": "_is_avx512_supported",
        "avx512_bf16": "_is_avx512_bf16_supported",
        "amx": "_is_amx_tile_supported",
    }
    found = set()
    for flag, name in checks.items():
        check = getattr(probe, name, None)
        try:
            if callable(check) and check():
                found.add(flag)
        except RuntimeError:  # pragma: no cover - a build without cpuinfo
            pass
    return frozenset(found)


def cpu_class(flags: frozenset[str] | None = None, environ: dict[str, str] | None = None) -> str:
    """NATIVE_BF16 (AVX512_BF16 or AMX), AVX512 (AVX-512 without bf16: Skylake-X to Ice Lake and
    Tiger Lake), AVX2 or BASIC, as the CPU's flags say and as ONEDNN_MAX_CPU_ISA or
    ATEN_CPU_CAPABILITY cap them."""
    have = cpu_flags() if flags is None else flags
    env = dict(os.environ) if environ is None else environ
    isa = env.get("ONEDNN_MAX_CPU_ISA", "").strip().upper()
    if isa in ("ALL", "DEFAULT"):
        isa = ""
    aten = env.get("ATEN_CPU_CAPABILITY", "").strip().lower()
    if aten == "default":
        return BASIC
    if aten != "avx2":
        if have & {"amx", "avx512_bf16"} and (not isa or any(w in isa for w in _BF16_ISAS)):
            return NATIVE_BF16
        if "avx512" in have and (not isa or "AVX512" in isa or "AVX10" in isa):
            return AVX512
    return AVX2 if "avx2" in have else BASIC


def cpu_has_fast_bf16() -> bool:
    """True where oneDNN runs bfloat16 natively (AVX-512 BF16 or AMX), not by emulation."""
    return cpu_class() == NATIVE_BF16


def cpu_capability() -> str:
    """The vector instruction set ATen's CPU kernels use: "AVX512", "AVX2", "DEFAULT", ...
    (lower than the CPU's own where ATEN_CPU_CAPABILITY caps it)."""
    get = getattr(getattr(torch.backends, "cpu", None), "get_cpu_capability", None)
    return str(get()) if callable(get) else "DEFAULT"


def cpu_description() -> str:
    """The CPU's model and the instruction sets the CPU defaults depend on, for benchmark headers:
    "Intel(R) Xeon(R) Processor (AVX2, AVX-512, AVX-512-BF16, AMX)"."""
    import platform

    model, flags = platform.processor() or platform.machine(), set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                elif line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
    except OSError:  # not Linux: the model only
        pass
    names = (("avx2", "AVX2"), ("avx512f", "AVX-512"), ("avx512_bf16", "AVX-512-BF16"))
    have = [label for flag, label in names if flag in flags]
    if "amx_bf16" in flags:
        have.append("AMX")
    text = f"{model} ({', '.join(have) or 'no AVX2'})" if flags else model
    caps = ("ONEDNN_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY")
    capped = [f"{k}={os.environ[k]}" for k in caps if k in os.environ]
    if capped:
        text += f", capped by {' '.join(capped)}: ATen {cpu_capability()}, native bf16 "
        text += "yes" if cpu_has_fast_bf16() else "no"
    return text


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


# torch.autocast on Apple's GPU: fp16 from torch 2.5, bf16 from 2.6 (and macOS 14). Older torch
# warns and runs the "autocast" region in fp32, so the precision reported would be wrong.
MPS_AUTOCAST_SINCE = MappingProxyType({"fp16": (2, 5), "bf16": (2, 6)})


def torch_version() -> tuple[int, int]:
    """torch's (major, minor) version."""
    major, minor = torch.__version__.split("+")[0].split(".")[:2]
    return int(major), int("".join(ch for ch in minor if ch.isdigit()) or 0)


def resolve_precision(precision: str, device: torch.device) -> str:
    """The precision of the masked forward passes.

    `auto` chooses reduced precision only where it was measured to be faster and to give the same
    map (correlation >= 0.999 with fp32, see benchmarks/): bf16 on CPUs with native bf16, fp16 on
    every other device (CUDA, MPS, ...) where torch can autocast to it; fp32 on MPS with a torch
    too old for its autocast. The classification itself always runs in fp32.
    """
    if precision not in PRECISIONS:
        raise DeviceError(f"unknown precision '{precision}': use one of {', '.join(PRECISIONS)}")
    if precision == "auto":
        if device.type == "cpu":
            return "bf16" if cpu_has_fast_bf16() else "fp32"
        if device.type == "mps" and torch_version() < MPS_AUTOCAST_SINCE["fp16"]:
            return "fp32"
        return "fp16"
    if precision == INT8:  # InferenceModel gives torch `auto` beside OpenVINO's INT8 passes
        raise DeviceError("INT8 runs on OpenVINO only: use --backend openvino (or auto)")
    if precision == "fp16" and device.type == "cpu":
        raise DeviceError("fp16 is not supported on the CPU: use bf16 or fp32")
    if device.type == "mps" and precision in MPS_AUTOCAST_SINCE:
        need = MPS_AUTOCAST_SINCE[precision]
        if torch_version() < need:
            raise DeviceError(
                f"{precision} on Apple MPS needs torch {need[0]}.{need[1]} or newer "
                f"(this is {torch.__version__}): use fp32, or pip install -U torch"
            )
    return precision


@contextlib.contextmanager
def autocast(device: torch.device, precision: str) -> Iterator[None]:
    """Autocast to the chosen precision; fp32 runs in true fp32 (see `exact_fp32`)."""
    if precision == "fp32":
        with exact_fp32(device):
            yield
        return
    with torch.autocast(device_type=device.type, dtype=_DTYPES[precision]):
        yield


@contextlib.contextmanager
def exact_fp32(device: torch.device) -> Iterator[None]:
    """fp32 convolutions without TF32 on CUDA (cuDNN uses TF32 by default on Ampere and later,
    which changes results in the third digit); a no-op elsewhere."""
    if device.type != "cuda":
        yield
        return
    conv = getattr(torch.backends.cudnn, "conv", None)
    if conv is not None and hasattr(conv, "fp32_precision"):  # torch >= 2.9
        old = conv.fp32_precision
        conv.fp32_precision = "ieee"
        try:
            yield
        finally:
            conv.fp32_precision = old
        return
    old_flag = torch.backends.cudnn.allow_tf32
    torch.backends.cudnn.allow_tf32 = False
    try:
        yield
    finally:
        torch.backends.cudnn.allow_tf32 = old_flag


# glibc serves allocations above a threshold (at most 32 MiB by default) with fresh mmaps and gives
# memory at the top of the heap back above another one, so every layer's output of a batch is a
# new mapping whose pages fault in one by one. Keeping both above a batch's activations lets the
# heap reuse them: measured on EfficientNet-Lite0 (128 maps, 1 thread), fp32 4.1 s -> 2.5 s, bf16
# at batch 32 2.3 s -> 1.4 s, at batch 8 1.5 s -> 1.3 s; peak memory about the same.
_MMAP_THRESHOLD = 64 << 20
_TRIM_THRESHOLD = 128 << 20
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt() parameter numbers


@functools.cache  # once per process: the answer is kept with the function, not in a global
def tune_cpu_allocator() -> bool:
    """Raise glibc's mmap and trim thresholds once per process (Linux only); True if done.

    Left alone where the user tunes malloc through the environment, or without glibc.
    """
    if not sys.platform.startswith("linux") or any(
        k.startswith("MALLOC_") or k == "GLIBC_TUNABLES" for k in os.environ
    ):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # musl and other C libraries
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(
        mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD) and mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)
    )
