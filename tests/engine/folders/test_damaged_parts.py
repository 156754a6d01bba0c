"""A damaged part among good ones (issue 36, item 4): named in one line, moved aside (never
deleted), its photos done again, every good row kept."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from scorecam_gui.cli import main as cli
from scorecam_gui.engine.folders import manifest as mf
from scorecam_gui.engine.folders.parts import DAMAGED, list_parts

pa = pytest.importorskip("pyarrow")


def _damage(part: Path, how: str) -> None:
    whole = part.read_bytes()
    if how == "truncated":
        part.write_bytes(whole[: len(whole) // 2])
    elif how == "garbage":
        part.write_bytes(np.random.default_rng(0).bytes(len(whole)))
    else:
        part.write_bytes(b"")


def _manifest(folder: Path, rows: int) -> list[Path]:
    """A manifest of `rows` finished photos, one part each."""
    writer = mf.ManifestWriter(folder, max_age=0.0)
    for i in range(rows):
        row = {"path": f"p{i}.png", "sha256": f"{i:064x}", "model": "m", "layer": "l"}
        writer.add({**row, "weighting": "paper", "fill": "black", "options": "{}"})
    writer.finish()
    return list_parts(folder)


@pytest.mark.parametrize("how", ["truncated", "garbage", "empty"])
def test_a_damaged_part_is_named_moved_aside_and_its_photos_done_again(
    tmp_path: Path, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "run.parquet"
    parts = _manifest(folder, 20)
    assert len(parts) == 20
    bad = parts[7]
    _damage(bad, how)
    before = bad.read_bytes()

    # Without the lock (a reader): one line naming the part, nothing moved.
    with pytest.raises(mf.ManifestError) as raised:
        mf.read_manifest(folder)
    assert str(raised.value).startswith(f"{bad}: cannot read this part of the manifest (")
    assert "\n" not in str(raised.value) and bad.exists()

    # The run that holds the lock sets it aside and resumes with every good row.
    writer = mf.ManifestWriter(folder)
    try:
        with caplog.at_level(logging.WARNING):
            finished = mf.finished_keys(folder)
    finally:
        writer.close()
    assert sorted(finished.photos) == sorted(f"p{i}.png" for i in range(20) if i != 7)
    moved = folder / DAMAGED / bad.name
    assert not bad.exists() and moved.read_bytes() == before  # moved whole, not deleted
    lines = [r.getMessage() for r in caplog.records if "damaged manifest part" in r.getMessage()]
    assert len(lines) == 1 and lines[0].startswith(f"{bad}: damaged manifest part (")
    assert "\n" not in lines[0] and str(moved) in lines[0]
    assert mf.read_manifest(folder).num_rows == 19  # pyarrow skips `_damaged` as well
    assert pa.parquet.read_table(folder).num_rows == 19


def test_a_resumed_run_redoes_only_the_damaged_parts_photos(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ("chelsea", "coffee", "astronaut")
    photos = []
    for name in names:
        photos.append(str(tmp_path / f"{name}.png"))
        Image.fromarray(getattr(data, name)()[::2, ::2]).save(photos[-1])
    manifest = tmp_path / "run.parquet"
    argv = ["explain", *photos, "--manifest", str(manifest), "--method", "gradcam"]
    assert cli.main([*argv, "--no-overlays"]) == 0
    capsys.readouterr()
    parts = list_parts(manifest)
    bad = parts[-1]
    redo = set(pa.parquet.read_table(bad).column("path").to_pylist())
    _damage(bad, "truncated")

    assert cli.main([*argv, "--out", str(tmp_path / "out")]) == 0
    out, err = capsys.readouterr()
    assert {line.split(": ")[0] for line in out.splitlines()} == redo
    assert f"scorecam: {bad}: damaged manifest part (" in err
    assert (manifest / DAMAGED / bad.name).exists()
    assert sorted(mf.read_manifest(manifest).column("path").to_pylist()) == sorted(photos)
