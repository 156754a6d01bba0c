"""`--executor ray`: a 2-CPU Ray cluster started here gives the rows the local loop gives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from scorecam_gui import cli
from scorecam_gui.engine.folders import manifest as mf
from scorecam_gui.engine.folders.batch import Job, PhotoDone, open_job, run_local
from scorecam_gui.engine.scorecam import run_to_end

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


@pytest.fixture
def ray_cluster() -> Iterator[None]:
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
