"""Fast batched forward passes of one network on one device: the engine's inference runner.

Score-CAM, the faithfulness metrics and Grad-CAM share it. The speed techniques live here and in
engine/runtime/rewrite.py: channels-last inputs, reduced precision (engine/runtime/device.py), the
network's
faster copy (BatchNorms folded, bf16 leading convolutions in fp32), optional torch.compile, a batch
size chosen for the device, and halving the batch when it runs out of memory.

Two backends run the batched passes (engine/runtime/openvino.py for the second): `torch` (CUDA,
MPS, CPU) and `openvino` (CPU). `auto` takes OpenVINO on the CPU where it is installed and its
first batch agrees with torch in exact fp32 (MIN_AGREEMENT), else torch. The exact pass
(classification, the layer's activations) always runs on torch in fp32.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator

import numpy as np
import torch
from torch import nn

from ...choices import BACKENDS
from ..hooks import probe
from ..models.types import Network, class_scores
from . import device as devices
from . import openvino as ovb
from .rewrite import fast_copy, params_version

log = logging.getLogger(__name__)

# Masked inputs per forward pass when none is asked for. GPUs need large batches to be busy (a
# batch that does not fit is halved as it runs). On the CPU the batch keeps the network's largest
# activation within CPU_ACTIVATION_BUDGET: beyond about 8 images, larger batches gained at most 5 %
# (2 cores, bf16: ResNet-18 5.21 s at 8, 4.94 s at 16, 4.90 s at 32, 5.16 s at 64; EfficientNet-
# Lite0 2.73 s at 8, 2.67 s at 16; Lite0 fp32 5.32 s at 4, 4.68 s at 8), while the peak memory of
# `scorecam explain` with Lite0 grew from about 770 MB at 8 to 850-900 MB at 16. The same holds on
# every instruction set measured (AVX2 fp32, AVX-512 fp32, AMX bf16: CPU time per pass within 5 %
# from 8 to 32, docs/speed.md), so one rule serves them all.
DEFAULT_BATCH_SIZES = {"cuda": 128, "mps": 32}
DEFAULT_BATCH_SIZE = 32  # any other device type
CPU_ACTIVATION_BUDGET = 32 << 20  # bytes of a batch's largest activation
CPU_BATCH_RANGE = (8, 32)

# The first-use check of `auto` on OpenVINO: the first batch's logits (each class's deviation from
# its batch mean, which is what Score-CAM's softmax weights read) must correlate at least this well
# with torch's exact fp32 logits, as the maps of reduced precision must (correlation >= 0.999).
MIN_AGREEMENT = 0.999

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


_told_missing: list[bool] = []


def resolve_backend(backend: str, device: torch.device, compile_model: bool = False) -> str:
    """The backend of the masked passes: `torch` or `openvino`.

    `auto` takes OpenVINO on the CPU where it is installed (and torch.compile is not asked for),
    torch elsewhere; `openvino` needs the CPU and the package.
    """
    if backend == "torch":
        return "torch"
    if backend == "openvino":
        if device.type != "cpu":
            raise devices.DeviceError(
                f"OpenVINO runs on the CPU only, not on {device.type}: use --device cpu, or "
                "--backend torch"
            )
        if not ovb.installed():
            raise devices.DeviceError(
                "OpenVINO was asked for, but it is not installed: pip install openvino, or use "
                "--backend torch"
            )
        return "openvino"
    if device.type != "cpu" or compile_model:
        return "torch"
    if ovb.stuck_reason is not None:  # earlier in this process: stay on torch
        return "torch"
    if not ovb.installed():
        if not _told_missing:
            _told_missing.append(True)
            log.info("OpenVINO is not installed: the masked passes run on torch")
        return "torch"
    return "openvino"


def is_out_of_memory(exc: BaseException) -> bool:
    return isinstance(exc, torch.OutOfMemoryError) or "out of memory" in str(exc).lower()


class InferenceModel:
    """A network moved to a device, with everything that makes its batched passes fast."""

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
    ) -> None:
        """See Explainer for the arguments."""
        if batch_size is not None and batch_size < 1:
            raise ValueError("batch size must be at least 1")
        self.network = network
        if backend not in BACKENDS:
            raise devices.DeviceError(
                f"unknown backend '{backend}': use one of {', '.join(BACKENDS)}"
            )
        if backend == "openvino" and device == "auto":
            device = "cpu"  # OpenVINO runs on the CPU
        self.device = devices.resolve_device(device)
        self.requested_backend = backend
        self._precision_asked = precision
        self.backend = resolve_backend(backend, self.device, compile_model)
        if self.backend == "openvino":
            devices.resolve_precision(precision, self.device)  # checks it (fp16: not on the CPU)
            self.precision = ovb.auto_precision() if precision == "auto" else precision
        else:
            self.precision = devices.resolve_precision(precision, self.device)
        self._openvino: ovb.CompiledNetwork | None = None
        self._shadow: list[torch.Tensor] | None = None  # torch's logits during a map check
        self._batch_size = batch_size  # None: chosen on first use (see batch_size)
        # channels-last lets oneDNN/cuDNN pick their fastest convolution kernels.
        self.memory_format = torch.channels_last if channels_last else torch.contiguous_format
        network.model.to(self.device, memory_format=self.memory_format).eval()  # type: ignore[call-overload]  # Module.to takes memory_format; torch's stubs omit it
        info = network.info
        self.mean = torch.tensor(info.mean, device=self.device).view(3, 1, 1)
        self.std = torch.tensor(info.std, device=self.device).view(3, 1, 1)
        self.fold_batchnorm = fold_batchnorm
        self._fast: tuple[tuple[int, int], nn.Module] | None = None
        self.compile_model = compile_model
        self.compile_error: str | None = None  # why compiling failed, if it did
        self._compiled: tuple[nn.Module, nn.Module, int] | None = None  # source, compiled, batch

    @property
    def batch_size(self) -> int:
        """Inputs per forward pass: as given, else chosen for the device and network."""
        if self._batch_size is None:
            largest = None
            if self.device.type == "cpu":
                bytes_per_value = 4 if self.precision == "fp32" else 2
                largest = largest_activation(self.network) * bytes_per_value
            self._batch_size = default_batch_size(self.device, largest)
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

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (fp32) of a normalised batch at the runner's precision, through the fast model,
        in batches of at most batch_size (halved on out-of-memory)."""
        out = torch.empty((len(x), self.network.num_classes), device=self.device)

        def fill(batch: torch.Tensor, start: int, stop: int) -> None:
            batch.copy_(x[start:stop])

        for start, stop, part in self.batches(len(x), fill):
            out[start:stop] = part
        return out

    def batches(self, total: int, fill: Fill) -> Iterator[tuple[int, int, torch.Tensor]]:
        """Logits of `total` inputs, batch by batch: fill(out, start, stop) writes inputs
        start..stop (normalised) into a batch; yields (start, stop, logits) in order.

        A batch that runs out of memory is halved and run again (finished batches are kept).
        Inference mode holds inside each batch, never across a yield. On OpenVINO, once its
        first-use check has passed, the next batches are filled while earlier ones run
        (_pipelined), so `fill` must not depend on the logits yielded before; a pass that stops
        responding there hands the rest of the run to torch.
        """
        start = 0
        while start < total:
            net = self._pipeline_network()
            steps = (
                self._pipelined(net, start, total, fill)
                if net is not None
                else self._in_turn(start, total, fill)
            )
            for item in steps:
                yield item
                start = item[1]

    def _in_turn(
        self, start: int, total: int, fill: Fill
    ) -> Iterator[tuple[int, int, torch.Tensor]]:
        """Batches one after the other from `start`, until the end or until the pipeline can
        take over (OpenVINO's first-use check has just passed)."""
        batch = self.batch_size
        size = self.network.info.input_size
        # OpenVINO reads plain (NCHW) arrays; torch's kernels are fastest channels-last.
        layout = torch.contiguous_format if self.backend == "openvino" else self.memory_format
        with torch.inference_mode():
            buffer = torch.empty((batch, 3, size, size), device=self.device)
            buffer = buffer.contiguous(memory_format=layout)
        while start < total:
            stop = min(start + batch, total)
            try:
                with torch.inference_mode():
                    out = buffer[: stop - start]
                    fill(out, start, stop)
                    logits = self._forward(out)
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
            if self._pipeline_network() is not None:
                return

    def _forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.backend == "openvino":
            logits = self._openvino_forward(x)
            if logits is not None:
                return logits
        x = x.contiguous(memory_format=self.memory_format)
        model = self.model()
        if self.compile_model and self.compile_error is None:
            try:
                return self._compiled_forward(model, x)
            except Exception as exc:
                # No C++ compiler, an operator Inductor cannot lower, ...: run uncompiled. Out
                # of memory as well, so that smaller batches can follow (compiled ones are
                # padded to the full batch).
                first_line = (str(exc).strip().splitlines() or [""])[0]
                self.compile_error = f"{type(exc).__name__}: {first_line}"
                self._compiled = None
                log.warning("torch.compile failed (%s): running uncompiled", self.compile_error)
                if is_out_of_memory(exc):
                    raise
        with devices.autocast(self.device, self.precision):
            return class_scores(model(x)).float()

    def _pipelined(
        self, net: ovb.CompiledNetwork, start: int, total: int, fill: Fill
    ) -> Iterator[tuple[int, int, torch.Tensor]]:
        """Batches from `start` on OpenVINO once it is settled: each is built while OpenVINO runs
        the ones before it (net.depth in flight), into buffers of its own. Closing the generator
        waits for the passes in flight (they read those buffers). A pass that stops responding
        (ovb.OpenVinoStuck) ends it after the last batch yielded, fallen back to torch."""
        batch = self.batch_size
        size = self.network.info.input_size
        with torch.inference_mode():
            free = [torch.empty((batch, 3, size, size)) for _ in range(net.depth)]
        pending: deque[tuple[int, int, torch.Tensor, ovb.Pending]] = deque()
        stuck = False
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
                except ovb.OpenVinoStuck as exc:
                    stuck = True
                    self._fall_back(f"OpenVINO stopped responding ({exc})")
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

    def _pipeline_network(self) -> ovb.CompiledNetwork | None:
        """The compiled network the pipeline runs on, or None while batches go one by one
        (torch, a map check, or `auto`'s fp32 first-batch check still to come)."""
        if self.backend != "openvino" or self._shadow is not None:
            return None
        net = self._openvino_network()
        if net is None or self._first_batch_check(net):
            return None
        return net

    def _openvino_network(self) -> ovb.CompiledNetwork | None:
        """The network compiled for OpenVINO at the runner's precision (on first use), or None
        once it has fallen back to torch (it could not compile, or an earlier run's check
        failed at every precision)."""
        auto = self.requested_backend == "auto"
        while True:
            net = self._openvino
            if net is not None and net.precision == self.precision:
                return net
            known = ovb.stored_agreement(self.network, self.precision) if auto else None
            if known is not None and known < MIN_AGREEMENT:  # an earlier run's check
                if self._check_failed(known):
                    continue
                return None
            try:
                net = self._openvino = ovb.compiled_network(self.network, self.precision)
            except ovb.OpenVinoError as exc:
                self._fall_back(f"OpenVINO could not compile the network ({exc})")
                return None
            if known is not None:
                net.agreement = known
            return net

    def _first_batch_check(self, net: ovb.CompiledNetwork) -> bool:
        """True while `auto`'s fp32 check (the next batch's logits against torch's) is to come."""
        auto = self.requested_backend == "auto"
        return auto and net.agreement is None and self.precision == "fp32"

    def _openvino_forward(self, x: torch.Tensor) -> torch.Tensor | None:
        """The batch's logits on OpenVINO, or None once it has fallen back to torch (it could not
        compile the network, or `auto`'s first-use check failed at every precision).

        `auto`'s checks on first use (their results are kept with the disk cache): in fp32, the
        first batch's logits against torch's (a conversion that went wrong); in a reduced
        precision, the whole map against torch's fp32 map (start_map_check).
        """
        while True:
            net = self._openvino_network()
            if net is None:
                return None
            try:
                logits = net(x)
            except ovb.OpenVinoStuck as exc:
                self._fall_back(f"OpenVINO stopped responding ({exc})")
                return None
            if self._shadow is not None:  # a map check runs: torch's exact logits too
                self._shadow.append(self._exact_batch(x))
            if self._first_batch_check(net):
                net.store_agreement(ovb.agreement(logits, self._exact_batch(x)))
            if net.agreement is None or net.agreement >= MIN_AGREEMENT:
                return logits
            if not self._check_failed(net.agreement):
                return None

    def _exact_batch(self, x: torch.Tensor) -> torch.Tensor:
        with torch.inference_mode(), devices.exact_fp32(self.device):
            return class_scores(self.network.model(x.to(self.device))).float()

    def start_map_check(self) -> bool:
        """Before a Score-CAM run's batches: True when they are `auto`'s first use of OpenVINO in
        a reduced precision on this network. Then each batch also runs through torch in exact
        fp32 (map_check_logits), and the caller compares the two maps and hands the correlation
        to finish_map_check. False otherwise (checked before, or nothing to check)."""
        self._shadow = None
        if self.requested_backend != "auto" or self.backend != "openvino":
            return False
        if self.precision == "fp32":
            return False
        known = ovb.stored_agreement(self.network, self.precision)
        if known is not None:
            if known < MIN_AGREEMENT:
                self._check_failed(known)
            return False
        net = self._openvino
        if net is not None and net.precision == self.precision and net.agreement is not None:
            return False
        self._shadow = []
        return True

    def map_check_logits(self) -> torch.Tensor | None:
        """torch's exact fp32 logits of the batches run since start_map_check, in order."""
        if not self._shadow:
            return None
        return torch.cat(self._shadow)

    def finish_map_check(self, correlation: float) -> bool:
        """The map check's result: True if OpenVINO's map correlates >= MIN_AGREEMENT with torch's
        fp32 map (kept with the disk cache); else False, and the next runs use fp32 on OpenVINO."""
        self._shadow = None
        net = self._openvino
        if net is None or self.backend != "openvino":
            return True
        net.store_agreement(correlation)
        if correlation >= MIN_AGREEMENT:
            return True
        self._check_failed(correlation)
        return False

    def _check_failed(self, agree: float) -> bool:
        """After a failed check at this precision: True when fp32 is left to try (it becomes the
        precision), else False (fallen back to torch)."""
        if self.precision != "fp32" and self._precision_asked == "auto":
            log.info("OpenVINO %s disagrees with fp32 (%.5f): using fp32", self.precision, agree)
            self.precision = "fp32"
            self._openvino = None
            return True
        self._fall_back(f"OpenVINO's logits disagree with torch's fp32 ones ({agree:.5f})")
        return False

    def _fall_back(self, reason: str) -> None:
        log.warning("%s: the masked passes run on torch", reason)
        self.backend = "torch"
        self.precision = devices.resolve_precision(self._precision_asked, self.device)
        self._openvino = None

    def _compiled_forward(self, model: nn.Module, x: torch.Tensor) -> torch.Tensor:
        # One input shape, so one compilation: smaller batches (the last one) are padded.
        batch = max(self.batch_size, x.shape[0])
        if self._compiled is None or self._compiled[0] is not model or self._compiled[2] < batch:
            compiled = torch.compile(model, dynamic=False, options={"freezing": True})
            self._compiled = (model, compiled, batch)  # type: ignore[assignment]
        assert self._compiled is not None
        _, compiled, batch = self._compiled
        n = x.shape[0]
        if n < batch:
            pad = x.new_zeros((batch - n, *x.shape[1:]))
            x = torch.cat([x, pad]).contiguous(memory_format=self.memory_format)
        with devices.autocast(self.device, self.precision):
            return class_scores(compiled(x))[:n].float()

    def model(self) -> nn.Module:
        """The module the batched passes run through: the network with its BatchNorms folded
        and, in bf16, its first convolutions kept in fp32 (see engine/runtime/rewrite.py).

        Built on first use and again whenever the network's weights change in place; it shares
        every tensor it does not change with the network. Forward hooks on the network's layers
        see only exact_logits' pass.
        """
        model = self.network.model
        if not self.fold_batchnorm and self.precision != "bf16":
            return model
        key = (id(model), params_version(model))
        if self._fast is None or self._fast[0] != key:
            size = self.network.info.input_size
            noise = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(0))
            x = self.normalise(noise.to(self.device)).contiguous(memory_format=self.memory_format)
            built = fast_copy(model, x, self.fold_batchnorm, self.precision == "bf16", self.device)
            self._fast = (key, built)
        return self._fast[1]
