"""The backends of the masked passes (torch, OpenVINO) and the entry points' thread policy."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch

from scorecam_gui.cli import main as cli
from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.runtime import backends, inference, openvino_backend
from scorecam_gui.engine.runtime import openvino as ovb
from scorecam_gui.engine.runtime.device import DeviceError
from scorecam_gui.engine.runtime.threads import THREAD_POLICY, choose_thread_policy
from tests.helpers.networks import SIZE, bn_network, photo
from tests.helpers.processes import in_new_processes

ROOT = Path(__file__).resolve().parents[1]
_installed = ovb.installed
needs_openvino = pytest.mark.skipif(not _installed(), reason="openvino is not installed")
CPU = torch.device("cpu")


@pytest.fixture(autouse=True)
def openvino_as_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo conftest's torch_backend_in_process: these tests are about the backends."""
    monkeypatch.setattr(ovb, "installed", _installed)


# -- choosing the backend -------------------------------------------------------------------------
def test_backend_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ovb, "installed", lambda: True)
    assert inference.resolve_backend("auto", CPU) == "openvino"
    assert inference.resolve_backend("openvino", CPU) == "openvino"
    assert inference.resolve_backend("torch", CPU) == "torch"
    # GPUs and torch.compile stay on torch; OpenVINO asked for on a GPU is an error
    for kind in ("cuda", "mps"):
        assert inference.resolve_backend("auto", torch.device(kind)) == "torch"
        with pytest.raises(DeviceError, match="CPU only"):
            inference.resolve_backend("openvino", torch.device(kind))
    assert inference.resolve_backend("auto", CPU, compile_model=True) == "torch"
    monkeypatch.setattr(ovb, "installed", lambda: False)
    assert inference.resolve_backend("auto", CPU) == "torch"
    with pytest.raises(DeviceError, match="pip install openvino"):
        inference.resolve_backend("openvino", CPU)
    with pytest.raises(DeviceError, match="unknown backend 'onnx'"):
        Explainer(bn_network(), "cpu", backend="onnx")


def test_without_openvino_auto_runs_on_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openvino", None)  # `import openvino` fails
    assert not ovb.installed()
    ex = Explainer(bn_network(), "cpu", "fp32")
    result = ex.explain(photo())
    assert ex.backend == result.backend == "torch"


def test_a_failed_conversion_falls_back_to_torch_with_one_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_network: object) -> None:
        raise RuntimeError("cannot trace this\nmore detail")

    monkeypatch.setattr(ovb, "installed", lambda: True)
    monkeypatch.setattr(ovb.OpenVinoRuntime, "_load_or_convert", lambda self, n: broken(n))
    ref = Explainer(bn_network(), "cpu", "fp32", backend="torch").explain(photo())
    with caplog.at_level(logging.WARNING, logger="scorecam_gui"):
        ex = Explainer(bn_network(), "cpu", "fp32", backend="openvino")
        result = ex.explain(photo())
    assert result.backend == ex.backend == "torch"
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1 and "cannot trace this" in lines[0] and "\n" not in lines[0]
    np.testing.assert_allclose(result.saliency, ref.saliency, atol=1e-5)


def test_agreement_ignores_a_shift_shared_by_the_batch() -> None:
    a = torch.randn(8, 10, generator=torch.Generator().manual_seed(0))
    assert ovb.agreement(a, a + 3.0) == pytest.approx(1.0)
    assert ovb.agreement(a, torch.randn(8, 10)) < 0.5


# -- OpenVINO itself ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lite0() -> object:
    if not _installed():
        pytest.skip("openvino is not installed")
    from scorecam_gui.engine.models.registry import load_network

    return load_network("efficientnet_lite0")


@pytest.fixture(scope="module")
def chelsea() -> np.ndarray:
    from PIL import Image

    from scorecam_gui import appdata

    return np.asarray(Image.open(appdata.sample_photo_path()).convert("RGB"))


@needs_openvino
@pytest.mark.parametrize("fill", ["black", "mean"])
def test_openvino_gives_torch_fp32s_map(lite0: object, chelsea: np.ndarray, fill: str) -> None:
    ref = Explainer(lite0, "cpu", "fp32", backend="torch").explain(chelsea, fill=fill)  # type: ignore[arg-type]
    ex = Explainer(lite0, "cpu", backend="auto")  # type: ignore[arg-type]
    got = ex.explain(chelsea, fill=fill)
    assert got.backend == "openvino"
    assert got.precision == ovb.shared().auto_precision()
    corr = np.corrcoef(got.saliency.ravel(), ref.saliency.ravel())[0, 1]
    assert corr >= 0.999
    assert got.target == ref.target  # the class still comes from torch's exact pass
    np.testing.assert_array_equal(got.activations, ref.activations)


@needs_openvino
def test_the_compiled_network_serves_every_layer_and_photo(
    lite0: object, chelsea: np.ndarray
) -> None:
    ex = Explainer(lite0, "cpu", "fp32", backend="openvino")  # type: ignore[arg-type]
    ex.explain(chelsea, approximate=8)
    conversions, compilations = ovb.shared().conversions, ovb.shared().compilations
    ex.explain(chelsea, layer="_blocks.15", approximate=8)
    ex.explain(chelsea[::-1].copy(), approximate=8)
    again = Explainer(lite0, "cpu", "fp32", backend="openvino")  # type: ignore[arg-type]
    assert again.explain(chelsea, approximate=8).backend == "openvino"
    assert (ovb.shared().conversions, ovb.shared().compilations) == (conversions, compilations)


@needs_openvino
def test_a_new_process_reads_the_converted_network_from_disk(tmp_path: Path) -> None:
    script = (
        "from scorecam_gui.engine.runtime import openvino as ovb\n"
        "from scorecam_gui.engine.explainer import Explainer\n"
        "from tests.helpers.networks import bn_network, photo\n"
        "r = Explainer(bn_network(), 'cpu', 'fp32', backend='openvino').explain(photo())\n"
        "print(r.backend, ovb.shared().conversions)\n"
    )
    runs = in_new_processes(script, tmp_path)
    assert runs == [["openvino", "1"], ["openvino", "0"]]


@needs_openvino
def test_a_failed_map_check_moves_to_fp32(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ovb.OpenVinoRuntime, "auto_precision", lambda self: "bf16")
    net = bn_network(3)
    ex = Explainer(net, "cpu", backend="auto")
    assert ex.precision == "bf16"
    monkeypatch.setattr(openvino_backend, "MIN_AGREEMENT", 1.5)  # no map can pass
    ref = Explainer(net, "cpu", "fp32", backend="torch").explain(photo())
    first = ex.explain(photo())
    # this run keeps torch's exact map; later ones run OpenVINO in fp32
    assert (first.backend, first.precision) == ("torch", "fp32")
    np.testing.assert_allclose(first.saliency, ref.saliency, atol=1e-6)
    monkeypatch.setattr(openvino_backend, "MIN_AGREEMENT", 0.999)
    second = ex.explain(photo())
    assert (second.backend, second.precision) == ("openvino", "fp32")
    assert ovb.shared().stored_agreement(net, "bf16") is not None  # remembered on disk


@needs_openvino
def test_the_window_defers_the_map_check_past_the_first_map(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """defer_check (the window's): an unchecked bf16 runs in fp32 on OpenVINO with no torch pass
    of the whole map; the deferred check then makes the map check; a cancelled check leaves it
    deferred; and a new explainer finds the stored check and runs bf16 at once."""
    monkeypatch.setattr(ovb.OpenVinoRuntime, "auto_precision", lambda self: "bf16")
    net = bn_network(5)
    ex = Explainer(net, "cpu", backend="auto", defer_check=True)
    exact_batches: list[int] = []
    exact = ex.inference.fast._exact  # type: ignore[union-attr]
    monkeypatch.setattr(
        ex.inference.fast, "_exact", lambda x: exact_batches.append(len(x)) or exact(x)
    )
    first = ex.explain(photo())
    assert (first.backend, first.precision) == ("openvino", "fp32")
    assert len(exact_batches) <= 1  # fp32's one-batch check at most, not the map check
    assert ex.inference.fast.deferred == "bf16"  # type: ignore[union-attr]

    with ex.inference.deferred_check() as due:  # cancelled: the run is closed midway
        assert due and ex.precision == "bf16"
        run = ex.run(photo())
        next(run)
        run.close()
    assert (ex.precision, ex.inference.fast.deferred) == ("fp32", "bf16")  # type: ignore[union-attr]

    exact_batches.clear()
    with ex.inference.deferred_check() as due:
        assert due
        checked = ex.explain(photo())
    assert (checked.backend, checked.precision) == ("openvino", "bf16")
    assert sum(exact_batches) >= checked.maps_evaluated  # the whole map went through torch too
    assert ovb.shared().stored_agreement(net, "bf16") is not None
    with ex.inference.deferred_check() as due:
        assert not due  # nothing left to check
    later = Explainer(net, "cpu", backend="auto", defer_check=True)
    assert later.precision == "bf16" and later.inference.fast.deferred is None  # type: ignore[union-attr]


@needs_openvino
def test_the_json_record_says_which_backend_ran(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scorecam_gui import appdata

    sample = str(appdata.sample_photo_path())
    for backend in ("openvino", "torch"):
        argv = ["explain", sample, "--json", "--no-overlays", "--approximate", "8"]
        code = cli.main([*argv, "--out", str(tmp_path), "--backend", backend])
        assert code == 0
        record = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        assert record["backend"] == backend


@pytest.fixture
def two_torch_threads() -> Iterator[None]:
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(before)


@pytest.mark.parametrize("backend", ["torch", pytest.param("openvino", marks=needs_openvino)])
def test_passes_that_need_full_precision_run_in_fp32_beside_bf16(backend: str) -> None:
    """A method whose passes need FULL_PRECISION (Group-CAM) gets fp32 logits from a runner
    whose other passes run bf16: OpenVINO's fp32 network, or torch's exact pass; the record's
    backend and precision say so, and the plain passes stay bf16."""
    net = bn_network(7)
    runner = Explainer(net, "cpu", "bf16", batch_size=4, backend=backend).inference
    inputs = torch.randn(6, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(1))

    def fill(out: torch.Tensor, start: int, stop: int) -> None:
        out.copy_(inputs[start:stop])

    def logits(needs: frozenset[str]) -> torch.Tensor:
        return torch.cat([part for *_, part in runner.batches(len(inputs), fill, needs)])

    exact = runner._exact_batch(inputs)
    full = frozenset({backends.FULL_PRECISION})
    torch.testing.assert_close(logits(full), exact, rtol=1e-4, atol=1e-4)
    assert runner.runs(full) == (backend, "fp32")
    assert runner.runs() == (backend, "bf16") and runner.precision == "bf16"
    assert not torch.allclose(logits(frozenset()), exact, rtol=1e-4, atol=1e-4)  # bf16's own


@needs_openvino
def test_an_fp32_network_that_disagrees_with_torch_leaves_its_passes_to_torch(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Under `auto`, OpenVINO's fp32 network beside bf16 (Group-CAM's passes, the rescore) is
    checked on its first batch as the fp32 backend is: one that disagrees hands its passes to
    torch's exact pass, and the bf16 passes stay on OpenVINO."""
    monkeypatch.setenv("SCORECAM_CACHE_DIR", str(tmp_path))  # no verdict of an earlier run
    monkeypatch.setattr(openvino_backend, "agreement", lambda got, want: 0.5)
    net = bn_network(8)
    runner = Explainer(net, "cpu", "bf16", batch_size=4, backend="auto").inference
    inputs = torch.randn(6, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(2))
    full = frozenset({backends.FULL_PRECISION})
    got = torch.cat(
        [part for *_, part in runner.batches(6, lambda o, a, b: o.copy_(inputs[a:b]), full)]
    )
    torch.testing.assert_close(got, runner._exact_batch(inputs), rtol=1e-5, atol=1e-5)
    assert runner.fast is not None and runner.fast.fp32_failed and runner.fast.failed is None
    assert runner.runs(full) == ("torch", "fp32") and runner.runs() == ("openvino", "bf16")


@needs_openvino
@pytest.mark.usefixtures("two_torch_threads")
def test_openvino_builds_the_next_batch_while_it_runs_one() -> None:
    """On OpenVINO the next batch is filled before this one's logits come back (OpenVINO runs
    the passes asynchronously, a batch split between the streams), with the logits of one pass
    each, torch's work beside them on one thread; in `auto` the first batch (the fp32 check)
    runs alone, the pipeline takes the rest."""
    before = torch.get_num_threads()  # two_torch_threads: else the check below says nothing
    net = bn_network(4)
    runner = Explainer(net, "cpu", "fp32", batch_size=4, backend="openvino").inference
    inputs = torch.randn(10, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(0))
    filled: list[int] = []
    threads: list[int] = []

    def fill(out: torch.Tensor, start: int, stop: int) -> None:
        filled.append(start)
        threads.append(torch.get_num_threads())
        out.copy_(inputs[start:stop])

    seen = []
    for start, stop, logits in runner.batches(len(inputs), fill):
        seen.append((start, stop, list(filled)))
        threads.append(torch.get_num_threads())  # the caller's code between two batches
        with torch.inference_mode():
            want = torch.stack(
                [runner._exact_batch(inputs[i : i + 1])[0] for i in range(start, stop)]
            )
        torch.testing.assert_close(logits, want, rtol=1e-4, atol=1e-4)
    assert [(a, b) for a, b, _ in seen] == [(0, 4), (4, 8), (8, 10)]
    assert seen[0][2] == [0, 4]  # batch 4..8 was built before 0..4 came back
    # torch beside OpenVINO's threads on one thread of its own, its own count back after
    assert threads == [1] * 6 and torch.get_num_threads() == before
    compiled = runner.fast._net if runner.fast else None
    assert compiled is not None and compiled.streams == min(2, os.cpu_count() or 1)
    streams = [c.get_property("NUM_STREAMS") for c in compiled.compiled]
    assert streams == [compiled.streams] * len(compiled.compiled)


@needs_openvino
@pytest.mark.usefixtures("two_torch_threads")
def test_stopping_midway_waits_for_the_passes_in_flight() -> None:
    net = bn_network(5)
    ex = Explainer(net, "cpu", "fp32", batch_size=2, backend="openvino")
    runner = ex.inference
    x = torch.zeros(3, SIZE, SIZE)

    def fill(out: torch.Tensor, start: int, stop: int) -> None:
        out.copy_(x.expand(stop - start, *x.shape))

    batches = runner.batches(20, fill)
    next(batches)
    assert torch.get_num_threads() == 1  # OpenVINO's passes in flight
    batches.close()  # type: ignore[attr-defined]
    assert torch.get_num_threads() == 2
    compiled = runner.fast._net if runner.fast else None
    assert compiled is not None
    # every infer request is back: nothing runs on the buffers the generator let go
    assert compiled.free_chains() == compiled.streams * compiled.depth
    # and the runner goes on: a whole explanation after the stopped one
    assert ex.explain(photo()).backend == "openvino"


@needs_openvino
@pytest.mark.parametrize("stuck_at", [1, 3])
def test_a_pass_that_stops_responding_hands_the_run_to_torch(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, stuck_at: int
) -> None:
    """A pass on OpenVINO that does not finish within STUCK_SECONDS (here: the `stuck_at`-th
    wait says so) ends in one warning line and the run goes on on torch, from the first batch
    not yet yielded: the map is torch's, and `auto` stays on torch in this process."""
    monkeypatch.setattr(ovb.shared(), "stuck_reason", None)
    waits = []
    real_wait = ovb._wait

    def wait(request: object) -> None:
        waits.append(request)
        if len(waits) == stuck_at:
            raise ovb.OpenVinoStuck("a pass on OpenVINO took longer than 120 s")
        real_wait(request)

    monkeypatch.setattr(ovb, "_wait", wait)
    net = bn_network(6)
    want = Explainer(net, "cpu", "fp32", batch_size=2, backend="torch").explain(photo())
    ex = Explainer(net, "cpu", "fp32", batch_size=2, backend="auto")
    with caplog.at_level(logging.WARNING):
        got = ex.explain(photo())
    assert got.backend == ex.backend == "torch"
    np.testing.assert_allclose(got.saliency, want.saliency, atol=1e-5)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [
        "OpenVINO stopped responding (a pass on OpenVINO took longer than 120 s): "
        "the masked passes run on torch"
    ]
    assert ovb.shared().stuck_reason is not None
    assert inference.resolve_backend("auto", CPU) == "torch"
    assert Explainer(net, "cpu", "fp32").backend == "torch"


# -- the thread policy ----------------------------------------------------------------------------
def test_the_policy_fills_in_only_what_the_user_has_not_set() -> None:
    env = {"OMP_NUM_THREADS": "3"}
    assert choose_thread_policy(env) == dict(THREAD_POLICY)
    assert env == {"OMP_NUM_THREADS": "3", "OMP_WAIT_POLICY": "PASSIVE"}
    mine = {"OMP_WAIT_POLICY": "ACTIVE"}
    assert choose_thread_policy(mine) == {} and mine == {"OMP_WAIT_POLICY": "ACTIVE"}


def _python(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OMP_")}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=clean | env | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip()


def test_importing_the_engine_changes_no_environment_variable() -> None:
    code = (
        "import os\n"
        "before = dict(os.environ)\n"
        "import scorecam_gui.engine.explainer, scorecam_gui.engine.runtime.inference\n"
        "import scorecam_gui.engine.runtime.openvino, scorecam_gui.engine.runtime.threads\n"
        "print(dict(os.environ) == before)\n"
    )
    assert _python(code) == "True"


_ENTRY = """
import os, sys
from scorecam_gui.cli import main as cli
from scorecam_gui.gui.startup import main as gui_main
def seen(*_args, **_kw):
    print(os.environ.get("OMP_WAIT_POLICY"), "torch" in sys.modules)
    os.environ.pop("OMP_WAIT_POLICY", None) if "{keep}" == "" else None
    return 0
cli.main = seen
try:
    cli.run([])
except SystemExit:
    pass
gui_main.parse_args = lambda argv: sys.exit(seen())
try:
    gui_main.main([])
except SystemExit:
    pass
"""


def test_the_entry_points_set_the_policy_before_torch_loads() -> None:
    out = _python(_ENTRY.format(keep=""))
    assert out.splitlines() == ["PASSIVE False", "PASSIVE False"]
    out = _python(_ENTRY.format(keep="yes"), OMP_WAIT_POLICY="ACTIVE")
    assert out.splitlines() == ["ACTIVE False", "ACTIVE False"]
