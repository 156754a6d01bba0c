"""`scorecam evaluate` end to end: the bundled EfficientNet-Lite0, a real photo and a broken one."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PIL import Image
from skimage import data

from scorecam_gui.cli.main import main

CATS = {281, 282, 285}  # tabby, tiger cat, Egyptian cat


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("photos")
    Image.fromarray(data.chelsea()).save(folder / "chelsea.png")
    (folder / "broken.png").write_bytes(b"this is not a picture")
    return folder


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_folder_with_a_broken_photo(
    photos: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "metrics.csv"
    args = ["evaluate", str(photos), str(empty), "--methods", "gradcam,gradcam++", "--steps", "4"]
    rc = main([*args, "--device", "cpu", "--precision", "fp32", "--out", str(out)])
    captured = capsys.readouterr()
    assert rc == 1
    errors = captured.err.strip().splitlines()
    assert sorted(errors) == sorted(
        [
            f"scorecam: {photos / 'broken.png'}: not an image file (cannot identify image)",
            f"scorecam: {empty}: no photos in this folder",
        ]
    )
    rows = read_rows(out)
    assert [r["method"] for r in rows] == ["gradcam", "gradcam++"]
    for r in rows:
        assert r["image"] == str(photos / "chelsea.png")
        assert int(r["class_index"]) in CATS and r["steps"] == "4"
        assert 0 < float(r["probability"]) <= 1 and 0 <= float(r["explanation_probability"]) <= 1
        assert 0 <= float(r["drop_pct"]) <= 100 and r["increase"] in ("0", "1")
        assert 0 <= float(r["deletion_auc"]) <= 1 and 0 <= float(r["insertion_auc"]) <= 1
        # A cat map keeps the cat: the insertion curve beats the deletion curve.
        assert float(r["insertion_auc"]) > float(r["deletion_auc"])
    # Rows, then the means (over one photo: the row's own values).
    lines = captured.out.splitlines()
    assert lines[0].split()[:2] == ["image", "method"]
    summary = lines[lines.index("") + 3 :]
    assert [s.split()[0] for s in summary] == ["gradcam", "gradcam++"]
    for s, r in zip(summary, rows, strict=True):
        fields = s.split()
        assert fields[1] == "1"
        assert float(fields[2]) == pytest.approx(float(r["drop_pct"]), abs=0.05)
        assert float(fields[4]) == pytest.approx(float(r["deletion_auc"]), abs=5e-4)
        assert float(fields[5]) == pytest.approx(float(r["insertion_auc"]), abs=5e-4)
    assert "Traceback" not in captured.err


def test_scorecam_weightings_are_rows_of_their_own(
    photos: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A 16-map layer keeps the Score-CAM runs short.
    out = tmp_path / "s.csv"
    args = [
        "evaluate",
        str(photos / "chelsea.png"),
        "--methods",
        "scorecam",
        "--layer",
        "_blocks.0",
    ]
    args += ["--weighting", "paper,matlab", "--steps", "2", "--device", "cpu", "--out", str(out)]
    assert main(args) == 0
    assert [r["method"] for r in read_rows(out)] == ["scorecam-paper", "scorecam-matlab"]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "extra",
    [
        ["--methods", "nope"],
        ["--methods", ""],
        ["--steps", "0"],
        ["--weighting", "paper", "--methods", "gradcam"],
        ["--weighting", "softmax"],
    ],
)
def test_usage_errors_exit_2(
    extra: list[str], photos: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        rc = main(["evaluate", str(photos), *extra])
        raise SystemExit(rc)
    assert stop.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_out_must_be_a_file_in_an_existing_folder(photos: Path, tmp_path: Path) -> None:
    assert main(["evaluate", str(photos), "--out", str(tmp_path)]) == 2
    assert main(["evaluate", str(photos), "--out", str(tmp_path / "no" / "x.csv")]) == 2


def test_help_lists_evaluate(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    assert "evaluate" in capsys.readouterr().out


def test_table_titles_its_columns_and_marks_cut_names() -> None:
    from scorecam_gui.cli.evaluate import _row_header, cut

    header = _row_header().split()
    assert "p photo" in _row_header() and "p map" in _row_header()
    assert "Y" not in header and "O" not in header
    assert cut("Chesapeake Bay retriever", 16) == "Chesapeake Bay …"
    assert len(cut("Chesapeake Bay retriever", 16)) == 16
    assert cut("tabby", 16) == "tabby"


def test_manifest_resumes_by_method(
    photos: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--manifest: one row per photo and method; a rerun adds only the methods not there yet,
    skips a photo with all of them, and tries the broken file again."""
    pa = pytest.importorskip("pyarrow")
    from scorecam_gui.engine.folders import manifest as mf

    manifest = tmp_path / "m.parquet"
    base = ["evaluate", str(photos), "--steps", "4", "--device", "cpu", "--precision", "fp32"]
    base += ["--manifest", str(manifest)]
    assert main([*base, "--methods", "gradcam,random"]) == 1
    first = capsys.readouterr()
    table = mf.read_manifest(manifest, kind=mf.EVALUATE)
    assert table.schema == mf.evaluation_schema() and isinstance(table, pa.Table)
    rows = table.to_pylist()
    done = sorted((Path(r["path"]).name, r["method"]) for r in rows if r["error"] is None)
    assert done == [("chelsea.png", "gradcam"), ("chelsea.png", "noise")]
    assert sorted(r["method"] for r in rows if r["error"]) == ["gradcam", "noise"]
    assert all(r["class_index"] in CATS for r in rows if r["error"] is None)
    assert "broken.png: not an image file" in first.err

    # Adding a method computes only that one.
    assert main([*base, "--methods", "gradcam,gradcam++,random"]) == 1
    second = capsys.readouterr()
    printed = [line.split()[1] for line in second.out.splitlines() if line.startswith("chelsea")]
    assert printed == ["gradcam++"]
    newest = mf.read_manifest(manifest, kind=mf.EVALUATE).to_pylist()
    assert sorted(r["method"] for r in newest if r["error"] is None) == [
        "gradcam",
        "gradcam++",
        "noise",
    ]
    # Everything there: the photo is skipped (the broken file is tried again and fails again).
    assert main([*base, "--methods", "gradcam,random"]) == 1
    third = capsys.readouterr()
    assert "1 photo already evaluated in the manifest with these settings: skipped" in third.err
    assert not [line for line in third.out.splitlines() if line.startswith("chelsea")]
    # A change of setting (the steps) is new work.
    assert main([*base[:2], "--steps", "2", *base[4:], "--methods", "random"]) == 1
    assert [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("chelsea")]


def test_manifest_of_the_other_command_is_refused(
    photos: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyarrow")
    manifest = tmp_path / "explained.parquet"
    args = ["explain", str(photos / "chelsea.png"), "--approximate", "4", "--no-overlays"]
    assert main([*args, "--manifest", str(manifest)]) == 0
    before = sorted(p.name for p in manifest.iterdir())
    capsys.readouterr()
    rc = main(["evaluate", str(photos / "chelsea.png"), "--manifest", str(manifest)])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 1
    assert err == [
        f"scorecam: {manifest}: holds the rows of `scorecam explain`, not `scorecam evaluate` "
        "(give another --manifest)"
    ]
    assert sorted(p.name for p in manifest.iterdir()) == before  # nothing written
