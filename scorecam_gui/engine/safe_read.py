"""Reading a user's file without hanging or filling the memory: regular files only, bounded.

Every file a user names (weights, a model, class names, an `@list`, a photo) is read through
here. A FIFO, a character device (`/dev/zero`) or a socket is refused before it is opened, since
opening or reading one can block forever or never end; the file is opened non-blocking and checked
again once open (it cannot be swapped in between). A file larger than its kind's limit is refused
with the limit in the message, before a byte is read. The callers turn `FileRefused` into their
own one-line errors, which name the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = [
    "LABELS_LIMIT",
    "LIST_LIMIT",
    "MODEL_LIMIT",
    "PHOTO_LIMIT",
    "WEIGHTS_LIMIT",
    "FileRefused",
    "check_regular",
    "megabytes",
    "read_bytes",
    "read_text",
]

MB = 1 << 20
LABELS_LIMIT = 16 * MB  # class names: ImageNet-21k's 21,843 names are under 1 MB
LIST_LIMIT = 64 * MB  # an @list: a million paths
PHOTO_LIMIT = 1024 * MB  # a photo file (a 100-megapixel TIFF is about 300 MB)
MODEL_LIMIT = 2048 * MB  # an ONNX file and its external data (protobuf's own limit is 2 GB)
WEIGHTS_LIMIT = 16384 * MB  # a state dict (.pth, .safetensors): the largest public ones are 10 GB


class FileRefused(Exception):
    """The file is not read: `reason` says why in a few plain words (no file name)."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(reason)


def megabytes(n: int) -> str:
    """A limit in words: 16 MB, 2 GB."""
    return f"{n // (1024 * MB)} GB" if n >= 1024 * MB and n % (1024 * MB) == 0 else f"{n // MB} MB"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _check(path: str | os.PathLike[str], info: os.stat_result, limit: int | None) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(path, f"it is {_kind(info.st_mode)}, not a regular file")
    if limit is not None and info.st_size > limit:
        raise FileRefused(path, f"larger than {megabytes(limit)}, the limit for this kind of file")


def check_regular(path: str | os.PathLike[str], limit: int | None = None) -> os.stat_result:
    """The file's stat when it is a regular file of at most `limit` bytes; FileRefused if not,
    OSError (FileNotFoundError, PermissionError) when it cannot be looked at."""
    info = os.stat(path)
    _check(path, info, limit)
    return info


def read_bytes(path: str | os.PathLike[str], limit: int) -> bytes:
    """The whole file, when it is a regular file of at most `limit` bytes (see the module
    docstring); FileRefused or OSError otherwise."""
    check_regular(path, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as f:
        _check(path, os.fstat(f.fileno()), limit)  # the file opened is the one checked
        data = f.read(limit + 1)
    if len(data) > limit:  # it grew meanwhile
        raise FileRefused(path, f"larger than {megabytes(limit)}, the limit for this kind of file")
    return data


def read_text(path: str | os.PathLike[str], limit: int) -> str:
    """The file as UTF-8 text (a byte-order mark dropped); UnicodeDecodeError when it is not."""
    return read_bytes(path, limit).decode("utf-8-sig")
