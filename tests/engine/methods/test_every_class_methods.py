"""Every class from one run of IS-CAM, SS-CAM and Ablation-CAM (their inputs do not depend on the
class): registry.for_class makes another class's map, or one class against another, from the
scores the run kept, with no pass, equal to a fresh run of that class. Group-CAM cannot."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from scorecam_gui.engine.methods import registry
from scorecam_gui.engine.methods.activation import ablationcam
from scorecam_gui.engine.methods.base import MethodRequest
from scorecam_gui.engine.methods.catalog import METHODS
from scorecam_gui.engine.methods.maps import minmax, to_input_size, upsample
from scorecam_gui.engine.progress import run_to_end
from tests.engine.methods.test_every_class import count_passes
from tests.helpers import peers

SHARING = ("iscam", "sscam", "ablationcam")
# A stop that leaves some maps scored and some not: IS-CAM's first map has all 10 scales after
# 11 inputs, the small network's Ablation-CAM has 9 inputs in all.
STOP_AFTER = {"iscam": 12, "sscam": 6, "ablationcam": 4}
EGYPTIAN_CAT, TIGER_CAT = 285, 282


def run(ex, rgb: np.ndarray, method: str, **options):
    return run_to_end(registry.run_method(ex, rgb, method, MethodRequest(**options)))


def test_the_catalog_says_which_methods_keep_every_class() -> None:
    keeping = {m.name for m in METHODS if m.every_class}
    assert keeping == {"scorecam-paper", "scorecam-matlab", "scorecam-reference", *SHARING}
    assert all(m.contrasts for m in METHODS if m.every_class)


@pytest.mark.parametrize("method", SHARING)
@pytest.mark.parametrize("stopped", [False, True])
def test_another_class_needs_no_pass_and_equals_its_own_run(
    method: str, stopped: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ablation-CAM's ablations in batches of the runner's 4 (else all 9 in one: no stop)
    monkeypatch.setattr(ablationcam, "TAIL_BATCH_MAX", 4)
    net, ex, photo = peers.small_case()
    rgb = ex.prepare(photo)
    stop = (lambda p: p.evaluated >= STOP_AFTER[method]) if stopped else None
    first = run(ex, rgb, method, target=1, fill="mean", stop=stop)
    assert first.class_scores is not None and first.stopped == stopped
    assert first.saliency.max() == 1.0  # a map, not the empty one
    passes = count_passes(net.model)
    for c in (0, 3, 4):
        other = registry.for_class(first, c)
        assert passes == []  # no pass at all, not even the classifying one
        fresh = run(ex, rgb, method, target=c, fill="mean", stop=stop)
        assert other.target == fresh.target and other.forward_passes == fresh.forward_passes
        assert np.abs(other.saliency - fresh.saliency).max() <= 1e-5
        np.testing.assert_allclose(other.weights, fresh.weights, atol=1e-6)
        np.testing.assert_allclose(other.scores, fresh.scores, atol=1e-5)
        passes.clear()


def _softmax_map(scores: np.ndarray, used: np.ndarray, acts: np.ndarray, size: int) -> np.ndarray:
    """minmax(ReLU(U(sum_k softmax(s)_k A_k))), written out (the brute-force side)."""
    s = torch.from_numpy(np.where(used, scores, -np.inf)).double()
    w = torch.softmax(s, 0).float()
    low = (w[:, None, None] * torch.from_numpy(acts)).sum(0)
    return minmax(upsample(low[None], size)[0].clamp_min(0)).numpy()


@pytest.mark.parametrize("method", ["iscam", "sscam"])
def test_the_contrast_scores_the_difference_of_the_two_classes(method: str) -> None:
    """s_k = mean logit of A - mean logit of B over the same inputs: from two single runs."""
    _, ex, photo = peers.small_case()
    rgb = ex.prepare(photo)
    a, b = run(ex, rgb, method, target=1), run(ex, rgb, method, target=2)
    got = run(ex, rgb, method, target=1, contrast=2)
    assert got.contrast is not None and got.contrast.index == 2 and got.target.index == 1
    used = got.class_scores.row_of_map >= 0
    want = _softmax_map(a.scores - b.scores, used, a.activations, rgb.shape[0])
    np.testing.assert_allclose(got.saliency, want, atol=1e-5)
    assert got.forward_passes == a.forward_passes  # one run's passes, re-weighted


def test_the_ablation_contrast_is_the_fall_of_the_difference() -> None:
    """w_k = ((y_A - y_B) - (y_A^k - y_B^k)) / (y_A - y_B), from two single runs' logits."""
    _, ex, photo = peers.small_case()
    rgb = ex.prepare(photo)
    a, b = run(ex, rgb, "ablationcam", target=1), run(ex, rgb, "ablationcam", target=2)
    got = run(ex, rgb, "ablationcam", target=1, contrast=2)
    photo_logits = a.class_scores.logits[0]  # the unablated photo's batched pass
    y = photo_logits[1] - photo_logits[2]
    ran = a.class_scores.row_of_map >= 0
    w = np.where(ran, (y - (a.scores - b.scores)) / y, 0.0).astype(np.float32)
    np.testing.assert_allclose(got.weights, w, rtol=1e-5, atol=1e-6)
    want = to_input_size(
        (torch.from_numpy(w)[:, None, None] * torch.from_numpy(a.activations)).sum(0), rgb.shape[0]
    )
    np.testing.assert_allclose(got.saliency, want.numpy(), atol=1e-5)


def test_group_cam_keeps_none_and_says_so() -> None:
    _, ex, photo = peers.small_case()
    result = run(ex, ex.prepare(photo), "groupcam", target=1)
    with pytest.raises(ValueError, match="groupcam keeps no class scores: run it again"):
        registry.for_class(result, 2)


@pytest.mark.parametrize("method", SHARING)
def test_on_lite0_tiger_cat_from_the_egyptian_cat_run(method: str) -> None:
    """Real weights, chelsea, exact fp32, each run stopped after 48 inputs: the tiger cat's map
    from the Egyptian cat's passes equals the tiger cat's own run."""
    _, ex, rgb = peers.lite0_chelsea("fp32")
    stop = lambda p: p.evaluated >= 48  # noqa: E731
    first = run(ex, rgb, method, stop=stop)
    assert first.target.index == EGYPTIAN_CAT
    other = registry.for_class(first, TIGER_CAT)
    fresh = run(ex, rgb, method, target=TIGER_CAT, stop=stop)
    assert np.abs(other.saliency - fresh.saliency).max() <= 1e-5
    kept = first.class_scores
    assert kept is not None and kept.logits.shape[1] == 1000
