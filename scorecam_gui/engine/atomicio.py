"""Write files whole or not at all.

Every export (heat maps, arrays, tables, downloaded weights) goes through a temporary file in the
target's own folder, is flushed to disk and then renamed onto the target with ``os.replace``. A
crash, a full disk or a cancelled job therefore never leaves a half-written file behind, and an
existing file is only replaced by a complete new one. A file its owner made read-only is never
replaced (one line says so), and a new file never comes out read-only.

Every PNG written here carries a mark (text chunks `Software: Score-CAM Studio` and
`scorecam-output: KIND`), so that a folder run recognises the tool's own overlays and figures
even after they were renamed, and does not explain them as photos (engine/folders/paths.py).
"""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

import numpy as np
from PIL import Image, PngImagePlugin

__all__ = [
    "OUTPUT_KEY",
    "ExportError",
    "atomic_open",
    "atomic_write",
    "check_replaceable",
    "export_error",
    "output_mark",
    "save_csv",
    "save_npy",
    "save_png",
    "save_text",
]

# Plain words for the failures a user can do something about.
_REASONS: dict[int, str] = {
    errno.ENOSPC: "disk full",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "folder does not exist",
    errno.ENOTDIR: "folder does not exist",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "disk quota exceeded"


class ExportError(Exception):
    """A file could not be written; the message is one line that names the file."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"Could not write {self.path}: {reason}.")


def export_error(path: str | os.PathLike[str], exc: OSError) -> ExportError:
    """Translate an OSError into an ExportError with a reason in plain words."""
    reason = _REASONS.get(exc.errno) if exc.errno is not None else None
    if reason is None:
        reason = (exc.strerror or str(exc) or type(exc).__name__).rstrip(".")
    return ExportError(path, reason)


def _current_umask() -> int:
    # os.umask can only be read by setting it; do that once, at import, before any worker
    # threads exist, because the set-and-restore is not thread-safe.
    if sys.platform == "win32":
        return 0
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def _final_mode(target: Path) -> int:
    """Permissions for the new file: those of the file it replaces, else the usual default.

    NamedTemporaryFile creates files readable by the owner only; an exported picture should be as
    readable as if it had been written with open(). The owner can always write the new file.
    """
    try:
        return (target.stat().st_mode & 0o7777) | stat.S_IWUSR
    except OSError:
        return (0o666 & ~_UMASK) | stat.S_IWUSR


WRITE_PROTECTED = "the file is write-protected: not replaced (make it writable, or remove it)"


def check_replaceable(target: str | os.PathLike[str]) -> None:
    """ExportError when `target` is an existing file its owner has made read-only (no write bit
    for anyone): os.replace would replace it silently, as it only needs the folder writable."""
    try:
        mode = os.lstat(target).st_mode
    except OSError:
        return  # no file there: nothing to protect
    if stat.S_ISREG(mode) and not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise ExportError(target, WRITE_PROTECTED)


def _remove_quietly(path: Path) -> None:
    with suppress(OSError):
        path.unlink()


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open folders, and a failure here
    # does not make the file any less whole.
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_open(
    path: str | os.PathLike[str],
    mode: str = "wb",
    *,
    encoding: str | None = None,
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Open a temporary file that replaces ``path`` when the ``with`` block ends without error.

    ``mode`` is ``"wb"`` or ``"w"`` (text, UTF-8 unless ``encoding`` says otherwise). If the block
    raises, the temporary file is removed and the exception propagates; an OSError (from the block
    or from writing, syncing and renaming) becomes an :class:`ExportError` naming ``path``.
    The target is untouched in every failure.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_open supports mode 'wb' or 'w', not {mode!r}")
    target = Path(path)
    check_replaceable(target)
    text_args: dict[str, Any] = {}
    if mode == "w":
        text_args = {"encoding": encoding or "utf-8", "newline": newline}
    try:
        tmp = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, kept on success
            mode=mode,
            delete=False,
            dir=target.parent,
            prefix=f".{target.name}.",
            suffix=".part",
            **text_args,
        )
    except OSError as exc:
        raise export_error(target, exc) from exc
    tmp_path = Path(tmp.name)
    try:
        with tmp:
            yield tmp
            tmp.flush()
            os.fsync(tmp.fileno())
        check_replaceable(target)  # made read-only while the file was written
        os.chmod(tmp_path, _final_mode(target))
        os.replace(tmp_path, target)
    except BaseException as exc:
        _remove_quietly(tmp_path)
        if isinstance(exc, OSError):
            raise export_error(target, exc) from exc
        raise
    _fsync_folder(target.parent)


def atomic_write(path: str | os.PathLike[str], write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write(f)`` with a binary file, then put the result at ``path`` in one step."""
    with atomic_open(path, "wb") as f:
        write(cast(BinaryIO, f))  # "wb": a binary file
    return Path(path)


SOFTWARE = "Score-CAM Studio"
OUTPUT_KEY = "scorecam-output"  # the PNG text chunk that marks a file the tool wrote


def output_mark(image: Image.Image) -> str | None:
    """What the tool wrote this opened image as ("overlay", "figure", ...), or None when it
    carries no mark (a photo). Pillow reads a PNG's text chunks when it opens the file."""
    mark = image.info.get(OUTPUT_KEY)
    return str(mark) if mark else None


def save_png(path: str | os.PathLike[str], rgb: np.ndarray, kind: str = "image") -> Path:
    """Save an (H, W, 3) RGB, (H, W, 4) RGBA or (H, W) grey uint8 array as a PNG file, marked
    as the tool's output of this kind ("overlay", "figure"; see output_mark)."""
    array = np.asarray(rgb)
    if array.dtype != np.uint8:
        raise ValueError(f"save_png needs a uint8 array, got {array.dtype}")
    if not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (3, 4))):
        raise ValueError(
            f"save_png needs an (H, W, 3), (H, W, 4) or (H, W) array, got {array.shape}"
        )
    image = Image.fromarray(np.ascontiguousarray(array))
    # Encode in memory first: a Pillow error then cannot leave even a temporary file behind.
    buffer = io.BytesIO()
    mark = PngImagePlugin.PngInfo()
    mark.add_text("Software", SOFTWARE)
    mark.add_text(OUTPUT_KEY, kind)
    image.save(buffer, format="PNG", pnginfo=mark)
    return atomic_write(path, lambda f: f.write(buffer.getbuffer()))


def save_npy(path: str | os.PathLike[str], array: np.ndarray) -> Path:
    """Save an array in NumPy's .npy format (no pickles, so it can be loaded safely)."""
    data = np.asarray(array)
    return atomic_write(path, lambda f: np.save(f, data, allow_pickle=False))


def save_text(path: str | os.PathLike[str], text: str) -> Path:
    """Save text as UTF-8, exactly as given (no newline translation)."""
    data = text.encode("utf-8")
    return atomic_write(path, lambda f: f.write(data))


def save_csv(
    path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Path:
    """Save a table as UTF-8 CSV with a header row."""
    with atomic_open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return Path(path)
