"""The numbers behind engine/trust.py's rule: top class, its probability, the second's, and the
softmax's entropy for the bundled EfficientNet-Lite0 on the sample and scikit-image's photos, as a
Markdown table (docs/trust.md). `python benchmarks/trust_numbers.py`."""

from __future__ import annotations

import numpy as np
import skimage.data as data
import torch
from PIL import Image

from scorecam_gui.appdata import sample_photo_path
from scorecam_gui.engine import imaging
from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.models.registry import load_network
from scorecam_gui.engine.trust import assess, softmax_entropy_bits

PHOTOS = [
    "coffee",
    "camera",
    "astronaut",
    "rocket",
    "text",
    "page",
    "clock",
    "moon",
    "horse",
    "checkerboard",
    "coins",
    "logo",
    "colorwheel",
    "hubble_deep_field",
    "immunohistochemistry",
    "retina",
    "brick",
    "grass",
    "gravel",
]


def as_rgb(array: np.ndarray) -> np.ndarray:
    if array.dtype == bool:
        array = array.astype(np.uint8) * 255
    if array.dtype != np.uint8:
        array = (255 * (array - array.min()) / (np.ptp(array) or 1)).astype(np.uint8)
    if array.ndim == 2:
        array = np.stack([array] * 3, -1)
    return array[..., :3]


def main() -> None:
    network = load_network("efficientnet_lite0")
    explainer = Explainer(network, "cpu", "fp32")
    runner = explainer.inference
    photos = {"chelsea (the sample)": np.asarray(imaging.load_image(sample_photo_path()))}
    photos.update({name: as_rgb(getattr(data, name)()) for name in PHOTOS})
    photos["uniform noise"] = np.random.default_rng(0).integers(0, 256, (224, 224, 3), np.uint8)
    photos["plain grey"] = np.full((224, 224, 3), 128, np.uint8)
    print("| photo | top class | top | second | entropy (bits) | as if N classes | verdict |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, rgb in photos.items():
        with torch.inference_mode():
            x = runner.normalise(runner.to_tensor(explainer.prepare(Image.fromarray(rgb))))
            logits = runner.exact_logits(x[None])[0].float()
        top5 = explainer.predictions(logits)
        entropy = softmax_entropy_bits(logits.numpy())
        trust = assess(top5, top5[0], entropy)
        verdict = "unfamiliar" if trust.photo_unfamiliar else "familiar"
        print(
            f"| {name} | {top5[0].name} | {top5[0].probability:.1%} | "
            f"{top5[1].probability:.1%} | {entropy:.2f} | {2**entropy:.1f} | {verdict} |"
        )


if __name__ == "__main__":
    main()
