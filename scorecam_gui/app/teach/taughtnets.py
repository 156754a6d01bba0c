"""The networks taught in the window (issue 37), kept in the app's data folder across restarts.

Each is the two files `scorecam teach` writes, NAME.pth and NAME.txt (loaded as any imported
weights: the base network with `--weights NAME.pth --labels NAME.txt`), and NAME.json, which says
which network was taught, its classes and its held-out accuracy. In the network selector a taught
network is the row `taught:NAME`; a job loads the base network with the files, under that row's
name (`loaded_as`), so the selector, the layer memory and the results cache tell it apart from
the untaught network. Qt-free and torch-free until a network is saved or renamed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ...engine.models.catalog import network_title  # torch-free

if TYPE_CHECKING:
    from ...engine.models.types import Network

__all__ = [
    "DATA_ENV",
    "PREFIX",
    "TaughtNetwork",
    "base_network",
    "find",
    "folder",
    "is_taught",
    "list_taught",
    "loaded_as",
    "name_problem",
    "remove",
    "row_name",
    "save",
    "title",
]

PREFIX = "taught:"
DATA_ENV = "SCORECAM_DATA_DIR"  # a data folder other than the user's (tests, portable use)
_BAD_CHARACTERS = set('/\\:*?"<>|')
MAX_NAME = 60


@dataclass(frozen=True)
class TaughtNetwork:
    """One taught network: its name, the network it was taught from and its two files."""

    name: str
    network: str  # the base network ("efficientnet_lite0")
    weights: Path  # NAME.pth
    labels: Path  # NAME.txt
    classes: tuple[str, ...]
    accuracy: float | None  # on the photos held out from teaching

    @property
    def row(self) -> str:
        return row_name(self.name)


def folder() -> Path:
    """Where taught networks are kept: $SCORECAM_DATA_DIR/taught, else the user's data folder."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override) / "taught"
    from platformdirs import user_data_dir

    from ...logs import APP_DIR_NAME

    return Path(user_data_dir(APP_DIR_NAME, appauthor=False)) / "taught"


def row_name(name: str) -> str:
    return PREFIX + name


def is_taught(row: str) -> bool:
    return row.startswith(PREFIX)


def title(row: str) -> str:
    """What the window calls a selector row: a taught network by the name it was given."""
    return row[len(PREFIX) :] if is_taught(row) else network_title(row)


def name_problem(name: str) -> str | None:
    """Why `name` cannot name a taught network (it becomes a file name), or None."""
    text = name.strip()
    if not text:
        return "empty"
    if len(text) > MAX_NAME or text.startswith(".") or any(c in _BAD_CHARACTERS for c in text):
        return "characters"
    if any(not c.isprintable() for c in text):
        return "characters"
    return None


def _read(meta: Path) -> TaughtNetwork | None:
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        name, network = str(data["name"]), str(data["network"])
        accuracy = data.get("accuracy")
        classes = tuple(str(c) for c in data.get("classes", ()))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a broken or foreign file: not listed
    weights, labels = meta.with_suffix(".pth"), meta.with_suffix(".txt")
    if name != meta.stem or not weights.is_file() or not labels.is_file():
        return None
    return TaughtNetwork(
        name,
        network,
        weights,
        labels,
        classes,
        float(accuracy) if isinstance(accuracy, int | float) else None,
    )


def list_taught(where: Path | None = None) -> list[TaughtNetwork]:
    """Every taught network kept in `where` (default: folder()), by name."""
    root = where or folder()
    try:
        metas = sorted(root.glob("*.json"), key=lambda p: p.stem.casefold())
    except OSError:
        return []
    return [t for t in map(_read, metas) if t is not None]


def find(row: str, where: Path | None = None) -> TaughtNetwork | None:
    """The taught network of a selector row (`taught:NAME`), or None."""
    if not is_taught(row):
        return None
    name = row[len(PREFIX) :]
    if name_problem(name) is not None:
        return None
    return _read((where or folder()) / f"{name}.json")


def base_network(row: str) -> str:
    """The network a job loads for `row`: the base network of a taught one, else `row` itself."""
    taught = find(row)
    return taught.network if taught is not None else row


def save(
    name: str,
    network: str,
    taught: Network,
    accuracy: float | None,
    where: Path | None = None,
) -> TaughtNetwork:
    """Write NAME.pth, NAME.txt and NAME.json (each whole or not at all), replacing a taught
    network of the same name."""
    from ...engine.atomicio import save_text
    from ...engine.teach.taught import save_taught

    problem = name_problem(name)
    if problem is not None:
        raise ValueError(f"{name!r} cannot name a taught network ({problem})")
    name = name.strip()
    root = where or folder()
    root.mkdir(parents=True, exist_ok=True)
    weights, labels = save_taught(taught, root / f"{name}.pth")
    meta = {
        "name": name,
        "network": network,
        "classes": list(taught.categories),
        "accuracy": accuracy,
    }
    save_text(root / f"{name}.json", json.dumps(meta, ensure_ascii=False, indent=1) + "\n")
    return TaughtNetwork(name, network, weights, labels, tuple(taught.categories), accuracy)


def remove(row: str, where: Path | None = None) -> bool:
    """Delete a taught network's files; False when there was none of that name."""
    taught = find(row, where)
    if taught is None:
        return False
    for path in (taught.weights.with_suffix(".json"), taught.weights, taught.labels):
        path.unlink(missing_ok=True)  # the .json first: without it the others are not listed
    return True


def loaded_as(network: Network, row: str) -> Network:
    """`network` (the base network loaded with the taught files) under the row's name and the
    name the person gave, so the window tells it from the untaught one."""
    name = row[len(PREFIX) :] if is_taught(row) else row
    return replace(network, info=replace(network.info, name=row, title=name))
