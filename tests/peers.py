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

from scorecam_gui.engine.networks import Network, resolve_layer

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
