"""Batches of photos: folders, @lists, the Parquet manifest, resume, faults (engine and CLI)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from scorecam_gui.cli import main as cli
from scorecam_gui.engine.folders import manifest as mf
from scorecam_gui.engine.folders.paths import expand_paths

pa = pytest.importorskip("pyarrow")

FAST = ["--approximate", "8"]  # a real network on real photos, 8 maps each: seconds, not minutes


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """chelsea.png, no-suffix (a PNG by content), sub/coffee.jpg, bad.jpg, notes.txt, .hidden."""
    root = tmp_path_factory.mktemp("folder")
    (root / "sub").mkdir()
    Image.fromarray(data.chelsea()).save(root / "chelsea.png")
    Image.fromarray(data.coffee()).save(root / "sub" / "coffee.jpg", quality=95)
    Image.fromarray(data.astronaut()[::4, ::4]).save(root / "no-suffix", format="PNG")
    (root / "bad.jpg").write_bytes(b"\xff\xd8 this is not a JPEG")
    (root / "notes.txt").write_text("not a photo")
    (root / ".hidden.png").write_bytes(b"")
    return root


def test_expand_paths_folders_lists_and_content(folder: Path, tmp_path: Path) -> None:
    flat = expand_paths([str(folder)])
    assert [Path(p).name for p in flat.photos] == ["bad.jpg", "chelsea.png", "no-suffix"]
    assert flat.ignored == 1 and flat.problems == []  # notes.txt; .hidden.png is skipped
    deep = expand_paths([str(folder)], recursive=True)
    assert [Path(p).name for p in deep.photos] == [
        "bad.jpg", "chelsea.png", "no-suffix", "coffee.jpg"
    ]  # fmt: skip
    listing = tmp_path / "list.txt"
    listing.write_text(f"# photos\n\n{folder / 'chelsea.png'}\nrelative.png\n@{listing}\n")
    listed = expand_paths([f"@{listing}", str(folder / "chelsea.png")])
    assert listed.photos == [
        str(folder / "chelsea.png"), str(tmp_path / "relative.png"), str(folder / "chelsea.png")
    ]  # fmt: skip
    assert listed.problems == [(str(listing), "the list names itself")]
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = expand_paths([str(empty), "@nope.txt"])
    assert missing.photos == []
    assert missing.problems == [
        (str(empty), "no photos in this folder"), ("nope.txt", "list file not found")
    ]  # fmt: skip


def test_unreadable_folder_is_one_problem(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)).name == "sub":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    out = expand_paths([str(folder)], recursive=True)
    assert str(folder / "sub") not in {Path(p).parent for p in out.photos}
    assert out.problems == [(str(folder / "sub"), "cannot read folder (permission denied)")]


def test_manifest_schema_rows_and_resume(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "run.parquet"
    argv = ["explain", str(folder), "--recursive", "--manifest", str(manifest), *FAST]
    assert cli.main([*argv, "--no-overlays"]) == 1  # bad.jpg failed, the rest were done
    out, err = capsys.readouterr()
    assert f"scorecam: {folder / 'bad.jpg'}: not an image file (cannot identify image)" in err
    assert "scorecam: 1 file in the folders is not a photo: ignored" in err
    assert len(out.splitlines()) == 3 and "Traceback" not in err

    table = mf.read_manifest(manifest)
    assert table.schema.names == [
        "path", "sha256", "model", "layer", "method", "weighting", "fill", "target_index",
        "target_name", "target_probability", "target_logit", "contrast_index", "contrast_name",
        "top5", "maps_total", "maps_evaluated", "passes",
        "approximate", "approximate_maps", "stopped", "map_shape", "device",
        "precision", "precision_agreement", "backend", "seconds", "seconds_read",
        "seconds_classify", "seconds_map",
        "error", "version", "schema_version", "map", "options",
    ]  # fmt: skip
    assert table.schema.field("top5").type == pa.list_(
        pa.struct([("index", pa.int32()), ("name", pa.string()), ("probability", pa.float64()),
                   ("logit", pa.float64())])
    )  # fmt: skip
    assert table.schema.field("map").type == pa.binary()
    rows = {Path(r["path"]).name: r for r in table.to_pylist()}
    assert set(rows) == {"bad.jpg", "chelsea.png", "no-suffix", "coffee.jpg"}
    bad = rows.pop("bad.jpg")
    assert bad["error"] == "not an image file (cannot identify image)" and bad["map"] is None
    assert rows["chelsea.png"]["target_index"] in {281, 282, 285}
    assert rows["coffee.jpg"]["target_name"] == "espresso"
    for row in rows.values():
        assert row["error"] is None and row["model"] == "efficientnet_lite0"
        assert row["layer"] == "_head_act" and row["maps_total"] == 1280
        assert row["maps_evaluated"] <= 8 and len(row["top5"]) == 5
        saliency = mf.map_from_row(row)
        assert saliency.shape == (224, 224) and row["map_shape"] == [224, 224]
        assert saliency.min() == 0 and saliency.max() == pytest.approx(1, abs=1e-3)
        assert len(row["sha256"]) == 64
    # pyarrow alone reads the folder as one table: no temporary file is visible in it
    import pyarrow.parquet as pq

    assert pq.read_table(manifest).num_rows == 4
    assert not [p for p in manifest.iterdir() if p.name.startswith(".")]

    # Again: the three photos are skipped, the bad one is tried again (and fails again)
    assert cli.main([*argv, "--no-overlays"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and f"3 photos already in {manifest} with these settings: skipped" in err
    assert mf.read_manifest(manifest).num_rows == 4  # the newest row per photo
    assert mf.read_manifest(manifest, newest_only=False).num_rows == 5
    # Other settings are other work
    assert cli.main([*argv, "--no-overlays", "--fill", "mean"]) == 1
    capsys.readouterr()
    fills = mf.read_manifest(manifest).column("fill").to_pylist()
    assert fills.count("mean") == 4 and fills.count("black") == 4


def test_full_disk_keeps_the_manifest_consistent(
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real_replace = os.replace
    calls: list[str] = []

    def replace_once(src: str, dst: str) -> None:
        calls.append(str(dst))
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(mf.ManifestWriter, "__init__", _fast_writer_init(mf.ManifestWriter))
    monkeypatch.setattr(os, "replace", replace_once)
    manifest = tmp_path / "full.parquet"
    photos = [str(folder / "chelsea.png"), str(folder / "sub" / "coffee.jpg")]
    argv = ["explain", *photos, "--manifest", str(manifest), "--no-overlays", *FAST]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("disk full") == 1 and "Traceback" not in err, err
    monkeypatch.undo()
    table = mf.read_manifest(manifest)  # still readable, with what was written before
    assert table.column("path").to_pylist() == photos[:1]
    assert sorted(p.name.startswith("part-") for p in manifest.iterdir()) == [True]


def _fast_writer_init(cls: type[mf.ManifestWriter]) -> object:
    """ManifestWriter that writes every row at once (max_age 0), so the test needs no clock."""
    original = cls.__init__

    def init(
        self: mf.ManifestWriter, path: object, max_age: float = 1.0, kind: mf.Kind = mf.EXPLAIN
    ) -> None:
        original(self, path, max_age=0.0, kind=kind)  # type: ignore[arg-type]

    return init


def test_manifest_that_is_a_file_and_missing_pyarrow(
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = tmp_path / "old.parquet"
    file.write_text("keep me")
    photo = str(folder / "chelsea.png")
    assert cli.main(["explain", photo, "--manifest", str(file), "--no-overlays"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"scorecam: {file}: is a file; a manifest is a folder of Parquet parts "
                   "(give a new name)"]  # fmt: skip
    assert file.read_text() == "keep me"
    unused = tmp_path / "unused.parquet"
    argv = ["explain", photo, "--manifest", str(unused), "--no-overlays", "--model", "resnet19"]
    assert cli.main(argv) == 1
    assert "unknown network 'resnet19'" in capsys.readouterr().err
    assert not unused.exists()  # nothing was finished: no manifest folder either
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    manifest = tmp_path / "new.parquet"
    assert cli.main(["explain", photo, "--manifest", str(manifest), "--no-overlays"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "scorecam: pyarrow is not installed (needed for --manifest): "
        "pip install 'scorecam-gui[manifest]'"
    ]
    assert not manifest.exists()


def _parts(manifest: Path) -> int:
    return len(list(manifest.glob("part-*.parquet"))) if manifest.is_dir() else 0


def test_resume_after_a_run_killed_midway(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    # Twelve photos (flips of three), so that on a fast, quiet machine the run cannot finish
    # between the first part appearing and the kill.
    names = []
    for name in ("chelsea", "coffee", "rocket"):
        pixels = getattr(data, name)()
        for k, variant in enumerate((pixels, pixels[:, ::-1], pixels[::-1], pixels[::-1, ::-1])):
            names.append(f"{name}-{k}.png")
            Image.fromarray(np.ascontiguousarray(variant)).save(photos / names[-1])
    total = len(names)
    manifest = tmp_path / "killed.parquet"
    cmd = [
        sys.executable, "-m", "scorecam_gui.cli.main", "explain", str(photos), "--manifest",
        str(manifest), "--no-overlays", "--batch-size", "1", "--backend", "torch", *FAST,
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    try:
        while _parts(manifest) == 0 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    before = mf.read_manifest(manifest).column("path").to_pylist()
    assert 1 <= len(before) < total, "the run should have been killed midway"
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"{len(before)} photos already in {manifest}" in done.stderr
    assert len(done.stdout.splitlines()) == total - len(before)  # only the rest were explained
    after = mf.read_manifest(manifest, newest_only=False)
    assert sorted(Path(p).name for p in after.column("path").to_pylist()) == sorted(names)
    assert after.column("error").null_count == total


def test_reader_thread_gives_the_same_rows_as_reading_inline(folder: Path) -> None:
    from scorecam_gui.engine.folders.batch import Job, PhotoDone, open_job, run_local
    from scorecam_gui.engine.progress import run_to_end

    opened = open_job(Job(approximate=4))
    photos = expand_paths([str(folder)], recursive=True).photos
    rows = {}
    for prefetch in (0, 3):
        events: list[object] = []
        summary = run_to_end(run_local(opened, photos, prefetch=prefetch), events.append)
        assert (summary.explained, summary.failed) == (3, 1)
        done = [e for e in events if isinstance(e, PhotoDone)]
        rows[prefetch] = [(e.path, e.row["target_index"], e.row["map"]) for e in done]
    assert rows[0] == rows[3]  # same order, same classes, the same maps bit for bit


def test_closing_the_batch_stops_the_reader(folder: Path) -> None:
    import threading

    from scorecam_gui.engine.folders.batch import Job, MapsProgress, open_job, run_local

    opened = open_job(Job(approximate=8, batch_size=1))
    gen = run_local(opened, [str(folder / "chelsea.png")] * 5, prefetch=2)
    assert isinstance(next(gen), MapsProgress)
    gen.close()
    assert not [t for t in threading.enumerate() if t.name == "photo-reader"]
