"""Every class's scores of one run's masked passes, for the methods whose passes do not depend on
the class (the catalog's `every_class` rows; registry.for_class re-weights them, with
reweighting.py's helpers): a leaf of the methods package, so that MethodResult can carry them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..prediction import Prediction

__all__ = ["ClassScores", "ScoreSums", "row_of_map", "scores_of_maps"]


def row_of_map(
    items: list[int | None], constant: torch.Tensor, twins: dict[int, list[int]], n: int
) -> np.ndarray:
    """(K,) the row of the first `n` masked inputs (in running order: `items`, None for the
    all-fill input that scores every constant map) that scores each map; -1 for none. Twins
    share their input's row."""
    rows = np.full(len(constant), -1, np.int64)
    for row, k in enumerate(items[:n]):
        if k is None:
            rows[constant.cpu().numpy()] = row
        else:
            rows[[k, *twins.get(k, ())]] = row
    return rows


def scores_of_maps(
    logits: torch.Tensor, rows: np.ndarray, c: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Each map's logit and probability of class c from the masked inputs' logits (n, C) and
    row_of_map's rows (on the CPU); NaN for the maps no input scored."""
    index = torch.from_numpy(rows)
    scored = index >= 0
    logit = torch.full((len(rows),), float("nan"))
    prob = torch.full_like(logit, float("nan"))
    if len(logits):
        on_cpu = logits.float().cpu()
        logit[scored] = on_cpu[index[scored], c]
        prob[scored] = on_cpu.softmax(-1)[index[scored], c]
    return logit, prob


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
        return cls(
            logits=logits.float().cpu().numpy(),
            row_of_map=row_of_map(items, constant, twins, len(logits)),
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
        return scores_of_maps(torch.from_numpy(self.logits), self.row_of_map, c)

    def prediction(self, c: int) -> Prediction:
        """Class c of the photo, as the classifying pass gave it."""
        logits = torch.from_numpy(self.photo_logits)
        probability = float(logits.softmax(-1)[c])
        return Prediction(c, self.categories[c], probability, float(logits[c]))


class ScoreSums:
    """Every class's logits of a run's inputs, summed into rows as the batches come: a row is
    what the method averages (IS-CAM's scales of a map, SS-CAM's noisy copies of it) or one
    input (Ablation-CAM). Summed in float64, the order of the sums does not show in a map."""

    def __init__(
        self, row_of_input: torch.Tensor, rows: int, classes: int, device: torch.device
    ) -> None:
        self._row_of_input = row_of_input.to(device)
        self.sums = torch.zeros((rows, classes), dtype=torch.float64, device=device)
        self.counts = torch.zeros(rows, dtype=torch.int64, device=device)

    def add(self, start: int, end: int, logits: torch.Tensor) -> None:
        """The logits (end - start, C) of inputs start..end."""
        rows = self._row_of_input[start:end]
        self.sums.index_add_(0, rows, logits.double())
        self.counts.index_add_(0, rows, torch.ones_like(rows))

    def kept(
        self,
        row_of_map: torch.Tensor,
        varying: torch.Tensor,
        photo_logits: torch.Tensor,
        categories: tuple[str, ...],
    ) -> ClassScores:
        """ClassScores of the rows' means; `row_of_map` (K,): the row each map reads, -1: none."""
        means = self.sums / self.counts.clamp_min(1)[:, None]
        return ClassScores(
            logits=means.float().cpu().numpy(),
            row_of_map=row_of_map.cpu().numpy().astype(np.int64),
            varying=varying.cpu().numpy(),
            photo_logits=photo_logits.float().cpu().numpy(),
            categories=categories,
        )
