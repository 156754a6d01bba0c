"""Faithfulness metrics against values worked out by hand on a network with a known score.

The network's class-0 logit is K times the mean brightness (red channel) of the top-left 2 x 2
block of a 4 x 4 input; class 1's logit is 0. So p0 = sigmoid(K * mean), and on a white photo
every pixel of the block taken away lowers the logit by exactly 1 (K = 4).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
from torch import nn

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.faithfulness import metrics
from scorecam_gui.engine.faithfulness.metrics import energy_pointing, evaluate_map, run_metrics
from scorecam_gui.engine.models.types import Network, NetworkInfo
from scorecam_gui.engine.progress import Progress, run_to_end

SIZE = 4
K = 4.0
WHITE = np.full((SIZE, SIZE, 3), 255, np.uint8)


def sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


class RegionScore(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.feat = nn.Conv2d(3, 1, 1, bias=False)
        self.act = nn.ReLU()
        with torch.no_grad():
            self.feat.weight.copy_(torch.tensor([1.0, 0.0, 0.0]).view(1, 3, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = K * self.act(self.feat(x))[:, 0, :2, :2].mean((1, 2))
        return torch.stack([s, torch.zeros_like(s)], 1)


def region_network(mean: float = 0.0, std: float = 1.0) -> Network:
    info = NetworkInfo(
        "region", "Region", "act", SIZE, (mean,) * 3, (std,) * 3, False, None, "test"
    )
    net = Network(info, RegionScore().eval(), ["inside", "outside"], "random")
    net.default_layer = "act"
    return net


def explainer(batch_size: int = 64, **kw: float) -> Explainer:
    return Explainer(region_network(**kw), "cpu", "fp32", batch_size)


# The block's pixels first, in raster order, then the other twelve: 16 distinct values.
BLOCK = [(0, 0), (0, 1), (1, 0), (1, 1)]
RANKED = np.zeros((SIZE, SIZE), np.float32)
_order = BLOCK + [(r, c) for r in range(SIZE) for c in range(SIZE) if (r, c) not in BLOCK]
for _i, (_r, _c) in enumerate(_order):
    RANKED[_r, _c] = 1.0 - _i / 16


def trapezoid(y: list[float]) -> float:
    dx = 1.0 / (len(y) - 1)
    return sum((a + b) / 2 * dx for a, b in itertools.pairwise(y))


def test_average_drop_one_pixel_map() -> None:
    one = np.zeros((SIZE, SIZE), np.float32)
    one[0, 0] = 1.0  # E keeps one of the block's four pixels: logit 4 -> 1
    m = evaluate_map(explainer(), WHITE, one, target=0, steps=1)
    assert m.probability == pytest.approx(sig(4))
    assert m.explanation_probability == pytest.approx(sig(1))
    assert m.drop == pytest.approx((sig(4) - sig(1)) / sig(4))
    assert m.increase is False


def test_average_increase_for_the_other_class() -> None:
    one = np.zeros((SIZE, SIZE), np.float32)
    one[0, 0] = 1.0
    m = evaluate_map(explainer(), WHITE, one, target=1, steps=1)
    assert m.probability == pytest.approx(sig(-4))
    assert m.explanation_probability == pytest.approx(sig(-1))
    assert m.drop == 0.0 and m.increase is True


def test_explanation_map_masks_raw_rgb_before_normalising() -> None:
    # Normalised white is 1, black is -1. A map of 0.5 makes raw 0.5, normalised 0: logit 0.
    # (Masking the normalised tensor instead would give 0.5, logit 2.)
    half = np.full((SIZE, SIZE), 0.5, np.float32)
    m = evaluate_map(explainer(mean=0.5, std=0.5), WHITE, half, target=0, steps=1)
    assert m.probability == pytest.approx(sig(4))
    assert m.explanation_probability == pytest.approx(sig(0))


def test_deletion_and_insertion_one_pixel_a_step() -> None:
    m = evaluate_map(explainer(), WHITE, RANKED, target=0, steps=16, insertion_start="black")
    deletion = [sig(4), sig(3), sig(2), sig(1)] + [sig(0)] * 13
    insertion = [sig(0), sig(1), sig(2), sig(3)] + [sig(4)] * 13
    np.testing.assert_allclose(m.deletion.fractions, np.arange(17) / 16)
    np.testing.assert_allclose(m.deletion.probabilities, deletion, rtol=1e-6)
    np.testing.assert_allclose(m.insertion.probabilities, insertion, rtol=1e-6)
    assert m.deletion.auc == pytest.approx(trapezoid(deletion))
    assert m.insertion.auc == pytest.approx(trapezoid(insertion))


def test_deletion_of_the_least_important_pixels_first() -> None:
    m = evaluate_map(explainer(), WHITE, 1.0 - RANKED, target=0, steps=16)
    want = [sig(4)] * 13 + [sig(3), sig(2), sig(1), sig(0)]
    np.testing.assert_allclose(m.deletion.probabilities, want, rtol=1e-6)
    assert m.deletion.auc == pytest.approx(trapezoid(want))


def test_uneven_steps() -> None:
    # 16 pixels in 3 steps: 0, 5, 11, 16 pixels; after 5 the block is gone.
    m = evaluate_map(explainer(), WHITE, RANKED, target=0, steps=3, insertion_start="black")
    np.testing.assert_array_equal(metrics.pixel_counts(16, 3), [0, 5, 11, 16])
    np.testing.assert_allclose(m.deletion.fractions, [0, 5 / 16, 11 / 16, 1])
    np.testing.assert_allclose(m.deletion.probabilities, [sig(4)] + [sig(0)] * 3, rtol=1e-6)
    np.testing.assert_allclose(m.insertion.probabilities, [sig(0)] + [sig(4)] * 3, rtol=1e-6)
    want = (sig(4) + sig(0)) / 2 * 5 / 16 + sig(0) * 11 / 16
    assert m.deletion.auc == pytest.approx(want)


def test_blurred_canvas() -> None:
    # A flat photo blurs to itself (edges are replicated): insertion is flat at Y.
    m = evaluate_map(explainer(), WHITE, RANKED, target=0, steps=4)
    np.testing.assert_allclose(m.insertion.probabilities, [sig(4)] * 5, rtol=1e-6)
    assert m.insertion_start == "blur" and m.insertion.auc == pytest.approx(sig(4))
    # An impulse spreads into the outer product of RISE's kernel (11 taps, sigma 5).
    x = torch.zeros(3, 21, 21)
    x[:, 10, 10] = 1.0
    k = np.exp(-(np.arange(-5, 6) ** 2) / 50.0)
    k /= k.sum()
    blurred = metrics._gaussian_blur(x)[0, 5:16, 5:16].numpy()
    np.testing.assert_allclose(blurred, np.outer(k, k), atol=1e-7)


def test_batches_give_the_same_numbers_and_progress() -> None:
    photo = np.random.default_rng(0).integers(0, 256, (SIZE, SIZE, 3), dtype=np.uint8)
    whole = evaluate_map(explainer(64), photo, RANKED, target=0, steps=8)
    gen = run_metrics(explainer(3), photo, RANKED, target=0, steps=8)
    progress: list[Progress] = []
    small = run_to_end(gen, progress.append)
    assert [p.done for p in progress] == [3, 6, 9, 12, 15, 18]  # 2 + 2 * 8 images
    assert all(p.total == 18 for p in progress)
    np.testing.assert_allclose(small.deletion.probabilities, whole.deletion.probabilities)
    np.testing.assert_allclose(small.insertion.probabilities, whole.insertion.probabilities)
    assert small.drop == pytest.approx(whole.drop)


def test_close_cancels_between_batches() -> None:
    ex = explainer(2)
    calls: list[int] = []
    ex.network.model.register_forward_hook(lambda m, i, o: calls.append(i[0].shape[0]))
    gen = run_metrics(ex, WHITE, RANKED, target=0, steps=16)
    next(gen)
    gen.close()
    assert calls == [2]


def test_default_target_is_the_predicted_class() -> None:
    m = evaluate_map(explainer(), WHITE, RANKED, steps=2)
    assert m.target == 0  # sig(4) > 1/2


def test_map_of_another_size_is_resized() -> None:
    m = evaluate_map(explainer(), WHITE, np.ones((2, 2), np.float32), target=0, steps=1)
    assert m.explanation_probability == pytest.approx(sig(4))


def test_box_energy_in_result() -> None:
    one = np.zeros((SIZE, SIZE), np.float32)
    one[0, 0] = 1.0
    m = evaluate_map(explainer(), WHITE, one, target=0, steps=1, box=(0, 0, 2, 2))
    assert m.energy == 1.0
    assert evaluate_map(explainer(), WHITE, one, target=0, steps=1).energy is None


def test_energy_pointing_game() -> None:
    one = np.zeros((SIZE, SIZE))
    one[1, 3] = 1.0  # row 1, column 3
    assert energy_pointing(one, (3, 1, 4, 2)) == 1.0
    assert energy_pointing(one, (0, 0, 3, 4)) == 0.0
    flat = np.ones((SIZE, SIZE))
    assert energy_pointing(flat, (0, 0, 2, 2)) == pytest.approx(4 / 16)
    assert energy_pointing(flat, (-5, -5, 100, 2)) == pytest.approx(8 / 16)  # clipped
    assert math.isnan(energy_pointing(np.zeros((SIZE, SIZE)), (0, 0, 2, 2)))
    with pytest.raises(ValueError, match="empty"):
        energy_pointing(flat, (2, 0, 2, 4))


def test_averages_and_summary() -> None:
    assert metrics.average_drop([0.2, 0.4]) == pytest.approx(30.0)
    assert metrics.average_increase([True, False, False, False]) == 25.0
    assert math.isnan(metrics.average_drop([]))
    assert metrics.auc(np.array([0, 0.5, 1]), np.array([1.0, 0.0, 1.0])) == pytest.approx(0.5)
    one = np.zeros((SIZE, SIZE), np.float32)
    one[0, 0] = 1.0
    a = evaluate_map(explainer(), WHITE, one, target=0, steps=16)
    b = evaluate_map(explainer(), WHITE, one, target=1, steps=16)
    s = metrics.summarise([a, b])
    assert s.count == 2
    assert s.average_drop == pytest.approx(100 * (a.drop + b.drop) / 2)
    assert s.average_increase == 50.0
    assert s.deletion == pytest.approx((a.deletion.auc + b.deletion.auc) / 2)
    assert s.insertion == pytest.approx((a.insertion.auc + b.insertion.auc) / 2)


def test_ties_are_broken_the_same_way_every_time() -> None:
    photo = np.random.default_rng(1).integers(0, 256, (SIZE, SIZE, 3), dtype=np.uint8)
    flat = np.zeros((SIZE, SIZE), np.float32)
    a = evaluate_map(explainer(), photo, flat, target=0, steps=16)
    b = evaluate_map(explainer(), photo, flat, target=0, steps=16)
    np.testing.assert_array_equal(a.deletion.probabilities, b.deletion.probabilities)
    order = metrics._removal_order(flat)
    assert sorted(order) == list(range(16)) and list(order) != list(range(16))


def test_invalid_arguments_fail_before_work() -> None:
    ex = explainer()
    with pytest.raises(ValueError, match="steps"):
        run_metrics(ex, WHITE, RANKED, steps=0)
    with pytest.raises(ValueError, match="steps"):
        run_metrics(ex, WHITE, RANKED, steps=17)
    with pytest.raises(ValueError, match="insertion start"):
        run_metrics(ex, WHITE, RANKED, insertion_start="grey", steps=4)
    with pytest.raises(ValueError, match="out of range"):
        run_metrics(ex, WHITE, RANKED, target=2, steps=4)
    with pytest.raises(ValueError, match="2-D"):
        run_metrics(ex, WHITE, np.zeros((SIZE, SIZE, 1)), steps=4)
    with pytest.raises(ValueError, match="empty"):
        run_metrics(ex, WHITE, RANKED, box=(1, 1, 1, 3), steps=4)


def test_new_engine_modules_import_no_qt() -> None:
    # (torch itself imports tqdm; test_scorecam checks the engine's sources never use it)
    import subprocess
    import sys

    code = (
        "import sys, scorecam_gui.engine.faithfulness.metrics, "
        "scorecam_gui.engine.methods.gradient.gradcam, "
        "scorecam_gui.cli.evaluate;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'PyQt5', 'PyQt6', 'shiboken6', 'pyqtgraph', 'matplotlib'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_out_of_memory_halves_the_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    ex = explainer(8)
    clean = evaluate_map(ex, WHITE, RANKED, target=0, steps=16)
    forward = ex.network.model.forward
    sizes: list[int] = []

    def limited(x: torch.Tensor) -> torch.Tensor:
        sizes.append(x.shape[0])
        if x.shape[0] > 2:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return forward(x)

    monkeypatch.setattr(ex.network.model, "forward", limited)
    got = evaluate_map(ex, WHITE, RANKED, target=0, steps=16)
    assert sizes[:3] == [8, 4, 2] and max(sizes[2:]) == 2
    np.testing.assert_array_equal(got.deletion.probabilities, clean.deletion.probabilities)
