"""Colour maps as 256-entry lookup tables, without matplotlib.

``jet`` and ``hot`` follow MATLAB's definitions (the app began as a MATLAB example), computed
here. viridis, inferno and magma (Stéfan van der Walt and Nathaniel Smith, CC0) and turbo (Anton
Mikhailov, Google LLC, Apache License 2.0) are stored as every fifth entry of matplotlib's 256-entry
tables, rounded to 8 bits, and interpolated linearly: the result differs from the full tables by at
most one level in 255.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

COLORMAPS: tuple[str, ...] = ("jet", "turbo", "viridis", "inferno", "magma", "hot", "gray")

# Entries 0, 5, 10, ..., 255 of each table as RRGGBB; 255 is a multiple of 5, so the control points
# fall on table entries and linear interpolation between them is nearly exact.
_CONTROL_POINTS: dict[str, str] = {
    "viridis": (
        "440154 46085c 471063 481769 481d6f 482475 472a7a 46307e 453781 433d84 414287 3f4889 "
        "3d4e8a 3a538b 38598c 355e8d 33638d 31688e 2e6d8e 2c718e 2a768e 297b8e 27808e 25848e "
        "23898e 218e8d 20928c 1f978b 1e9c89 1fa188 21a585 24aa83 28ae80 2eb37c 35b779 3dbc74 "
        "46c06f 50c46a 5ac864 65cb5e 70cf57 7cd250 89d548 95d840 a2da37 b0dd2f bddf26 cae11f "
        "d8e219 e5e419 f1e51d fde725"
    ),
    "inferno": (
        "000004 02020c 050417 0a0722 10092d 160b39 1e0c45 260c51 2f0a5b 380962 400a67 490b6a "
        "510e6c 59106e 61136e 69166e 71196e 781c6d 801f6c 88226a 902568 982766 a02a63 a82e5f "
        "b0315b b73557 bf3952 c63d4d cc4248 d34743 d94d3d df5337 e45a31 e9612b ed6925 f1711f "
        "f47918 f78212 f98b0b fa9407 fb9d07 fca60c fcb014 fbba1f fac42a f8cd37 f6d746 f4e156 "
        "f2ea69 f2f27d f5f992 fcffa4"
    ),
    "magma": (
        "000004 02020b 050416 090720 0e0b2b 140e36 1a1042 21114e 29115a 311165 390f6e 420f75 "
        "4a1079 52137c 5a167e 621980 6a1c81 721f81 792282 812581 892881 912b81 992d80 a1307e "
        "aa337d b2357b ba3878 c23b75 ca3e72 d2426f d9466b e04c67 e75263 ec5860 f1605d f4695c "
        "f7725c f97b5d fb8560 fc8e64 fd9869 fea16e feaa74 feb47b febd82 fec68a fecf92 fed89a "
        "fde2a3 fdebac fcf4b6 fcfdbf"
    ),
    # turbo: Copyright 2019 Google LLC, Apache License 2.0.
    "turbo": (
        "30123b 36215f 3b2f80 3f3e9c 424bb5 4559cb 4666dd 4773eb 4680f6 458cfd 4099ff 38a5fb "
        "2fb2f4 27bee9 1fc9dd 1ad4d0 18ddc2 1ae4b6 22ebaa 2ff19b 3ff68a 52fa7a 65fd69 79fe59 "
        "8bff4b 9cfe40 a9fb39 b7f735 c3f134 d0ea34 dbe236 e5d938 eecf3a f5c53a faba39 fdae35 "
        "fea130 fe932a fc8423 f9751d f46617 ef5811 e84b0c e14109 d83706 ce2d04 c32503 b71d02 "
        "a91601 9b0f01 8b0902 7a0403"
    ),
}


def matlab_jet(m: int) -> np.ndarray:
    """MATLAB's ``jet(m)``: an (m, 3) float64 table in [0, 1].

    Each channel is a trapezoid over the rows: a ramp up over n = ceil(m/4) rows (1/n ... 1), n - 1
    rows at 1, a ramp down over n rows (1 ... 1/n). Green's trapezoid starts at row
    ceil(n/2) - (1 if m mod 4 == 1 else 0) (0-based); red's starts n rows later and blue's n rows
    earlier; whatever falls outside the table is cut off. So jet(255) runs from (0, 0, 0.516) to
    (0.516, 0, 0) and jet(256) from (0, 0, 0.516) to (0.5, 0, 0).
    """
    if m < 1:
        raise ValueError(f"jet needs at least one row, got {m}")
    n = math.ceil(m / 4)
    up = np.arange(1, n + 1) / n
    trapezoid = np.concatenate([up, np.ones(n - 1), up[::-1]])
    green_start = math.ceil(n / 2) - (1 if m % 4 == 1 else 0)
    table = np.zeros((m, 3))
    for channel, shift in ((0, n), (1, 0), (2, -n)):
        rows = green_start + shift + np.arange(trapezoid.size)
        inside = (rows >= 0) & (rows < m)
        table[rows[inside], channel] = trapezoid[inside]
    return table


def matlab_hot(m: int) -> np.ndarray:
    """MATLAB's ``hot(m)``: black, red, yellow, white; red ramps over the first 3/8 of the rows,
    green over the next 3/8, blue over the rest. An (m, 3) float64 table in [0, 1]."""
    if m < 1:
        raise ValueError(f"hot needs at least one row, got {m}")
    n = (3 * m) // 8
    rows = np.arange(1, m + 1, dtype=np.float64)
    red = np.clip(rows / n, 0, 1) if n else np.ones(m)
    green = np.clip((rows - n) / n, 0, 1) if n else np.ones(m)
    blue = np.clip((rows - 2 * n) / (m - 2 * n), 0, 1)
    return np.stack([red, green, blue], axis=1)


def _from_control_points(hex_points: str) -> np.ndarray:
    points = np.array(
        [[int(p[i : i + 2], 16) for i in (0, 2, 4)] for p in hex_points.split()], dtype=np.float64
    )
    at = np.linspace(0, 255, len(points))
    lut = np.stack([np.interp(np.arange(256), at, points[:, c]) for c in range(3)], axis=1)
    return np.floor(lut + 0.5).astype(np.uint8)


@cache
def colormap_lut(name: str) -> np.ndarray:
    """The (256, 3) uint8 lookup table of a colour map in ``COLORMAPS`` (read-only, shared)."""
    key = name.lower()
    if key == "jet":
        lut = np.floor(matlab_jet(256) * 255 + 0.5).astype(np.uint8)
    elif key == "hot":
        lut = np.floor(matlab_hot(256) * 255 + 0.5).astype(np.uint8)
    elif key == "gray":
        lut = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)
    elif key in _CONTROL_POINTS:
        lut = _from_control_points(_CONTROL_POINTS[key])
    else:
        raise ValueError(f"unknown colour map {name!r}; choose one of {', '.join(COLORMAPS)}")
    # Cached and shared between callers (and threads): make accidental writes fail loudly.
    lut.setflags(write=False)
    return lut
