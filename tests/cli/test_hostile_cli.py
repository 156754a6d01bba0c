"""Hostile and clumsy use of `scorecam explain` (issue 24): resumed runs that must not lose a
photo's files, write-protected outputs, two runs on one manifest, Ctrl+C, odd file names, NaN
weights and usage errors. Real network (the bundled EfficientNet-Lite0), real photos."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from skimage import data

from scorecam_gui.cli import main as cli
from scorecam_gui.engine import atomicio

FAST = ["--approximate", "8"]  # a real network on real photos, 8 maps each: seconds
ROOT = Path(__file__).resolve().parents[1]


def _photo(path: Path, name: str = "chelsea", flip: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = getattr(data, name)()
    Image.fromarray(np.ascontiguousarray(pixels[:, ::-1] if flip else pixels)).save(path)
    return path


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# -- resume: each photo keeps its own files and row -----------------------------------------------
def test_resume_never_gives_a_new_photo_the_files_of_a_finished_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyarrow")
    from scorecam_gui.engine.folders import manifest as mf

    x = _photo(tmp_path / "x" / "cat.png")
    manifest, out = tmp_path / "run.parquet", tmp_path / "out"
    common = ["--manifest", str(manifest), "--out", str(out), *FAST]
    assert cli.main(["explain", str(x), *common]) == 0
    capsys.readouterr()
    first = (out / "cat-scorecam-paper-overlay.png").read_bytes()
    first_map = np.load(out / "cat-scorecam-paper-map.npy")

    # Another photo with the same stem, and a copy of the finished photo at another path.
    y = _photo(tmp_path / "y" / "cat.png", "coffee")
    z = tmp_path / "z" / "copy.png"
    z.parent.mkdir()
    shutil.copyfile(x, z)
    assert cli.main(["explain", str(y), str(x), str(z), *common]) == 0
    printed, err = capsys.readouterr()
    assert f"1 photo already in {manifest} with these settings: skipped" in err
    assert len(_lines(printed)) == 2, printed  # y and the copy were explained, x was not
    assert (out / "cat-scorecam-paper-overlay.png").read_bytes() == first  # x's files are untouched
    np.testing.assert_array_equal(np.load(out / "cat-scorecam-paper-map.npy"), first_map)
    assert f"{y}: espresso" in printed and str(out / "cat-2-scorecam-paper-overlay.png") in printed
    assert (out / "cat-2-scorecam-paper-map.npy").is_file() and (
        out / "copy-scorecam-paper-overlay.png"
    ).is_file()
    rows = mf.read_manifest(manifest).to_pylist()
    assert sorted(Path(r["path"]).relative_to(tmp_path).as_posix() for r in rows) == [
        "x/cat.png", "y/cat.png", "z/copy.png"
    ]  # fmt: skip

    # A photo moved (its old path gone) is still recognised: nothing to do.
    moved = tmp_path / "w" / "kitten.png"
    moved.parent.mkdir()
    y.rename(moved)
    assert cli.main(["explain", str(x), str(moved), str(z), *common]) == 0
    printed, err = capsys.readouterr()
    assert printed == "" and f"3 photos already in {manifest}" in err


# -- write-protected outputs ---------------------------------------------------------------------
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_a_write_protected_output_is_refused_for_that_photo_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cat = _photo(tmp_path / "cat.png")
    cup = _photo(tmp_path / "cup.png", "coffee")
    out = tmp_path / "out"
    out.mkdir()
    protected = out / "cat-scorecam-paper-overlay.png"
    protected.write_bytes(b"the user's own picture")
    protected.chmod(0o444)
    kept = out / "cup-scorecam-paper-map.npy"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    assert cli.main(["explain", str(cat), str(cup), "--out", str(out), *FAST]) == 1
    printed, err = capsys.readouterr()
    assert _lines(err) == [
        f"scorecam: {cat}: Could not write {protected}: the file is write-protected: not "
        "replaced (make it writable, or remove it)."
    ]
    assert protected.read_bytes() == b"the user's own picture"
    assert stat.S_IMODE(protected.stat().st_mode) == 0o444
    assert not (out / "cat-scorecam-paper-map.npy").exists()  # both files or neither
    assert len(_lines(printed)) == 1 and str(cup) in printed  # the other photo was done
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640  # a replaced file keeps its mode
    made = stat.S_IMODE((out / "cup-scorecam-paper-overlay.png").stat().st_mode)
    assert made & stat.S_IWUSR and made & stat.S_IRUSR  # a new file is never read-only


def test_atomic_writes_refuse_read_only_targets_and_never_make_one(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    atomicio.save_text(target, "one")
    target.chmod(0o444)
    with pytest.raises(atomicio.ExportError, match="write-protected: not replaced"):
        atomicio.save_text(target, "two")
    assert target.read_text() == "one"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]  # no temporary file left
    target.chmod(0o644)
    atomicio.save_text(target, "three")
    assert target.read_text() == "three" and stat.S_IMODE(target.stat().st_mode) == 0o644


# -- two runs on one manifest --------------------------------------------------------------------
@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_second_run_on_a_manifest_in_use_says_so_and_computes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyarrow")
    from scorecam_gui.engine.folders import manifest as mf

    cat = _photo(tmp_path / "cat.png")
    manifest = tmp_path / "shared.parquet"
    holder = mf.ManifestWriter(manifest)  # another run, working
    try:
        code = cli.main(["explain", str(cat), "--manifest", str(manifest), "--no-overlays"])
        printed, err = capsys.readouterr()
        assert code == 1 and printed == ""
        assert _lines(err) == [
            f"scorecam: {manifest}: another scorecam run is using this manifest now: wait for "
            "it to end, or give another --manifest"
        ]
    finally:
        holder.close()
    # Once it is done, the next run goes ahead.
    argv = ["explain", str(cat), "--manifest", str(manifest), "--no-overlays", *FAST]
    assert cli.main(argv) == 0
    assert mf.read_manifest(manifest).num_rows == 1


# -- Ctrl+C --------------------------------------------------------------------------------------
def test_ctrl_c_while_a_part_is_written_keeps_every_finished_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyarrow")
    from scorecam_gui.engine.folders import manifest as mf

    photos = [_photo(tmp_path / "cat.png"), _photo(tmp_path / "cup.png", "coffee")]
    manifest = tmp_path / "run.parquet"
    real = atomicio.atomic_write
    calls: list[Path] = []

    def interrupted_once(path: object, write: object) -> Path:
        calls.append(Path(str(path)))
        if len(calls) == 1:  # Ctrl+C in the middle of the first part
            raise KeyboardInterrupt
        return real(path, write)  # type: ignore[arg-type]

    monkeypatch.setattr(mf.atomicio, "atomic_write", interrupted_once)
    argv = ["explain", *map(str, photos), "--manifest", str(manifest), "--no-overlays", *FAST]
    assert cli.main([*argv, "--json"]) == 130
    printed, err = capsys.readouterr()
    assert _lines(err) == ["scorecam: interrupted"]
    done = len(_lines(printed))
    assert done >= 1
    monkeypatch.undo()
    assert mf.read_manifest(manifest).num_rows == done  # every photo printed has its row


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT")
def test_sigint_during_a_folder_run_exits_130_with_the_finished_rows(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from scorecam_gui.engine.folders import manifest as mf

    # Twelve photos (two sizes of each of three photos, each also flipped), so that on a quiet
    # machine the run cannot finish between the first part appearing and the signal.
    folder = tmp_path / "photos"
    total = 0
    for name in ("chelsea", "coffee", "rocket"):
        for flip in (False, True):
            for half in (False, True):
                path = _photo(folder / f"{name}-{int(flip)}-{int(half)}.png", name, flip)
                if half:
                    with Image.open(path) as image:
                        image.resize((image.width // 2, image.height // 2)).save(path)
                total += 1
    manifest = tmp_path / "run.parquet"
    # torch's passes: OpenVINO's can finish all six photos before the signal.
    cmd = [
        sys.executable, "-m", "scorecam_gui.cli.main", "explain", str(folder), "--manifest",
        str(manifest), "--no-overlays", "--batch-size", "1", "--backend", "torch", *FAST,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if manifest.is_dir() and list(manifest.glob("part-*.parquet")):
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    printed, err = proc.communicate(timeout=300)
    if proc.returncode == 0:
        pytest.skip("the run ended before Ctrl+C reached it")
    assert proc.returncode == 130, err
    assert _lines(err)[-1] == "scorecam: interrupted" and "Traceback" not in err
    rows = mf.read_manifest(manifest).column("path").to_pylist()
    assert sorted(rows) == sorted(line.split(": ")[0] for line in _lines(printed))
    assert 1 <= len(rows) < total


# -- names and numbers that must not reach the terminal raw --------------------------------------
@pytest.mark.skipif(sys.platform == "win32", reason="such names are not allowed there")
def test_a_file_name_with_a_newline_or_esc_stays_one_harmless_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad\nname\x1b[31m\r.png"
    bad.write_bytes(b"not a picture")
    assert cli.main(["explain", str(bad), "--out", str(tmp_path), *FAST]) == 1
    printed, err = capsys.readouterr()
    assert printed == ""
    assert err.count("\n") == 1 and "\x1b" not in err and "\r" not in err
    assert "bad\\nname\\x1b[31m\\r.png: not an image file" in err


def test_nan_weights_fail_in_one_line_and_print_no_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from torchvision.models import squeezenet1_1

    state = squeezenet1_1(weights=None).state_dict()
    state["classifier.1.weight"][0, 0] = float("nan")
    weights = tmp_path / "nan.pth"
    torch.save(state, weights)
    cat = _photo(tmp_path / "cat.png")
    argv = ["explain", str(cat), "--model", "squeezenet1_1", "--weights", str(weights), "--json"]
    assert cli.main([*argv, "--out", str(tmp_path / "out"), *FAST]) == 1
    printed, err = capsys.readouterr()
    assert printed == "" and _lines(err) == [
        "scorecam: Could not load weights from nan.pth: the weights hold NaN or infinite values "
        "(in classifier.1.weight)."
    ]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--colormap", "rainbow"], "unknown colour map 'rainbow': use jet, turbo, viridis"),
        (["--batch-size", "1000000000"], "'1000000000' must be between 1 and 4096"),
        (["--mean", "nan,0.4,0.4"], "'nan,0.4,0.4' is not three numbers"),
        (["--std", "0.2,0,0.2"], "a standard deviation must be above 0"),
    ],
)
def test_options_out_of_reach_are_usage_errors(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["explain", "photo.png", *args])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_a_window_too_large_for_a_screenshot_is_a_usage_error(tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    proc = subprocess.run(
        [sys.executable, "-m", "scorecam_gui.gui.startup.main", "--window-size", "100000x100000",
         "--screenshot", str(shot)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "too large: at most 8192 pixels a side" in proc.stderr
    assert "Traceback" not in proc.stderr and not shot.exists()
