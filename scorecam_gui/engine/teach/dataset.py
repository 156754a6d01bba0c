"""The photos to teach from: a folder with one sub-folder of photos a class (or several folders,
one a class), checked before any work, and the seeded, stratified held-out split.

A class's photos are those engine/folders/paths.py takes from a folder (its sub-folders
included): files Pillow identifies as images or whose name says they are one; notes, hidden
files and the like are left out. Whether each photo decodes is found in the feature pass
(features.py), which names the file that does not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..folders.paths import expand_paths

__all__ = [
    "MIN_PHOTOS",
    "Dataset",
    "Split",
    "TeachError",
    "from_class_folders",
    "read_folder",
    "split",
]

# A class needs photos to learn from and at least one to test on: with a quarter held out, 4
# photos give 3 and 1. Teaching that is worth anything takes more (docs/teaching.md).
MIN_PHOTOS = 4


class TeachError(ValueError):
    """Teaching cannot start or go on: one line that names the folder or photo and the problem."""


@dataclass(frozen=True)
class Dataset:
    """Photos with their class: `labels[i]` indexes `classes` for `paths[i]`."""

    classes: tuple[str, ...]
    paths: tuple[str, ...]
    labels: np.ndarray  # (N,) int64

    def counts(self) -> list[int]:
        """How many photos each class has."""
        return np.bincount(self.labels, minlength=len(self.classes)).tolist()


@dataclass(frozen=True)
class Split:
    """Which photos teach (`train`) and which test (`test`): indices into the dataset."""

    train: np.ndarray
    test: np.ndarray
    seed: int


def _class_photos(folder: Path) -> list[str]:
    found = expand_paths([str(folder)], recursive=True)
    # A folder that cannot be read stops teaching; an empty one is no problem (an empty class
    # is the caller's message).
    for path, reason in found.problems:
        if reason.startswith("cannot read"):
            raise TeachError(f"{path}: {reason}")
    return found.photos


def _sub_folders(folder: Path) -> list[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except FileNotFoundError:
        raise TeachError(f"{folder}: folder not found") from None
    except NotADirectoryError:
        raise TeachError(
            f"{folder}: not a folder (give a folder with one sub-folder a class)"
        ) from None
    except OSError as exc:
        raise TeachError(f"{folder}: cannot read folder ({exc.strerror or exc})") from None
    return [
        Path(e.path)
        for e in entries
        if not e.name.startswith(".") and e.is_dir(follow_symlinks=True)
    ]


def read_folder(folder: str | os.PathLike[str]) -> Dataset:
    """The classes under `folder`, one sub-folder each, named after it (sorted by name)."""
    root = Path(folder)
    subs = _sub_folders(root)
    if not subs:
        raise TeachError(
            f"{root}: holds no class folders (put each class's photos in a sub-folder of its "
            "own, named after the class)"
        )
    if len(subs) < 2:
        raise TeachError(
            f"{root}: holds only one class folder ({subs[0].name}); teaching needs at least 2"
        )
    return from_class_folders(subs)


def from_class_folders(
    folders: list[str | os.PathLike[str]] | list[Path], names: list[str] | None = None
) -> Dataset:
    """A dataset from several folders, one a class (named after the folder unless `names`)."""
    paths = [Path(f) for f in folders]
    classes = names or [p.name for p in paths]
    if len(paths) < 2:
        raise TeachError("teaching needs at least 2 classes, one folder of photos each")
    if len(set(classes)) != len(classes):
        twice = next(c for c in classes if classes.count(c) > 1)
        raise TeachError(f"two classes have the same name: {twice}")
    bad = next((c for c in classes if not c.strip() or "\n" in c or "\r" in c), None)
    if bad is not None:
        raise TeachError(f"a class name must be one line of text, not {bad!r}")
    all_paths: list[str] = []
    labels: list[int] = []
    seen: dict[str, int] = {}  # real path -> class: a photo may not teach two classes
    for index, folder in enumerate(paths):
        if not folder.is_dir():
            raise TeachError(f"{folder}: not a folder")
        photos = _class_photos(folder)
        if not photos:
            raise TeachError(f"{folder}: the class {classes[index]} holds no photos")
        if len(photos) < MIN_PHOTOS:
            raise TeachError(
                f"{folder}: the class {classes[index]} holds {len(photos)} photo"
                f"{'' if len(photos) == 1 else 's'}; a class needs at least {MIN_PHOTOS} "
                "(some are held out to test the result)"
            )
        for photo in photos:
            other = seen.setdefault(os.path.realpath(photo), index)
            if other != index:
                raise TeachError(
                    f"{photo}: in two classes, {classes[other]} and {classes[index]} (a folder "
                    "inside another?)"
                )
        all_paths += photos
        labels += [index] * len(photos)
    return Dataset(tuple(classes), tuple(all_paths), np.asarray(labels, dtype=np.int64))


def split(dataset: Dataset, held_out: float = 0.25, seed: int = 0) -> Split:
    """Hold out `held_out` of each class's photos (at least one, and at least one left to learn
    from), chosen by `seed`: the same seed gives the same split."""
    if not 0.0 < held_out < 1.0:
        raise TeachError(f"the share held out must be between 0 and 1, not {held_out:g}")
    rng = np.random.default_rng(seed)
    train: list[int] = []
    test: list[int] = []
    for c in range(len(dataset.classes)):
        members = np.flatnonzero(dataset.labels == c)
        order = rng.permutation(members)
        n_test = min(max(1, round(len(members) * held_out)), len(members) - 1)
        test += order[:n_test].tolist()
        train += order[n_test:].tolist()
    return Split(np.sort(np.asarray(train)), np.sort(np.asarray(test)), seed)
