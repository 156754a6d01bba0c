"""Teaching as one job: the features of every photo (cached), the seeded held-out split, the new
last layer fitted on the rest, and what it gets right on the held-out photos. A generator of
TeachProgress that returns a `Teaching`, so the window's worker and the command line drive it
alike and Cancel stops it between two steps.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np

from ..models.types import Network
from .dataset import Dataset, Split, split
from .features import FeatureCache, TeachProgress, compute_features
from .fit import LinearLayer, fit_linear, predict_proba
from .taught import taught_network

__all__ = ["Mistake", "Teaching", "teach"]


@dataclass(frozen=True)
class Mistake:
    """A held-out photo the taught network got wrong."""

    path: str
    true_class: str
    said: str
    probability: float  # of what it said


@dataclass(frozen=True)
class Teaching:
    """A taught network and how it did on the photos held out from teaching."""

    dataset: Dataset
    split: Split
    layer: LinearLayer
    taught: Network
    probabilities: np.ndarray  # (held-out photos, classes), in the order of split.test
    seconds_features: float
    seconds_fit: float

    @property
    def classes(self) -> tuple[str, ...]:
        return self.dataset.classes

    @property
    def truth(self) -> np.ndarray:
        return self.dataset.labels[self.split.test]

    @property
    def predicted(self) -> np.ndarray:
        return self.probabilities.argmax(1)

    @property
    def accuracy(self) -> float:
        """The share of held-out photos put in their own class."""
        return float((self.predicted == self.truth).mean())

    def confusion(self) -> np.ndarray:
        """(K, K) counts: row the true class, column what the network said."""
        k = len(self.classes)
        table = np.zeros((k, k), dtype=np.int64)
        np.add.at(table, (self.truth, self.predicted), 1)
        return table

    def per_class(self) -> list[tuple[int, int]]:
        """Each class's held-out photos it got right, and how many there were."""
        table = self.confusion()
        return [(int(table[c, c]), int(table[c].sum())) for c in range(len(self.classes))]

    def mistakes(self) -> list[Mistake]:
        """The held-out photos it got wrong, the most confidently wrong first."""
        wrong = [
            Mistake(
                self.dataset.paths[i],
                self.classes[int(t)],
                self.classes[int(p)],
                float(self.probabilities[row, p]),
            )
            for row, (i, t, p) in enumerate(
                zip(self.split.test, self.truth, self.predicted, strict=True)
            )
            if t != p
        ]
        return sorted(wrong, key=lambda m: -m.probability)


def teach(
    dataset: Dataset,
    network: Network,
    held_out: float = 0.25,
    seed: int = 0,
    cache: FeatureCache | None = None,
    device: str = "cpu",
) -> Generator[TeachProgress, None, Teaching]:
    """Teach `network` (kept as it is) the dataset's classes with a new last layer. Yields the
    feature pass's progress, then the fit's; `seed` chooses the held-out photos and the
    cross-validation's folds."""
    chosen = split(dataset, held_out, seed)
    start = time.perf_counter()
    features = yield from compute_features(network, dataset.paths, cache, device)
    fitting = time.perf_counter()
    labels = dataset.labels
    layer = yield from fit_linear(
        features[chosen.train], labels[chosen.train], len(dataset.classes), seed
    )
    seconds_fit = time.perf_counter() - fitting
    taught = taught_network(network, layer, list(dataset.classes))
    return Teaching(
        dataset=dataset,
        split=chosen,
        layer=layer,
        taught=taught,
        probabilities=predict_proba(layer, features[chosen.test]),
        seconds_features=fitting - start,
        seconds_fit=seconds_fit,
    )
