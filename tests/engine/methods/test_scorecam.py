"""Score-CAM against an independent, brute-force reference on a tiny network (fp32, 1e-5)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods.scorecam.masks import masked_input
from scorecam_gui.engine.models.types import Network, NetworkInfo
from scorecam_gui.engine.progress import run_to_end
from tests.helpers.networks import MEAN, SIZE, STD, photo, tiny_network
from tests.helpers.scorecam_reference import reference


@pytest.mark.parametrize("weighting", ["paper", "matlab", "reference"])
@pytest.mark.parametrize("fill", ["black", "mean"])
def test_matches_reference(weighting: str, fill: str) -> None:
    net = tiny_network()
    rgb = photo()
    want, want_w, _, c = reference(net.model, rgb, weighting, fill)
    ex = Explainer(net, device="cpu", precision="fp32", batch_size=3)
    got = ex.explain(rgb, weighting=weighting, fill=fill)
    assert got.target.index == c
    np.testing.assert_allclose(got.saliency, want, atol=1e-5)
    np.testing.assert_allclose(got.weights, want_w, atol=1e-5)
    assert got.saliency.shape == (SIZE, SIZE) and got.saliency.dtype == np.float32
    assert got.saliency.min() == 0.0 and got.saliency.max() == pytest.approx(1.0)


def authors_loop(model: nn.Module, rgb: np.ndarray, fill: str) -> np.ndarray:
    """The `reference` weighting: the authors' released ScoreCAM.forward, transcribed line for line
    (github.com/haofanwang/Score-CAM, cam/scorecam.py), with `black` fill masking the raw photo."""
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    raw = torch.from_numpy(rgb.copy()).permute(2, 0, 1)[None].float() / 255
    input = (raw - mean) / std
    _b, _c, h, w = input.size()
    activations = []
    handle = model.act2.register_forward_hook(lambda m, i, o: activations.append(o))
    with torch.no_grad():
        logit = model(input)
    handle.remove()
    activations = activations[0]
    predicted_class = logit.max(1)[-1]
    _b, k, _u, _v = activations.size()
    score_saliency_map = torch.zeros((1, 1, h, w))
    with torch.no_grad():
        for i in range(k):
            saliency_map = torch.unsqueeze(activations[:, i, :, :], 1)
            saliency_map = F.interpolate(
                saliency_map, size=(h, w), mode="bilinear", align_corners=False
            )
            if saliency_map.max() == saliency_map.min():
                continue
            norm_saliency_map = (saliency_map - saliency_map.min()) / (
                saliency_map.max() - saliency_map.min()
            )
            if fill == "mean":
                output = model(input * norm_saliency_map)
            else:
                output = model((raw * norm_saliency_map - mean) / std)
            output = F.softmax(output, dim=1)
            score = output[0][predicted_class]
            score_saliency_map += score * saliency_map
    score_saliency_map = F.relu(score_saliency_map)
    lo, hi = score_saliency_map.min(), score_saliency_map.max()
    return ((score_saliency_map - lo).div(hi - lo))[0, 0].numpy()


@pytest.mark.parametrize("fill", ["black", "mean"])
def test_reference_weighting_is_the_authors_loop(fill: str) -> None:
    net = tiny_network()
    rgb = photo()
    want = authors_loop(net.model, rgb, fill)
    calls: list[int] = []
    net.model.register_forward_hook(lambda m, i, o: calls.append(i[0].shape[0]))
    got = Explainer(net, "cpu", "fp32", 64).explain(rgb, weighting="reference", fill=fill)
    np.testing.assert_allclose(got.saliency, want, atol=1e-5)
    # channel 1 is a constant, non-zero map: the authors skip it, so it must weigh nothing
    assert got.weights[0] == got.weights[1] == 0.0
    # and no pass is spent on the all-fill input: one classification, then the 8 varying maps
    assert calls == [1, 8] and got.maps_evaluated == 8


def test_reference_progress_reaches_the_total_without_scoring_constant_maps() -> None:
    done = [
        p.done
        for p in Explainer(tiny_network(), "cpu", "fp32", 3).run(photo(), weighting="reference")
    ]
    assert done == sorted(done) and done[-1] == 10


class Saturated(nn.Module):
    """A ReLU6 layer whose channel 0 sits at 6 but for a span of 1e-5, among 1280 channels."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(5)
        self.conv = nn.Conv2d(3, 1280, 3, stride=4, padding=1)
        self.act = nn.ReLU6()
        self.fc = nn.Linear(1280, 5)
        with torch.no_grad():
            self.conv.weight[0] = 0
            self.conv.weight[0, 0, 1, 1] = 2e-6  # inputs span about 5: a span of 1e-5
            self.conv.bias[0] = 6.0 - 1e-5  # 6 - 1e-5 + 1e-5 * x: within (6 - 1e-5, 6)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.act(self.conv(x)).mean((2, 3)))


def test_matlab_weighting_keeps_float64_accuracy_with_a_near_saturated_map() -> None:
    info = NetworkInfo("sat", "Sat", "act", SIZE, MEAN, STD, False, None, "test")
    net = Network(info, Saturated().eval(), [f"c{i}" for i in range(5)], "random", "act")
    rgb = photo(7)
    got = Explainer(net, "cpu", "fp32", 256).explain(rgb, weighting="matlab")
    acts = torch.from_numpy(got.activations).double()
    span = np.ptp(got.activations[0])
    assert 0 < span < 2e-5  # the case in question is really there
    # float64 brute force from the engine's own activations and weights
    up = F.interpolate(acts[None], size=(SIZE, SIZE), mode="bilinear", align_corners=False)[0]
    lo, hi = up.amin((1, 2), keepdim=True), up.amax((1, 2), keepdim=True)
    m = torch.where(hi > lo, (up - lo) / (hi - lo).clamp_min(1e-300), 0.0)
    cam = (torch.from_numpy(got.weights).double()[:, None, None] * m).sum(0).clamp_min(0)
    want = ((cam - cam.min()) / (cam.max() - cam.min())).numpy()
    assert np.abs(got.saliency - want).max() < 1e-4


@pytest.mark.parametrize("fill", ["black", "mean"])
def test_named_target_and_masked_inputs(fill: str) -> None:
    net = tiny_network(3)
    rgb = photo(4)
    want, _, xm, _ = reference(net.model, rgb, "paper", fill, target=2)
    got = Explainer(net, "cpu", "fp32", 4).explain(rgb, target=2, fill=fill)
    assert got.target.index == 2 and got.target.name == "c2"
    np.testing.assert_allclose(got.saliency, want, atol=1e-5)
    # masked input k as RGB is the reference's masked tensor, un-normalised.
    mean = torch.tensor(MEAN).view(3, 1, 1)
    std = torch.tensor(STD).view(3, 1, 1)
    for k in (0, 1, 5):
        rgb_k = ((xm[k] * std + mean).clamp(0, 1) * 255).permute(1, 2, 0).numpy()
        assert np.abs(masked_input(got, k).astype(float) - rgb_k).max() <= 1.0


def test_constant_maps_scored_once() -> None:
    net = tiny_network()
    calls: list[int] = []
    net.model.register_forward_hook(lambda m, i, o: calls.append(i[0].shape[0]))
    got = Explainer(net, "cpu", "fp32", 64).explain(photo())
    constant = int((np.ptp(got.activations.reshape(10, -1), axis=1) == 0).sum())
    assert constant >= 2
    assert got.maps_evaluated == 10 - constant + 1
    # one classification pass and one batch holding the shared all-fill input and the rest
    assert calls == [1, got.maps_evaluated]
    assert got.scores[0] == got.scores[1]


def test_progress_and_cancel_between_batches() -> None:
    net = tiny_network()
    batches: list[int] = []
    net.model.register_forward_hook(lambda m, i, o: batches.append(i[0].shape[0]))
    gen = Explainer(net, "cpu", "fp32", batch_size=2).run(photo())
    first = next(gen)
    assert 0 < first.done < first.total == 10
    # Each yield comes straight after its batch: one classification pass and one batch so far,
    # nothing scored ahead of the consumer.
    assert batches == [1, 2]
    gen.close()  # what the GUI's Cancel does
    with pytest.raises(StopIteration):
        next(gen)
    assert batches == [1, 2]
    # run to the end: progress only grows and ends at the total
    done = [p.done for p in Explainer(net, "cpu", "fp32", 2).run(photo())]
    assert done == sorted(done) and done[-1] == 10


def test_out_of_memory_halves_batch_and_gives_same_map(monkeypatch: pytest.MonkeyPatch) -> None:
    net = tiny_network()
    clean = Explainer(net, "cpu", "fp32", 8).explain(photo())
    sizes: list[int] = []
    forward = net.model.forward

    def limited(x: torch.Tensor) -> torch.Tensor:
        sizes.append(x.shape[0])
        if x.shape[0] > 2:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return forward(x)

    monkeypatch.setattr(net.model, "forward", limited)
    got = Explainer(net, "cpu", "fp32", 8).explain(photo())
    np.testing.assert_array_equal(got.saliency, clean.saliency)
    np.testing.assert_array_equal(got.scores, clean.scores)
    assert 8 in sizes and 4 in sizes and max(sizes[sizes.index(2) :]) == 2


def test_other_errors_are_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    net = tiny_network()
    ex = Explainer(net, "cpu", "fp32", 8)
    gen = ex.run(photo())

    def broken(x: torch.Tensor) -> torch.Tensor:
        raise RuntimeError("shape mismatch")

    monkeypatch.setattr(net.model, "forward", broken)
    with pytest.raises(RuntimeError, match="shape mismatch"):
        next(gen)


def test_invalid_arguments_fail_before_work() -> None:
    ex = Explainer(tiny_network(), "cpu", "fp32")
    with pytest.raises(ValueError, match="weighting"):
        ex.run(photo(), weighting="nope")
    with pytest.raises(ValueError, match="fill"):
        ex.run(photo(), fill="grey")
    with pytest.raises(ValueError, match="out of range"):
        ex.run(photo(), target=7)
    with pytest.raises(ValueError, match="no layer"):
        ex.run(photo(), layer="conv9")


def test_approximate_mode_scores_top_variance_maps() -> None:
    net = tiny_network()
    full = Explainer(net, "cpu", "fp32").explain(photo())
    approx = Explainer(net, "cpu", "fp32").explain(photo(), approximate=3)
    assert approx.approximate == 3 and approx.maps_evaluated == 3
    var = full.activations.reshape(10, -1).var(1)
    assert set(np.flatnonzero(approx.evaluated)) == set(np.argsort(var)[-3:])
    assert np.count_nonzero(approx.weights) == 3
    assert approx.saliency.shape == full.saliency.shape


def test_engine_imports_no_qt() -> None:
    import subprocess
    import sys
    from pathlib import Path

    import scorecam_gui.engine

    # Every module of the engine and the command line (the optional extras' too, if installed;
    # Ray's executor is left out: Ray itself may import anything).
    code = (
        "import importlib, pkgutil, sys, scorecam_gui.engine, scorecam_gui.cli\n"
        "for pkg in (scorecam_gui.engine, scorecam_gui.cli):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if m.name.rsplit('.', 1)[-1] not in ('ray_executor', 'grid_ray', '__main__'):\n"
        "            try:\n"
        "                importlib.import_module(m.name)\n"
        "            except ImportError as exc:\n"
        "                if 'scorecam_gui' in str(exc):\n"
        "                    raise\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'PyQt5', 'PyQt6', 'shiboken6', 'pyqtgraph', 'matplotlib'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # torch.hub imports tqdm when it is installed; the engine itself never prints progress. The
    # one tqdm in it is the adapter that huggingface_hub's downloads report through, silenced.
    engine = Path(scorecam_gui.engine.__file__).parent
    for source in engine.rglob("*.py"):
        text = source.read_text()
        if source.name == "timm_models.py":
            assert text.count("tqdm(") == 0 and 'kwargs["disable"] = True' in text
            continue
        assert "tqdm" not in text, source


@pytest.mark.parametrize(("h", "w", "size"), [(7, 7, 224), (13, 9, 224), (14, 14, 224), (3, 5, 32)])
def test_upsampled_range_without_upsampling_equals_brute_force(h: int, w: int, size: int) -> None:
    """The sparse path (extremes only where a run of output positions starts or ends)."""
    from scorecam_gui.engine.methods.scorecam.masks import _axis_weights, _run_ends, upsampled_range

    acts = torch.randn(40, h, w, generator=torch.Generator().manual_seed(h * w))
    acts[3] = 0.5  # a constant map
    acts[4] = 0.0
    acts[4, h // 2, w // 2] = 2.0  # one hot pixel
    ry, rx = _axis_weights(h, size, acts), _axis_weights(w, size, acts)
    assert 4 * len(_run_ends(ry)) * len(_run_ends(rx)) <= size * size  # the sparse path runs
    lo, hi = upsampled_range(acts, size, chunk=8)
    full = F.interpolate(acts[:, None], size=(size, size), mode="bilinear", align_corners=False)
    torch.testing.assert_close(lo, full.flatten(1).amin(1), rtol=0, atol=1e-6)
    torch.testing.assert_close(hi, full.flatten(1).amax(1), rtol=0, atol=1e-6)


def test_upsampled_range_of_large_maps_upsamples_in_chunks() -> None:
    from scorecam_gui.engine.methods.scorecam.masks import upsampled_range

    acts = torch.randn(5, 100, 100, generator=torch.Generator().manual_seed(0))
    lo, hi = upsampled_range(acts, 112, chunk=2)
    full = F.interpolate(acts[:, None], size=(112, 112), mode="bilinear", align_corners=False)
    torch.testing.assert_close(lo, full.flatten(1).amin(1))
    torch.testing.assert_close(hi, full.flatten(1).amax(1))


@pytest.mark.parametrize(("h", "w", "size"), [(7, 7, 224), (13, 9, 224), (56, 28, 224), (1, 1, 32)])
def test_normalised_masks_equal_bilinear_upsampling(h: int, w: int, size: int) -> None:
    """On the CPU the masks are two matrix products: F.interpolate's masks to float rounding."""
    from scorecam_gui.engine.methods.scorecam.masks import normalised_masks

    acts = torch.randn(6, h, w, generator=torch.Generator().manual_seed(h + w))
    lo, span = acts.flatten(1).amin(1) - 0.1, torch.linspace(0.5, 2.0, 6)
    masks = normalised_masks(acts, lo, span, size)
    small = (acts - lo[:, None, None]) / span[:, None, None]
    want = F.interpolate(small[:, None], size=(size, size), mode="bilinear", align_corners=False)
    assert masks.shape == (6, 1, size, size)
    torch.testing.assert_close(masks, want, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("fill", ["black", "mean"])
def test_three_weightings_from_one_set_of_passes(fill: str) -> None:
    """run_weightings: each weighting's map, weights and scored maps equal its own run, from the
    passes of one run (the shared all-fill input once, for `paper` and `matlab`; `reference`
    still gives the constant maps no weight)."""
    net = tiny_network(2)
    rgb = photo(3)
    explainer = Explainer(net, "cpu", "fp32", 4)
    calls: list[int] = []
    hook = net.model.register_forward_hook(lambda m, i, o: calls.append(i[0].shape[0]))
    done: list[int] = []
    gen = explainer.run_weightings(rgb, ("paper", "matlab", "reference"), fill=fill)
    results = run_to_end(gen, lambda p: done.append(p.done))
    hook.remove()
    assert done == sorted(done) and done[-1] == 10
    shared = sum(calls) - 1  # the passes after the classification
    alone_passes = 0
    for weighting in ("paper", "matlab", "reference"):
        calls.clear()
        hook = net.model.register_forward_hook(lambda m, i, o: calls.append(i[0].shape[0]))
        alone = explainer.explain(rgb, weighting=weighting, fill=fill)
        hook.remove()
        alone_passes += sum(calls) - 1
        got = results[weighting]
        assert got.weighting == weighting
        np.testing.assert_allclose(got.saliency, alone.saliency, atol=1e-5)
        np.testing.assert_allclose(got.weights, alone.weights, atol=1e-6)
        np.testing.assert_array_equal(got.evaluated, alone.evaluated)
    assert results["reference"].weights[0] == results["reference"].weights[1] == 0.0
    assert shared == results["paper"].maps_evaluated and alone_passes > 2.5 * shared
