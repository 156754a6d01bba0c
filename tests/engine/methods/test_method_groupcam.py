"""Group-CAM has no peer implementation: it is checked against a direct transcription of the
paper's steps (one unbatched pass a group, torchvision's Gaussian blur, numpy's percentile) on a
small network and on EfficientNet-Lite0's default layer with chelsea; and it runs batched."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torchvision.transforms.functional import gaussian_blur

from scorecam_gui.engine.methods import registry
from scorecam_gui.engine.methods.base import MethodRequest
from scorecam_gui.engine.models.types import Network
from scorecam_gui.engine.progress import run_to_end

from ...helpers import peers


def reference(net: Network, rgb: np.ndarray, target: int, groups: int = 32) -> np.ndarray:
    """Group-CAM written out: Grad-CAM weights, G groups, 70th-percentile denoising, masks
    between the photo and its blur, probability gains over the blur as the masks' weights."""
    a, g = peers.acts_and_grads(net, rgb, target)
    size = rgb.shape[0]
    x = torch.from_numpy(rgb.astype(np.float32) / 255.0).permute(2, 0, 1)
    mean = torch.tensor(net.info.mean).view(3, 1, 1)
    std = torch.tensor(net.info.std).view(3, 1, 1)
    k = min(51, 2 * ((size - 1) // 2) + 1)
    blurred = gaussian_blur(x[None], [k, k], [50.0, 50.0])[0]
    with torch.no_grad():
        base = net.model(((blurred - mean) / std)[None]).softmax(-1)[0, target]
        weighted = g.mean((1, 2))[:, None, None] * a
        cam = torch.zeros(size, size)
        for part in weighted.chunk(groups, 0):
            m = part.sum(0).clamp_min(0)
            cut = float(np.percentile(m.numpy(), 70))
            m = torch.where(m > cut, m, torch.zeros_like(m))
            up = F.interpolate(m[None, None], size=(size, size), mode="bilinear")[0, 0]
            if up.max() == up.min():
                continue
            mask = (up - up.min()) / (up.max() - up.min())
            blend = x * mask + blurred * (1 - mask)
            p = net.model(((blend - mean) / std)[None]).softmax(-1)[0, target]
            cam += (p - base) * mask
        cam = cam.clamp_min(0)
    return ((cam - cam.min()) / (cam.max() - cam.min())).numpy()


def test_groupcam_is_the_papers_steps_on_a_small_network() -> None:
    net, ex, photo = peers.small_case()
    for target in (2, 3, 4):  # (0 and 1 gain nothing over the blur anywhere: maps of zeros)
        ours = registry.explain(ex, photo, "groupcam", target=target)
        assert ours.saliency.max() == 1.0
        np.testing.assert_allclose(ours.saliency, reference(net, photo, target), atol=1e-4)
        # 8 maps make 8 groups of 1; a group of a dead map (all 0) is left out
        assert ours.backward_passes == 1 and 1 + 1 + 1 <= ours.forward_passes <= 1 + 1 + 8


def test_groupcam_is_the_papers_steps_on_lite0() -> None:
    net, ex, rgb = peers.lite0_chelsea("fp32")
    ours = registry.explain(ex, rgb, "groupcam")
    want = reference(net, rgb, ours.target.index)
    assert peers.correlation(ours.saliency, want) > 0.999
    assert ours.forward_passes == 1 + 1 + 32
    # At the CPU's default precision (bf16 where it is faster) its masked passes still run in
    # fp32 (the catalog row needs full precision: in bf16 one photo of 20 fell to 0.982).
    fast = registry.explain(peers.lite0_chelsea()[1], rgb, "groupcam")
    assert fast.precision == "fp32"
    assert peers.correlation(fast.saliency, want) > 0.999


def test_groupcam_runs_in_batches_and_stops_when_asked() -> None:
    _, ex, photo = peers.small_case()  # batches of 4
    rgb = ex.prepare(photo)
    seen = []
    job = registry.run_method(ex, rgb, "groupcam", MethodRequest(target=3, running_map=True))
    result = run_to_end(job, seen.append)
    inputs = result.forward_passes - 1  # the blur and the groups
    assert inputs > 4 and [p.evaluated for p in seen] == [*range(4, inputs, 4), inputs]
    assert all(p.saliency is not None for p in seen)
    np.testing.assert_allclose(seen[-1].saliency, result.saliency, atol=1e-6)
    stop = MethodRequest(target=3, stop=lambda p: p.evaluated >= 4)
    early = run_to_end(registry.run_method(ex, rgb, "groupcam", stop))
    assert early.forward_passes == 1 + 4
