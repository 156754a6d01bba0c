"""The shortcut rule on made-up maps: where a map looks, and when a class's maps agree."""

from __future__ import annotations

import numpy as np
import pytest

from scorecam_gui.engine.teach import regions
from scorecam_gui.engine.teach.shortcuts import check_class

S = 224


def _blob(row: float, col: float, radius: float = 0.07, floor: float = 0.0) -> np.ndarray:
    """A map with a round hot spot centred at (row, col), as shares of the side."""
    y, x = np.mgrid[0:S, 0:S] / S
    m = np.exp(-(((y - row) ** 2 + (x - col) ** 2) / (2 * radius**2)))
    return (floor + (1 - floor) * m).astype(np.float32)


@pytest.mark.parametrize(
    ("row", "col", "region"),
    [
        (0.88, 0.88, "bottom-right corner"),
        (0.1, 0.1, "top-left corner"),
        (0.1, 0.5, "top edge"),
        (0.5, 0.9, "right edge"),
        (0.5, 0.5, "middle"),
    ],
)
def test_a_small_spot_is_named_by_its_cell(row: float, col: float, region: str) -> None:
    found = regions.spot(_blob(row, col))
    assert found.region == region and found.small
    assert found.centre == pytest.approx((row, col), abs=0.05)


def test_a_broad_or_flat_map_is_not_a_small_spot() -> None:
    assert not regions.spot(_blob(0.9, 0.9, radius=0.6)).small
    flat = regions.spot(np.full((S, S), 0.3, np.float32))
    assert flat.region == regions.MIDDLE and flat.hot_share == 1.0
    assert regions.spot(np.zeros((S, S), np.float32)).hot_share == 1.0


def test_most_maps_in_one_corner_are_a_shortcut() -> None:
    rng = np.random.default_rng(0)
    corner = [_blob(0.88 + rng.uniform(-0.04, 0.04), 0.1) for _ in range(9)]
    spots = [regions.spot(m) for m in [*corner, _blob(0.5, 0.5)]]
    warning = regions.shortcut_warning("wolf", spots)
    assert warning == (
        "the network looks at the bottom-left corner in 9 of 10 'wolf' photos: check what is there"
    )


def test_maps_that_move_with_the_object_or_sit_in_the_middle_are_not() -> None:
    rng = np.random.default_rng(1)
    moving = [regions.spot(_blob(*rng.uniform(0.1, 0.9, 2))) for _ in range(12)]
    assert regions.shortcut_warning("cat", moving) is None
    middle = [regions.spot(_blob(0.5, 0.5)) for _ in range(10)]
    assert regions.shortcut_warning("cat", middle) is None


def test_the_rule_needs_most_photos_and_at_least_three() -> None:
    corner, middle = regions.spot(_blob(0.9, 0.9)), regions.spot(_blob(0.5, 0.5))
    assert regions.needed(10) == 6 and regions.needed(2) == 3
    assert regions.shortcut_warning("x", [corner] * 6 + [middle] * 4) is not None
    assert regions.shortcut_warning("x", [corner] * 5 + [middle] * 5) is None
    assert regions.shortcut_warning("x", [corner] * 2) is None  # two photos say nothing


def test_check_class_averages_and_lists_the_odd_photos_first() -> None:
    maps = [_blob(0.9, 0.9)] * 4 + [_blob(0.2, 0.2)]
    photos = [np.full((S, S, 3), v, np.uint8) for v in (0, 50, 100, 150, 200)]
    check = check_class("marked", [f"p{i}.png" for i in range(5)], maps, photos)
    assert check.warning is not None and "bottom-right corner in 4 of 5" in check.warning
    assert check.odd[0][0] == "p4.png" and check.odd[0][1] < check.odd[1][1]
    assert check.average_map.shape == (S, S) and check.average_photo[0, 0, 0] == 100
    assert check.habit() == ("bottom-right corner", 4) and check.judged
