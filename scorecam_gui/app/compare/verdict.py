"""What the Compare tab's numbers mean for this photo, in one sentence, and how long a sanity check
will take before it starts. Qt-free: the numbers are the engine's (maps, MapMetrics, timings).

The verdict has two halves:
- whether the methods agree on where the network looked: the mean Pearson correlation of their
  maps, pair by pair (at least 0.7: they agree; 0.4 to 0.7: partly; below: they disagree);
- which method the faithfulness tests favour, when they were measured: the method best on most
  of the three tests (Score lost, Removal test: lower is better; Adding test: higher is better).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from ..translation import QT_TRANSLATE_NOOP, translate

if TYPE_CHECKING:
    from .job import CompareMap

AGREE_FROM = 0.7
PARTLY_FROM = 0.4
# Compare tab names of the three tests (gui/compare/view.py's PLAIN, the same catalogue
# entries) and which way is better.
TESTS = (
    (QT_TRANSLATE_NOOP("CompareView", "Score lost"), "drop", -1),
    (QT_TRANSLATE_NOOP("CompareView", "Removal test"), "deletion", -1),
    (QT_TRANSLATE_NOOP("CompareView", "Adding test"), "insertion", 1),
)


def agreement(maps: Sequence[np.ndarray]) -> float | None:
    """Mean pairwise correlation of the maps (None for fewer than two; a flat map counts as 0)."""
    if len(maps) < 2:
        return None
    values = []
    for a, b in combinations(maps, 2):
        x, y = np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel()
        if x.shape != y.shape or x.std() == 0 or y.std() == 0:
            values.append(0.0)
        else:
            values.append(float(np.corrcoef(x, y)[0, 1]))
    return float(np.mean(values))


def _value(metrics: object, name: str) -> float:
    value = getattr(metrics, name)
    return float(value.auc if hasattr(value, "auc") else value)


def favoured(maps: Sequence[CompareMap]) -> tuple[str, list[str]] | None:
    """The method best on most tests and the tests it is best on; None without metrics or with
    a tie for most wins."""
    measured = [m for m in maps if m.metrics is not None and m.method != "noise"]
    if len(measured) < 2:
        return None
    wins: dict[str, list[str]] = {m.label: [] for m in measured}
    for title, name, sign in TESTS:
        best = max(measured, key=lambda m: sign * _value(m.metrics, name))
        wins[best.label].append(title)
    ranked = sorted(wins.items(), key=lambda item: -len(item[1]))
    if len(ranked) > 1 and len(ranked[0][1]) == len(ranked[1][1]):
        return None
    return ranked[0]


def verdict(maps: Sequence[CompareMap]) -> str:
    """One sentence: whether the methods agree, and which the tests favour."""
    r = agreement([m.saliency for m in maps])
    if r is None:
        return translate("CompareVerdict", "Only one method was run: nothing to compare it with.")
    match = f"{r:.2f}"
    if r >= AGREE_FROM:
        agree = translate(
            "CompareVerdict",
            "The methods agree on where the network looked (their maps match {r} of 1)",
        ).format(r=match)
    elif r >= PARTLY_FROM:
        agree = translate(
            "CompareVerdict",
            "The methods partly agree on where the network looked (maps match {r} of 1)",
        ).format(r=match)
    else:
        agree = translate(
            "CompareVerdict",
            "The methods disagree on where the network looked (maps match only {r} of 1): "
            "read any one map with care",
        ).format(r=match)
    best = favoured(maps)
    measured = any(m.metrics is not None for m in maps)
    if best is not None:
        label, tests = best
        names = translate("CompareVerdict", ", ").join(translate("CompareView", t) for t in tests)
        return translate(
            "CompareVerdict", "{agree}; the tests favour {method} (best on {tests})."
        ).format(agree=agree, method=label, tests=names)
    if measured:
        return translate("CompareVerdict", "{agree}; no method is best on most tests.").format(
            agree=agree
        )
    return translate(
        "CompareVerdict",
        "{agree}. Tick “Measure how faithful” to learn which one the tests favour.",
    ).format(agree=agree)


def sanity_seconds(
    methods: Sequence[str], scorecam_seconds: float, classify_seconds: float, steps: int
) -> float:
    """About how long the sanity check takes: each method explains the photo once per step and
    once more for the intact network; a Score-CAM map costs what the shown one did, a Grad-CAM
    map about a forward and a backward pass (three classifications)."""
    explanations = steps + 1
    total = 0.0
    for method in methods:
        if method.startswith("gradcam"):
            total += explanations * 3 * classify_seconds
        else:
            total += explanations * scorecam_seconds
    return total


def duration_words(seconds: float) -> str:
    """'about 40 s', 'about 3 minutes', 'about 1 h 10 min'."""
    if seconds < 90:
        return translate("CompareVerdict", "about {seconds} s").format(
            seconds=max(5, round(seconds / 5) * 5)
        )
    minutes = round(seconds / 60)
    if minutes < 90:
        return translate("CompareVerdict", "about {minutes} minutes").format(minutes=minutes)
    return translate("CompareVerdict", "about {hours} h {minutes} min").format(
        hours=minutes // 60, minutes=f"{minutes % 60:02d}"
    )
