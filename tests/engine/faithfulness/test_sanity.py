"""Cascading randomisation: our SSIM and Spearman against scikit-image's and SciPy's, the layers
re-initialised from the top down (exactly those), the caller's network untouched, and the
command line."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from scipy.stats import spearmanr
from skimage import data
from skimage.metrics import structural_similarity

from scorecam_gui.cli.main import main
from scorecam_gui.cli.protocols import SANITY_HEADER
from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.faithfulness.sanity import (
    layer_groups,
    randomise_group,
    run_sanity,
    spearman,
    spread_checkpoints,
    ssim,
)
from scorecam_gui.engine.models.registry import load_network
from scorecam_gui.engine.progress import run_to_end

CATS = {281, 282, 285}


def _maps() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:224, 0:224] / 224.0
    blob = np.exp(-((xx - 0.4) ** 2 + (yy - 0.5) ** 2) / 0.02)
    moved = np.exp(-((xx - 0.6) ** 2 + (yy - 0.45) ** 2) / 0.03)
    flat_top = np.clip(2 * blob - 0.5, 0, 1)  # ReLU'd: many tied zeros
    return [
        (rng.random((224, 224)), rng.random((224, 224))),
        (blob, moved),
        (blob, np.clip(blob + 0.05 * rng.standard_normal(blob.shape), 0, 1)),
        (flat_top, moved),
        (rng.random((31, 40)), rng.random((31, 40))),
    ]


@pytest.mark.parametrize("pair", range(5))
def test_ssim_and_spearman_agree_with_skimage_and_scipy(pair: int) -> None:
    a, b = _maps()[pair]
    assert ssim(a, b) == pytest.approx(structural_similarity(a, b, data_range=1.0), abs=1e-9)
    assert spearman(a, b) == pytest.approx(spearmanr(a.ravel(), b.ravel()).statistic, abs=1e-9)
    assert ssim(a, a) == pytest.approx(1.0) and spearman(a, a) == pytest.approx(1.0)


def test_a_flat_map_has_no_rank_correlation() -> None:
    assert np.isnan(spearman(np.zeros((8, 8)), np.random.default_rng(0).random((8, 8))))


def test_checkpoints_spread() -> None:
    assert spread_checkpoints(21, None) == list(range(1, 22))
    assert spread_checkpoints(21, 3) == [1, 11, 21]
    assert spread_checkpoints(21, 1) == [21]
    assert spread_checkpoints(4, 9) == [1, 2, 3, 4]


@pytest.fixture(scope="module")
def explainer() -> Explainer:
    return Explainer(load_network(), device="cpu", precision="fp32")


def test_layer_groups_run_from_the_logits_down(explainer: Explainer) -> None:
    groups = layer_groups(explainer.network)
    names = [g.name for g in groups]
    assert names[:4] == ["_fc", "_bn1", "_conv_head", "_blocks.15"]
    assert names[-3:] == ["_blocks.0", "_bn0", "_conv_stem"]
    assert len(names) == 21 and len(set(names)) == 21
    # Every parameter belongs to exactly one group.
    owned = [
        f"{m}.{p}"
        for g in groups
        for m in g.modules
        for p, _ in explainer.network.model.get_submodule(m).named_parameters(recurse=False)
    ]
    assert sorted(owned) == sorted(n for n, _ in explainer.network.model.named_parameters())
    resnet = layer_groups(load_network("resnet18", random_init=True))
    assert [g.name for g in resnet][:3] == ["fc", "layer4.1", "layer4.0"]


def test_randomisation_changes_exactly_the_groups_it_names(explainer: Explainer) -> None:
    import copy

    net = copy.deepcopy(explainer.network)
    model = net.model
    before = {k: v.clone() for k, v in model.state_dict().items()}
    groups = layer_groups(net)
    owner = {
        f"{m}.{k}": i
        for i, g in enumerate(groups)
        for m in g.modules
        for k, _ in model.get_submodule(m).state_dict().items()
    }
    for step in range(4):  # _fc, _bn1, _conv_head, _blocks.15: cumulatively, top down
        randomise_group(model, groups[step], seed=step)
        for key, value in model.state_dict().items():
            if key.endswith("num_batches_tracked"):
                continue
            changed = not torch.equal(value, before[key])
            assert changed == (owner.get(key, 99) <= step), (step, key)


def test_the_check_on_a_real_photo(explainer: Explainer) -> None:
    state = {k: v.clone() for k, v in explainer.network.model.state_dict().items()}
    groups = layer_groups(explainer.network)
    gen = run_sanity(
        explainer,
        Image.fromarray(data.chelsea()),
        methods=("gradcam", "noise"),
        layer="_blocks.15",
        checkpoints=[1, len(groups)],
    )
    result = run_to_end(gen)
    assert result.target.index in CATS
    assert [s.randomised for s in result.steps] == [0, 1, len(groups)]
    assert [s.group for s in result.steps] == ["", "_fc", "_conv_stem"]
    first = result.steps[0]
    assert first.spearman["gradcam"] == pytest.approx(1.0) and first.ssim["gradcam"] == 1.0
    # Noise ignores the network: its map never changes (what failing the check looks like).
    assert all(s.spearman["noise"] == pytest.approx(1.0) for s in result.steps)
    # Grad-CAM depends on the weights: with every layer random, its map is another map.
    last = result.steps[-1]
    assert not np.array_equal(last.maps["gradcam"], first.maps["gradcam"])
    assert np.isnan(last.spearman["gradcam"]) or last.spearman["gradcam"] < 0.9
    # The caller's network was never touched.
    after = explainer.network.model.state_dict()
    assert all(torch.equal(after[k], v) for k, v in state.items())


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photo = tmp_path / "chelsea.png"
    Image.fromarray(data.chelsea()).save(photo)
    out = tmp_path / "sanity.csv"
    args = ["evaluate", str(photo), "--sanity", "--sanity-steps", "2", "--methods", "gradcam,noise"]
    common = ["--device", "cpu", "--precision", "fp32", "--layer", "_blocks.15"]
    assert main([*args, *common, "--out", str(out)]) == 0
    stdout = capsys.readouterr().out
    with open(out, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        assert reader.fieldnames == list(SANITY_HEADER)
    assert [(r["method"], r["randomised"], r["layer_group"]) for r in rows] == [
        (m, n, g)
        for m in ("gradcam", "noise")
        for n, g in (("0", ""), ("1", "_fc"), ("21", "_conv_stem"))
    ]
    assert "Spearman rank correlation" in stdout and "SSIM" in stdout
    assert main([*args, "--grid", "2", *common]) == 2  # one protocol at a time


def test_manifest_resumes_by_method(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--sanity --manifest: rows per method and step; a rerun with one more method checks only
    that one, and a broken file is an error row per method."""
    from scorecam_gui.engine.folders import manifest as mf

    pytest.importorskip("pyarrow")
    photo = tmp_path / "chelsea.png"
    Image.fromarray(data.chelsea()).save(photo)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a photo")
    manifest = tmp_path / "m.parquet"
    args = ["evaluate", str(photo), str(broken), "--sanity", "--sanity-steps", "1"]
    args += ["--device", "cpu", "--layer", "_blocks.15", "--manifest", str(manifest)]
    assert main([*args, "--methods", "noise"]) == 1
    rows = mf.read_manifest(manifest, kind=mf.SANITY).to_pylist()
    assert sorted((Path(r["path"]).name, r["method"], r["randomised"]) for r in rows) == [
        ("broken.png", "noise", None),
        ("chelsea.png", "noise", 0),
        ("chelsea.png", "noise", 21),  # one step: every layer group re-initialised
    ]
    capsys.readouterr()
    assert main([*args, "--methods", "gradcam,noise"]) == 1
    out = capsys.readouterr().out
    rows = mf.read_manifest(manifest, kind=mf.SANITY).to_pylist()
    done = [(r["method"], r["randomised"]) for r in rows if r["error"] is None]
    assert sorted(done) == [("gradcam", 0), ("gradcam", 21), ("noise", 0), ("noise", 21)]
    # The summary of this run has the method it computed.
    assert "gradcam" in out and "noise" not in out.split("Spearman rank correlation")[1]
