"""The OpenMP thread policy the entry points choose before torch loads (docs/speed.md).

torch's CPU kernels run in OpenMP parallel regions whose threads, by default, spin-wait at every
barrier. On a laptop something else always runs (a browser, a mail client): when one of the
threads is descheduled the others spin until it comes back, and on this project's 2-core Xeon one
other busy process made `scorecam explain` about ten times slower (94 s against 8.4 s with one
thread). With OMP_WAIT_POLICY=PASSIVE the waiting threads sleep instead and give the core back.

OpenMP reads these variables once, when the library loads, and they hold for the whole process,
so only an application's entry point may set them (the `scorecam` command, `scorecam-gui`,
`python -m scorecam_gui`), before torch is imported, and never over the user's own choice. The
engine itself changes nothing process-wide: importing it leaves os.environ alone (a test proves
it). OpenVINO's CPU plugin uses its own (TBB) threads and is not affected.

While OpenVINO's threads run the masked passes on every core, torch's own work beside them
(building the next batch, recording scores) runs on one thread (`torch_alone`): a second OpenMP
thread would only wake to take a core from OpenVINO, and under OpenMP's default policy it then
spins there. Python code that uses the engine without the entry points' policy got 1.15x
(EfficientNet-Lite0) to 1.32x (MobileNet-v2) slower runs from it (docs/speed.md).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from types import MappingProxyType

# What the entry points set where the user has not: the wait policy only. The thread count stays
# OpenMP's own (one per core): with the passive policy two threads beat one on a quiet machine and
# lose little with other processes busy (docs/speed.md, "Sharing the CPU").
THREAD_POLICY: Mapping[str, str] = MappingProxyType({"OMP_WAIT_POLICY": "PASSIVE"})


def choose_thread_policy(environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Set THREAD_POLICY's variables that `environ` (default: os.environ) lacks; return those set.

    Does nothing once torch is imported (OpenMP has read its settings by then): call it first
    thing in an entry point.
    """
    env = os.environ if environ is None else environ
    if environ is None and "torch" in sys.modules:
        return {}
    chosen = {k: v for k, v in THREAD_POLICY.items() if k not in env}
    env.update(chosen)
    return chosen


@contextlib.contextmanager
def torch_alone() -> Iterator[None]:
    """torch's intra-op threads at one inside, as they were after (the calling thread's count;
    torch reads it per parallel region, so nothing else changes)."""
    import torch  # not at the top: the entry points import this module before torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
