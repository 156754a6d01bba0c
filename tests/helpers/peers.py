"""The peers' own maps of a method (pytorch-grad-cam, torch-cam) on a network, a layer and a class,
for the comparisons in tests/test_method_*.py and benchmarks/bench_methods.py.

Each peer is given the network's normalised input, as its documentation shows; pytorch-grad-cam
returns maps at the input size (cv2 bilinear), torch-cam on the layer's grid, upsampled here as
the engine does (bilinear, align_corners=False). The peers are imported when asked for: a test
skips (pytest.importorskip) when one is not installed.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from scorecam_gui.engine.models.layers import resolve_layer
from scorecam_gui.engine.models.types import Network

# Our name -> (peer module, class): pytorch-grad-cam's
GRAD_CAM = {
    "gradcam": "GradCAM",
    "gradcam++": "GradCAMPlusPlus",
    "xgradcam": "XGradCAM",
    "layercam": "LayerCAM",
    "hirescam": "HiResCAM",
    "eigencam": "EigenCAM",
    "ablationcam": "AblationCAM",
    "scorecam-paper": "ScoreCAM",
}
# torch-cam's
TORCH_CAM = {"iscam": "ISCAM", "sscam": "SSCAM", "scorecam-paper": "ScoreCAM"}


def normalised(network: Network, rgb: np.ndarray) -> torch.Tensor:
    """The (1, 3, S, S) input the network sees, on the CPU in fp32."""
    x = torch.from_numpy(rgb.astype(np.float32) / 255.0).permute(2, 0, 1)
    mean = torch.tensor(network.info.mean).view(3, 1, 1)
    std = torch.tensor(network.info.std).view(3, 1, 1)
    return ((x - mean) / std)[None].contiguous()


def grad_cam_map(
    name: str, network: Network, rgb: np.ndarray, layer: str | None, target: int, **options: Any
) -> np.ndarray:
    """pytorch-grad-cam's map (S, S) of method `name` (GRAD_CAM's keys)."""
    cams = importlib.import_module("pytorch_grad_cam")
    targets = importlib.import_module("pytorch_grad_cam.utils.model_targets")
    cls = getattr(cams, GRAD_CAM[name])
    module = resolve_layer(network, layer)
    x = normalised(network, rgb)
    with cls(model=network.model, target_layers=[module], **options) as cam:
        out = cam(input_tensor=x, targets=[targets.ClassifierOutputTarget(target)])
    return np.asarray(out[0], np.float32)


def torch_cam_map(
    name: str,
    network: Network,
    rgb: np.ndarray,
    layer: str | None,
    target: int,
    seed: int = 0,
    **options: Any,
) -> np.ndarray:
    """torch-cam's map (S, S) of method `name` (TORCH_CAM's keys), upsampled bilinearly;
    torch's global generator is seeded with `seed` first (SS-CAM's noise)."""
    methods = importlib.import_module("torchcam.methods")
    cls = getattr(methods, TORCH_CAM[name])
    size = network.info.input_size
    x = normalised(network, rgb)
    model = network.model
    with cls(model, layer or network.default_layer, input_shape=(3, size, size), **options) as ex:
        with torch.inference_mode():
            scores = model(x)
        torch.manual_seed(seed)
        low = ex(class_idx=target, scores=scores)[0]
    up = F.interpolate(low[None].float(), size=(size, size), mode="bilinear", align_corners=False)
    return up[0, 0].numpy()


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of two maps."""
    return float(np.corrcoef(np.ravel(a), np.ravel(b))[0, 1])


# -- the cases the comparisons run on --------------------------------------------------------
SMALL = 32


class Small(torch.nn.Module):
    """conv -> ReLU (the target `act`, 8 maps of 8 x 8) -> conv -> pool -> linear, 5 classes: a
    head that is not linear in the maps, so the methods differ."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, stride=4, padding=1)
        self.act = torch.nn.ReLU()
        self.conv2 = torch.nn.Conv2d(8, 6, 3, padding=1)
        self.fc = torch.nn.Linear(6, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.relu(self.conv2(self.act(self.conv(x)))).mean((2, 3)))


def small_network(seed: int = 0) -> Network:
    from scorecam_gui.engine.models.types import NetworkInfo

    torch.manual_seed(seed)
    model = Small()
    for p in model.parameters():
        torch.nn.init.normal_(p, std=0.5)
    info = NetworkInfo("s", "S", "act", SMALL, (0.5,) * 3, (0.25,) * 3, False, None, "test")
    return Network(info, model.eval(), [f"c{i}" for i in range(5)], "random", "act")


def small_case(seed: int = 0) -> tuple[Network, Any, np.ndarray]:
    """(network, Explainer in exact fp32 with a batch of 4, photo) of the small network."""
    from scorecam_gui.engine.explainer import Explainer

    net = small_network(seed)
    photo = np.random.default_rng(seed + 3).integers(0, 256, (SMALL, SMALL, 3), dtype=np.uint8)
    return net, Explainer(net, "cpu", "fp32", 4, fold_batchnorm=False), photo


_LITE0: dict[str, tuple[Network, Any, np.ndarray]] = {}


def lite0_chelsea(precision: str = "auto") -> tuple[Network, Any, np.ndarray]:
    """(EfficientNet-Lite0, its Explainer on the CPU at `precision`, chelsea as it sees it),
    loaded once per test process."""
    if precision not in _LITE0:
        from PIL import Image
        from skimage import data

        from scorecam_gui.engine.explainer import Explainer
        from scorecam_gui.engine.models.registry import load_network

        net = _LITE0[next(iter(_LITE0))][0] if _LITE0 else load_network("efficientnet_lite0")
        ex = Explainer(net, "cpu", precision)
        _LITE0[precision] = (net, ex, ex.prepare(Image.fromarray(data.chelsea())))
    return _LITE0[precision]


def acts_and_grads(
    network: Network, rgb: np.ndarray, target: int, layer: str | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """The layer's activations A (K, h, w) and d logit_target / d A, by plain autograd: the
    reference the method modules are checked against."""
    module = resolve_layer(network, layer)
    kept: list[torch.Tensor] = []

    def hook(_m: torch.nn.Module, _i: object, out: torch.Tensor) -> None:
        out.retain_grad()
        kept.append(out)

    handle = module.register_forward_hook(hook)
    try:
        logits = network.model(normalised(network, rgb))
        logits[0, target].backward()
    finally:
        handle.remove()
        network.model.zero_grad(set_to_none=True)
    a = kept[-1]
    assert a.grad is not None
    return a.detach()[0].float(), a.grad[0].float()


def reference_map(low: torch.Tensor, size: int) -> np.ndarray:
    """ReLU, bilinear upsampling and min-max of a map on the layer's grid, written out."""
    up = F.interpolate(low.clamp_min(0)[None, None], size=(size, size), mode="bilinear")[0, 0]
    return ((up - up.min()) / (up.max() - up.min())).numpy()
