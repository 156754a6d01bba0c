"""The Compare tab's one-sentence verdict and the sanity check's time estimate (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scorecam_gui.app.compare.job import CompareMap
from scorecam_gui.app.compare.verdict import (
    agreement,
    duration_words,
    favoured,
    sanity_seconds,
    verdict,
)


@dataclass(frozen=True)
class Curve:
    auc: float


@dataclass(frozen=True)
class Metrics:
    drop: float
    deletion: Curve
    insertion: Curve


def blob(cx: float, cy: float) -> np.ndarray:
    y, x = np.mgrid[0:32, 0:32] / 31.0
    return np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 0.02).astype(np.float32)


def test_maps_alike_agree_and_maps_apart_disagree():
    assert agreement([blob(0.3, 0.3), blob(0.32, 0.3)]) > 0.9
    assert agreement([blob(0.2, 0.2), blob(0.8, 0.8)]) < 0.1
    assert agreement([blob(0.3, 0.3)]) is None
    assert agreement([blob(0.3, 0.3), np.zeros((32, 32))]) == 0.0


def test_the_verdict_names_the_method_the_tests_favour():
    maps = [
        CompareMap(
            "paper", "Score-CAM (paper)", blob(0.3, 0.3), Metrics(0.2, Curve(0.1), Curve(0.7))
        ),
        CompareMap("gradcam", "Grad-CAM", blob(0.31, 0.3), Metrics(0.4, Curve(0.2), Curve(0.6))),
    ]
    assert favoured(maps) == ("Score-CAM (paper)", ["Score lost", "Removal test", "Adding test"])
    text = verdict(maps)
    assert text.startswith("The methods agree on where the network looked")
    assert "the tests favour Score-CAM (paper)" in text and text.count(".") >= 1


def test_without_measures_the_verdict_says_how_to_get_them():
    maps = [
        CompareMap("paper", "Score-CAM (paper)", blob(0.2, 0.2)),
        CompareMap("gradcam", "Grad-CAM", blob(0.8, 0.8)),
    ]
    text = verdict(maps)
    assert "disagree" in text and "Measure how faithful" in text


def test_the_sanity_check_estimate():
    # Two Score-CAM methods at 20 s a map and Grad-CAM at 0.1 s a classification, 5 steps.
    seconds = sanity_seconds(("paper", "matlab", "gradcam"), 20.0, 0.1, 5)
    assert seconds == 2 * 6 * 20.0 + 6 * 3 * 0.1
    assert duration_words(seconds) == "about 4 minutes"
    assert duration_words(12) == "about 10 s"
    assert duration_words(4000) == "about 67 minutes"
    assert duration_words(6000) == "about 1 h 40 min"
