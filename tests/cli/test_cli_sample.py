"""`scorecam sample`: the photo that ships, written where the README's tour can use it."""

from __future__ import annotations

from pathlib import Path

from scorecam_gui.appdata import sample_photo_path
from scorecam_gui.cli import main as cli


def test_writes_chelsea_and_prints_its_path(tmp_path: Path, capsys) -> None:
    assert cli.main(["sample", str(tmp_path)]) == 0
    written = tmp_path / "chelsea.png"
    assert capsys.readouterr().out.strip() == str(written)
    assert written.read_bytes() == sample_photo_path().read_bytes()
    assert cli.main(["sample", str(tmp_path)]) == 0  # again: the same file is there already


def test_never_replaces_another_file_and_needs_a_folder(tmp_path: Path, capsys) -> None:
    (tmp_path / "chelsea.png").write_text("my own")
    assert cli.main(["sample", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not replaced" in err[0] and "chelsea.png" in err[0]
    assert (tmp_path / "chelsea.png").read_text() == "my own"
    assert cli.main(["sample", str(tmp_path / "missing")]) == 1
    assert "is not a folder" in capsys.readouterr().err
