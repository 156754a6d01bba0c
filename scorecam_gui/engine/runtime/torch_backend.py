"""The torch backend of the batched passes: the network's faster copy (engine/runtime/rewrite.py:
BatchNorms folded, bf16 leading convolutions in fp32), channels-last inputs, autocast to the
chosen precision (engine/runtime/device.py) and, opt-in, torch.compile.

It runs on every device and can do everything a method may ask of its passes: forward hooks on
the network's layers see them, and autograd runs through them.
"""

from __future__ import annotations

import logging

import torch
from torch import nn

from ..models.types import Network, class_scores
from . import device as devices
from .backends import GRADIENTS, LAYER_HOOKS
from .rewrite import fast_copy, params_version

__all__ = ["TorchBackend", "is_out_of_memory"]

log = logging.getLogger(__name__)


def is_out_of_memory(exc: BaseException) -> bool:
    return isinstance(exc, torch.OutOfMemoryError) or "out of memory" in str(exc).lower()


class TorchBackend:
    """The batched passes through torch on the network's device."""

    name = "torch"
    capabilities = frozenset({LAYER_HOOKS, GRADIENTS})

    def __init__(
        self,
        network: Network,
        device: torch.device,
        precision: str,
        memory_format: torch.memory_format,
        fold_batchnorm: bool = True,
        compile_model: bool = False,
    ) -> None:
        self.network = network
        self.device = device
        self.precision = devices.resolve_precision(precision, device)
        self.layout = memory_format  # oneDNN's and cuDNN's fastest kernels read channels-last
        self.fold_batchnorm = fold_batchnorm
        self.compile_model = compile_model
        self.compile_error: str | None = None  # why compiling failed, if it did
        self._fast: tuple[tuple[int, int], nn.Module] | None = None
        self._compiled: tuple[nn.Module, nn.Module, int] | None = None  # source, compiled, batch
        info = network.info
        self._mean = torch.tensor(info.mean, device=device).view(3, 1, 1)
        self._std = torch.tensor(info.std, device=device).view(3, 1, 1)

    def can_run(self, needs: frozenset[str]) -> bool:
        return needs <= self.capabilities

    def forward(self, x: torch.Tensor, batch_size: int) -> torch.Tensor:
        """fp32 logits of a normalised batch at this backend's precision (compiled ones padded
        to `batch_size`, so that one compilation serves every batch)."""
        x = x.contiguous(memory_format=self.layout)
        model = self.model()
        if self.compile_model and self.compile_error is None:
            try:
                return self._compiled_forward(model, x, batch_size)
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

    def fp32_forward(self, x: torch.Tensor) -> torch.Tensor:
        """fp32 logits of a normalised batch through the same module as forward (so that hooks
        on its layers see them: Ablation-CAM's), whatever this backend's precision."""
        x = x.contiguous(memory_format=self.layout)
        with devices.exact_fp32(self.device):
            return class_scores(self.model()(x)).float()

    def _compiled_forward(self, model: nn.Module, x: torch.Tensor, size: int) -> torch.Tensor:
        # One input shape, so one compilation: smaller batches (the last one) are padded.
        batch = max(size, x.shape[0])
        if self._compiled is None or self._compiled[0] is not model or self._compiled[2] < batch:
            compiled = torch.compile(model, dynamic=False, options={"freezing": True})
            self._compiled = (model, compiled, batch)  # type: ignore[assignment]
        assert self._compiled is not None
        _, compiled, batch = self._compiled
        n = x.shape[0]
        if n < batch:
            pad = x.new_zeros((batch - n, *x.shape[1:]))
            x = torch.cat([x, pad]).contiguous(memory_format=self.layout)
        with devices.autocast(self.device, self.precision):
            return class_scores(compiled(x))[:n].float()

    def model(self) -> nn.Module:
        """The module the batched passes run through: the network with its BatchNorms folded
        and, in bf16, its first convolutions kept in fp32 (see engine/runtime/rewrite.py).

        Built on first use and again whenever the network's weights change in place; it shares
        every tensor it does not change with the network. Forward hooks on the network's layers
        see only the exact pass (InferenceModel.exact_logits).
        """
        model = self.network.model
        if not self.fold_batchnorm and self.precision != "bf16":
            return model
        key = (id(model), params_version(model))
        if self._fast is None or self._fast[0] != key:
            size = self.network.info.input_size
            noise = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(0))
            x = ((noise.to(self.device) - self._mean) / self._std).contiguous(
                memory_format=self.layout
            )
            built = fast_copy(model, x, self.fold_batchnorm, self.precision == "bf16", self.device)
            self._fast = (key, built)
        return self._fast[1]
