"""Every catalog method on every entry point and backend: the command line, a window Compare job
and a folder run, each with the default backend and with torch, on the bundled network and the
shipped sample photo. Each cell must give a finite map of the network's input size, and say which
method made it and what ran its passes; each record (the command line's, the folder's rows, the
window's) says null for exactly the fields that do not apply to its method (catalog.not_applicable).

Every setting is the default but one: each method stops after its first batch of masked inputs
(--time-budget 0, "Stop here"), so that the methods that score thousands of inputs (SS-CAM, IS-CAM)
stay affordable while every step of their path runs. So `auto` runs the passes on OpenVINO where it
is installed, and a method whose passes need torch (Ablation-CAM's hook) must be routed there, not
fail. The last cells run one whole Score-CAM map in bf16 on each entry point and backend, so that
the fp32 rescore that ends such a run is covered everywhere too. INT8 (`--precision int8`, the
approximation a user names) is a third setting beside the two backends, and has whole-map cells
of its own.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from scorecam_gui import appdata
from scorecam_gui.engine.methods import catalog
from scorecam_gui.engine.models.registry import load_network
from scorecam_gui.engine.runtime import int8
from scorecam_gui.engine.runtime import openvino as ovb
from scorecam_gui.engine.runtime.backends import FULL_PRECISION
from tests.helpers.jobs import Control

SIZE = 224
METHODS = catalog.names()
BACKENDS = ("auto", "torch")
_installed = ovb.installed
# (backend, precision): the two backends at the default precision, and INT8, the approximation
# a user names (engine/runtime/int8.py; it needs OpenVINO and NNCF, the `int8` extra).
SETTINGS = [
    pytest.param(("auto", "auto"), id="auto"),
    pytest.param(("torch", "auto"), id="torch"),
    pytest.param(
        ("auto", "int8"),
        id="int8",
        marks=pytest.mark.skipif(
            not (_installed() and int8.available()), reason="INT8 needs openvino and nncf"
        ),
    ),
]


@pytest.fixture(autouse=True)
def openvino_as_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo conftest's torch_backend_in_process: the default backend is what users get."""
    monkeypatch.setattr(ovb, "installed", _installed)


@pytest.fixture(autouse=True)
def network_loaded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cell loads the bundled network, as its entry point does; the loading itself is
    tested elsewhere, so the matrix loads it once (the window, too, keeps one network)."""
    from scorecam_gui.engine.models import registry

    monkeypatch.setattr(registry, "load_network", _load_once)


_LOADED: dict[tuple[object, ...], object] = {}


def _load_once(name: str, *args: object, **kwargs: object) -> object:
    settings = tuple(sorted((k, v) for k, v in kwargs.items() if k not in ("progress", "cancel")))
    key = (name, *args, *settings)
    if key not in _LOADED:
        _LOADED[key] = load_network(name, *args, **kwargs)  # type: ignore[arg-type]
    return _LOADED[key]


def expected_backend(method: str, asked: str) -> set[str]:
    """What may run a method's passes: torch when asked for, or when the method needs torch, or
    when it runs no batched pass; else OpenVINO where it is installed (in fp32 for a method that
    needs full precision: OpenVINO's fp32 network)."""
    if asked == "torch" or not _installed() or catalog.info(method).needs - {FULL_PRECISION}:
        return {"torch"}
    return {"openvino"}


def check_precision(record: dict[str, object], method: str, precision: str = "auto") -> None:
    """A method that needs full precision says fp32 whatever the others ran. INT8 asked for:
    the passes OpenVINO runs are INT8, and Score-CAM's runs carry the network's map check; torch
    runs what it runs (hooks) at its own `auto`, never "int8"."""
    if FULL_PRECISION in catalog.info(method).needs:
        assert record["precision"] == "fp32", (method, record["precision"])
    elif precision == "int8" and record["backend"] == "openvino":
        assert record["precision"] == "int8", (method, record["precision"])
        # measured by a whole Score-CAM run only (these stop after a batch): none, or a value
        agreement = record["precision_agreement"]
        assert agreement is None or 0.0 < agreement <= 1.0, (method, record)
    else:
        assert record["precision"] != "int8", (method, record)


def check_map(saliency: np.ndarray) -> None:
    assert saliency.shape == (SIZE, SIZE)
    assert np.isfinite(saliency).all()
    assert float(saliency.min()) >= 0.0 and float(saliency.max()) <= 1.0


# The fields a method may have or not (catalog.not_applicable says which it has not); every other
# field of a finished map always has a value.
MAYBE = ("weighting", "fill", "maps_total", "maps_evaluated", "approximate", "stopped")


def check_nulls(record: dict[str, object], method: str) -> None:
    """Null exactly where the method has nothing to say; `passes` is every method's."""
    nulls = catalog.not_applicable(method)
    assert {f for f in MAYBE if record[f] is None} == nulls & set(MAYBE), (method, record)
    assert "approximate_maps" not in nulls or record["approximate_maps"] is None
    assert isinstance(record["passes"], int) and record["passes"] >= 0
    if catalog.info(method).stops:  # --time-budget 0 / "Stop here": stopped after one batch
        assert record["stopped"] is True and record["approximate"] is True, method
    if record["passes"] == 0:
        assert single_pass(method)


def single_pass(method: str) -> bool:
    row = catalog.info(method)
    return row.family in ("gradient", "baseline") or method == "eigencam"


@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize("method", METHODS)
def test_the_command_line(
    method: str, setting: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scorecam_gui.cli import main as cli

    backend, precision = setting
    sample = str(appdata.sample_photo_path())
    argv = ["explain", sample, "--method", method, "--time-budget", "0", "--json"]
    argv += ["--backend", backend, "--precision", precision]
    code = cli.main([*argv, "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    record = json.loads(out.strip().splitlines()[-1])
    assert record["method"] == method and record["error"] is None
    if single_pass(method):
        assert record["backend"] == "torch"
    else:
        assert record["backend"] in expected_backend(method, backend)
        assert record["seconds_classify"] > 0  # the classifying pass timed apart from the map
    check_map(np.load(record["outputs"]["map"]))
    assert method in Path(record["outputs"]["overlay"]).name  # no method replaces another's
    check_nulls(record, method)
    check_precision(record, method, precision)


@pytest.mark.parametrize("setting", SETTINGS)
def test_a_window_compare_job(setting: tuple[str, str]) -> None:
    from scorecam_gui.app import jobs
    from scorecam_gui.app.compare import job as comparejob
    from scorecam_gui.app.options import Options
    from scorecam_gui.engine.progress import run_to_end

    backend, precision = setting
    session = jobs.EngineSession()
    sample = str(appdata.sample_photo_path())
    request = jobs.Request(
        photo=jobs.PhotoSource("sample", sample),
        network="efficientnet_lite0",
        options=Options(backend=backend, precision=precision),
    )
    shown = run_to_end(jobs.explain_job(session, request)(Control(stop_here=True)))
    assert shown is not None and shown.result.method == "scorecam-paper"
    from scorecam_gui.app.records import window_record

    record = window_record(shown.result, sample, "efficientnet_lite0").to_json()
    check_nulls(record, "scorecam-paper")
    check_precision(record, "scorecam-paper", precision)
    compared = run_to_end(
        comparejob.compare_job(session, shown, METHODS, False)(Control(stop_here=True))
    )
    assert [m.method for m in compared.maps] == list(METHODS)
    for entry in compared.maps:
        check_map(entry.saliency)
        if single_pass(entry.method):
            assert entry.backend == "torch", entry.method
        else:
            assert entry.backend in expected_backend(entry.method, backend), entry.method


@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize("method", METHODS)
def test_a_folder_run(method: str, setting: tuple[str, str], tmp_path: Path) -> None:
    import shutil

    from scorecam_gui.engine.folders.batch import Job, PhotoDone, open_job, run_local
    from scorecam_gui.engine.folders.manifest import map_from_row
    from scorecam_gui.engine.progress import run_to_end

    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("a.png",):
        shutil.copy(appdata.sample_photo_path(), folder / name)
    photos = sorted(str(p) for p in folder.iterdir())
    backend, precision = setting
    opened = open_job(Job(method=method, backend=backend, precision=precision, time_budget=0.0))
    events: list[object] = []
    summary = run_to_end(run_local(opened, photos), events.append)
    assert (summary.explained, summary.failed) == (1, 0)
    done = [e for e in events if isinstance(e, PhotoDone)]
    assert len(done) == 1
    for event in done:
        row = event.row
        assert row["method"] == method and row["error"] is None
        if single_pass(method):
            assert row["backend"] == "torch"
        else:
            assert row["backend"] in expected_backend(method, backend)
        check_map(map_from_row(row))
        check_nulls(row, method)
        check_precision(row, method, precision)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("method", METHODS)
def test_two_classes_from_the_command_line(
    method: str,
    backend: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--target twice: a record and files each; a method that keeps every class's scores runs
    once (the second class is a re-weighting), the others once per class."""
    from scorecam_gui.cli import main as cli
    from scorecam_gui.engine.methods import registry

    runs: list[str] = []
    get = registry.get
    monkeypatch.setattr(registry, "get", lambda name: runs.append(name) or get(name))
    sample = str(appdata.sample_photo_path())
    argv = ["explain", sample, "--method", method, "--time-budget", "0", "--json"]
    argv += ["--target", "0", "--target", "1", "--out", str(tmp_path), "--backend", backend]
    code = cli.main(argv)
    out = capsys.readouterr().out
    assert code == 0, out
    records = [json.loads(line) for line in out.strip().splitlines()]
    assert [r["target_index"] for r in records] == [0, 1]
    assert len(runs) == (1 if catalog.info(method).every_class else 2)
    overlays = {r["outputs"]["overlay"] for r in records}
    assert len(overlays) == 2  # the class in the names: neither replaces the other
    for record in records:
        assert record["method"] == method and record["error"] is None
        check_nulls(record, method)
        check_map(np.load(record["outputs"]["map"]))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("method", [m for m in METHODS if catalog.info(m).contrasts])
def test_a_contrast_from_the_command_line(
    method: str, backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--contrast on every method that takes one: the record names the class it is against."""
    from scorecam_gui.cli import main as cli

    sample = str(appdata.sample_photo_path())
    argv = ["explain", sample, "--method", method, "--time-budget", "0", "--json"]
    argv += ["--target", "0", "--contrast", "1", "--out", str(tmp_path), "--backend", backend]
    code = cli.main(argv)
    out = capsys.readouterr().out
    assert code == 0, out
    record = json.loads(out.strip().splitlines()[-1])
    assert record["method"] == method and record["error"] is None
    assert (record["target_index"], record["contrast_index"]) == (0, 1)
    check_nulls(record, method)
    check_map(np.load(record["outputs"]["map"]))


# -- a whole Score-CAM map in bf16 ----------------------------------------------------------------
# The cells above stop after one batch, so the fp32 rescore that ends a reduced-precision Score-CAM
# run (methods/scorecam/rescore.py) never runs in them. These run the whole map in bf16 on each
# entry point and backend (asked for, so that every CPU runs the rescore, not only one whose
# `auto` chooses bf16): the record counts the inputs scored again, and the map keeps exact fp32's.
BF16_MIN_CORRELATION = 0.999


@pytest.fixture(scope="module")
def exact_map() -> np.ndarray:
    """The sample photo's default map, exact: torch in fp32. Also makes `auto`'s map check of
    OpenVINO in bf16 and INT8's first whole run (whose runs take the rescored logits from the
    check's fp32 passes, with no pass of their own), so that every cell below runs its rescore."""
    from scorecam_gui.engine.explainer import Explainer
    from scorecam_gui.engine.imaging import load_image

    network = load_network("efficientnet_lite0")
    photo = load_image(appdata.sample_photo_path())
    Explainer(network, "cpu", precision="bf16").explain(photo)
    if _installed() and int8.available():  # INT8's measuring run, for the same reason
        Explainer(network, "cpu", precision="int8").explain(photo)
    explainer = Explainer(network, "cpu", precision="fp32", backend="torch")
    return explainer.explain(photo).saliency


def check_bf16(record: dict[str, object], saliency: np.ndarray, exact: np.ndarray) -> None:
    assert record["precision"] == "bf16" and record["stopped"] is False, record
    evaluated, passes = record["maps_evaluated"], record["passes"]
    assert isinstance(evaluated, int) and isinstance(passes, int)
    assert evaluated < passes <= 1.1 * evaluated + 8, record  # rescore.RESCORE_SHARE, _MIN
    check_map(saliency)
    r = float(np.corrcoef(saliency.ravel(), exact.ravel())[0, 1])
    assert r >= BF16_MIN_CORRELATION, (record["backend"], r)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_whole_bf16_map_from_the_command_line(
    backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], exact_map: np.ndarray
) -> None:
    from scorecam_gui.cli import main as cli

    sample = str(appdata.sample_photo_path())
    argv = ["explain", sample, "--precision", "bf16", "--backend", backend, "--json"]
    assert cli.main([*argv, "--out", str(tmp_path)]) == 0
    record = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert record["backend"] in expected_backend("scorecam", backend)
    check_bf16(record, np.load(record["outputs"]["map"]), exact_map)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_whole_bf16_map_in_the_window(backend: str, exact_map: np.ndarray) -> None:
    from scorecam_gui.app import jobs
    from scorecam_gui.app.options import Options
    from scorecam_gui.app.records import window_record
    from scorecam_gui.engine.progress import run_to_end

    sample = str(appdata.sample_photo_path())
    request = jobs.Request(
        photo=jobs.PhotoSource("sample", sample),
        network="efficientnet_lite0",
        options=Options(backend=backend, precision="bf16"),
    )
    shown = run_to_end(jobs.explain_job(jobs.EngineSession(), request)(Control()))
    assert shown is not None
    record = window_record(shown.result, sample, "efficientnet_lite0").to_json()
    assert record["backend"] in expected_backend("scorecam", backend)
    check_bf16(record, shown.result.saliency, exact_map)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_whole_bf16_map_in_a_folder_run(
    backend: str, tmp_path: Path, exact_map: np.ndarray
) -> None:
    import shutil

    from scorecam_gui.engine.folders.batch import Job, PhotoDone, open_job, run_local
    from scorecam_gui.engine.folders.manifest import map_from_row
    from scorecam_gui.engine.progress import run_to_end

    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copy(appdata.sample_photo_path(), folder / "a.png")
    opened = open_job(Job(backend=backend, precision="bf16"))
    events: list[object] = []
    summary = run_to_end(run_local(opened, [str(folder / "a.png")]), events.append)
    assert (summary.explained, summary.failed) == (1, 0)
    (row,) = [e.row for e in events if isinstance(e, PhotoDone)]
    assert row["backend"] in expected_backend("scorecam", backend)
    check_bf16(row, map_from_row(row), exact_map)


# -- a whole Score-CAM map in INT8 ----------------------------------------------------------------
# INT8 is approximate by design: each run carries its network's map check, and its map must stay
# near the exact one on the photo it was calibrated on (measured 0.9968 on this sample photo;
# 0.86-0.999 on eight others, docs/speed.md). The heaviest inputs are scored again in fp32, as
# for bf16.
INT8_MIN_CORRELATION = 0.98


def check_int8(record: dict[str, object], saliency: np.ndarray, exact: np.ndarray) -> None:
    assert (record["backend"], record["precision"]) == ("openvino", "int8"), record
    assert record["stopped"] is False
    agreement = record["precision_agreement"]
    assert isinstance(agreement, float) and 0.0 < agreement <= 1.0, record
    evaluated, passes = record["maps_evaluated"], record["passes"]
    assert isinstance(evaluated, int) and isinstance(passes, int)
    assert evaluated < passes <= 1.1 * evaluated + 8, record  # rescore.RESCORE_SHARE, _MIN
    check_map(saliency)
    r = float(np.corrcoef(saliency.ravel(), exact.ravel())[0, 1])
    assert r >= INT8_MIN_CORRELATION, r


@pytest.mark.parametrize("entry", ["command line", "window", "folder"])
@pytest.mark.skipif(not (_installed() and int8.available()), reason="INT8 needs openvino, nncf")
def test_a_whole_int8_map(
    entry: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], exact_map: np.ndarray
) -> None:
    import shutil

    from scorecam_gui.app import jobs
    from scorecam_gui.app.options import Options
    from scorecam_gui.app.records import window_record
    from scorecam_gui.cli import main as cli
    from scorecam_gui.engine.folders.batch import Job, PhotoDone, open_job, run_local
    from scorecam_gui.engine.folders.manifest import map_from_row
    from scorecam_gui.engine.progress import run_to_end

    sample = str(appdata.sample_photo_path())
    if entry == "command line":
        argv = ["explain", sample, "--precision", "int8", "--json", "--out", str(tmp_path)]
        assert cli.main(argv) == 0
        (line,) = capsys.readouterr().out.strip().splitlines()  # nothing else on stdout
        record = json.loads(line)
        check_int8(record, np.load(record["outputs"]["map"]), exact_map)
    elif entry == "window":
        request = jobs.Request(
            photo=jobs.PhotoSource("sample", sample),
            network="efficientnet_lite0",
            options=Options(precision="int8"),
        )
        shown = run_to_end(jobs.explain_job(jobs.EngineSession(), request)(Control()))
        assert shown is not None
        record = window_record(shown.result, sample, "efficientnet_lite0").to_json()
        check_int8(record, shown.result.saliency, exact_map)
    else:
        shutil.copy(sample, tmp_path / "a.png")
        opened = open_job(Job(precision="int8"))
        events: list[object] = []
        summary = run_to_end(run_local(opened, [str(tmp_path / "a.png")]), events.append)
        assert (summary.explained, summary.failed) == (1, 0)
        (row,) = [e.row for e in events if isinstance(e, PhotoDone)]
        check_int8(row, map_from_row(row), exact_map)
