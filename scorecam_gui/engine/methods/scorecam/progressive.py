"""Progressive Score-CAM: the order the masked inputs are scored in (docs/scorecam.md, "The order
maps are scored in, and the running map").

The map is a weighted sum of per-map terms, so the running map (the formulation applied to the
maps scored so far) converges fastest when the largest terms come first. A term's size is its
weight times its map; before scoring, the weights are unknown and the maps are known, and the
maps' spread matters more than the weights' on the trained networks measured: ordered by the map's
mass (the sum of its absolute activations), EfficientNet-Lite0's running map reached correlation
0.99 with the exact map after 7 % (chelsea) and 4 % (coffee) of the passes and 0.999 after 17 % and
14 %, where Faster Score-CAM's highest-variance order needed 10 % / 4 % and 33 % / 13 %;
first-order estimates of the weights (one gradient pass) did not help (docs/scorecam.md).
"""

from __future__ import annotations

import torch


def scoring_order(acts: torch.Tensor, units: list[int], twins: dict[int, list[int]]) -> list[int]:
    """`units` (maps that each stand for a distinct masked input) in the order to score them:
    by the mass of the maps each stands for (itself and its twins), largest first, ties in
    index order."""
    if len(units) < 2:
        return list(units)
    mass = acts.abs().flatten(1).sum(1, dtype=torch.float64)
    unit_mass = mass[units].clone()
    for i, k in enumerate(units):
        for twin in twins.get(k, ()):
            unit_mass[i] += mass[twin]
    order = torch.argsort(unit_mass, descending=True, stable=True)
    return [units[i] for i in order.tolist()]


def variance_order(acts: torch.Tensor, units: list[int], twins: dict[int, list[int]]) -> list[int]:
    """Faster Score-CAM's order (Wang et al. 2020): highest variance first; for comparison in
    benchmarks/bench_progressive.py (a prefix of it is `--approximate N`'s selection)."""
    del twins  # a pass stands for its twins, but Faster Score-CAM ranks single maps
    if len(units) < 2:
        return list(units)
    var = acts[units].flatten(1).double().var(1)
    return [units[i] for i in torch.argsort(var, descending=True, stable=True).tolist()]
