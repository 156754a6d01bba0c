"""Manifest rows written before `schema_version` 2, read as the record says them now.

Before version 2 every row had a `weighting` and a `fill`, and the methods without them wrote
their own name and the `--fill` asked for (Grad-CAM: `weighting` "gradcam", `fill` "black",
`maps_total` 0); 0.x rows had no `method` at all, `weighting` told the methods apart. The
resume key is now the method and the settings that apply to it (manifest.EXPLAIN), so an old row
must say the same as a new one for the same work: its `method` from `weighting` where it has
none, and null for what does not apply to that method (catalog.not_applicable).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scorecam_gui.engine.methods import catalog

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["method_of", "upgrade_explain_rows"]

_SCORECAM_WEIGHTINGS = ("paper", "matlab", "reference")
# What an old row may hold where the method has no value (read as null): the settings and the
# counts that version 1 filled in for every method.
_UPGRADED = ("weighting", "fill", "maps_total", "maps_evaluated", "approximate", "stopped")


def method_of(method: str | None, weighting: str | None) -> str | None:
    """A row's catalog name: its `method`, or for a 0.x row (none) the one its weighting says
    (Score-CAM's weightings, else the method's own name)."""
    if method is not None:
        return method
    if weighting is None:
        return None
    return f"scorecam-{weighting}" if weighting in _SCORECAM_WEIGHTINGS else weighting


def _not_applicable(method: str | None) -> frozenset[str]:
    try:
        return catalog.not_applicable(method) if method is not None else frozenset()
    except ValueError:  # a method this version does not know: its row stays as written
        return frozenset()


def upgrade_explain_rows(table: pa.Table) -> pa.Table:
    """`table` (one part, in the explain schema) with its rows of before version 2 as version 2
    writes them; a part of version 2 comes back as it is."""
    import pyarrow as pa

    versions = table.column("schema_version").to_pylist()
    if all(v is not None and v >= 2 for v in versions):
        return table
    old = [v is None or v < 2 for v in versions]
    methods = [
        method_of(m, w) if o else m
        for m, w, o in zip(
            table.column("method").to_pylist(),
            table.column("weighting").to_pylist(),
            old,
            strict=True,
        )
    ]
    nulls = [_not_applicable(m) if o else frozenset() for m, o in zip(methods, old, strict=True)]
    columns: dict[str, list[Any]] = {"method": methods}
    for name in _UPGRADED:
        values = table.column(name).to_pylist()
        columns[name] = [None if name in n else v for v, n in zip(values, nulls, strict=True)]
    for name, values in columns.items():
        i = table.schema.get_field_index(name)
        table = table.set_column(
            i, table.schema.field(i), pa.array(values, table.schema.field(i).type)
        )
    return table
