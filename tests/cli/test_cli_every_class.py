"""The command line's classes from one run: --target several times, --contrast, --top-k."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from scorecam_gui.cli import main as cli

EGYPTIAN_CAT, TIGER_CAT, TABBY = 285, 282, 281
FAST = ["--approximate", "48", "--precision", "fp32"]  # the same arithmetic, fewer passes


@pytest.fixture(scope="module")
def chelsea(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("photos") / "chelsea.png"
    Image.fromarray(data.chelsea()).save(path)
    return path


def explain(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict]:
    code = cli.main(["explain", *argv, "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return [json.loads(line) for line in out.strip().splitlines()]


def test_several_targets_one_run(chelsea: Path, tmp_path: Path, capsys) -> None:
    targets = [EGYPTIAN_CAT, TIGER_CAT, TABBY]
    argv = [str(chelsea), *FAST, "--out", str(tmp_path / "all")]
    for t in targets:
        argv += ["--target", str(t)]
    records = explain(capsys, *argv)
    assert [r["target_index"] for r in records] == targets
    for record in records:
        alone = explain(
            capsys, str(chelsea), *FAST, "--target", str(record["target_index"]),
            "--out", str(tmp_path / str(record["target_index"])),
        )  # fmt: skip
        assert len(alone) == 1
        got = np.load(record["outputs"]["map"])
        want = np.load(alone[0]["outputs"]["map"])
        assert np.abs(got - want).max() <= 1e-5
        assert f"-{record['target_index']}-" in Path(record["outputs"]["overlay"]).name
        assert Path(record["outputs"]["overlay"]).is_file()


def test_contrast_and_top_k(chelsea: Path, tmp_path: Path, capsys) -> None:
    (record,) = explain(
        capsys, str(chelsea), *FAST, "--contrast", "tiger cat", "--out", str(tmp_path)
    )
    assert (record["target_index"], record["contrast_index"]) == (EGYPTIAN_CAT, TIGER_CAT)
    assert record["contrast_name"] == "tiger cat"
    assert (
        Path(record["outputs"]["map"]).name == f"chelsea-scorecam-paper-285-vs-{TIGER_CAT}-map.npy"
    )
    top = explain(capsys, str(chelsea), *FAST, "--top-k", "3", "--out", str(tmp_path / "top"))
    assert [r["target_index"] for r in top] == [EGYPTIAN_CAT, TIGER_CAT, TABBY]
    # a gradient method's contrast: the gradient of the difference
    (grad,) = explain(
        capsys, str(chelsea), "--method", "gradcam", "--contrast", str(TIGER_CAT),
        "--out", str(tmp_path / "g"),
    )  # fmt: skip
    assert grad["contrast_index"] == TIGER_CAT and grad["method"] == "gradcam"


def test_a_method_without_a_contrast_says_so(chelsea: Path, tmp_path: Path, capsys) -> None:
    code = cli.main(
        ["explain", str(chelsea), "--method", "eigencam", "--contrast", "1", "--out", str(tmp_path)]
    )
    err = capsys.readouterr().err
    assert code != 0 and "eigencam cannot explain one class against another" in err


def test_a_second_method_keeps_the_first_methods_files(chelsea: Path, tmp_path: Path, capsys):
    """Issue 36: `explain cat.png` then `explain cat.png --method gradcam` into one folder replaced
    cat-overlay.png and cat-map.npy without a word; the method is now in every name."""
    (first,) = explain(capsys, str(chelsea), *FAST, "--out", str(tmp_path))
    kept = Path(first["outputs"]["map"]).read_bytes()
    (second,) = explain(capsys, str(chelsea), "--method", "gradcam", "--out", str(tmp_path))
    assert first["outputs"]["map"] != second["outputs"]["map"]
    assert Path(first["outputs"]["map"]).read_bytes() == kept  # untouched
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "chelsea-gradcam-map.npy",
        "chelsea-gradcam-overlay.png",
        "chelsea-scorecam-paper-map.npy",
        "chelsea-scorecam-paper-overlay.png",
    ]
