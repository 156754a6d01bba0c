"""The bundled EfficientNet-Lite0 with its real weights on real photos (scikit-image, CC0)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from skimage import data

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods.base import MethodResult
from scorecam_gui.engine.models.registry import load_network

CATS = {281, 282, 285}  # tabby, tiger cat, Egyptian cat
EGYPTIAN_CAT, ESPRESSO = 285, 967


@pytest.fixture(scope="module")
def explainer() -> Explainer:
    return Explainer(load_network(), device="cpu")  # default (auto) precision: the real path


def mass_in(result: MethodResult, box: tuple[float, float, float, float]) -> float:
    """Share of the map's mass inside a box given as fractions (x0, y0, x1, y1) of the photo."""
    s = result.saliency
    h, w = s.shape
    x0, y0, x1, y1 = box
    return float(s[int(y0 * h) : int(y1 * h), int(x0 * w) : int(x1 * w)].sum() / s.sum())


def hot_centroid(result: MethodResult) -> tuple[float, float]:
    """Centre of the pixels above half the map's peak, as fractions (x, y) of the photo."""
    ys, xs = np.nonzero(result.saliency > 0.5)
    h, w = result.saliency.shape
    return float(xs.mean() / w), float(ys.mean() / h)


def test_chelsea_is_a_cat_and_the_map_sits_on_its_face(explainer: Explainer) -> None:
    result = explainer.explain(Image.fromarray(data.chelsea()))
    assert {p.index for p in result.top5[:3]} == CATS
    assert result.maps_total == 1280
    # Constant maps are shared: far fewer masked passes than maps.
    assert result.maps_evaluated < 800
    x, y = hot_centroid(result)
    # The face lies between x 100..360 and y 50..230 of the 451 x 300 photo (eyes ~ y 110-135).
    assert 100 / 451 < x < 360 / 451 and 50 / 300 < y < 230 / 300


def test_coffee_is_espresso_and_the_map_sits_on_the_cup(explainer: Explainer) -> None:
    result = explainer.explain(Image.fromarray(data.coffee()))
    assert result.top5[0].index == ESPRESSO
    # The cup (x 170..410, y 15..215 of 600 x 400) is a fifth of the photo; it holds over half.
    assert mass_in(result, (170 / 600, 15 / 400, 410 / 600, 215 / 400)) > 0.5


def test_paper_weighting_follows_the_named_class_on_a_composite(explainer: Explainer) -> None:
    """A cat on the left, an espresso on the right: the map moves to the class explained."""
    cat = Image.fromarray(data.chelsea()).resize((300, 300))
    cup = Image.fromarray(data.coffee()).resize((300, 300))
    both = Image.new("RGB", (600, 300))
    both.paste(cat, (0, 0))
    both.paste(cup, (300, 0))
    on_cat = explainer.explain(both, target=EGYPTIAN_CAT)
    on_cup = explainer.explain(both, target=ESPRESSO)
    left = (0.0, 0.0, 0.5, 1.0)
    # docs/scorecam.md: 0.909 on the cat and 0.741 on the cup.
    assert mass_in(on_cat, left) > 0.8
    assert 1 - mass_in(on_cup, left) > 0.65
    assert on_cup.target.name == "espresso"
