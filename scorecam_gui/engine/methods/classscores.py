"""Every class's scores of one run's masked passes (scorecam/classes.py re-weights them): a
leaf of the methods package, so that MethodResult can carry them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..prediction import Prediction

__all__ = ["ClassScores"]


@dataclass(frozen=True, eq=False)
class ClassScores:
    """Every class's logit for each masked input of one run, and which input scored which map."""

    logits: np.ndarray  # (n, C) float32: the masked inputs scored, in running order
    row_of_map: np.ndarray  # (K,) int: the row of `logits` that scores map k; -1: none
    varying: np.ndarray  # (K,) bool: the maps that are not constant
    photo_logits: np.ndarray  # (C,) float32: the photo's own logits (exact fp32)
    categories: tuple[str, ...]  # the class names, index by index

    @classmethod
    def of_run(
        cls,
        logits: torch.Tensor,
        items: list[int | None],
        constant: torch.Tensor,
        twins: dict[int, list[int]],
        varying: torch.Tensor,
        photo_logits: torch.Tensor,
        categories: tuple[str, ...],
    ) -> ClassScores:
        """From a run's masked-input logits (`items`: the map each input stands for, None for
        the all-fill input that scores every constant map; twins share their input's row)."""
        k_total = len(constant)
        rows = np.full(k_total, -1, np.int64)
        for row, k in enumerate(items[: len(logits)]):
            if k is None:
                rows[constant.cpu().numpy()] = row
            else:
                rows[[k, *twins.get(k, ())]] = row
        return cls(
            logits=logits.float().cpu().numpy(),
            row_of_map=rows,
            varying=varying.cpu().numpy(),
            photo_logits=photo_logits.float().cpu().numpy(),
            categories=categories,
        )

    @property
    def nbytes(self) -> int:
        """What it holds in memory (the window's result cache counts it)."""
        return int(self.logits.nbytes + self.row_of_map.nbytes + self.photo_logits.nbytes)

    def map_scores(self, c: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Each map's logit and probability of class c (NaN for maps no input scored)."""
        logits = torch.from_numpy(self.logits)
        rows = torch.from_numpy(self.row_of_map)
        scored = rows >= 0
        logit = torch.full((len(rows),), float("nan"))
        prob = torch.full_like(logit, float("nan"))
        if len(logits):
            logit[scored] = logits[rows[scored], c]
            prob[scored] = logits.softmax(-1)[rows[scored], c]
        return logit, prob

    def prediction(self, c: int) -> Prediction:
        """Class c of the photo, as the classifying pass gave it."""
        logits = torch.from_numpy(self.photo_logits)
        probability = float(logits.softmax(-1)[c])
        return Prediction(c, self.categories[c], probability, float(logits[c]))
