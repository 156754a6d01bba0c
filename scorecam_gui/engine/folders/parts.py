"""A manifest's part files (manifest.py): listing them, reading one, setting a damaged one aside.

A part that cannot be read (truncated, garbage, empty: a copy that broke off, a disk that
failed, a hand that edited it) must not stop every resume of 50,000 rows. The run that holds the
manifest's lock moves it whole into the folder's `_damaged/` (never deleted; Parquet readers skip
names starting with "_", so the folder reads as one table again), says so in one line that
names it, and explains its photos again; the rows of every good part are kept.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["DAMAGED", "PART_PREFIX", "list_parts", "read_part", "set_aside"]

log = logging.getLogger(__name__)

PART_PREFIX = "part-"
DAMAGED = "_damaged"  # where damaged parts go, inside the manifest folder


def list_parts(folder: Path) -> list[Path]:
    """The folder's parts, in the order they were written (their names sort by time)."""
    return sorted(p for p in folder.glob(f"{PART_PREFIX}*.parquet") if p.is_file())


def read_part(path: Path, schema: pa.Schema, legacy: tuple[tuple[str, str], ...]) -> pa.Table:
    """One part in `schema`: columns it lacks (written by an older version) are null, and a
    column under an old name (legacy: (old, new) pairs, target_score) is read as its new one."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not legacy:
        return pq.read_table(path, schema=schema)
    names = set(pq.read_schema(path).names)
    old = {new: o for o, new in legacy if o in names and new not in names}
    if not old:
        return pq.read_table(path, schema=schema)
    fields = [f.with_name(old[f.name]) if f.name in old else f for f in schema]
    return pq.read_table(path, schema=pa.schema(fields)).rename_columns(schema.names)


def damage(path: Path, exc: BaseException) -> str:
    """Why a part could not be read, in one line."""
    try:
        if path.stat().st_size == 0:
            return "an empty file"
    except OSError:
        pass
    text = str(exc).strip().splitlines()
    return text[0].rstrip(".") if text else type(exc).__name__


def set_aside(path: Path, exc: BaseException) -> Path:
    """Move the damaged part `path` into its folder's `_damaged/` and say so (a warning: the
    command line prints it as one line); the new path. OSError if it cannot be moved."""
    reason = damage(path, exc)
    folder = path.parent / DAMAGED
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    n = 2
    while target.exists():  # a part of the same name set aside before: keep both
        target, n = folder / f"{path.stem}-{n}{path.suffix}", n + 1
    os.replace(path, target)
    log.warning(
        "%s: damaged manifest part (%s): moved to %s; its photos will be done again",
        path,
        reason,
        target,
    )
    return target
