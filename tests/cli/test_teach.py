"""`scorecam teach` as a user runs it, then `scorecam explain --weights --labels` with what it
wrote, each in a fresh interpreter; and the one-line errors for folders it cannot teach from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from scorecam_gui.cli import main as cli
from tests.helpers.cli import run
from tests.helpers.teach_photos import make_folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_folder(tmp_path_factory.mktemp("classes"), per_class=12, marked=True)


def test_teach_then_explain_with_what_it_wrote(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.pth"
    maps = tmp_path / "maps"
    proc = run("teach", str(folder), "--out", str(out), "--approximate", "16", "--maps", str(maps))
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "24 photos: 18 to learn from, 6 held out (seed 0)" in text
    assert "Held-out accuracy: " in text and "Confusion" in text
    assert "  marked  " in text and "  plain  " in text
    assert "Shortcut check (scorecam-paper on the 6 held-out photos" in text
    assert f"scorecam explain PHOTO --weights {out} --labels {tmp_path / 'mine.txt'}" in text
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "marked\nplain\n"
    assert torch.load(out, weights_only=True)["_fc.weight"].shape == (2, 1280)
    assert sorted(p.name for p in maps.iterdir()) == [
        "average-00-marked.png",
        "average-01-plain.png",
    ]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]

    photo = folder / "marked" / "marked-000.png"
    explained = run(
        "explain", str(photo), "--weights", str(out), "--labels", str(tmp_path / "mine.txt"),
        "--approximate", "16", "--json", "--out", str(tmp_path / "maps-out"),
    )  # fmt: skip
    assert explained.returncode == 0, explained.stderr
    record = json.loads(explained.stdout)
    assert record["target_name"] in {"marked", "plain"} and len(record["top5"]) == 2
    assert record["maps_total"] == 1280


def test_several_folders_are_one_class_each(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "two.pth"
    argv = ["teach", str(folder / "plain"), str(folder / "marked"), "--out", str(out)]
    assert cli.main([*argv, "--no-check", "--seed", "3"]) == 0
    assert (tmp_path / "two.txt").read_text(encoding="utf-8") == "plain\nmarked\n"


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


def test_folders_it_cannot_teach_from_are_one_line_each(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "m.pth")
    one = tmp_path / "one"
    (one / "cats").mkdir(parents=True)
    assert cli.main(["teach", str(one), "--out", out]) == 1
    assert "holds only one class folder (cats); teaching needs at least 2" in _one_line(capsys)

    (one / "dogs").mkdir()
    assert cli.main(["teach", str(one), "--out", out]) == 1
    assert _one_line(capsys).endswith("cats: the class cats holds no photos")
    few = tmp_path / "few"
    make_folder(few, per_class=3)
    assert cli.main(["teach", str(few), "--out", out]) == 1
    assert "holds 3 photos; a class needs at least 4" in _one_line(capsys)

    assert cli.main(["teach", str(tmp_path / "nowhere"), "--out", out]) == 1
    assert "nowhere: folder not found" in _one_line(capsys)

    assert cli.main(["teach", str(folder), "--out", str(tmp_path / "no" / "m.pth")]) == 1
    assert "folder does not exist" in _one_line(capsys)

    assert cli.main(["teach", str(folder), "--out", str(tmp_path)]) == 1
    assert "it is a folder (name the model file" in _one_line(capsys)

    assert cli.main(["teach", str(folder), str(folder / "plain"), "--out", out]) == 1
    assert "plain-000.png: in two classes" in _one_line(capsys)

    assert cli.main(["teach", str(folder / "plain"), str(folder / "plain"), "--out", out]) == 1
    assert _one_line(capsys).endswith("two classes have the same name: plain")

    assert cli.main(["teach", str(folder), "--out", out, "--model", "net.onnx"]) == 1
    assert "net.onnx: a model file cannot be taught" in _one_line(capsys)

    assert cli.main(["teach", str(folder), "--out", str(tmp_path / "m.txt")]) == 2
    assert "--out must name the model file" in _one_line(capsys)
    assert not list(tmp_path.glob("m.*"))


def test_a_photo_that_cannot_be_read_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_folder(tmp_path / "data", per_class=4)
    broken = root / "plain" / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff not really a JPEG")
    assert cli.main(["teach", str(root), "--out", str(tmp_path / "m.pth")]) == 1
    line = _one_line(capsys)
    assert "broken.jpg" in line and "remove it or replace it" in line
