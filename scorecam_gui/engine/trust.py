"""When not to trust a map, decided from the network's own outputs (no Qt, no torch needed).

A Score-CAM map always paints something red, even for a class the network does not see in the
photo, or for a photo unlike anything it learnt from. Two checks, from the softmax:

- the class shown is not what the network sees: it is not the top class and gets less than
  `NOT_SEEN_BELOW` (5 %) of the probability;
- the photo is unlike what the network knows: its top class gets less than `FAMILIAR_TOP1`
  (50 %), or the softmax is spread wider than `FAMILIAR_ENTROPY_BITS` (2.5 bits: as if more than
  about 6 classes were equally likely). A photo of the kind the network learnt from puts nearly
  all the probability on one to three classes.

The numbers behind the thresholds, on the bundled and scikit-image photos with the bundled
EfficientNet-Lite0, are in docs/trust.md; tests/test_trust.py checks them. They are the maximum
softmax probability and entropy baselines for spotting unfamiliar inputs (Hendrycks and Gimpel,
ICLR 2017): cheap and useful, and not a guarantee: a network can be confidently wrong.

The words are English unless the caller passes `TrustWords` in another language (the window:
app/trustwords.py; the engine has no translations).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

NOT_SEEN_BELOW = 0.05
FAMILIAR_TOP1 = 0.5
FAMILIAR_ENTROPY_BITS = 2.5


class PredictionLike(Protocol):  # the engine's frozen Prediction fits
    @property
    def index(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def probability(self) -> float: ...


def entropy_bits(probabilities: np.ndarray) -> float:
    """The softmax's entropy in bits: 0 when one class has it all, log2(classes) when all are
    equally likely (1000 ImageNet classes: 9.97)."""
    p = np.asarray(probabilities, dtype=np.float64).ravel()
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def softmax_entropy_bits(logits: np.ndarray) -> float:
    """entropy_bits of softmax(logits), computed stably."""
    z = np.asarray(logits, dtype=np.float64).ravel()
    z = z - z.max()
    p = np.exp(z)
    return entropy_bits(p / p.sum())


@dataclass(frozen=True)
class TrustWords:
    """The notes' templates, with named placeholders; English by default."""

    not_seen: str = (
        "Do not read this map as where a “{name}” is: {network} gives that class only {share} "
        "(it sees “{top}”, {top_share}). The red parts only raised that small score the most."
    )
    unfamiliar: str = (
        "This photo looks unlike the photos the network learnt from: its answer is a guess, "
        "so the map shows what it looked at, not what the photo shows."
    )
    top_class: str = "top class {share} (unfamiliar below {below})"
    spread: str = (
        "; spread of the answer {bits} bits, as if {classes} classes were equally likely "
        "(unfamiliar above {limit} bits)"
    )
    this_class: str = "; this class {share} (not seen below 5 %)"
    percent: str = "{value} %"  # {value} with one or two decimals
    separator: str = " "  # between the two notes


@dataclass(frozen=True)
class Trust:
    """What to say beside a map: empty strings when nothing speaks against it."""

    class_not_seen: bool
    photo_unfamiliar: bool
    note: str  # plain words, one or two sentences ("" when the map can be read as it is)
    detail: str  # the numbers behind the note, for a tooltip


def assess(
    top5: Sequence[PredictionLike],
    target: PredictionLike,
    entropy: float | None,
    network_title: str = "the network",
    words: TrustWords | None = None,
) -> Trust:
    """The two checks for the map of `target` (see the module's docstring). `entropy`: the
    softmax's entropy in bits, None when unknown (then the top class's probability decides)."""
    w = words or TrustWords()
    if not top5:
        return Trust(False, False, "", "")
    top = top5[0]
    not_seen = target.index != top.index and target.probability < NOT_SEEN_BELOW
    unfamiliar = top.probability < FAMILIAR_TOP1 or (
        entropy is not None and entropy > FAMILIAR_ENTROPY_BITS
    )
    notes = []
    if not_seen:
        notes.append(
            w.not_seen.format(
                name=target.name,
                network=network_title,
                share=_pct(target.probability, w),
                top=top.name,
                top_share=_pct(top.probability, w),
            )
        )
    if unfamiliar:
        notes.append(w.unfamiliar)
    detail = w.top_class.format(
        share=w.percent.format(value=f"{100 * top.probability:.1f}"),
        below=f"{FAMILIAR_TOP1:.0%}",
    )
    if entropy is not None:
        detail += w.spread.format(
            bits=f"{entropy:.2f}", classes=f"{2**entropy:.1f}", limit=FAMILIAR_ENTROPY_BITS
        )
    if target.index != top.index:
        detail += w.this_class.format(
            share=w.percent.format(value=f"{100 * target.probability:.2f}")
        )
    return Trust(not_seen, unfamiliar, w.separator.join(notes), detail)


def _pct(p: float, words: TrustWords) -> str:
    if p < 0.001:
        return "< " + words.percent.format(value="0.1")
    return words.percent.format(value=f"{100 * p:.1f}")
