"""SS-CAM: torch-cam's SSCAM with the same seed on a small network and (slow) on
EfficientNet-Lite0's default layer with chelsea; two runs with one seed agree, another seed
differs; the noise stream is torch-cam's; it runs in batches and stops when asked."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from scorecam_gui.engine.methods import registry
from scorecam_gui.engine.methods.base import MethodRequest
from scorecam_gui.engine.methods.scorecam import sscam
from scorecam_gui.engine.progress import run_to_end

from ...helpers import peers


def test_noise_stream_is_one_draw_a_sample() -> None:
    torch.manual_seed(7)
    want = torch.distributions.Normal(0, 2.0).sample((2, 5, 8, 8))  # torch-cam's, twice
    stream = sscam.NoiseStream(7, 5, 8, 2.0)
    got = torch.cat([stream.take([1, 3]), stream.take([4, 5, 9])])
    np.testing.assert_array_equal(got.numpy(), want.flatten(0, 1)[[1, 3, 4, 5, 9]].numpy())
    np.testing.assert_array_equal(stream.take([9])[0].numpy(), want[1, 4].numpy())  # a rerun


def test_sscam_matches_torch_cam_with_the_same_seed() -> None:
    pytest.importorskip("torchcam")
    net, ex, photo = peers.small_case()
    rgb = ex.prepare(photo)
    method = sscam.method(samples=6)
    for target in (1, 4):
        request = MethodRequest(target=target, fill="mean", seed=5)
        ours = run_to_end(method.run(ex, rgb, request))
        theirs = peers.torch_cam_map("sscam", net, rgb, None, target, seed=5, num_samples=6)
        assert peers.correlation(ours.saliency, theirs) > 0.99


def test_one_seed_one_map() -> None:
    _, ex, photo = peers.small_case()
    one = registry.explain(ex, photo, "sscam", target=2, seed=1)
    again = registry.explain(ex, photo, "sscam", target=2, seed=1)
    other = registry.explain(ex, photo, "sscam", target=2, seed=2)
    np.testing.assert_array_equal(one.saliency, again.saliency)
    assert np.abs(one.saliency - other.saliency).max() > 1e-3


def test_sscam_runs_in_batches_and_stops_when_asked() -> None:
    _, ex, photo = peers.small_case()
    rgb = ex.prepare(photo)
    method = sscam.method(samples=3)
    seen = []
    request = MethodRequest(target=2, running_map=True)
    result = run_to_end(method.run(ex, rgb, request), seen.append)
    inputs = result.forward_passes - 1  # 3 a varying map
    assert inputs % 3 == 0 and [p.evaluated for p in seen] == [*range(4, inputs, 4), inputs]
    np.testing.assert_allclose(seen[-1].saliency, result.saliency, atol=1e-6)
    early = run_to_end(method.run(ex, rgb, MethodRequest(target=2, stop=lambda p: True)))
    assert early.forward_passes == 1 + 4


@pytest.mark.slow
def test_sscam_matches_torch_cam_on_lite0() -> None:
    """One noisy sample instead of 35 (torch-cam's 1 280 fp32 passes a sample)."""
    pytest.importorskip("torchcam")
    net, ex, rgb = peers.lite0_chelsea()
    method = sscam.method(samples=1)
    ours = run_to_end(method.run(ex, rgb, MethodRequest(fill="mean", seed=0)))
    theirs = peers.torch_cam_map("sscam", net, rgb, None, ours.target.index, num_samples=1)
    assert peers.correlation(ours.saliency, theirs) >= 0.98
