"""IS-CAM: torch-cam's ISCAM on a small network and (slow) on EfficientNet-Lite0's default layer
with chelsea, both with `fill mean` (torch-cam scales the normalised input); its coefficients; it
runs in batches, with the running map, and stops when asked."""

from __future__ import annotations

import numpy as np
import pytest

from scorecam_gui.engine.methods import registry
from scorecam_gui.engine.methods.base import MethodRequest
from scorecam_gui.engine.methods.scorecam import iscam
from scorecam_gui.engine.progress import run_to_end

from ...helpers import peers


def test_coefficients_are_torch_cams() -> None:
    # c_i = sum_{j <= i} j / N: torch-cam's running `coeff += (sidx + 1) / num_samples`
    np.testing.assert_allclose(iscam.coefficients(4).numpy(), [0.25, 0.75, 1.5, 2.5])


def test_iscam_matches_torch_cam_on_a_small_network() -> None:
    pytest.importorskip("torchcam")
    net, ex, photo = peers.small_case()
    for target in (0, 3):
        ours = registry.explain(ex, photo, "iscam", target=target, fill="mean")
        theirs = peers.torch_cam_map("iscam", net, ex.prepare(photo), None, target)
        assert peers.correlation(ours.saliency, theirs) > 0.99


def test_iscam_runs_in_batches_with_the_running_map() -> None:
    _, ex, photo = peers.small_case()
    rgb = ex.prepare(photo)
    seen = []
    request = MethodRequest(target=1, running_map=True)
    result = run_to_end(registry.run_method(ex, rgb, "iscam", request), seen.append)
    inputs = result.forward_passes - 1
    assert [p.evaluated for p in seen] == [*range(4, inputs, 4), inputs]
    assert seen[-1].done == seen[-1].total == 8  # every map, constant ones included
    np.testing.assert_allclose(seen[-1].saliency, result.saliency, atol=1e-6)
    stop = MethodRequest(target=1, stop=lambda p: p.evaluated >= 12)  # one map: 10 scales
    early = run_to_end(registry.run_method(ex, rgb, "iscam", stop))
    assert early.forward_passes == 1 + 12 and early.saliency.max() == 1.0


@pytest.mark.slow
def test_iscam_matches_torch_cam_on_lite0() -> None:
    """Two scales instead of ten (torch-cam's 2 560 fp32 passes take minutes on 2 cores)."""
    pytest.importorskip("torchcam")
    net, ex, rgb = peers.lite0_chelsea()
    method = iscam.method(samples=2)
    ours = run_to_end(method.run(ex, rgb, MethodRequest(fill="mean")))
    theirs = peers.torch_cam_map("iscam", net, rgb, None, ours.target.index, num_samples=2)
    assert peers.correlation(ours.saliency, theirs) >= 0.98
