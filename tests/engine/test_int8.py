"""INT8, the approximation the user names (`--precision int8`, engine/runtime/int8.py).

What it needs is said in one line when missing; where it runs, its passes are really quantized,
the quantized network is kept on disk, and every run carries its network's map check (how close
the map came to the exact one) without ever falling back to another precision.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from scorecam_gui.cli import main as cli
from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.runtime import backends, int8, openvino_backend
from scorecam_gui.engine.runtime import openvino as ovb
from scorecam_gui.engine.runtime.device import DeviceError
from tests.helpers.networks import bn_network, photo
from tests.helpers.processes import in_new_processes

CPU = torch.device("cpu")
_installed = ovb.installed
needs_int8 = pytest.mark.skipif(
    not (_installed() and int8.available()), reason="INT8 needs openvino and nncf"
)


@pytest.fixture(autouse=True)
def openvino_as_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo conftest's torch_backend_in_process: these tests are about OpenVINO."""
    monkeypatch.setattr(ovb, "installed", _installed)


# -- what it needs, said in one line ------------------------------------------------------------
def test_int8_says_in_one_line_what_it_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = ovb.OpenVinoRuntime()
    monkeypatch.setattr(ovb, "installed", lambda: True)
    monkeypatch.setattr(int8, "available", lambda: True)
    for asked in ("auto", "openvino"):
        assert backends.choose(asked, CPU, False, runtime, "int8") == "openvino"
    with pytest.raises(DeviceError, match=r"^INT8 runs on OpenVINO only: use --backend openvino"):
        backends.choose("torch", CPU, False, runtime, "int8")
    with pytest.raises(DeviceError, match="CPU only, not on cuda"):
        backends.choose("auto", torch.device("cuda"), False, runtime, "int8")
    assert backends.device_for("auto", "auto", "int8") == "cpu"  # never a GPU it cannot use
    assert backends.unavailable_precisions() == {}
    monkeypatch.setattr(int8, "available", lambda: False)
    assert backends.unavailable_precisions() == {"int8": int8.missing_message()}
    with pytest.raises(DeviceError) as missing:
        backends.choose("auto", CPU, False, runtime, "int8")
    assert str(missing.value) == int8.missing_message()
    assert 'pip install "scorecam-gui[int8]"' in str(missing.value)
    monkeypatch.setattr(ovb, "installed", lambda: False)
    with pytest.raises(DeviceError, match="pip install openvino"):
        backends.choose("auto", CPU, False, runtime, "int8")


def test_the_command_line_says_what_int8_misses(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(ovb, "installed", lambda: True)
    monkeypatch.setattr(int8, "available", lambda: False)
    sample = str(Path(__file__).resolve().parents[2] / "scorecam_gui" / "assets" / "sample.png")
    code = cli.main(["explain", sample, "--precision", "int8", "--out", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0 and not list(tmp_path.iterdir())
    assert err == [f"scorecam: {int8.missing_message()}"]


def test_the_window_says_int8_is_approximate() -> None:
    from scorecam_gui.app import plainwords

    assert plainwords.precision_shown("bf16", 0.9999) == "bf16"  # exact enough: as it is
    assert plainwords.precision_shown("int8") == "int8 (approximate)"
    assert plainwords.precision_shown("int8", 0.99678) == (
        "int8 (approximate: 0.997 agreement with the exact map)"
    )


def test_the_calibration_is_the_same_every_time() -> None:
    net = bn_network()
    a, b = int8.calibration_inputs(net, 16), int8.calibration_inputs(net, 16)
    assert a.shape == (16, 3, net.info.input_size, net.info.input_size) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    assert len({float(x.std()) for x in a}) == 16  # every mask a different one


# -- where it runs --------------------------------------------------------------------------------
def _runtime_precisions(net: ovb.CompiledNetwork) -> set[str]:
    """The precisions OpenVINO's CPU plugin runs the compiled network's operations in."""
    found = set()
    for compiled in net.compiled:
        for op in compiled.get_runtime_model().get_ordered_ops():
            info = op.get_rt_info()
            if "runtimePrecision" in info:
                found.add(info["runtimePrecision"].astype(str))
    return found


@needs_int8
def test_int8_passes_are_quantized_and_measured_never_replaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    net = bn_network(5)
    ref = Explainer(net, "cpu", "fp32", backend="torch").explain(photo())
    runtime = ovb.shared()
    before = runtime.quantizations
    # No map can pass `auto`'s bar: INT8 is measured, never handed to another precision.
    monkeypatch.setattr(openvino_backend, "MIN_AGREEMENT", 1.5)
    ex = Explainer(net, "cpu", "int8")
    first = ex.explain(photo())
    assert (first.backend, first.precision) == ("openvino", "int8")
    assert runtime.quantizations == before + 1
    assert first.precision_agreement is not None and 0.0 < first.precision_agreement <= 1.0
    compiled = runtime.compiled_network(net, "int8")
    assert {"i8", "u8"} & _runtime_precisions(compiled), "no operation runs in INT8"
    r = float(np.corrcoef(first.saliency.ravel(), ref.saliency.ravel())[0, 1])
    assert r > 0.5  # approximate, not unrelated
    second = ex.explain(photo(1))
    assert (second.backend, second.precision) == ("openvino", "int8")
    assert second.precision_agreement == first.precision_agreement  # the network's, kept
    assert runtime.quantizations == before + 1  # quantized once for every photo


@needs_int8
def test_a_stopped_run_leaves_the_measuring_to_a_whole_one() -> None:
    """Part of a map says little of INT8's: a stopped first run stores no agreement, and the
    passes after it run without torch beside them."""
    net = bn_network(8)
    ex = Explainer(net, "cpu", "int8", batch_size=1)  # a batch a map: it can stop after one
    stopped = ex.explain(photo(), stop=lambda _progress: True)
    assert stopped.stopped and stopped.precision_agreement is None
    assert ovb.shared().stored_agreement(net, "int8") is None
    assert ex.inference.fast is not None and ex.inference.fast.check is None
    whole = ex.explain(photo())
    assert not whole.stopped and whole.precision_agreement is not None


@needs_int8
def test_a_new_process_reads_the_quantized_network_from_disk(tmp_path: Path) -> None:
    script = (
        "from scorecam_gui.engine.runtime import openvino as ovb\n"
        "from scorecam_gui.engine.explainer import Explainer\n"
        "from tests.helpers.networks import bn_network, photo\n"
        "r = Explainer(bn_network(), 'cpu', 'int8').explain(photo())\n"
        "print(r.precision, ovb.shared().quantizations, r.precision_agreement is not None)\n"
    )
    runs = in_new_processes(script, tmp_path)
    assert runs == [["int8", "1", "True"], ["int8", "0", "True"]]


@needs_int8
def test_methods_beside_int8_run_where_they_can(tmp_path: Path) -> None:
    """Ablation-CAM's hooks run on torch at its own `auto` (never in "int8", which torch has
    not); Group-CAM's full-precision passes run in fp32."""
    net = bn_network(6)
    ex = Explainer(net, "cpu", "int8")
    ablation = ex.explain(photo(), method="ablationcam")
    assert ablation.backend == "torch" and ablation.precision in ("fp32", "bf16")
    assert ablation.precision_agreement is None
    group = ex.explain(photo(), method="groupcam")
    assert group.precision == "fp32"


@needs_int8
def test_quantizing_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    """NNCF draws progress bars on stdout, where `scorecam explain --json` writes its records."""
    before = ovb.shared().quantizations
    Explainer(bn_network(7), "cpu", "int8").explain(photo())
    assert ovb.shared().quantizations == before + 1
    out, err = capfd.readouterr()
    assert out == "" and "Statistics collection" not in err
