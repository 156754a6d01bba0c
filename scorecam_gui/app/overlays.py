"""Pictures the worker thread prepares for the GUI: the overlay for given render settings and
the masked-input tiles. Qt-free (engine/imaging.py does the drawing), so jobs.py stays Qt-free."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

import numpy as np

from ..engine import imaging


class RenderSettings(TypedDict):
    """How the canvas draws the map: render_overlay's keyword arguments."""

    mode: str
    colormap: str
    opacity: float


def render_overlay(
    photo: np.ndarray, saliency: np.ndarray, mode: str, colormap: str, opacity: float
) -> np.ndarray:
    """The overlay as the engine renders it for these settings (safe in any thread)."""
    if mode == "matlab":
        return imaging.render_matlab_overlay(photo, saliency)
    return imaging.render_blend(photo, saliency, colormap=colormap, opacity=opacity)


@dataclass(frozen=True)
class MaskedTile:
    """One masked input as the engine made it (masked_input(result, k)) with its numbers."""

    channel: int
    image: np.ndarray  # (S, S, 3) uint8
    score: float
    weight: float
