"""A class the network predicts: its index, name, probability and logit (one image's)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Prediction"]


@dataclass(frozen=True)
class Prediction:
    index: int
    name: str
    probability: float
    logit: float
