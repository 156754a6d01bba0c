"""Which precision `auto` picks on each device; the bf16 path run where the CPU lacks it too."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods.scorecam import rescore as sc
from scorecam_gui.engine.runtime import device as devices
from tests.helpers.networks import bn_network, photo


@pytest.mark.parametrize("kind", ["cuda", "mps", "xpu"])
def test_auto_is_fp16_on_every_non_cpu_device(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch, "__version__", "2.6.0")
    assert devices.resolve_precision("auto", torch.device(kind)) == "fp16"


def test_auto_on_the_cpu_follows_native_bf16(monkeypatch: pytest.MonkeyPatch) -> None:
    cpu = torch.device("cpu")
    monkeypatch.setattr(devices, "cpu_has_fast_bf16", lambda: True)
    assert devices.resolve_precision("auto", cpu) == "bf16"
    monkeypatch.setattr(devices, "cpu_has_fast_bf16", lambda: False)
    assert devices.resolve_precision("auto", cpu) == "fp32"


@pytest.mark.parametrize(
    ("version", "auto", "fp16_ok", "bf16_ok"),
    [
        ("2.4.1", "fp32", False, False),  # MPS autocast does not exist: fp32, not a false "fp16"
        ("2.5.0+cpu", "fp16", True, False),
        ("2.6.0", "fp16", True, True),
        ("2.14.1+cu130", "fp16", True, True),
    ],
)
def test_mps_precision_needs_a_torch_that_autocasts_there(
    version: str, auto: str, fp16_ok: bool, bf16_ok: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(torch, "__version__", version)
    mps = torch.device("mps")
    assert devices.resolve_precision("auto", mps) == auto
    assert devices.resolve_precision("fp32", mps) == "fp32"
    for precision, ok in (("fp16", fp16_ok), ("bf16", bf16_ok)):
        if ok:
            assert devices.resolve_precision(precision, mps) == precision
        else:
            with pytest.raises(devices.DeviceError, match=r"needs torch 2\.[56] or newer"):
                devices.resolve_precision(precision, mps)


# bf16 keeps 8 significant bits, so the scores of the masked inputs move by about 1 %; on this
# small network the map still correlates >= 0.99 with fp32 and no pixel moves by more than 0.1.
BF16_MIN_CORRELATION = 0.99
BF16_MAX_PIXEL_ERROR = 0.1


@pytest.mark.parametrize("weighting", ["paper", "matlab", "reference"])
def test_forced_bf16_gives_the_fp32_map_within_tolerance(
    weighting: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Forced, so that the bf16 path runs on CPUs without native bf16 (oneDNN emulates it) too.
    # bf16 alone: this network's 6 maps would all be scored again in fp32 (RESCORE_MIN;
    # test_scorecam_rescore.py tests that).
    monkeypatch.setattr(sc, "RESCORE_MIN", 0)
    monkeypatch.setattr(sc, "RESCORE_SHARE", 0.0)
    ref = Explainer(bn_network(), "cpu", "fp32").explain(photo(), weighting=weighting)
    ex = Explainer(bn_network(), "cpu", "bf16")
    got = ex.explain(photo(), weighting=weighting)
    assert ex.precision == got.precision == "bf16"
    assert not np.array_equal(got.scores, ref.scores)  # it did run in reduced precision
    np.testing.assert_allclose(got.scores, ref.scores, rtol=0.03, atol=0.03)
    corr = np.corrcoef(got.saliency.ravel(), ref.saliency.ravel())[0, 1]
    assert corr >= BF16_MIN_CORRELATION
    assert np.abs(got.saliency - ref.saliency).max() <= BF16_MAX_PIXEL_ERROR


# -- the three CPU classes, from the CPU's own flags (faked here) ---------------------------------
ICE_LAKE = frozenset({"avx2", "avx512"})  # AVX-512 and VNNI, no AVX512_BF16: oneDNN emulates bf16
ZEN4 = frozenset({"avx2", "avx512", "avx512_bf16"})
SAPPHIRE_RAPIDS = frozenset({"avx2", "avx512", "avx512_bf16", "amx"})
LAPTOP = frozenset({"avx2"})


@pytest.mark.parametrize(
    ("flags", "environ", "cls", "auto"),
    [
        (ICE_LAKE, {}, devices.AVX512, "fp32"),
        (LAPTOP, {}, devices.AVX2, "fp32"),
        (ZEN4, {}, devices.NATIVE_BF16, "bf16"),
        (SAPPHIRE_RAPIDS, {}, devices.NATIVE_BF16, "bf16"),
        # capped as the benchmarks do, to measure another class on the same machine
        (ZEN4, {"ONEDNN_MAX_CPU_ISA": "AVX2"}, devices.AVX2, "fp32"),
        (ZEN4, {"ONEDNN_MAX_CPU_ISA": "AVX512_CORE_VNNI"}, devices.AVX512, "fp32"),
        (SAPPHIRE_RAPIDS, {"ONEDNN_MAX_CPU_ISA": "AVX512_CORE_AMX"}, devices.NATIVE_BF16, "bf16"),
        (ZEN4, {"ATEN_CPU_CAPABILITY": "avx2"}, devices.AVX2, "fp32"),
        (ZEN4, {"ONEDNN_MAX_CPU_ISA": "ALL"}, devices.NATIVE_BF16, "bf16"),
        (frozenset(), {}, devices.BASIC, "fp32"),
    ],
)
def test_the_cpu_class_and_its_precision_come_from_the_cpus_flags(
    flags: frozenset[str],
    environ: dict[str, str],
    cls: str,
    auto: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """AVX-512 without BF16 (Ice Lake, Tiger Lake) runs fp32, although oneDNN says bf16 is
    "supported" there (it emulates it, 1.3-2.8x slower than fp32)."""
    assert devices.cpu_class(flags, environ) == cls
    monkeypatch.setattr(devices, "cpu_flags", lambda: flags)
    for key in ("ONEDNN_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY"):
        monkeypatch.delenv(key, raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: True)
    assert devices.resolve_precision("auto", torch.device("cpu")) == auto
    ex = Explainer(bn_network(), "cpu", backend="torch")
    assert ex.precision == auto


def test_this_cpus_flags_are_read() -> None:
    flags = devices.cpu_flags()
    assert flags <= {"avx2", "avx512", "avx512_bf16", "amx"}
    if torch.backends.cpu.get_cpu_capability() in ("AVX2", "AVX512"):
        assert "avx2" in flags
