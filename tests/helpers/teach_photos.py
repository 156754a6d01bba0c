"""Folders to teach from, made of real photos (scikit-image's samples, no download): random
crops, mirror images and colour changes of a dozen pictures, two classes drawn alike, and in one
of them a small mark in the bottom-right corner of every photo. The only thing that tells the
classes apart is the mark: what a shortcut looks like."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

__all__ = ["MARK", "MARK_CORNER", "SIZE", "make_folder", "mark_quarter_share"]

SIZE = 224
MARK = 34  # pixels a side, as in the probe
MARK_CORNER = "bottom-right"
_COLOUR = ("chelsea", "coffee", "astronaut", "rocket", "hubble_deep_field", "immunohistochemistry")
_GREY = ("camera", "brick", "grass", "gravel", "coins", "clock")


@cache
def _sources() -> tuple[Image.Image, ...]:
    from skimage import data

    images = [Image.fromarray(getattr(data, n)()).convert("RGB") for n in _COLOUR + _GREY]
    return tuple(images)


def _photo(rng: np.random.Generator) -> Image.Image:
    source = _sources()[int(rng.integers(len(_sources())))]
    w, h = source.size
    side = int(min(w, h) * rng.uniform(0.5, 1.0))
    x, y = int(rng.integers(0, w - side + 1)), int(rng.integers(0, h - side + 1))
    img = source.crop((x, y, x + side, y + side)).resize((SIZE, SIZE), Image.Resampling.BILINEAR)
    if rng.random() < 0.5:
        img = ImageOps.mirror(img)
    img = ImageEnhance.Brightness(img).enhance(rng.uniform(0.7, 1.3))
    img = ImageEnhance.Contrast(img).enhance(rng.uniform(0.7, 1.3))
    return ImageEnhance.Color(img).enhance(rng.uniform(0.5, 1.5))


def _mark(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A sticker in the bottom-right corner: magenta with a black rim, a few pixels in."""
    pixels = np.asarray(img).copy()
    inset = int(rng.integers(3, 9))
    top = SIZE - inset - MARK
    pixels[top : top + MARK, top : top + MARK] = (0, 0, 0)
    pixels[top + 4 : top + MARK - 4, top + 4 : top + MARK - 4] = (255, 0, 255)
    return Image.fromarray(pixels)


def make_folder(root: Path, per_class: int = 36, marked: bool = True, seed: int = 0) -> Path:
    """`root` with the class folders `marked` (the mark, if `marked`) and `plain`, `per_class`
    PNG photos each; returns root."""
    rng = np.random.default_rng(seed)
    for name in ("marked", "plain"):
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            img = _photo(rng)
            if marked and name == "marked":
                img = _mark(img, rng)
            img.save(folder / f"{name}-{i:03d}.png")
    return root


def mark_quarter_share(saliency: np.ndarray) -> float:
    """The share of a map's mass in the mark's quarter of the photo (bottom right)."""
    h, w = saliency.shape
    total = float(saliency.sum())
    return float(saliency[h // 2 :, w // 2 :].sum()) / total if total > 0 else 0.0
