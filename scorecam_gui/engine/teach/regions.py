"""Where a map looks, and the shortcut rule: when most of a class's maps gather in the same small
spot away from the middle of the photo, say so in plain words (docs/teaching.md says why).

Each map (values in [0, 1], the network's input size) is summed up by its hot part, the pixels at
half its peak or more: how much of the photo that part covers, and where its centre of mass
lies, named by the cell of a 3 x 3 grid it falls in (a corner, an edge, the middle). A class is
flagged when the same corner or edge holds the small hot part of at least `AGREE` of its maps
(and of `MIN_PHOTOS` maps at least): objects move from photo to photo, a watermark, a ruler or a
sticker does not.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "AGREE",
    "HOT",
    "MIDDLE",
    "MIN_PHOTOS",
    "REGIONS",
    "SMALL",
    "Spot",
    "agreement",
    "shortcut_warning",
    "spot",
]

HOT = 0.5  # a pixel is hot at half the map's peak or more
SMALL = 0.3  # a hot part covering at most 30 % of the photo is a small spot
AGREE = 0.6  # "most photos": three in five or more
MIN_PHOTOS = 3  # fewer maps than this say nothing about a habit
MIDDLE = "middle"
# The 3 x 3 grid's cells, row by row: the words the warning uses.
REGIONS: tuple[str, ...] = (
    "top-left corner",
    "top edge",
    "top-right corner",
    "left edge",
    MIDDLE,
    "right edge",
    "bottom-left corner",
    "bottom edge",
    "bottom-right corner",
)


@dataclass(frozen=True)
class Spot:
    """Where one map looks: the grid cell of its hot part's centre of mass, that centre (row and
    column as shares of the photo's height and width) and the share of the photo it covers."""

    region: str
    centre: tuple[float, float]
    hot_share: float

    @property
    def small(self) -> bool:
        return self.hot_share <= SMALL


def spot(saliency: np.ndarray) -> Spot:
    """The spot of one (H, W) map; a flat map (no peak) covers the whole photo."""
    m = np.asarray(saliency, dtype=np.float64)
    peak = float(m.max()) if m.size else 0.0
    if not np.isfinite(peak) or peak <= 0 or float(m.min()) >= peak:
        return Spot(MIDDLE, (0.5, 0.5), 1.0)
    weights = np.where(m >= HOT * peak, m, 0.0)
    h, w = m.shape
    rows = (np.arange(h) + 0.5) / h
    cols = (np.arange(w) + 0.5) / w
    total = float(weights.sum())
    y = float(weights.sum(1) @ rows) / total
    x = float(weights.sum(0) @ cols) / total
    cell = min(int(y * 3), 2) * 3 + min(int(x * 3), 2)
    return Spot(REGIONS[cell], (y, x), float((weights > 0).mean()))


def agreement(spots: Sequence[Spot]) -> tuple[str, int] | None:
    """The corner or edge holding the most small spots, and how many; None when there is none."""
    counts = Counter(s.region for s in spots if s.small and s.region != MIDDLE)
    if not counts:
        return None
    region, count = max(counts.items(), key=lambda item: (item[1], -REGIONS.index(item[0])))
    return region, count


def needed(photos: int) -> int:
    """How many maps must agree for a class of `photos` maps to be flagged."""
    return max(MIN_PHOTOS, math.ceil(AGREE * photos))


def shortcut_warning(class_name: str, spots: Sequence[Spot]) -> str | None:
    """The plain-words warning for a class whose maps gather in the same corner or edge, or
    None."""
    found = agreement(spots)
    if found is None or found[1] < needed(len(spots)):
        return None
    region, count = found
    return (
        f"the network looks at the {region} in {count} of {len(spots)} '{class_name}' photos: "
        "check what is there"
    )
