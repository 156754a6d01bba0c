"""How much memory this process may still take, and how many images a batch may hold within it.

A network's largest activation for one image is measured once (inference.largest_activation); a
batch of the masked passes holds about PEAK_PER_ACTIVATION of it per image at once (a layer's
input, its output and one more). A small ONNX file may declare an activation of up to 1 GB an
image (models/onnx_limits.py refuses more): eight of them at the CPU's usual batch took a 6 GB
process down. So the batch is fitted to MEMORY_SHARE of the memory available, down to one image,
and a network whose one image would not fit is refused in one line before any pass.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .device import DeviceError

__all__ = ["MEMORY_SHARE", "PEAK_PER_ACTIVATION", "TooBig", "available_memory", "fit_batch"]

MEMORY_SHARE = 0.5  # of the memory available, what the batched passes may take
PEAK_PER_ACTIVATION = 3  # largest activations alive at once in a pass, per image


class TooBig(DeviceError):
    """One image through the network would need more memory than the machine has free."""


def available_memory() -> int | None:
    """Bytes this process may still take: the system's available memory (Linux: MemAvailable),
    lower where a cgroup (a container, a CI job) caps it; None where it cannot be read."""
    found: list[int] = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        pass
    try:
        cap = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        used = Path("/sys/fs/cgroup/memory.current").read_text().strip()
        if cap != "max":
            found.append(max(0, int(cap) - int(used)))
    except (OSError, ValueError):
        pass
    if not found and hasattr(os, "sysconf"):
        with contextlib.suppress(ValueError, OSError):
            found.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    return min(found) if found else None


def fit_batch(batch: int, per_image: int, available: int | None, what: str) -> int:
    """`batch`, made smaller where `per_image` bytes of the largest activation would take more
    than MEMORY_SHARE of `available`; TooBig (one line naming `what` and the sizes) where even
    one image would."""
    if available is None or per_image <= 0:
        return batch
    need = PEAK_PER_ACTIVATION * per_image
    room = int(MEMORY_SHARE * available)
    if need > room:
        raise TooBig(
            f"{what}: one image needs about {_gb(need)} of memory at its largest layer, more "
            f"than the {_gb(room)} this computer can give it now: close other programs, or use "
            "a smaller input size"
        )
    return max(1, min(batch, room // need))


def _gb(n: int) -> str:
    return f"{n / 2**30:.1f} GB"
