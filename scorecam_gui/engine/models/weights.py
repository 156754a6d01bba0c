"""Getting torchvision weights without losing anything.

Downloads stream into a temporary file beside the destination with the SHA-256 computed on the way,
and only a complete file whose hash matches its name is renamed into place; every failure leaves
nothing behind and becomes a :class:`WeightsError` with one sentence a user can act on. Weight files
are always read with ``torch.load(..., weights_only=True)``: a file that holds Python objects is
refused instead of being unpickled.
"""

from __future__ import annotations

import errno
import hashlib
import http.client
import os
import pickle
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import torch
from torch import nn

from scorecam_gui import __version__
from scorecam_gui.engine import safe_read
from scorecam_gui.engine.atomicio import ExportError, atomic_open

from . import files
from .types import DownloadCancelled, LabelsError, WeightsError

__all__ = [
    "CHUNK_SIZE",
    "DownloadCancelled",
    "LabelsError",
    "WeightsError",
    "default_labels",
    "download_weights",
    "expected_hash_prefix",
    "file_sha256",
    "hub_checkpoint_path",
    "imagenet_categories",
    "labels_for",
    "load_into",
    "load_state_dict_file",
    "num_classes_in",
    "read_labels",
    "url_filename",
]

CHUNK_SIZE = 64 * 1024

ProgressCallback = Callable[[int, int | None], None]
CancelCallback = Callable[[], bool]

_WHAT_TO_DO = (
    "import the weights file with 'Import weights...' / --weights, "
    "or use the bundled EfficientNet-Lite0."
)

# Errors that mean "this machine cannot reach the server at all", as opposed to a server that
# answered badly: for these the message suggests working offline.
_OFFLINE_ERRNOS = {
    code
    for code in (
        getattr(errno, name, None)
        for name in (
            "ECONNREFUSED",
            "ENETUNREACH",
            "EHOSTUNREACH",
            "ENETDOWN",
            "EHOSTDOWN",
            "EADDRNOTAVAIL",
            "WSAECONNREFUSED",
            "WSAENETUNREACH",
            "WSAEHOSTUNREACH",
            "WSAENETDOWN",
        )
    )
    if code is not None
}

# torchvision names its files <name>-<first hex digits of the SHA-256>.<ext>.
_HASH_PREFIX = re.compile(r"[0-9a-f]{8,64}")

# What torch's weights-only unpickler says when a pickle asks for a Python callable or class
# (wording differs between torch versions; all of them name the GLOBAL opcode or the class).
_PYTHON_OBJECTS = re.compile(r"\bGLOBAL\b|Unsupported class|not an allowed global", re.IGNORECASE)


# --------------------------------------------------------------------------- names and hashes


def url_filename(url: str) -> str:
    """The file name at the end of a URL's path, as torch.hub names its cached copy."""
    name = os.path.basename(urllib.parse.urlparse(url).path)
    if not name:
        raise WeightsError(f"The address {url} does not name a file.")
    return name


def hub_checkpoint_path(url: str) -> Path:
    """Where ``torch.hub`` (and so torchvision's ``weights.get_state_dict``) caches ``url``."""
    return Path(torch.hub.get_dir()) / "checkpoints" / url_filename(url)


def expected_hash_prefix(filename: str | os.PathLike[str]) -> str | None:
    """The SHA-256 prefix that a torchvision file name carries, or None if it carries none.

    ``resnet18-f37072fd.pth`` -> ``"f37072fd"``; a file is intact when
    ``sha256.hexdigest().startswith(prefix)``.
    """
    name = Path(filename).name
    if "-" not in name:
        return None
    candidate = name.rsplit("-", 1)[1].split(".", 1)[0]
    return candidate if _HASH_PREFIX.fullmatch(candidate) else None


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file as lowercase hex, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _is_intact(path: Path, prefix: str | None) -> bool:
    if prefix is None:
        # Nothing to check against; files only ever get here whole (atomic rename).
        return True
    try:
        return file_sha256(path).startswith(prefix)
    except OSError:
        return False


# --------------------------------------------------------------------------- download


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def _failed(name: str, detail: str) -> WeightsError:
    return WeightsError(f"Could not download {name} ({detail}): {_WHAT_TO_DO}")


def _is_offline(reason: object) -> bool:
    if isinstance(reason, socket.gaierror | ConnectionRefusedError):
        return True
    return isinstance(reason, OSError) and reason.errno in _OFFLINE_ERRNOS


def _network_error(name: str, reason: object, timeout: float) -> WeightsError:
    if isinstance(reason, TimeoutError):
        return _failed(name, f"the server did not answer within {timeout:g} s")
    if _is_offline(reason):
        return _failed(name, "no network connection?")
    if isinstance(reason, OSError) and reason.strerror:
        return _failed(name, reason.strerror)
    return _failed(name, str(reason) or type(reason).__name__)


def _open_url(url: str, name: str, timeout: float) -> http.client.HTTPResponse:
    request = urllib.request.Request(url, headers={"User-Agent": f"scorecam-gui/{__version__}"})
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the error page's connection open
        raise _failed(name, f"the server answered {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise _network_error(name, exc.reason, timeout) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise _network_error(name, exc, timeout) from exc
    except ValueError as exc:  # "unknown url type" and the like
        raise WeightsError(f"Could not download {name}: {url} is not a web address.") from exc


def _content_length(response: http.client.HTTPResponse) -> int | None:
    try:
        length = int(response.headers.get("Content-Length", ""))
    except ValueError:
        return None
    return length if length >= 0 else None


def _read_chunk(response: http.client.HTTPResponse, name: str, done: int, timeout: float) -> bytes:
    try:
        return response.read(CHUNK_SIZE)
    except TimeoutError as exc:
        raise _failed(name, f"the server stopped sending for {timeout:g} s") from exc
    except (OSError, http.client.HTTPException) as exc:
        # Network errors are OSErrors too: turn them into WeightsErrors here, so that atomic_open
        # does not report them as a problem with the disk.
        raise _failed(name, f"the transfer broke off after {_size(done)}") from exc


def download_weights(
    url: str,
    dest: str | os.PathLike[str] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
    timeout: float = 30,
) -> Path:
    """Download a weights file to ``dest`` (default: torch.hub's cache) and return its path.

    ``progress(bytes_done, bytes_total_or_None)`` is called once before the first chunk and after
    every chunk of 64 KiB; ``cancel()`` is asked between chunks and, when it returns True, stops the
    download with :class:`DownloadCancelled`. The SHA-256 prefix in the file name is checked before
    the file is put in place. Any failure removes the partial file and raises a
    :class:`WeightsError`. An existing intact ``dest`` is returned without any network access.
    """
    name = url_filename(url)
    target = Path(dest) if dest is not None else hub_checkpoint_path(url)
    if target.is_dir():
        target = target / name
    prefix = expected_hash_prefix(name) or expected_hash_prefix(target.name)
    if target.is_file() and _is_intact(target, prefix):
        return target

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WeightsError(
            f"Could not save {name}: cannot create the folder {target.parent} "
            f"({exc.strerror or exc}).",
            target,
        ) from exc

    response = _open_url(url, name, timeout)
    total = _content_length(response)
    try:
        with response, atomic_open(target, "wb") as f:
            digest = hashlib.sha256()
            done = 0
            if progress is not None:
                progress(0, total)
            while True:
                if cancel is not None and cancel():
                    raise DownloadCancelled(f"The download of {name} was cancelled.", target)
                chunk = _read_chunk(response, name, done, timeout)
                if not chunk:
                    break
                f.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
            # http.client returns b"" rather than raising when the server closes early.
            if total is not None and done < total:
                raise _failed(name, f"the transfer broke off after {_size(done)} of {_size(total)}")
            if prefix is not None and not digest.hexdigest().startswith(prefix):
                raise _failed(
                    name, f"the file arrived damaged: its SHA-256 does not begin with {prefix}"
                )
    except ExportError as exc:
        raise WeightsError(
            f"Could not save {name} in {target.parent}: {exc.reason}.", target
        ) from exc
    return target


# --------------------------------------------------------------------------- reading files


def _load_failed(path: Path, reason: str) -> WeightsError:
    return WeightsError(f"Could not load weights from {path.name}: {reason}.", path)


def _is_state_dict(obj: object) -> bool:
    return (
        isinstance(obj, Mapping)
        and len(obj) > 0
        and all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in obj.items())
    )


def _unwrap(obj: object) -> Mapping[str, torch.Tensor] | None:
    if _is_state_dict(obj):
        return obj  # type: ignore[return-value]
    if isinstance(obj, Mapping):
        # Training checkpoints: {"epoch": ..., "state_dict": {...}, "optimizer": {...}}.
        for key in ("state_dict", "model", "model_state_dict"):
            inner = obj.get(key)
            if _is_state_dict(inner):
                return inner  # type: ignore[return-value]
    return None


def load_state_dict_file(
    path: str | os.PathLike[str], expected_keys: Collection[str] | None = None
) -> dict[str, torch.Tensor]:
    """Read a state dict from a ``.pth``/``.pt`` file without running any code from it.

    Accepts a plain state dict or a checkpoint dict with a ``"state_dict"`` / ``"model"`` entry;
    a ``"module."`` prefix (saved from DataParallel) is removed. When ``expected_keys`` is given, a
    file that shares no tensor name with it is rejected as belonging to another network.
    """
    file = Path(path)
    if not file.exists():
        raise _load_failed(file, "file not found")
    if file.is_dir():
        raise _load_failed(file, "it is a folder, not a file")
    try:
        safe_read.check_regular(file, safe_read.WEIGHTS_LIMIT)  # never a FIFO: it would block
    except safe_read.FileRefused as exc:
        raise _load_failed(file, exc.reason) from exc
    except OSError as exc:
        raise _load_failed(file, (exc.strerror or str(exc)).lower()) from exc
    # What the file holds, from a scan that runs nothing in it.
    reason = files.refusal(file)  # a pickled model or TorchScript: say what to do instead
    if reason is not None:
        raise _load_failed(file, reason)
    obj: Any
    if file.suffix.lower() == ".safetensors":
        obj = files.load_safetensors(file)
    else:
        obj = _torch_load(file)
    return _state_dict_of(file, obj, expected_keys)


def _torch_load(file: Path) -> Any:
    try:
        return torch.load(file, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        if _PYTHON_OBJECTS.search(str(exc)):
            raise _load_failed(
                file,
                "refused: the file contains Python objects, not just tensors "
                "(a pickle that could run code)",
            ) from exc
        raise _load_failed(file, "truncated or not a PyTorch weights file") from exc
    except PermissionError as exc:
        raise _load_failed(file, "permission denied") from exc
    except Exception as exc:
        # torch reports damaged files as RuntimeError, EOFError, KeyError, ValueError, ...
        # depending on where the bytes stop making sense; for the user they are all the same.
        raise _load_failed(file, "truncated or not a PyTorch weights file") from exc


def _state_dict_of(
    file: Path, obj: object, expected_keys: Collection[str] | None
) -> dict[str, torch.Tensor]:
    state = _unwrap(obj)
    if state is None:
        raise _load_failed(file, "not a state dict")
    prefix = "module."
    if all(key.startswith(prefix) for key in state):
        result = {key[len(prefix) :]: value for key, value in state.items()}
    else:
        result = dict(state)

    broken = next((k for k, v in result.items() if not _finite(v)), None)
    if broken is not None:  # they would give a map of noise and NaN in --json
        raise _load_failed(file, f"the weights hold NaN or infinite values (in {broken})")
    if expected_keys is not None and expected_keys and result.keys().isdisjoint(expected_keys):
        raise _load_failed(
            file,
            f"it holds the weights of another network (it has {next(iter(result))}, "
            f"this network expects names such as {next(iter(expected_keys))})",
        )
    return result


def _finite(tensor: torch.Tensor) -> bool:
    """Whether a tensor holds no NaN or infinity (integer tensors always do)."""
    if not (tensor.is_floating_point() or tensor.is_complex()):
        return True
    return bool(torch.isfinite(tensor).all())


def _shape(shape: torch.Size | tuple[int, ...]) -> str:
    return "x".join(str(n) for n in shape) if len(shape) else "scalar"


def load_into(
    model: nn.Module,
    state_dict: Mapping[str, torch.Tensor],
    path: str | os.PathLike[str] | None = None,
    architecture: str | None = None,
) -> None:
    """Load ``state_dict`` into ``model`` strictly, explaining any mismatch in plain words.

    ``path`` (the file the weights came from) and ``architecture`` (default: the model's class
    name) only serve the error message.
    """
    arch = architecture or type(model).__name__
    source = f"The weights in {Path(path).name}" if path is not None else "The weights"
    own = model.state_dict()
    missing = [key for key in own if key not in state_dict]
    unexpected = [key for key in state_dict if key not in own]
    reshaped = [
        (key, tuple(state_dict[key].shape), tuple(own[key].shape))
        for key in own
        if key in state_dict and tuple(state_dict[key].shape) != tuple(own[key].shape)
    ]
    if missing or unexpected or reshaped:
        if reshaped:
            key, theirs, ours = reshaped[0]
            example = f"e.g. {key}: file {_shape(theirs)}, model {_shape(ours)}"
        else:
            examples = []
            if missing:
                examples.append(f"missing {missing[0]}")
            if unexpected:
                examples.append(f"unexpected {unexpected[0]}")
            example = "e.g. " + ", ".join(examples)
        raise WeightsError(
            f"{source} do not fit {arch}: {len(missing)} missing, {len(unexpected)} unexpected, "
            f"{len(reshaped)} with other shapes ({example}).",
            path,
        )
    try:
        model.load_state_dict(state_dict, strict=True)
    except RuntimeError as exc:  # e.g. a tensor that cannot be copied into its parameter
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WeightsError(f"{source} do not fit {arch}: {first_line}", path) from exc


# --------------------------------------------------------------------------- classes


_CLASSIFIER_PARTS = frozenset({"fc", "_fc", "classifier", "head", "heads", "last_linear", "logits"})


def num_classes_in(state_dict: Mapping[str, torch.Tensor]) -> int | None:
    """The number of classes the state dict's classifier produces, or None if none is found.

    Takes the last weight (in the dict's order) under a classifier-like name (fc, _fc,
    classifier, head) that is 2-D (a Linear layer) or a 1x1 convolution (SqueezeNet's
    ``classifier.1``); failing that, the last 2-D weight of any name.
    """
    found: int | None = None
    last_linear: int | None = None
    for key, tensor in state_dict.items():
        parts = key.split(".")
        if parts[-1] != "weight" or not isinstance(tensor, torch.Tensor):
            continue
        is_linear = tensor.ndim == 2
        is_1x1_conv = tensor.ndim == 4 and tuple(tensor.shape[2:]) == (1, 1)
        if is_linear:
            last_linear = int(tensor.shape[0])
        if (is_linear or is_1x1_conv) and _CLASSIFIER_PARTS.intersection(parts[:-1]):
            found = int(tensor.shape[0])
    return found if found is not None else last_linear


def default_labels(n: int) -> list[str]:
    """Placeholder class names for a network without a names file: "class 0", "class 1", ..."""
    return [f"class {i}" for i in range(n)]


def read_labels(path: str | os.PathLike[str], n: int) -> list[str]:
    """Read ``n`` class names from a UTF-8 text file, one a line (blank lines are ignored)."""
    file = Path(path)
    try:
        text = safe_read.read_text(file, safe_read.LABELS_LIMIT)  # drops Notepad's byte-order mark
    except safe_read.FileRefused as exc:
        reason = exc.reason
        raise LabelsError(f"Could not read class names from {file.name}: {reason}.", file) from exc
    except FileNotFoundError as exc:
        raise LabelsError(
            f"Could not read class names from {file.name}: file not found.", file
        ) from exc
    except UnicodeDecodeError as exc:
        raise LabelsError(
            f"Could not read class names from {file.name}: not a UTF-8 text file.", file
        ) from exc
    except OSError as exc:
        raise LabelsError(
            f"Could not read class names from {file.name}: {exc.strerror or exc}.", file
        ) from exc
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if len(names) != n:
        raise LabelsError(
            f"{file.name} holds {len(names)} class names, but the network has {n} classes "
            "(one name a line is needed).",
            file,
        )
    return names


def labels_for(n: int, labels_file: str | os.PathLike[str] | None) -> list[str]:
    """The class names of a network with n outputs: the user's file, ImageNet's for 1000,
    else placeholders."""
    if labels_file is not None:
        return read_labels(labels_file, n)
    if n == 1000:
        return imagenet_categories()
    return default_labels(n)


@cache
def _imagenet_categories() -> tuple[str, ...]:
    text = resources.files("scorecam_gui.engine").joinpath("imagenet_classes.txt")
    return tuple(text.read_text(encoding="utf-8").splitlines())


def imagenet_categories() -> list[str]:
    """The 1000 ImageNet class names in torchvision's order (a copy of torchvision's list that a
    test keeps equal to it, so that the bundled network needs no torchvision import)."""
    return list(_imagenet_categories())
