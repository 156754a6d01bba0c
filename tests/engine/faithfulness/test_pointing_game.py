"""The grid pointing game: hand-made maps on known grids, the choice of photos with the bundled
EfficientNet-Lite0 on real photos (scikit-image, CC0), a real game, and the command line."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from scorecam_gui.cli.main import main
from scorecam_gui.cli.protocols import GRID_HEADER
from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.faithfulness.pointing_game import (
    arrange_grids,
    bootstrap_mean,
    cell_box,
    localisation,
    run_grid_game,
    select_photos,
    tile_grid,
)
from scorecam_gui.engine.models.registry import load_network
from scorecam_gui.engine.progress import run_to_end

# A late layer with 320 maps instead of the head's 1280: Score-CAM four times faster.
SMALL_LAYER = "_blocks.15"


def skimage_photo(name: str) -> np.ndarray:
    return np.asarray(Image.open(Path(data.__file__).parent / name).convert("RGB"))


# Lite0's top classes here: chelsea Egyptian cat 0.79, coffee espresso 0.90, camera tripod 0.94,
# page pill bottle 0.65, both motorcycles moped about 0.49, astronaut bobsled 0.29.
PHOTOS = ("chelsea.png", "coffee.png", "camera.png", "page.png")


def test_localisation_of_a_hand_made_map() -> None:
    s = np.zeros((224, 224), np.float32)
    s[:112, 112:] = 3.0  # top right: cell 1 of a 2 x 2 grid
    s[112:, :112] = 1.0  # bottom left: cell 2
    assert localisation(s, 2, 1) == pytest.approx(0.75)
    assert localisation(s, 2, 2) == pytest.approx(0.25)
    assert localisation(s, 2, 0) == 0.0 and localisation(s, 2, 3) == 0.0
    # Negative values are not evidence: only the positive mass counts.
    s[:112, :112] = -5.0
    assert localisation(s, 2, 1) == pytest.approx(0.75)
    assert localisation(np.zeros((224, 224)), 2, 0) == 0.0  # a map that points nowhere
    # 3 x 3 on 224 pixels: edges at 0, 75, 149, 224 (pixel centres), one peak in the centre.
    peak = np.zeros((224, 224))
    peak[75:149, 75:149] = 1.0
    assert localisation(peak, 3, 4) == 1.0
    assert localisation(np.ones((224, 224)), 3, 4) == pytest.approx(74 * 74 / 224**2)


@pytest.mark.parametrize("n", [2, 3, 4, 5, 7])
def test_cells_cover_every_pixel_once(n: int) -> None:
    cover = np.zeros((224, 224), int)
    for cell in range(n * n):
        y0, y1, x0, x1 = cell_box(224, n, cell)
        cover[y0:y1, x0:x1] += 1
    assert (cover == 1).all()
    with pytest.raises(ValueError):
        cell_box(224, n, n * n)


def test_tiles_and_arrangements() -> None:
    cells = [np.full((4, 4, 3), i, np.uint8) for i in range(4)]
    grid = tile_grid(cells, 2)
    assert grid.shape == (8, 8, 3)
    assert grid[0, 0, 0] == 0 and grid[0, 7, 0] == 1 and grid[7, 0, 0] == 2 and grid[7, 7, 0] == 3
    grids = arrange_grids(6, 2, 5, seed=3)
    assert grids == arrange_grids(6, 2, 5, seed=3) != arrange_grids(6, 2, 5, seed=4)
    for g in grids:
        assert len(g) == 4 and len(set(g)) == 4 and all(0 <= i < 6 for i in g)
    with pytest.raises(ValueError, match="needs 9 photos"):
        arrange_grids(8, 3, 1, seed=0)


def test_bootstrap_interval() -> None:
    assert bootstrap_mean([0.5] * 10).low == pytest.approx(0.5)
    values = np.random.default_rng(1).random(40)
    a, b = bootstrap_mean(values, seed=2), bootstrap_mean(values, seed=2)
    assert a == b and a.count == 40
    assert a.low < a.mean < a.high and a.mean == pytest.approx(values.mean())
    # About two standard errors either side.
    se = values.std(ddof=1) / np.sqrt(40)
    assert a.high - a.low == pytest.approx(2 * 1.96 * se, rel=0.25)
    assert np.isnan(bootstrap_mean([]).mean)


@pytest.fixture(scope="module")
def explainer() -> Explainer:
    return Explainer(load_network(), device="cpu", precision="fp32")


def test_only_confident_distinct_classes_take_part(explainer: Explainer) -> None:
    names = [*PHOTOS, "astronaut.png", "motorcycle_left.png", "motorcycle_right.png"]
    photos = [(n, skimage_photo(n)) for n in names]
    chosen, skipped = select_photos(explainer, photos, min_confidence=0.45)
    classes = [p.prediction.index for p in chosen]
    assert len(set(classes)) == len(classes)  # distinct
    assert all(p.prediction.probability >= 0.45 for p in chosen)
    assert {p.label for p in chosen} >= set(PHOTOS)
    reasons = {s.label: s.reason for s in skipped}
    assert "below the 0.45" in reasons["astronaut.png"]
    # Both motorcycles are mopeds: exactly one stays, the other is skipped as a repeat.
    motorcycles = [n for n in names if n.startswith("motorcycle")]
    assert sum(n in reasons for n in motorcycles) == 1
    assert any("same top class, moped" in reasons.get(n, "") for n in motorcycles)
    assert len(chosen) + len(skipped) == len(names)


def test_a_real_game_beats_chance(explainer: Explainer) -> None:
    chosen, _ = select_photos(explainer, [(n, skimage_photo(n)) for n in PHOTOS])
    gen = run_grid_game(
        explainer, chosen, n=2, grids=1, seed=0, methods=("gradcam", "noise"), layer=SMALL_LAYER
    )
    game = run_to_end(gen)
    assert [(s.method, s.cell) for s in game.scores] == [
        (m, c) for c in range(4) for m in ("gradcam", "noise")
    ]
    assert game.images[0].shape == (224, 224, 3)
    # Each cell is explained for its own photo's class.
    order = game.arrangements[0]
    for s in game.scores:
        assert s.photo == chosen[order[s.cell]].label
        assert s.class_index == chosen[order[s.cell]].prediction.index
    noise = game.summary("noise")
    assert noise.mean == pytest.approx(0.25, abs=0.01)  # chance: 1/N²
    assert game.summary("gradcam").mean > noise.mean + 0.2


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in [*PHOTOS, "astronaut.png"]:
        Image.fromarray(skimage_photo(name)).save(folder / name)
    out = tmp_path / "grid.csv"
    common = ["--device", "cpu", "--precision", "fp32", "--layer", SMALL_LAYER]
    args = ["evaluate", str(folder), "--grid", "2", "--grids", "2", "--methods", "gradcam,noise"]
    assert main([*args, *common, "--seed", "1", "--out", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert f"skipped {folder / 'astronaut.png'}: its top class, bobsled" in stdout
    header, rows = read_rows(out)
    assert header == list(GRID_HEADER)
    assert len(rows) == 2 * 4 * 2  # grids x cells x methods
    assert {r["method"] for r in rows} == {"gradcam", "noise"}
    assert {r["grid"] for r in rows} == {"0", "1"} and {r["cell"] for r in rows} == set("0123")
    assert all(0 <= float(r["localisation"]) <= 1 and r["chance"] == "0.250000" for r in rows)
    assert all(r["cell_pixels"] == "112" and r["seed"] == "1" for r in rows)
    summary = {line.split()[0]: line.split() for line in stdout.splitlines() if line}
    assert summary["noise"][1] == "8" and float(summary["noise"][2]) == pytest.approx(
        0.25, abs=0.02
    )

    # Too few photos: one line, exit 1, no file.
    few = tmp_path / "few.csv"
    rc = main(["evaluate", str(folder / "coffee.png"), "--grid", "2", *common, "--out", str(few)])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 1 and not few.exists()
    assert err == [
        "scorecam: a 2 x 2 grid needs 4 photos of confident, distinct classes; 1 qualify "
        "(at least 0.50, --min-confidence)"
    ]
    # A target makes no sense in a grid: a usage error.
    assert main(["evaluate", str(folder), "--grid", "2", "--target", "281", *common]) == 2
