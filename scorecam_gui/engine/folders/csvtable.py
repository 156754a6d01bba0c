"""A folder run's results as a CSV beside its Parquet manifest, for spreadsheets.

The manifest (engine/folders/manifest.py) is the record a run resumes from; its maps are bytes and
its top classes nested lists, which a spreadsheet cannot open. This table has one row a photo and
plain columns only, named as the record's fields (engine/record.py): the photo, the class and
its probability, the second class, the settings, the time, and the error when it failed. It is
written whole (atomicio) after each run, from every row the manifest holds (earlier runs
included).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..atomicio import save_csv
from . import manifest as mf

#: The explanation record's names (engine/record.py, docs/record.md), and the second class.
COLUMNS = (
    "path",
    "target_name",
    "target_probability",
    "second_name",
    "second_probability",
    "model",
    "layer",
    "method",
    "weighting",
    "fill",
    "maps_total",
    "maps_evaluated",
    "seconds",
    "error",
    "sha256",
)


def csv_path(manifest: str | os.PathLike[str]) -> Path:
    """Where the CSV goes: beside the manifest, its name with .csv (run.parquet -> run.csv)."""
    path = Path(manifest)
    return path.with_name(f"{path.stem if path.suffix else path.name}.csv")


def _cells(row: dict[str, Any]) -> list[object]:
    top5 = row.get("top5") or []
    second = top5[1] if len(top5) > 1 else None
    score = row.get("target_probability")
    return [
        row.get("path"),
        row.get("target_name") or "",
        "" if score is None else f"{score:.6f}",
        second["name"] if second else "",
        f"{second['probability']:.6f}" if second else "",
        row.get("model"),
        row.get("layer"),
        row.get("method") or "",
        row.get("weighting") or "",  # null for a method without weightings or fill
        row.get("fill") or "",
        row.get("maps_total") if row.get("maps_total") is not None else "",
        row.get("maps_evaluated") if row.get("maps_evaluated") is not None else "",
        "" if row.get("seconds") is None else f"{row['seconds']:.3f}",
        row.get("error") or "",
        row.get("sha256") or "",
    ]


def write_csv(manifest: str | os.PathLike[str]) -> Path | None:
    """The CSV of an explain manifest (None when it has no rows); raises the manifest's and
    atomicio's one-line errors."""
    table = mf.read_manifest(manifest)
    if table.num_rows == 0:
        return None
    return save_csv(csv_path(manifest), COLUMNS, (_cells(row) for row in table.to_pylist()))
