"""Model files a user opens (`--model FILE`, "Open model file..."): what they hold, read safely.

Nothing a user opens is unpickled. ONNX files are protobuf; safetensors files are a JSON header
and raw tensors; PyTorch files are read with `weights_only=True` (engine/models/weights.py). Before
that,
a PyTorch file's pickle is only *scanned* (pickletools reads opcodes, it runs nothing), so that a
whole pickled model or a TorchScript program is refused with a line that says what to do instead.
"""

from __future__ import annotations

import pickletools
import struct
import zipfile
from pathlib import Path
from typing import IO, Literal

import torch

from .types import WeightsError

FileKind = Literal["onnx", "safetensors", "state_dict", "torchscript", "pickled_model", "unknown"]


# Prefixes of the pickle globals a plain state dict needs (torch.save of tensors in an
# OrderedDict); any other class (torch.nn.modules..., torchvision..., __main__...) means a
# pickled object, not weights. "torch " is the torch module itself (storages, dtypes).
_STATE_DICT_GLOBALS = (
    "collections OrderedDict",
    "torch._utils _rebuild_tensor",
    "torch._utils _rebuild_parameter",
    "torch._utils _rebuild_device_tensor_from_numpy",
    "torch._tensor _rebuild_from_type_v2",
    "torch Size",
    "torch ",  # storages: torch FloatStorage, torch BFloat16Storage, ...
    "torch.serialization _get_layout",
    "builtins set",
)

WEIGHTS_ONLY = (
    "holds weights only, no architecture: name the architecture and import the weights "
    "(--model resnet18 --weights FILE, or --model timm:NAME --weights FILE), or export the "
    "model to ONNX"
)
PICKLED_MODEL = (
    "refused: a whole pickled model (torch.save(model)) runs code from the file when it is "
    "opened; save model.state_dict() and use --model ARCH --weights FILE, or export the model to "
    "ONNX (torch.onnx.export)"
)
TORCHSCRIPT = (
    "refused: a TorchScript program runs its own code when it is loaded; export the model to "
    "ONNX (torch.onnx.export) or save its state_dict() instead"
)


def file_kind(path: Path) -> FileKind:
    """What a model file holds, from its bytes (never by unpickling it)."""
    with open(path, "rb") as f:
        head = f.read(16)
        if _is_safetensors(head, path):
            return "safetensors"
        if head.startswith(b"PK\x03\x04"):
            return _zip_kind(path)
        if head[:1] == b"\x80":  # a pickle (torch.save's legacy format)
            f.seek(0)
            return "state_dict" if _only_tensor_globals(f, pickles=4) else "pickled_model"
    return "onnx" if path.suffix.lower() == ".onnx" else "unknown"


def _is_safetensors(head: bytes, path: Path) -> bool:
    if len(head) < 9:
        return False
    (header_len,) = struct.unpack("<Q", head[:8])
    return head[8:9] == b"{" and 8 + header_len <= path.stat().st_size


def _zip_kind(path: Path) -> FileKind:
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if any(n.endswith("/constants.pkl") or "/code/" in n for n in names):
                return "torchscript"
            data = [n for n in names if n.endswith("/data.pkl") or n == "data.pkl"]
            if not data:
                return "unknown"
            with z.open(data[0]) as f:
                return "state_dict" if _only_tensor_globals(f, pickles=1) else "pickled_model"
    except (zipfile.BadZipFile, OSError):
        return "unknown"


def _only_tensor_globals(f: IO[bytes], pickles: int) -> bool:
    """True when the first `pickles` pickles in f name no class but tensors' and dicts'."""
    try:
        for _ in range(pickles):
            recent: list[str] = []  # STACK_GLOBAL takes module and name from the last strings
            for op, arg, _pos in pickletools.genops(f):
                if op.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE"):
                    recent = [*recent[-1:], str(arg)]
                elif op.name in ("GLOBAL", "STACK_GLOBAL"):
                    name = str(arg) if op.name == "GLOBAL" else " ".join(recent)
                    if not _allowed(name):
                        return False
    except (ValueError, EOFError):  # the end of the file, or raw storage bytes after the pickles
        pass
    return True


def _allowed(name: str) -> bool:
    # Prefixes: _rebuild_tensor_v2, _rebuild_parameter_with_state, every storage type.
    return name.startswith(_STATE_DICT_GLOBALS)


def refusal(path: Path) -> str | None:
    """Why a PyTorch file cannot be opened as weights (a pickled model, TorchScript), or None."""
    try:
        kind = file_kind(path)
    except OSError:
        return None  # the caller's own read reports it
    if kind == "pickled_model":
        return PICKLED_MODEL
    if kind == "torchscript":
        return TORCHSCRIPT
    return None


def load_safetensors(path: Path) -> dict[str, torch.Tensor]:
    """The tensors of a safetensors file (no code can be in one)."""
    try:
        from safetensors.torch import load_file
    except ImportError as exc:
        raise WeightsError(
            "safetensors is not installed: pip install 'scorecam-gui[timm]'", path
        ) from exc
    if not path.is_file():
        raise WeightsError(f"Could not load weights from {path.name}: file not found.", path)
    try:
        return load_file(str(path))
    except Exception as exc:
        raise WeightsError(
            f"Could not load weights from {path.name}: truncated or not a safetensors file.", path
        ) from exc
