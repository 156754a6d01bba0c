"""The explanation record (engine/record.py): one spelling per field, and the manifests written
before it (0.x parts: `target_score`, no method, device or timing columns) still read, resumed
from and turned into the CSV under the record's names."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from scorecam_gui import appdata
from scorecam_gui.engine.record import FIELDS, LEGACY_NAMES, SCHEMA_VERSION, ExplanationRecord

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def _old_schema() -> object:
    """The explain manifest's schema as 0.x wrote it, before the record (kept here verbatim)."""
    prediction = pa.struct(
        [("index", pa.int32()), ("name", pa.string()), ("probability", pa.float64())]
    )
    return pa.schema(
        [
            ("path", pa.string()), ("sha256", pa.string()), ("model", pa.string()),
            ("layer", pa.string()), ("weighting", pa.string()), ("fill", pa.string()),
            ("target_index", pa.int32()), ("target_name", pa.string()),
            ("target_score", pa.float64()), ("top5", pa.list_(prediction)),
            ("maps_total", pa.int32()), ("maps_evaluated", pa.int32()), ("map", pa.binary()),
            ("map_shape", pa.list_(pa.int32())), ("seconds", pa.float64()),
            ("version", pa.string()), ("error", pa.string()), ("options", pa.string()),
        ]
    )  # fmt: skip


def _explain_rows(manifest: Path) -> list[dict[str, object]]:
    """Explain the bundled sample photo into `manifest` (a real run); its rows."""
    from scorecam_gui.engine.folders import manifest as mf
    from scorecam_gui.engine.folders.batch import Job, open_job, run_local
    from scorecam_gui.engine.progress import run_to_end

    writer = mf.ManifestWriter(manifest)
    try:
        run_to_end(run_local(open_job(Job(approximate=8)), [str(appdata.sample_photo_path())],
                             writer))  # fmt: skip
    finally:
        writer.finish()
    return mf.read_manifest(manifest).to_pylist()


def test_an_old_manifest_is_read_resumed_and_tabled_under_the_new_names(tmp_path: Path) -> None:
    from scorecam_gui.engine.folders import manifest as mf
    from scorecam_gui.engine.folders.batch import Job, PhotoSkipped, open_job, run_local
    from scorecam_gui.engine.folders.csvtable import write_csv
    from scorecam_gui.engine.progress import run_to_end

    (new,) = _explain_rows(tmp_path / "new.parquet")
    old_row = {name: new[name] for name in _old_schema().names if name != "target_score"}
    old_row["target_score"] = new["target_probability"]
    old_row["top5"] = [{k: p[k] for k in ("index", "name", "probability")} for p in new["top5"]]
    old = tmp_path / "old.parquet"
    old.mkdir()
    table = pa.Table.from_pylist([old_row], schema=_old_schema())
    pq.write_table(table, old / "part-20261101T000000-00000000-000000.parquet")

    (row,) = mf.read_manifest(old).to_pylist()
    assert row["target_probability"] == new["target_probability"] > 0.5  # target_score, renamed
    assert row["target_name"] == "Egyptian cat" and row["maps_total"] == 1280
    assert row["top5"][0]["logit"] is None and row["top5"][0]["name"] == "Egyptian cat"
    assert row["schema_version"] is None  # written before the record: its weighting says
    assert row["method"] == "scorecam-paper"  # the method (engine/folders/old_rows.py)
    record = ExplanationRecord.from_json(old_row)
    assert record.target_probability == new["target_probability"]
    assert record.method == "scorecam-paper"  # from the weighting column

    # Resume: the photo is finished with the same settings, so a rerun skips it.
    assert len(mf.finished_keys(old)) == 1
    writer = mf.ManifestWriter(old)
    events: list[object] = []
    try:
        finished = mf.finished_keys(old)
        run = run_local(open_job(Job(approximate=8)), [new["path"]], writer, finished)
        summary = run_to_end(run, events.append)
    finally:
        writer.finish()
    assert summary.skipped == 1 and [type(e) for e in events] == [PhotoSkipped]

    path = write_csv(old)
    assert path is not None
    with open(path, newline="", encoding="utf-8") as f:
        (cells,) = list(csv.DictReader(f))
    assert cells["target_name"] == "Egyptian cat"
    assert float(cells["target_probability"]) == pytest.approx(new["target_probability"], 1e-6)
    assert cells["second_name"] == new["top5"][1]["name"] and cells["method"] == "scorecam-paper"


def test_a_new_row_holds_every_record_field_with_its_version(tmp_path: Path) -> None:
    (row,) = _explain_rows(tmp_path / "m.parquet")
    assert tuple(row)[: len(FIELDS)] == FIELDS and tuple(row)[len(FIELDS) :] == ("map", "options")
    assert row["schema_version"] == SCHEMA_VERSION and row["method"] == "scorecam-paper"
    assert row["approximate"] is True and row["approximate_maps"] == 8 and row["stopped"] is False
    assert row["seconds"] >= row["seconds_read"] + row["seconds_classify"] + row["seconds_map"]
    assert row["target_logit"] == row["top5"][0]["logit"]


def test_extra_fields_never_respell_the_record() -> None:
    record = ExplanationRecord.failed(
        path="a.png", sha256=None, model="m", layer="l", method="gradcam", weighting=None,
        fill=None, reason="not an\nimage",
    )  # fmt: skip
    assert record.error == "not an image" and record.target_index is None
    assert record.to_json({"outputs": {}})["outputs"] == {}
    with pytest.raises(ValueError, match="shadow the record's: seconds"):
        record.to_json({"seconds": 1.0})
    assert set(LEGACY_NAMES.values()) <= set(FIELDS)
