"""Model files a user opens (`--model FILE`, "Open model file..."): what they hold, read safely.

Nothing a user opens is unpickled. ONNX files are protobuf; safetensors files are a JSON header
and raw tensors; PyTorch files are read with `weights_only=True` (engine/models/weights.py). Before
that,
a PyTorch file's pickle is only *scanned* (pickletools reads opcodes, it runs nothing), so that a
whole pickled model or a TorchScript program is refused with a line that says what to do instead.
"""

from __future__ import annotations

import io
import pickletools
import struct
import zipfile
from pathlib import Path
from typing import IO, Literal

import torch

from .. import safe_read
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


# The scan is bounded: a state dict's pickle is kilobytes (ResNet-50's is 30 kB, one of 100,000
# tensors about 10 MB), so a bigger one, or one of more opcodes, is refused rather than read.
PICKLE_LIMIT = 32 << 20
OPCODE_LIMIT = 4_000_000
ZIP_MEMBER_LIMIT = 200_000


class ScanRefused(Exception):
    """The file is refused without being scanned to the end; the message is the reason."""


TOO_BIG = (
    "refused: its pickle is larger than {limit} unpacked (a state dict's is a few kB to MB); "
    "the file may be a zip bomb or not a state dict"
)


def file_kind(path: Path) -> FileKind:
    """What a model file holds, from its bytes (never by unpickling it). Raises ScanRefused for a
    file the bounded scan will not read (a zip bomb), FileRefused for a FIFO or a device."""
    safe_read.check_regular(path)  # a FIFO or /dev/zero: opening or reading it never ends
    with open(path, "rb") as f:
        head = f.read(16)
        if _is_safetensors(head, path):
            return "safetensors"
        if head.startswith(b"PK\x03\x04"):
            return _zip_kind(path)
        if head[:1] == b"\x80":  # a pickle (torch.save's legacy format)
            f.seek(0)
            head_pickles = io.BytesIO(f.read(PICKLE_LIMIT))  # the legacy format's 4 pickles
            return "state_dict" if _only_tensor_globals(head_pickles, 4) else "pickled_model"
    return "onnx" if path.suffix.lower() == ".onnx" else "unknown"


def _is_safetensors(head: bytes, path: Path) -> bool:
    if len(head) < 9:
        return False
    (header_len,) = struct.unpack("<Q", head[:8])
    return head[8:9] == b"{" and 8 + header_len <= path.stat().st_size


def _zip_kind(path: Path) -> FileKind:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > ZIP_MEMBER_LIMIT:
                raise ScanRefused(f"refused: it holds more than {ZIP_MEMBER_LIMIT:,} files")
            if sum(i.file_size for i in infos) > safe_read.WEIGHTS_LIMIT:
                limit = safe_read.megabytes(safe_read.WEIGHTS_LIMIT)
                raise ScanRefused(f"refused: its contents unpack to more than {limit}")
            # torch.save stores its entries as they are; compressed ones that unpack to much
            # more than the file holds are a zip bomb for torch.load, which reads them all.
            packed = [i for i in infos if i.compress_type != zipfile.ZIP_STORED]
            if sum(i.file_size for i in packed) > PICKLE_LIMIT:
                limit = safe_read.megabytes(PICKLE_LIMIT)
                raise ScanRefused(
                    f"refused: its compressed entries unpack to more than {limit} (torch.save "
                    "stores them uncompressed); the file may be a zip bomb"
                )
            names = [i.filename for i in infos]
            if any(n.endswith("/constants.pkl") or "/code/" in n for n in names):
                return "torchscript"
            data = [i for i in infos if i.filename.rpartition("/")[2] == "data.pkl"]
            if not data:
                return "unknown"
            if data[0].file_size > PICKLE_LIMIT:
                raise ScanRefused(TOO_BIG.format(limit=safe_read.megabytes(PICKLE_LIMIT)))
            with z.open(data[0]) as f:
                pickled = io.BytesIO(f.read(PICKLE_LIMIT + 1))  # the size said is checked too
            if len(pickled.getbuffer()) > PICKLE_LIMIT:
                raise ScanRefused(TOO_BIG.format(limit=safe_read.megabytes(PICKLE_LIMIT)))
            return "state_dict" if _only_tensor_globals(pickled, pickles=1) else "pickled_model"
    except (zipfile.BadZipFile, OSError):
        return "unknown"


def _only_tensor_globals(f: IO[bytes], pickles: int) -> bool:
    """True when the first `pickles` pickles in f name no class but tensors' and dicts'."""
    ops = 0
    try:
        for _ in range(pickles):
            recent: list[str] = []  # STACK_GLOBAL takes module and name from the last strings
            for op, arg, _pos in pickletools.genops(f):
                ops += 1
                if ops > OPCODE_LIMIT:
                    raise ScanRefused(
                        f"refused: its pickle has more than {OPCODE_LIMIT:,} steps (a state "
                        "dict's has a few per tensor)"
                    )
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
    except ScanRefused as exc:
        return str(exc)
    except safe_read.FileRefused as exc:
        return exc.reason
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
