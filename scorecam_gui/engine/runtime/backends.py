"""What runs the batched passes, as objects that say what they can run.

A backend (torch_backend.TorchBackend, openvino_backend.OpenVinoBackend) has a `name` (what the
record says), a `precision` and `capabilities`: the things a method's passes may need of it
beyond plain logits. A method declares what it needs (engine/methods/catalog.py: MethodInfo.needs)
and the inference runner routes its passes to a backend that has it (InferenceModel.backend_for):
Ablation-CAM's hook on a layer runs on torch even where OpenVINO runs Score-CAM's passes, chosen
before the first pass, never after a failure.

One need is the runner's, not a backend's: FULL_PRECISION, passes in fp32 whatever the precision
of the others (Group-CAM's scores are differences of probabilities that bf16 moved enough to
change the map). Where the chosen backend runs a reduced precision, the runner sends those passes
through its fp32 path instead (OpenVINO's fp32 network, else torch's exact pass).

`choose` resolves the user's choice (choices.BACKENDS): `auto` takes OpenVINO on the CPU where it
is installed and has not stopped responding in this process, torch elsewhere.
"""

from __future__ import annotations

import logging
from typing import Protocol

import torch

from ...choices import INT8
from . import int8, openvino
from .device import DeviceError

__all__ = [
    "FULL_PRECISION",
    "GRADIENTS",
    "LAYER_HOOKS",
    "Backend",
    "choose",
    "device_for",
    "unavailable_precisions",
]

log = logging.getLogger(__name__)

# Capabilities: forward hooks on the network's own layers see (and may change) the batched passes;
# autograd runs through them.
LAYER_HOOKS = "layer-hooks"
GRADIENTS = "gradients"
# The passes run in fp32 even where the others run in bf16 or fp16 (InferenceModel serves it).
FULL_PRECISION = "full-precision"


class Backend(Protocol):
    """What runs a batch of normalised inputs to their fp32 logits."""

    name: str  # "torch" or "openvino": the record's backend
    capabilities: frozenset[str]  # what a method's passes may need of it (LAYER_HOOKS, ...)
    layout: torch.memory_format  # the batch layout it reads fastest

    @property
    def precision(self) -> str: ...

    def can_run(self, needs: frozenset[str]) -> bool: ...


def device_for(backend: str, device: str, precision: str = "auto") -> str:
    """The device to run on: OpenVINO asked for (or INT8, which only OpenVINO runs) with the
    device left to `auto` means the CPU."""
    on_openvino = backend == "openvino" or precision == INT8
    return "cpu" if on_openvino and device == "auto" else device


def choose(
    asked: str,
    device: torch.device,
    compile_model: bool,
    runtime: openvino.OpenVinoRuntime,
    precision: str = "auto",
) -> str:
    """`torch` or `openvino` for the user's choice: `openvino` needs the CPU and the package;
    `auto` takes it on the CPU where it is installed (and torch.compile is not asked for).
    INT8 needs OpenVINO and NNCF, and says in one line what is missing."""
    if precision == INT8:
        return _int8_backend(asked, device, runtime)
    if asked == "torch":
        return "torch"
    if asked == "openvino":
        if device.type != "cpu":
            raise DeviceError(
                f"OpenVINO runs on the CPU only, not on {device.type}: use --device cpu, or "
                "--backend torch"
            )
        if not openvino.installed():
            raise DeviceError(
                "OpenVINO was asked for, but it is not installed: pip install openvino, or use "
                "--backend torch"
            )
        return "openvino"
    if device.type != "cpu" or compile_model or runtime.stuck_reason is not None:
        return "torch"  # a GPU, torch.compile, or OpenVINO stuck earlier in this process
    if not openvino.installed():
        log.debug("OpenVINO is not installed: the masked passes run on torch")
        return "torch"
    return "openvino"


def unavailable_precisions() -> dict[str, str]:
    """The precisions this machine cannot run, each with why in one line: INT8 without
    OpenVINO or NNCF (the others fall back, or are refused by device.resolve_precision)."""
    if not openvino.installed():
        return {INT8: "INT8 runs on OpenVINO, which is not installed: pip install openvino"}
    return {} if int8.available() else {INT8: int8.missing_message()}


def _int8_backend(asked: str, device: torch.device, runtime: openvino.OpenVinoRuntime) -> str:
    """`openvino` for INT8 passes, or a DeviceError saying why they cannot run here."""
    if asked == "torch":
        raise DeviceError("INT8 runs on OpenVINO only: use --backend openvino (or auto)")
    if device.type != "cpu":
        raise DeviceError(f"INT8 runs on the CPU only, not on {device.type}: use --device cpu")
    missing = unavailable_precisions().get(INT8)
    if missing is not None:
        raise DeviceError(missing)
    if runtime.stuck_reason is not None:
        raise DeviceError(
            f"INT8 runs on OpenVINO, and earlier in this process {runtime.stuck_reason}: "
            "start again, or use another precision"
        )
    return "openvino"
