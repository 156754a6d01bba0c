"""One explanation, three writers, one record (engine/record.py): the window's JSON summary
(gui/window/export.py), `scorecam explain --json` and the folder manifest's row carry the
record's fields under the same names, with the same values for what they share. A real run of
the bundled EfficientNet-Lite0 on the bundled sample photo."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from scorecam_gui import appdata
from scorecam_gui.engine.record import FIELDS, SCHEMA_VERSION

pytest.importorskip("pyarrow")

# What depends on the run, not on the explanation: timings, and the hash the window leaves out.
PER_RUN = {"seconds", "seconds_read", "seconds_classify", "seconds_map", "sha256"}
CLOSE = {"target_probability", "target_logit"}  # the same fp32 pass, compared to 1e-6


def _window_summary(photo: Path) -> dict[str, object]:
    from PIL import Image

    from scorecam_gui.engine.explainer import Explainer
    from scorecam_gui.engine.models.registry import load_network
    from scorecam_gui.gui.window.export import ExportData, summary

    net = load_network("efficientnet_lite0")
    image = Image.open(photo).convert("RGB")
    result = Explainer(net, "cpu", "fp32", backend="torch").explain(image, approximate=16)
    data = ExportData(
        result=result,
        overlay=np.zeros((image.height, image.width, 3), np.uint8),
        photo_label=photo.name,
        photo_path=str(photo),
        photo_size=image.size,
        network="efficientnet_lite0",
        network_title=net.info.title,
        weights_source="bundled",
        score_kind="logit",
    )
    return summary(data)


def test_export_json_cli_json_and_manifest_row_share_one_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scorecam_gui.cli import main as cli
    from scorecam_gui.engine.folders import manifest as mf

    photo = appdata.sample_photo_path()
    manifest = tmp_path / "run.parquet"
    argv = ["explain", str(photo), "--json", "--approximate", "16", "--precision", "fp32"]
    argv += ["--device", "cpu", "--backend", "torch", "--manifest", str(manifest)]
    assert cli.main([*argv, "--out", str(tmp_path / "out")]) == 0
    printed = json.loads(capsys.readouterr().out)
    (row,) = mf.read_manifest(manifest).to_pylist()
    exported = _window_summary(photo)

    for name, record in (("export", exported), ("--json", printed), ("manifest", row)):
        assert tuple(k for k in record if k in FIELDS) == FIELDS, name  # every field, in order
    assert printed["schema_version"] == row["schema_version"] == exported["schema_version"]
    assert exported["schema_version"] == SCHEMA_VERSION
    for field in FIELDS:
        if field in PER_RUN:
            continue
        values = [exported[field], printed[field], row[field]]
        if field in CLOSE:
            assert values == pytest.approx([values[0]] * 3, rel=1e-6), field
        elif field == "top5":
            names = [[(p["index"], p["name"]) for p in v] for v in values]  # type: ignore[union-attr]
            assert names[0] == names[1] == names[2] and len(names[0]) == 5
        else:
            assert values[0] == values[1] == values[2], field
    assert exported["path"] == str(photo) and exported["method"] == "scorecam-paper"
    assert (exported["maps_total"], exported["maps_evaluated"]) == (1280, 16)
    assert exported["approximate"] is True and exported["approximate_maps"] == 16
    assert printed["sha256"] == row["sha256"] and exported["sha256"] is None
    assert printed["seconds"] == row["seconds"]  # the command line prints the row's time
    # What only one writer knows stays beside the record, under its own names.
    assert {"app", "photo_size", "model_title", "rendering", "files"} <= set(exported)
    assert {"outputs", "compiled", "seconds_outputs", "seconds_load_model"} <= set(printed)
    assert {"map", "options"} <= set(row)
