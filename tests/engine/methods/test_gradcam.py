"""Grad-CAM and Grad-CAM++ against a reference written here, and checks that they leave the model
and the thread's autograd state as they found them."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods import registry
from scorecam_gui.engine.models.types import Network, NetworkInfo


def gradcam(ex, image, layer=None, target=None, method="gradcam"):  # type: ignore[no-untyped-def]
    """A gradient method's full result (GradCamResult), through the method registry."""
    return registry.explain(ex, image, method, layer=layer, target=target).detail


def run_gradcam(ex, image, layer=None, target=None, method="gradcam"):  # type: ignore[no-untyped-def]
    return registry.run(ex, image, method, layer=layer, target=target)


SIZE = 16
MEAN = (0.4, 0.5, 0.6)
STD = (0.2, 0.25, 0.3)


class Cam(nn.Module):
    """conv -> ReLU (the target) -> global average pool -> linear: Grad-CAM is exactly CAM."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3, stride=2, padding=1)
        self.act = nn.ReLU()
        self.fc = nn.Linear(6, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.act(self.conv(x)).mean((2, 3)))


class InPlace(nn.Module):
    """The target `conv2` is overwritten by an in-place ReLU right after; the head is nonlinear."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3, padding=1)
        self.act1 = nn.ReLU()
        self.conv2 = nn.Conv2d(6, 5, 3, stride=2, padding=1)
        self.act2 = nn.ReLU(inplace=True)
        self.conv3 = nn.Conv2d(5, 4, 3, padding=1)
        self.fc = nn.Linear(4, 3)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv2(self.act1(self.conv1(x)))

    def head(self, a: torch.Tensor) -> torch.Tensor:
        return self.fc(F.relu(self.conv3(F.relu(a))).amax((2, 3)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act2(self.features(x))
        return self.fc(F.relu(self.conv3(x)).amax((2, 3)))


def network(model: nn.Module, layer: str, seed: int = 0) -> Network:
    torch.manual_seed(seed)
    for p in model.parameters():
        nn.init.normal_(p, std=0.5)
    info = NetworkInfo("t", "T", layer, SIZE, MEAN, STD, False, None, "test")
    net = Network(info, model.eval(), ["a", "b", "c"], "random")
    net.default_layer = layer
    return net


def photo(seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (SIZE, SIZE, 3), dtype=np.uint8)


def tensor(rgb: np.ndarray) -> torch.Tensor:
    x = torch.from_numpy(rgb.copy()).permute(2, 0, 1)[None].float() / 255
    return (x - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)


def reference(features, head, rgb: np.ndarray, method: str, c: int | None = None):  # type: ignore[no-untyped-def]
    """The two methods as their papers write them, in float64, every step spelled out."""
    with torch.enable_grad():
        a = features(tensor(rgb)).detach().requires_grad_(True)
        logits = head(a)[0]
        c = int(logits.argmax()) if c is None else c
        (g,) = torch.autograd.grad(logits[c], a)
    a, g = a[0].double().detach(), g[0].double()
    if method == "gradcam":
        w = g.mean((1, 2))
    else:
        alpha = np.zeros(g.shape)
        s = a.sum((1, 2)).numpy()
        gn = g.numpy()
        for k in range(gn.shape[0]):
            for i in range(gn.shape[1]):
                for j in range(gn.shape[2]):
                    d = 2 * gn[k, i, j] ** 2 + s[k] * gn[k, i, j] ** 3
                    alpha[k, i, j] = gn[k, i, j] ** 2 / d if d != 0 else 0.0
        w = (torch.from_numpy(alpha) * g.clamp_min(0)).sum((1, 2))
    cam = (w[:, None, None] * a).sum(0).clamp_min(0).float()
    up = F.interpolate(cam[None, None], size=(SIZE, SIZE), mode="bilinear", align_corners=False)
    up = up[0, 0]
    return ((up - up.min()) / (up.max() - up.min())).numpy(), w.float().numpy(), c


@pytest.mark.parametrize("method", ["gradcam", "gradcam++"])
def test_matches_reference_with_in_place_relu_after_the_layer(method: str) -> None:
    net = network(InPlace(), "conv2")
    m: InPlace = net.model  # type: ignore[assignment]
    rgb = photo()
    want, want_w, c = reference(m.features, m.head, rgb, method)
    got = gradcam(Explainer(net, "cpu", "fp32"), rgb, method=method)
    assert got.target.index == c and got.method == method and got.layer == "conv2"
    np.testing.assert_allclose(got.weights, want_w, rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(got.saliency, want, atol=1e-5)
    assert got.saliency.shape == (SIZE, SIZE) and got.saliency.dtype == np.float32
    assert got.saliency.min() == 0.0 and got.saliency.max() == pytest.approx(1.0)
    assert got.activations.shape == got.gradients.shape == (5, SIZE // 2, SIZE // 2)


def test_on_a_cam_network_weights_are_known_in_closed_form() -> None:
    net = network(Cam(), "act", seed=2)
    m: Cam = net.model  # type: ignore[assignment]
    ex = Explainer(net, "cpu", "fp32")
    rgb = photo(3)
    hw = (SIZE // 2) ** 2
    v = m.fc.weight.detach()[1].numpy()
    # d logit / d A_k = v_k / (h w) everywhere: Grad-CAM's weight is that constant.
    g = gradcam(ex, rgb, target=1)
    np.testing.assert_allclose(g.weights, v / hw, rtol=1e-5)
    want, _, _ = reference(
        lambda x: m.act(m.conv(x)), lambda a: m.fc(a.mean((2, 3))), rgb, "gradcam", 1
    )
    np.testing.assert_allclose(g.saliency, want, atol=1e-5)
    # Grad-CAM++: alpha = 1 / (2 + S_k g_k), so w_k = h w ReLU(g_k) / (2 + S_k g_k).
    pp = gradcam(ex, rgb, target=1, method="gradcam++")
    s = pp.activations.sum((1, 2)).astype(np.float64)
    gk = v.astype(np.float64) / hw
    np.testing.assert_allclose(pp.weights, hw * np.maximum(gk, 0) / (2 + s * gk), rtol=1e-5)


def test_leaves_model_and_autograd_state_as_found() -> None:
    net = network(InPlace(), "conv2")
    net.model.conv1.weight.requires_grad_(False)  # a frozen layer stays frozen
    flags = [p.requires_grad for p in net.model.parameters()]
    ex = Explainer(net, "cpu", "fp32")
    want = gradcam(ex, photo()).saliency

    with torch.no_grad():
        np.testing.assert_array_equal(gradcam(ex, photo()).saliency, want)
        assert not torch.is_grad_enabled()
    with torch.inference_mode():
        np.testing.assert_array_equal(gradcam(ex, photo(), method="gradcam").saliency, want)
        assert torch.is_inference_mode_enabled()
    assert torch.is_grad_enabled() and not torch.is_inference_mode_enabled()

    out: list[np.ndarray] = []
    thread = threading.Thread(target=lambda: out.append(gradcam(ex, photo()).saliency))
    thread.start()
    thread.join()
    np.testing.assert_array_equal(out[0], want)

    assert [p.requires_grad for p in net.model.parameters()] == flags
    assert all(p.grad is None for p in net.model.parameters())
    for mod in net.model.modules():
        assert not mod._forward_hooks and not mod._backward_hooks


def test_fully_frozen_network_still_works() -> None:
    net = network(Cam(), "act")
    for p in net.model.parameters():
        p.requires_grad_(False)
    got = gradcam(Explainer(net, "cpu", "fp32"), photo())
    assert got.saliency.max() == pytest.approx(1.0)
    assert not any(p.requires_grad for p in net.model.parameters())


def test_generator_yields_once() -> None:
    gen = run_gradcam(Explainer(network(Cam(), "act"), "cpu", "fp32"), photo())
    first = next(gen)
    assert (first.done, first.total) == (1, 1)
    with pytest.raises(StopIteration) as stop:
        next(gen)
    assert stop.value.value.saliency.shape == (SIZE, SIZE)


def test_invalid_arguments_fail_before_work() -> None:
    net = network(Cam(), "act")
    calls: list[int] = []
    net.model.register_forward_hook(lambda m, i, o: calls.append(1))
    ex = Explainer(net, "cpu", "fp32")
    with pytest.raises(ValueError, match="method"):
        run_gradcam(ex, photo(), method="gradcam+++")
    with pytest.raises(ValueError, match="out of range"):
        run_gradcam(ex, photo(), target=3)
    with pytest.raises(ValueError, match="no layer"):
        run_gradcam(ex, photo(), layer="conv9")
    with pytest.raises(ValueError, match="C x H x W"):
        gradcam(ex, photo(), layer="fc")
    assert calls == [1]  # only the last call got as far as a forward pass
