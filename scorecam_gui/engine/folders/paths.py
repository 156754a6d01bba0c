"""Turning the PATH arguments of a batch (files, folders, @lists) into a list of photos.

A file named directly is always a photo to try: if it is not one, its row says why. Inside a
folder a file is taken when its content is an image (Pillow identifies it from its first bytes,
whatever its name) or when its name says it is one (so a damaged `.jpg` becomes an error row
instead of disappearing); anything else (notes, `.DS_Store`, videos) is ignored and counted.
Hidden files and folders (a leading dot) are skipped, and so are the tool's own outputs, counted
(`outputs`): by name (`*-overlay.png`, `*-figure.png`, `*-map.npy`, with or without a method
in the name, and the window's `*_overlay.png`, ...) or by the mark atomicio.save_png writes
into every PNG (a renamed overlay), so that a run into the photos' own folder, run twice, does
not explain its overlays. `@list.txt` names one path a line; blank
lines and lines starting with `#` are skipped, and relative paths (a nested `@list`'s too) are
relative to the list's folder. A list is read only when it is a regular file of at most
safe_read.LIST_LIMIT bytes; under `recursive`, each real folder is read once (links to a parent
folder do not loop).
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from scorecam_gui.engine import atomicio, safe_read
from scorecam_gui.engine.imaging import IMAGE_SUFFIXES

__all__ = ["Expansion", "expand_paths", "looks_like_image"]

log = logging.getLogger(__name__)

_SUFFIXES = frozenset(IMAGE_SUFFIXES)
# The names the tool gives its outputs: `explain`'s (cat-overlay.png, cat-gradcam-map.npy, ...)
# and the window's export (cat_overlay.png, ...).
OUTPUT_ENDINGS = tuple(
    f"{sep}{name}" for sep in "-_" for name in ("overlay.png", "figure.png", "map.npy")
)


@dataclass
class Expansion:
    """What a batch's PATH arguments hold."""

    photos: list[str] = field(default_factory=list)  # argument order; folders sorted, no repeats
    ignored: int = 0  # files inside folders that are not images
    outputs: int = 0  # files inside folders that the tool wrote (overlays, maps, figures)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line reason)
    folders: set[tuple[int, int]] = field(default_factory=set)  # (st_dev, st_ino) of those read


def looks_like_image(path: str | os.PathLike[str]) -> bool:
    """Whether Pillow identifies the file's content as an image it can open (reads the header)."""
    return _identify(path) is not None


def _identify(path: str | os.PathLike[str]) -> str | None:
    """What the file holds: "photo", "output" (an image with atomicio's mark) or None."""
    try:
        with Image.open(path) as img:
            if not img.format:
                return None
            return "output" if atomicio.output_mark(img) else "photo"
    except Exception:  # anything Pillow cannot identify, or cannot read at all
        return None


def _kind(path: str, name: str) -> str | None:
    """What a file inside a folder is: "photo", "output" (the tool's, by name or mark) or None.
    Only PNGs (the tool's outputs are PNGs) and unknown names are opened: a folder of JPEGs is
    listed without reading them."""
    lower = name.lower()
    if lower.endswith(OUTPUT_ENDINGS):
        return "output"
    suffix = Path(lower).suffix
    if suffix in _SUFFIXES and suffix != ".png":
        return "photo"
    found = _identify(path)
    if found is None and suffix in _SUFFIXES:
        return "photo"  # a damaged .png: its row says why
    return found


def expand_paths(paths: list[str], recursive: bool = False) -> Expansion:
    """The photos named by `paths`: files, folders (sub-folders with `recursive`), `@lists`."""
    out = Expansion()
    seen: set[str] = set()
    for arg in paths:
        _expand_one(arg, recursive, out, seen, lists=())
    if out.outputs:  # a warning: the command line prints it as one line (cli/main.py)
        log.warning(
            "%d files in the folders are Score-CAM Studio's own outputs (overlays, maps, "
            "figures): skipped (name one to explain it)",
            out.outputs,
        )
    return out


def _add(path: str, out: Expansion, seen: set[str]) -> None:
    if path not in seen:
        seen.add(path)
        out.photos.append(path)


def _expand_one(
    arg: str, recursive: bool, out: Expansion, seen: set[str], lists: tuple[str, ...]
) -> None:
    if arg.startswith("@") and len(arg) > 1:
        _expand_list(arg[1:], recursive, out, seen, lists)
        return
    try:
        is_dir = stat.S_ISDIR(os.stat(arg).st_mode)
    except (OSError, ValueError):
        is_dir = False  # missing or unreadable: the photo's own error row says which
    if is_dir:
        if _expand_folder(Path(arg), recursive, out, seen) == 0:
            out.problems.append((arg, "no photos in this folder"))
    else:  # a file named on purpose, even twice, is explained as often as it is named
        seen.add(arg)
        out.photos.append(arg)


def _expand_list(
    name: str, recursive: bool, out: Expansion, seen: set[str], lists: tuple[str, ...]
) -> None:
    listed = Path(name)
    key = os.path.realpath(listed)
    if key in lists:
        out.problems.append((name, "the list names itself"))
        return
    try:
        text = safe_read.read_text(listed, safe_read.LIST_LIMIT)  # never a FIFO or /dev/zero
    except safe_read.FileRefused as exc:
        out.problems.append((name, f"list file refused: {exc.reason}"))
        return
    except FileNotFoundError:
        out.problems.append((name, "list file not found"))
        return
    except UnicodeDecodeError:
        out.problems.append((name, "list file is not UTF-8 text"))
        return
    except OSError as exc:
        out.problems.append((name, f"cannot read list file ({exc.strerror or exc})"))
        return
    for line in text.splitlines():
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        # Relative to the list's folder, a nested @list's name too.
        at = "@" if entry.startswith("@") and len(entry) > 1 else ""
        inner = entry[len(at) :]
        if not os.path.isabs(inner):
            entry = at + str(listed.parent / inner)
        _expand_one(entry, recursive, out, seen, (*lists, key))


def _expand_folder(folder: Path, recursive: bool, out: Expansion, seen: set[str]) -> int:
    """Add the folder's photos; return how many there were (sub-folders included). Each real
    folder is read once, however many links lead to it (a link to a parent would loop)."""
    try:
        info = os.stat(folder)
        real = (info.st_dev, info.st_ino)
        if real in out.folders:
            return -1  # read already: nothing new, nothing to report
        out.folders.add(real)
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        reason = "permission denied" if isinstance(exc, PermissionError) else exc.strerror
        out.problems.append((str(folder), f"cannot read folder ({reason or exc})"))
        return -1  # reported already
    found = 0
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=True):
                if recursive:
                    found += max(0, _expand_folder(Path(entry.path), recursive, out, seen))
                continue
            regular = entry.is_file(follow_symlinks=True)
        except OSError:
            regular = False
        if not regular:
            out.ignored += 1
            continue
        kind = _kind(entry.path, entry.name)
        if kind == "photo":
            _add(entry.path, out, seen)
            found += 1
        elif kind == "output":
            out.outputs += 1
        else:
            out.ignored += 1
    return found
