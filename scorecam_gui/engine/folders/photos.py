"""Reading photos ahead of the network: each photo read (bounded), hashed, decoded and prepared,
in a reader thread while the network computes the one before (engine/folders/batch.py)."""

from __future__ import annotations

import hashlib
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from scorecam_gui.engine import imaging, safe_read
from scorecam_gui.engine.imaging import ImageLoadError

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["LoadedPhoto", "PhotoReader", "load_photo", "read_file"]


@dataclass
class LoadedPhoto:
    """One photo as the reader hands it over: decoded and resized, or why not."""

    path: str
    sha256: str | None = None
    rgb: np.ndarray | None = None  # (S, S, 3) uint8: what the network sees
    photo: Image.Image | None = None  # the whole photo, when asked for (overlays)
    error: str | None = None
    seconds: float = 0.0
    parts: tuple[str, ...] | None = None  # the work left (PhotoWork.left); None: not asked

    @property
    def skipped(self) -> bool:
        """Already in the manifest, every part with the same settings."""
        return self.parts == ()


def read_file(path: str) -> bytes:
    """A photo file's bytes; ImageLoadError (one line naming the file) when it cannot be read."""
    try:  # never a FIFO or a device (it could block forever), never more than PHOTO_LIMIT
        return safe_read.read_bytes(path, safe_read.PHOTO_LIMIT)
    except (OSError, ValueError, safe_read.FileRefused):
        pass
    imaging.load_image(path)  # raises the ImageLoadError that says why
    raise ImageLoadError(path, "cannot read file")


def load_photo(
    path: str,
    prepare: Callable[[Image.Image], np.ndarray],
    keep_photo: bool = False,
    left: Callable[[str], tuple[str, ...]] | None = None,
) -> LoadedPhoto:
    """Read, hash, decode and prepare one photo; errors become the result's `error`.
    left: the work the manifest does not hold for this content; nothing left: not decoded."""
    t0 = time.perf_counter()
    out = LoadedPhoto(path)
    try:
        data = read_file(path)
        out.sha256 = hashlib.sha256(data).hexdigest()
        if left is not None:
            out.parts = left(out.sha256)
            if not out.parts:
                return out
        photo = imaging.load_image_bytes(data, name=path)
        out.rgb = prepare(photo)
        out.photo = photo if keep_photo else None
    except ImageLoadError as exc:
        out.error = exc.reason
    except (ValueError, MemoryError) as exc:
        out.error = str(exc) or type(exc).__name__
    out.seconds = time.perf_counter() - t0
    return out


_END = object()


class PhotoReader:
    """Iterates LoadedPhoto in order; with prefetch > 0 a thread loads that many photos ahead."""

    def __init__(
        self, paths: list[str], load: Callable[[str], LoadedPhoto], prefetch: int = 2
    ) -> None:
        self._paths = list(paths)
        self._load = load
        self._stop = threading.Event()
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max(1, prefetch))
        self._thread: threading.Thread | None = None
        if prefetch > 0:
            self._thread = threading.Thread(target=self._fill, name="photo-reader", daemon=True)
            self._thread.start()

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _fill(self) -> None:
        try:
            for path in self._paths:
                if self._stop.is_set() or not self._put(self._load(path)):
                    return
        except BaseException as exc:  # handed to the consumer, which re-raises it
            self._put(exc)
            return
        self._put(_END)

    def __iter__(self) -> Iterator[LoadedPhoto]:
        if self._thread is None:
            for path in self._paths:
                if self._stop.is_set():
                    return
                yield self._load(path)
            return
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, LoadedPhoto)
            yield item

    def close(self) -> None:
        """Stop reading ahead and wait for the thread (it finishes the photo it is on)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
