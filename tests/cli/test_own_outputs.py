"""A folder run into its own folder (issue 36, item 2): the tool's overlays, maps and figures are
recognised by name and by the mark in the PNG, skipped and counted, never explained as photos."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from scorecam_gui.engine import atomicio
from scorecam_gui.engine.folders.paths import expand_paths
from tests.helpers.cli import run


def _photo(path: Path, name: str) -> Path:
    Image.fromarray(getattr(data, name)()).save(path)
    return path


def test_saved_pngs_carry_the_mark_and_photos_do_not(tmp_path: Path) -> None:
    marked = atomicio.save_png(tmp_path / "a.png", np.zeros((4, 4, 3), np.uint8), "overlay")
    with Image.open(marked) as img:
        assert atomicio.output_mark(img) == "overlay"
        assert img.info["Software"] == "Score-CAM Studio"
    with Image.open(_photo(tmp_path / "b.png", "coffee")) as img:
        assert atomicio.output_mark(img) is None


def test_outputs_are_known_by_name_and_by_mark_and_counted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    photos = [_photo(tmp_path / "cat.png", "chelsea"), _photo(tmp_path / "cup.jpg", "coffee")]
    pixels = np.zeros((8, 8, 3), np.uint8)
    Image.fromarray(pixels).save(tmp_path / "cat-overlay.png")  # by name only
    Image.fromarray(pixels).save(tmp_path / "cat-gradcam-figure.png")  # a method in the name
    Image.fromarray(pixels).save(tmp_path / "cup_overlay.png")  # the window's export
    np.save(tmp_path / "cat-scorecam-map.npy", np.zeros((4, 4), np.float32))
    atomicio.save_png(tmp_path / "renamed.png", pixels, "overlay")  # by mark only
    (tmp_path / "notes.txt").write_text("not a photo")

    with caplog.at_level(logging.WARNING):
        found = expand_paths([str(tmp_path)])

    assert found.photos == [str(p) for p in photos]
    assert (found.outputs, found.ignored, found.problems) == (5, 1, [])
    lines = [r.getMessage() for r in caplog.records if "own outputs" in r.getMessage()]
    assert len(lines) == 1 and lines[0].startswith("5 files") and "\n" not in lines[0]
    # A file named on purpose is explained, whatever it is.
    assert expand_paths([str(tmp_path / "renamed.png")]).photos == [str(tmp_path / "renamed.png")]


def test_a_folder_run_into_its_own_folder_twice_explains_exactly_the_photos(
    tmp_path: Path,
) -> None:
    """`cd photos; scorecam explain .` twice (the issue's words), with --figure."""
    _photo(tmp_path / "p1.png", "chelsea")
    _photo(tmp_path / "p2.jpg", "coffee")
    args = ("explain", ".", "--method", "gradcam", "--figure")

    first = run(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    after_first = sorted(p.name for p in tmp_path.iterdir())
    assert len(after_first) == 2 + 2 * 3  # each photo: overlay, map, figure

    second = run(*args, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    explained = sorted(Path(line.split(":")[0]).name for line in second.stdout.splitlines())
    assert explained == ["p1.png", "p2.jpg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == after_first  # nothing new
    assert "scorecam: 6 files in the folders are Score-CAM Studio's own outputs" in second.stderr
