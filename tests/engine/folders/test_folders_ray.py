"""`--executor ray`: a 2-CPU Ray cluster started here gives the rows the local loop gives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from scorecam_gui.cli import main as cli
from scorecam_gui.engine.folders import manifest as mf
from scorecam_gui.engine.folders.batch import Job, PhotoDone, open_job, run_local
from scorecam_gui.engine.progress import run_to_end

ray = pytest.importorskip("ray")
pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    root = tmp_path_factory.mktemp("ray-photos")
    for name in ("chelsea", "coffee", "rocket"):
        Image.fromarray(getattr(data, name)()).save(root / f"{name}.png")
    (root / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    return sorted(str(p) for p in root.iterdir())


def test_unreachable_address_is_one_line(
    photos: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not ray.is_initialized()
    argv = ["explain", *photos[:1], "--executor", "ray", "--ray-address", "127.0.0.1:1"]
    assert cli.main([*argv, "--no-overlays", "--manifest", str(tmp_path / "m.parquet")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(
        "scorecam: cannot reach the Ray cluster at 127.0.0.1:1: "
    ), err
    assert not ray.is_initialized()


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    """One 2-CPU cluster for the module's tests (after the unreachable-address test, which
    needs Ray not started)."""
    from scorecam_gui.engine.folders.ray_executor import connect

    try:
        assert connect(num_cpus=2)
        yield
    finally:  # even when the test fails: no Ray processes may outlive it
        ray.shutdown()


def test_ray_gives_the_same_targets_and_maps_as_local(
    ray_cluster: None, photos: list[str], tmp_path: Path
) -> None:
    from scorecam_gui.engine.folders.ray_executor import run_ray

    job = Job(approximate=8, precision="fp32")  # bf16 sums depend on the thread count
    local: list[PhotoDone] = []
    events: list[object] = []
    run_to_end(run_local(open_job(job), photos), events.append)
    local = [e for e in events if isinstance(e, PhotoDone)]

    writer = mf.ManifestWriter(tmp_path / "ray.parquet")
    events = []
    summary = run_to_end(run_ray(job, photos, writer), events.append)
    writer.flush()
    assert (summary.explained, summary.failed) == (3, 1)
    on_ray = {e.path: e.row for e in events if isinstance(e, PhotoDone)}
    table = mf.read_manifest(tmp_path / "ray.parquet")
    assert sorted(table.column("path").to_pylist()) == photos
    for event in local:
        row = on_ray[event.path]
        assert row["error"] == event.row["error"]
        assert row["target_index"] == event.row["target_index"]
        assert row["sha256"] == event.row["sha256"] and row["options"] == event.row["options"]
        if row["error"] is None:
            assert row["maps_evaluated"] == event.row["maps_evaluated"]
            np.testing.assert_allclose(mf.map_from_row(row), mf.map_from_row(event.row), atol=1e-3)
    # A rerun on Ray skips what the manifest holds and retries only the broken file
    finished = mf.finished_keys(tmp_path / "ray.parquet")
    events = []
    summary = run_to_end(run_ray(job, photos, None, finished), events.append)
    assert (summary.skipped, summary.failed, summary.explained) == (3, 1, 0)


def test_evaluate_on_ray_gives_the_local_rows(
    ray_cluster: None, photos: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`scorecam evaluate --executor ray`: the same classes and metrics as local, one manifest
    row per photo and method, the broken file as error rows."""
    base = ["evaluate", *photos, "--methods", "gradcam,random", "--steps", "4"]
    base += ["--precision", "fp32", "--device", "cpu"]
    assert cli.main([*base, "--out", str(tmp_path / "local.csv")]) == 1
    manifest = tmp_path / "ray.parquet"
    ray_args = ["--executor", "ray", "--manifest", str(manifest), "--out", str(tmp_path / "r.csv")]
    assert cli.main([*base, *ray_args]) == 1
    err = capsys.readouterr().err
    assert err.count("broken.png") == 2 and "Traceback" not in err  # one line per run

    import csv

    def rows(name: str) -> dict[tuple[str, str], dict[str, str]]:
        with open(tmp_path / name, newline="") as f:
            return {(r["image"], r["method"]): r for r in csv.DictReader(f)}

    local, on_ray = rows("local.csv"), rows("r.csv")
    assert sorted(local) == sorted(on_ray) and len(local) == 6  # 3 photos x 2 methods
    for key, row in local.items():
        assert on_ray[key]["class_index"] == row["class_index"]
        for column in ("probability", "drop_pct", "deletion_auc", "insertion_auc"):
            assert float(on_ray[key][column]) == pytest.approx(float(row[column]), abs=2e-3)
    table = mf.read_manifest(manifest, kind=mf.EVALUATE).to_pylist()
    assert len(table) == 8  # 3 photos x 2 methods, and the broken file's two error rows
    broken = [r for r in table if r["error"] is not None]
    assert {r["method"] for r in broken} == {"gradcam", "noise"}
    assert all(r["path"].endswith("broken.png") for r in broken)


def test_protocols_on_ray_give_the_local_numbers(
    ray_cluster: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--grid and --sanity with `--executor ray`: the same cells, classes and numbers as local;
    --sanity writes its manifest on Ray too, and a rerun skips the photos checked."""
    import csv

    from scorecam_gui.cli.protocols import GRID_HEADER, SANITY_HEADER

    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("chelsea.png", "coffee.png", "camera.png", "page.png"):  # confident classes
        Image.open(Path(data.__file__).parent / name).convert("RGB").save(folder / name)
    common = ["--device", "cpu", "--precision", "fp32", "--layer", "_blocks.15"]
    common += ["--methods", "gradcam,noise"]

    def table(name: str) -> list[dict[str, str]]:
        with open(tmp_path / name, newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    grid = ["evaluate", str(folder), "--grid", "2", "--grids", "2", "--seed", "3", *common]
    assert cli.main([*grid, "--out", str(tmp_path / "g-local.csv")]) == 0
    assert cli.main([*grid, "--executor", "ray", "--out", str(tmp_path / "g-ray.csv")]) == 0
    local, on_ray = table("g-local.csv"), table("g-ray.csv")
    assert len(local) == len(on_ray) == 2 * 4 * 2 and list(local[0]) == list(GRID_HEADER)
    for a, b in zip(local, on_ray, strict=True):
        assert (a["method"], a["grid"], a["cell"], a["photo"]) == (
            b["method"],
            b["grid"],
            b["cell"],
            b["photo"],
        )
        assert float(a["localisation"]) == pytest.approx(float(b["localisation"]), abs=1e-3)

    photo = [str(folder / "chelsea.png")]
    sanity = ["evaluate", *photo, "--sanity", "--sanity-steps", "2", *common]
    assert cli.main([*sanity, "--out", str(tmp_path / "s-local.csv")]) == 0
    manifest = tmp_path / "sanity.parquet"
    ray_args = ["--executor", "ray", "--manifest", str(manifest)]
    assert cli.main([*sanity, *ray_args, "--out", str(tmp_path / "s-ray.csv")]) == 0
    local, on_ray = table("s-local.csv"), table("s-ray.csv")
    assert len(local) == len(on_ray) == 2 * 3 and list(local[0]) == list(SANITY_HEADER)
    for a, b in zip(local, on_ray, strict=True):
        assert (a["method"], a["randomised"], a["class_index"]) == (
            b["method"],
            b["randomised"],
            b["class_index"],
        )
        assert float(a["spearman"]) == pytest.approx(float(b["spearman"]), abs=1e-3)
    assert len(mf.read_manifest(manifest, kind=mf.SANITY)) == 6
    capsys.readouterr()
    assert cli.main([*sanity, *ray_args]) == 0
    assert "1 photo already checked in the manifest" in capsys.readouterr().err
