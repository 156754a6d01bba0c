"""Results already computed, kept in memory: going back to a photo or a class shows its map at once.

A Score-CAM map takes seconds to minutes on a laptop's CPU; the same photo, network, weights,
layer, class and options give the same map, so the worker keeps the engine's results (numpy
arrays only: the photo and its overlay are not kept, they are made again in a blink) under a key
of exactly those, with the photo named by its content (a renamed or copied photo is the same
photo, an edited one is not). The Folder view's batch puts its results here too, so opening one
of its tiles shows the map without computing it.

Bounded twice: at most MAX_ENTRIES results and MAX_BYTES of arrays; the least recently used
goes first. Qt-free; a lock guards it because the Folder view's worker thread adds to it while
the window's worker thread reads it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from dataclasses import astuple, fields
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .options import Options

if TYPE_CHECKING:
    from ..engine.methods.base import MethodResult

MAX_ENTRIES = 64
MAX_BYTES = 384 * 1024 * 1024

# (photo content, network, weights file, labels file, layer, class index or None for "the
# predicted class", options, and the method's catalog name after them for the Compare tab's
# other methods)
ResultKey = tuple[str, str, str | None, str | None, str, int | None, tuple[object, ...]]


def file_version(path: str | None) -> str | None:
    """A weights or labels file named with its modification time and size, so a file replaced
    under the same name (a network taught again under its name) is not taken for the old one."""
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return path
    return f"{path}@{info.st_mtime_ns}:{info.st_size}"


def file_content(path: str | Path) -> str:
    """The photo's name by content: the SHA-256 of its bytes (as the batch manifest keys it)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pixels_content(pixels: np.ndarray) -> str:
    """A pasted photo's name by content: the SHA-256 of its shape and pixels."""
    digest = hashlib.sha256(repr(pixels.shape).encode())
    digest.update(np.ascontiguousarray(pixels).tobytes())
    return "pixels:" + digest.hexdigest()


def result_key(
    content: str,
    network: str,
    weights_file: str | None,
    labels_file: str | None,
    layer: str,
    target: int | None,
    options: Options,
    method: str | None = None,
) -> ResultKey:
    """The key of one result. `target` None means "the class the network predicts"; `method`
    None means the window's Score-CAM of `options.weighting`."""
    weights, labels = file_version(weights_file), file_version(labels_file)
    rest = astuple(options) + (() if method is None else (method,))
    return (content, network, weights, labels, layer, target, rest)


def result_bytes(result: MethodResult) -> int:
    """The memory a result's arrays take, every class's kept scores among them (5 MB for the
    bundled network's 1280 maps and 1000 classes)."""
    total = 0
    for f in fields(result):
        value = getattr(result, f.name)
        if isinstance(value, np.ndarray):
            total += value.nbytes
        elif hasattr(value, "nbytes"):  # ClassScores
            total += int(value.nbytes)
    return total


class ResultCache:
    """Results by ResultKey, least recently used first out."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._results: OrderedDict[ResultKey, MethodResult] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len({id(r) for r in self._results.values()})

    def get(self, key: ResultKey) -> MethodResult | None:
        with self._lock:
            result = self._results.get(key)
            if result is not None:
                self._results.move_to_end(key)
            return result

    def put(self, key: ResultKey, result: MethodResult) -> None:
        """Keep `result` under `key`, and, when `key` asked for the predicted class, under its
        class index too (asking for that class by name or index later finds it)."""
        keys = [key]
        if key[5] is None:
            keys.append((*key[:5], result.target.index, key[6]))  # type: ignore[arg-type]
        elif result.top5 and result.top5[0].index == result.target.index:
            keys.append((*key[:5], None, key[6]))  # type: ignore[arg-type]
        with self._lock:
            for k in keys:
                self._results[k] = result
                self._results.move_to_end(k)
            self._trim()

    def with_every_class(self, key: ResultKey) -> MethodResult | None:
        """A result of the same photo, network, layer and options as `key`, whatever its class,
        that kept every class's scores (any class's map is then a re-weighting of it)."""
        rest = (*key[:5], key[6])
        with self._lock:
            for k, result in reversed(self._results.items()):
                if (*k[:5], k[6]) == rest and result.class_scores is not None:
                    self._results.move_to_end(k)
                    return result
        return None

    def clear(self) -> None:
        with self._lock:
            self._results.clear()

    def _trim(self) -> None:
        def distinct() -> dict[int, MethodResult]:
            return {id(r): r for r in self._results.values()}

        kept = distinct()
        size = sum(result_bytes(r) for r in kept.values())
        while self._results and (len(kept) > self.max_entries or size > self.max_bytes):
            _, oldest = self._results.popitem(last=False)
            if all(r is not oldest for r in self._results.values()):
                kept.pop(id(oldest), None)
                size -= result_bytes(oldest)
