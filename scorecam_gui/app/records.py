"""The record (engine/record.py) of an explanation the window shows: what its details line
reads and what its JSON export writes, so that both say what `scorecam explain --json` says."""

from __future__ import annotations

from ..engine.methods import catalog
from ..engine.record import ExplanationRecord, MapResult


def window_record(result: MapResult, path: str, model: str) -> ExplanationRecord:
    """The record of a map made in the window; `path` is the photo's file, or its label for a
    photo without one (pasted)."""
    return ExplanationRecord.from_result(
        result,
        path=path,
        model=model,
        method=catalog.canonical(result.method),
        sha256=None,  # the window explains the photo it holds, not necessarily the file now
    )
