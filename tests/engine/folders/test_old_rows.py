"""Manifests written before the record's version 2 (engine/folders/old_rows.py): their Grad-CAM
rows had `weighting` "gradcam", `fill` "black" and `maps_total` 0, and 0.x rows had no `method`.
The resume key is now the method, so such rows must still be recognised as the same work: read
with null for what does not apply, and skipped on a rerun with the same settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scorecam_gui import appdata

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def _run(manifest: Path, method: str) -> tuple[Any, list[object]]:
    """Explain the bundled sample photo with `method` into `manifest`, resuming what it holds;
    the summary and the events."""
    from scorecam_gui.engine.folders import manifest as mf
    from scorecam_gui.engine.folders.batch import Job, open_job, run_local
    from scorecam_gui.engine.progress import run_to_end

    finished = mf.finished_keys(manifest)
    writer = mf.ManifestWriter(manifest)
    events: list[object] = []
    try:
        opened = open_job(Job(method=method))
        run = run_local(opened, [str(appdata.sample_photo_path())], writer, finished)
        summary = run_to_end(run, events.append)
    finally:
        writer.finish()
    return summary, events


def _as_version_1(row: dict[str, Any], method: str, zero_x: bool) -> tuple[Any, dict[str, Any]]:
    """A row and schema as version 1 (or 0.x: no `method`, no `passes`...) wrote them."""
    from scorecam_gui.engine.folders import manifest as mf

    old = dict(row, weighting=method, fill="black", maps_total=0, maps_evaluated=0)
    old.update(approximate=False, stopped=False, schema_version=None if zero_x else 1)
    gone = {"passes", "method"} if zero_x else {"passes"}
    schema = pa.schema([f for f in mf.schema() if f.name not in gone])
    return schema, {k: v for k, v in old.items() if k not in gone}


@pytest.mark.parametrize("zero_x", [False, True], ids=["version-1", "0.x"])
def test_an_old_grad_cam_row_reads_null_and_resumes(tmp_path: Path, zero_x: bool) -> None:
    from scorecam_gui.engine.folders import manifest as mf
    from scorecam_gui.engine.folders.batch import PhotoDone, PhotoSkipped

    fresh = tmp_path / "fresh.parquet"
    summary, _ = _run(fresh, "gradcam")
    (row,) = mf.read_manifest(fresh).to_pylist()
    assert summary.explained == 1 and row["method"] == "gradcam"
    assert (row["weighting"], row["fill"], row["maps_total"], row["stopped"]) == (None,) * 4

    old = tmp_path / "old.parquet"
    old.mkdir()
    schema, old_row = _as_version_1(row, "gradcam", zero_x)
    table = pa.Table.from_pylist([old_row], schema=schema)
    pq.write_table(table, old / "part-20261101T000000-00000000-000000.parquet")

    (read,) = mf.read_manifest(old).to_pylist()
    assert read["method"] == "gradcam" and read["passes"] is None
    assert (read["weighting"], read["fill"], read["maps_total"], read["maps_evaluated"]) == (
        None, None, None, None,
    )  # fmt: skip
    summary, events = _run(old, "gradcam")
    assert summary.skipped == 1 and [type(e) for e in events] == [PhotoSkipped]

    # Another method on the same photo is other work: not skipped, and the old row stays.
    summary, events = _run(old, "layercam")
    assert summary.explained == 1 and [type(e) for e in events if isinstance(e, PhotoDone)]
    methods = sorted(r["method"] for r in mf.read_manifest(old).to_pylist())
    assert methods == ["gradcam", "layercam"]


def test_an_old_score_cam_row_keeps_its_settings(tmp_path: Path) -> None:
    """A Score-CAM row of version 1 keeps its weighting and fill (they apply), and resumes."""
    from scorecam_gui.engine.folders import manifest as mf
    from scorecam_gui.engine.folders.batch import Job, PhotoSkipped, open_job, run_local
    from scorecam_gui.engine.progress import run_to_end

    old = tmp_path / "old.parquet"
    writer = mf.ManifestWriter(old)
    try:
        job = Job(method="scorecam-matlab", approximate=8)
        run_to_end(run_local(open_job(job), [str(appdata.sample_photo_path())], writer))
    finally:
        writer.finish()
    (part,) = old.glob("part-*.parquet")
    table = pq.read_table(part).drop_columns(["passes"])
    table = table.set_column(
        table.schema.get_field_index("schema_version"), "schema_version", pa.array([1], pa.int32())
    )
    pq.write_table(table, part)

    (read,) = mf.read_manifest(old).to_pylist()
    assert (read["method"], read["weighting"], read["fill"]) == (
        "scorecam-matlab",
        "matlab",
        "black",
    )
    assert read["maps_total"] == 1280 and read["maps_evaluated"] == 8
    writer = mf.ManifestWriter(old)
    events: list[object] = []
    try:
        finished = mf.finished_keys(old)
        run = run_local(open_job(job), [str(appdata.sample_photo_path())], writer, finished)
        summary = run_to_end(run, events.append)
    finally:
        writer.finish()
    assert summary.skipped == 1 and [type(e) for e in events] == [PhotoSkipped]
