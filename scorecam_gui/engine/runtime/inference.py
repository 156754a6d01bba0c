"""Fast batched forward passes of one network on one device: the engine's inference runner.

Score-CAM, the faithfulness metrics and Grad-CAM share it. The speed techniques live here and in
engine/runtime/rewrite.py: channels-last inputs, reduced precision (engine/runtime/device.py), the
network's
faster copy (BatchNorms folded, bf16 leading convolutions in fp32), optional torch.compile, a batch
size chosen for the device, and halving the batch when it runs out of memory.

Two backend objects run the batched passes (engine/runtime/backends.py): torch_backend's (CUDA,
MPS, CPU; forward hooks and autograd) and openvino_backend's (CPU; plain logits, proved on first
use when `auto` chose it). A method's passes go to a backend that can run what the method needs
(`batches(..., needs=...)`), so Ablation-CAM's hooks run on torch beside OpenVINO. The exact pass
(classification, the layer's activations) always runs on torch in fp32.
"""

from __future__ import annotations

import contextlib
import logging
from collections import deque
from collections.abc import Callable, Iterator
from types import MappingProxyType

import numpy as np
import torch
from torch import nn

from ...choices import BACKENDS, INT8
from ..hooks import probe
from ..models.types import Network, class_scores
from . import device as devices
from . import memory
from .backends import FULL_PRECISION, Backend, choose, device_for
from .openvino import CompiledNetwork, OpenVinoRuntime, OpenVinoStuck, Pending, shared
from .openvino_backend import MIN_AGREEMENT, MapCheck, OpenVinoBackend
from .threads import torch_alone
from .torch_backend import TorchBackend, is_out_of_memory

log = logging.getLogger(__name__)

# Masked inputs per forward pass when none is asked for. GPUs need large batches to be busy (a
# batch that does not fit is halved as it runs). On the CPU the batch keeps the network's largest
# activation within CPU_ACTIVATION_BUDGET: beyond about 8 images, larger batches gained at most 5 %
# (2 cores, bf16: ResNet-18 5.21 s at 8, 4.94 s at 16, 4.90 s at 32, 5.16 s at 64; EfficientNet-
# Lite0 2.73 s at 8, 2.67 s at 16; Lite0 fp32 5.32 s at 4, 4.68 s at 8), while the peak memory of
# `scorecam explain` with Lite0 grew from about 770 MB at 8 to 850-900 MB at 16. The same holds on
# every instruction set measured (AVX2 fp32, AVX-512 fp32, AMX bf16: CPU time per pass within 5 %
# from 8 to 32, docs/speed.md), so one rule serves them all.
DEFAULT_BATCH_SIZES = MappingProxyType({"cuda": 128, "mps": 32})
DEFAULT_BATCH_SIZE = 32  # any other device type
CPU_ACTIVATION_BUDGET = 32 << 20  # bytes of a batch's largest activation
CPU_BATCH_RANGE = (8, 32)

# fill(out, start, stop): write inputs start..stop (normalised) into the batch `out`.
Fill = Callable[[torch.Tensor, int, int], None]


def default_batch_size(device: torch.device | str, largest_activation: int | None = None) -> int:
    """The batch size an InferenceModel uses when none is given.

    On the CPU it depends on the bytes of the network's largest activation for one image (None:
    that of EfficientNet-Lite0 in bf16): the largest power of two within CPU_ACTIVATION_BUDGET.
    """
    kind = device.type if isinstance(device, torch.device) else str(device).split(":")[0]
    if kind != "cpu":
        return DEFAULT_BATCH_SIZES.get(kind, DEFAULT_BATCH_SIZE)
    per_image = largest_activation or 96 * 112 * 112 * 2
    fit = max(1, CPU_ACTIVATION_BUDGET // max(1, per_image))
    low, high = CPU_BATCH_RANGE
    return min(high, max(low, 1 << (fit.bit_length() - 1)))


def largest_activation(network: Network) -> int:
    """Values in the largest module output for one image (one forward pass, at batch 1)."""
    largest = 0

    def measure(_n: str, _m: nn.Module, out: object) -> None:
        nonlocal largest
        if isinstance(out, torch.Tensor):
            largest = max(largest, out[0].numel() if out.dim() > 1 else out.numel())

    model = network.model
    probe(model, network.info.input_size, list(model.named_modules()), after=measure)
    return largest


def resolve_backend(
    backend: str,
    device: torch.device,
    compile_model: bool = False,
    runtime: OpenVinoRuntime | None = None,
    precision: str = "auto",
) -> str:
    """The backend of the masked passes for the user's choice (backends.choose)."""
    return choose(backend, device, compile_model, runtime or shared(), precision)


__all__ = [
    "MIN_AGREEMENT",
    "Fill",
    "InferenceModel",
    "default_batch_size",
    "is_out_of_memory",
    "largest_activation",
    "resolve_backend",
]


class InferenceModel:
    """A network moved to a device, with the backends that run its batched passes fast."""

    def __init__(
        self,
        network: Network,
        device: str = "auto",
        precision: str = "auto",
        batch_size: int | None = None,
        channels_last: bool = True,
        fold_batchnorm: bool = True,
        compile_model: bool = False,
        backend: str = "auto",
        runtime: OpenVinoRuntime | None = None,
        defer_check: bool = False,
    ) -> None:
        """See Explainer for the arguments; runtime: the process's OpenVINO state (shared())."""
        if batch_size is not None and batch_size < 1:
            raise ValueError("batch size must be at least 1")
        self.network = network
        if backend not in BACKENDS:
            raise devices.DeviceError(
                f"unknown backend '{backend}': use one of {', '.join(BACKENDS)}"
            )
        self.device = devices.resolve_device(device_for(backend, device, precision))
        # channels-last lets oneDNN/cuDNN pick their fastest convolution kernels.
        self.memory_format = torch.channels_last if channels_last else torch.contiguous_format
        runtime = runtime or shared()
        chosen = choose(backend, self.device, compile_model, runtime, precision)
        # Beside OpenVINO's INT8 passes, torch's (layer hooks, gradients) run at its `auto`.
        own = "auto" if precision == INT8 else precision
        self.torch = TorchBackend(
            network, self.device, own, self.memory_format, fold_batchnorm, compile_model
        )
        self.fast: OpenVinoBackend | None = None
        if chosen != self.torch.name:
            checked = backend == "auto"
            self.fast = OpenVinoBackend(
                network, precision, checked, runtime, self._exact_batch, defer_check
            )
        self._batch_size = batch_size  # None: chosen on first use (see batch_size)
        network.model.to(self.device, memory_format=self.memory_format).eval()  # type: ignore[call-overload]  # Module.to takes memory_format; torch's stubs omit it
        info = network.info
        self.mean = torch.tensor(info.mean, device=self.device).view(3, 1, 1)
        self.std = torch.tensor(info.std, device=self.device).view(3, 1, 1)

    # -- which backend runs what --------------------------------------------------------------
    @property
    def active(self) -> Backend:
        """The backend of the passes that need nothing but logits: the fast one until it fails."""
        fast = self.fast
        return fast if fast is not None and fast.failed is None else self.torch

    def backend_for(self, needs: frozenset[str] = frozenset()) -> Backend:
        """The backend that runs passes needing `needs` (backends.LAYER_HOOKS, ...): the active
        one where it can, else torch (which can run everything). FULL_PRECISION is this runner's
        to serve (_via_fp32), not a backend's."""
        active = self.active
        return active if active.can_run(needs - {FULL_PRECISION}) else self.torch

    def _via_fp32(self, needs: frozenset[str]) -> bool:
        """Whether passes needing `needs` go through the fp32 path (fp32_logits): they need
        FULL_PRECISION and their backend runs a reduced precision."""
        return FULL_PRECISION in needs and self.backend_for(needs).precision != "fp32"

    def runs(self, needs: frozenset[str] = frozenset()) -> tuple[str, str]:
        """(backend, precision) of the passes needing `needs`, as a record names them: after
        the passes, so that an OpenVINO fp32 network that could not be had says torch."""
        backend = self.backend_for(needs)
        if not self._via_fp32(needs):
            return backend.name, backend.precision
        fast = self.fast
        if backend is fast and fast is not None and not fast.fp32_failed:
            return fast.name, "fp32"  # its fp32 network
        return self.torch.name, "fp32"  # torch's module in fp32

    def agreement(self, needs: frozenset[str] = frozenset()) -> float | None:
        """How close the maps of passes needing `needs` came to exact fp32 ones on this network:
        the map check kept for their precision on OpenVINO (auto's bf16, INT8); None where they
        run in fp32, on torch, or were never checked."""
        fast = self.fast
        if fast is None or self.backend_for(needs) is not fast or self._via_fp32(needs):
            return None
        if fast.precision == "fp32":
            return None
        return fast.runtime.stored_agreement(self.network, fast.precision)

    @property
    def backend(self) -> str:
        """What runs the plain passes now: `torch` or `openvino`."""
        return self.active.name

    @property
    def precision(self) -> str:
        """The precision of the plain passes now."""
        return self.active.precision

    @property
    def compile_error(self) -> str | None:
        return self.torch.compile_error

    @property
    def _compiled(self) -> tuple[nn.Module, nn.Module, int] | None:
        return self.torch._compiled

    @property
    def batch_size(self) -> int:
        """Inputs per forward pass: as given, else chosen for the device and network."""
        if self._batch_size is None:
            largest = None
            if self.device.type == "cpu":
                bytes_per_value = 4 if self.precision == "fp32" else 2
                largest = largest_activation(self.network) * bytes_per_value
            batch = default_batch_size(self.device, largest)
            if largest is not None:  # within the memory there is (a GPU halves on OOM)
                what = self.network.info.title or self.network.info.name
                batch = memory.fit_batch(batch, largest, memory.available_memory(), what)
            self._batch_size = batch
        return self._batch_size

    # -- inputs -------------------------------------------------------------------------------
    def to_tensor(self, rgb: np.ndarray) -> torch.Tensor:
        """(S, S, 3) uint8 -> (3, S, S) float in [0, 1] on the device."""
        x = torch.from_numpy(np.array(rgb, copy=True)).to(self.device)  # a writable copy
        return x.permute(2, 0, 1).float().div_(255.0)

    def normalise(self, x: torch.Tensor) -> torch.Tensor:
        """Raw RGB in [0, 1] -> the network's input ((x - mean) / std)."""
        return (x - self.mean) / self.std

    # -- forward passes -----------------------------------------------------------------------
    def exact_logits(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (fp32) of a normalised batch through the network as it is, in exact fp32:
        forward hooks on its layers see this pass (classification, activations)."""
        with devices.exact_fp32(self.device):
            return class_scores(self.network.model(x)).float()

    def _exact_batch(self, x: torch.Tensor) -> torch.Tensor:
        with torch.inference_mode(), devices.exact_fp32(self.device):
            return class_scores(self.network.model(x.to(self.device))).float()

    def fp32_logits(self, x: torch.Tensor, needs: frozenset[str] = frozenset()) -> torch.Tensor:
        """Logits of a normalised batch in fp32 however the passes needing `needs` run:
        OpenVINO's fp32 network where OpenVINO runs them (the conversion auto's checks compared
        with torch), else torch's module of the batched passes in fp32 (whose hooks see them).
        For the few inputs a reduced-precision run scores again, and the passes that need
        FULL_PRECISION."""
        fast = self.fast
        if fast is not None and self.backend_for(needs) is fast:
            logits = fast.fp32_forward(x.detach().cpu().contiguous())
            if logits is not None:
                return logits.to(self.device)
        with torch.inference_mode():
            return self.torch.fp32_forward(x.to(self.device))

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (fp32) of a normalised batch at the runner's precision, through the fast model,
        in batches of at most batch_size (halved on out-of-memory)."""
        out = torch.empty((len(x), self.network.num_classes), device=self.device)

        def fill(batch: torch.Tensor, start: int, stop: int) -> None:
            batch.copy_(x[start:stop])

        for start, stop, part in self.batches(len(x), fill):
            out[start:stop] = part
        return out

    def batches(
        self, total: int, fill: Fill, needs: frozenset[str] = frozenset()
    ) -> Iterator[tuple[int, int, torch.Tensor]]:
        """Logits of `total` inputs, batch by batch: fill(out, start, stop) writes inputs
        start..stop (normalised) into a batch; yields (start, stop, logits) in order. `needs`:
        what the caller's passes need of the backend (backend_for).

        A batch that runs out of memory is halved and run again (finished batches are kept).
        Inference mode holds inside each batch, never across a yield. On OpenVINO, once its
        first-use check has passed, the next batches are filled while earlier ones run
        (_pipelined), so `fill` must not depend on the logits yielded before, and torch runs on
        one thread until the last batch is yielded; a pass that stops responding there hands the
        rest of the run to torch.
        """
        start = 0
        while start < total:
            backend = self.backend_for(needs)
            exact = self._via_fp32(needs)
            pipelined = backend is self.fast and not exact
            net = self.fast.pipeline_network() if pipelined and self.fast is not None else None
            steps = (
                self._pipelined(net, start, total, fill)
                if net is not None
                else self._in_turn(start, total, fill, backend, needs if exact else None)
            )
            for item in steps:
                yield item
                start = item[1]

    def _in_turn(
        self,
        start: int,
        total: int,
        fill: Fill,
        backend: Backend,
        exact: frozenset[str] | None = None,
    ) -> Iterator[tuple[int, int, torch.Tensor]]:
        """Batches one after the other from `start` on `backend`, until the end or until the
        pipeline can take over (OpenVINO's first-use check has just passed); `exact`: the needs
        of passes that run through fp32_logits instead (FULL_PRECISION)."""
        batch = self.batch_size
        size = self.network.info.input_size
        with torch.inference_mode():
            buffer = torch.empty((batch, 3, size, size), device=self.device)
            buffer = buffer.contiguous(memory_format=backend.layout)
        fast = self.fast if backend is self.fast else None
        while start < total:
            stop = min(start + batch, total)
            try:
                with torch.inference_mode():
                    out = buffer[: stop - start]
                    fill(out, start, stop)
                    if exact is not None:
                        logits = self.fp32_logits(out, exact)
                    else:
                        got = fast.forward(out) if fast is not None else None
                        # torch's batch, or OpenVINO failed on it
                        logits = self.torch.forward(out, self.batch_size) if got is None else got
            except (torch.OutOfMemoryError, RuntimeError) as exc:
                if not is_out_of_memory(exc) or batch == 1:
                    raise
                out_of_memory = True
            else:
                out_of_memory = False
            if out_of_memory:
                # Outside the except block, so the failed batch's traceback (and the tensors
                # its frames hold) is gone before the cache is emptied.
                del out
                batch = max(1, batch // 2)
                buffer = buffer[:batch]
                if self.device.type == "cuda":
                    torch.cuda.empty_cache()
                continue
            yield start, stop, logits
            start = stop
            if (
                exact is None
                and fast is not None
                and (fast.failed is not None or fast.pipeline_network())
            ):
                return  # torch goes on in its own layout, or the pipeline takes over

    def _pipelined(
        self, net: CompiledNetwork, start: int, total: int, fill: Fill
    ) -> Iterator[tuple[int, int, torch.Tensor]]:
        """Batches from `start` on OpenVINO once it is settled: each is built while OpenVINO runs
        the ones before it (net.depth in flight), into buffers of its own. Closing the generator
        waits for the passes in flight (they read those buffers). A pass that stops responding
        (OpenVinoStuck) ends it after the last batch yielded, the backend failed over to torch."""
        assert self.fast is not None
        batch = self.batch_size
        size = self.network.info.input_size
        with torch.inference_mode():
            free = [torch.empty((batch, 3, size, size)) for _ in range(net.depth)]
        pending: deque[tuple[int, int, torch.Tensor, Pending]] = deque()
        stuck = False
        # OpenVINO's threads hold the cores until the last pass: torch's work beside them (this
        # fill, the caller's code between yields) on one thread of its own (threads.torch_alone).
        with torch_alone():
            try:
                while start < total or pending:
                    while start < total and free:
                        for *_, running in pending:
                            running.advance()
                        stop = min(start + batch, total)
                        buffer = free.pop()
                        with torch.inference_mode():
                            fill(buffer[: stop - start], start, stop)
                        pending.append((start, stop, buffer, net.submit(buffer[: stop - start])))
                        start = stop
                    first, last, buffer, done = pending[0]
                    try:
                        logits = done.result()
                    except OpenVinoStuck as exc:
                        stuck = True
                        self.fast.fail(f"OpenVINO stopped responding ({exc})")
                        return  # batches() goes on from `first` on torch
                    pending.popleft()
                    free.append(buffer)
                    yield first, last, logits
            finally:
                for *_, passes in pending:
                    if stuck:
                        passes.abandon()  # no second long wait once one pass is stuck
                    elif not passes.done:
                        passes.wait()

    @property
    def deferred_precision(self) -> str | None:
        """The precision whose map check defer_check put off (it runs fp32 meanwhile), if any."""
        return self.fast.deferred if self.fast is not None else None

    def deferred_check(self) -> contextlib.AbstractContextManager[bool]:
        """OpenVinoBackend.deferred_check: inside it, the next Score-CAM run makes the map check
        that defer_check put off (True), if there is one."""
        fast = self.fast
        return fast.deferred_check() if fast is not None else contextlib.nullcontext(False)

    def start_map_check(self) -> MapCheck | None:
        """Before a run's batches: a MapCheck when they are `auto`'s first use of OpenVINO in a
        reduced precision on this network (openvino_backend.MapCheck), else None."""
        fast = self.fast
        return fast.start_map_check() if fast is not None and fast.failed is None else None

    def model(self) -> nn.Module:
        """The module torch's batched passes run through (TorchBackend.model)."""
        return self.torch.model()
