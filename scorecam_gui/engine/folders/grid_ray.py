"""The grid pointing game (engine/faithfulness/pointing_game.py) on a Ray cluster: a grid is the
unit of work.

The driver chooses the photos (classifying them is cheap) and arranges the grids with the seed,
exactly as the local run does; each worker runs one actor that loads the network once and plays
whole grids (`pointing_game.play_grid`: every cell with every method), sending back the grid
image, the cells' scores and the maps (float32). The driver puts them together into the same
GridGame a local run returns. Ray's cluster handling (loopback, an address that cannot be
reached, the pool's size) is engine/folders/ray_executor.py's.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from scorecam_gui.engine.faithfulness.pointing_game import (
    CellScore,
    GridGame,
    GridPhoto,
    PlayedGrid,
    arrange_grids,
    assemble_game,
    play_grid,
)
from scorecam_gui.engine.folders.explain import Job
from scorecam_gui.engine.folders.ray_executor import actor_map, connect, require_ray
from scorecam_gui.engine.methods.catalog import check_methods
from scorecam_gui.engine.progress import Progress, run_to_end

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["run_grid_game_ray"]


class _GridActor:
    """One per worker: the network loaded once, then whole grids played."""

    def __init__(
        self,
        job: Job,
        photos: tuple[GridPhoto, ...],
        n: int,
        seed: int,
        methods: tuple[str, ...],
    ) -> None:
        self.opened = job.open()
        self.photos, self.n, self.seed, self.methods = photos, n, seed, methods

    def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa

        out = []
        for item in batch.to_pylist():
            g, order = item["grid"], item["order"]
            played = run_to_end(
                play_grid(
                    self.opened.explainer,
                    self.photos,
                    self.n,
                    self.seed,
                    self.methods,
                    self.opened.job.layer,
                    g,
                    order,
                )
            )
            maps = [played.maps[(s.method, g, s.cell)] for s in played.scores]
            out.append(
                {
                    "grid": g,
                    "image": np.ascontiguousarray(played.image, np.uint8).tobytes(),
                    "size": int(played.image.shape[0]),
                    "scores": json.dumps([dataclasses.asdict(s) for s in played.scores]),
                    "maps": np.ascontiguousarray(np.stack(maps), "<f4").tobytes(),
                }
            )
        return pa.Table.from_pylist(out)


def run_grid_game_ray(
    job: Job,
    photos: Sequence[GridPhoto],
    n: int = 2,
    grids: int = 1,
    seed: int = 0,
    methods: Sequence[str] = ("scorecam-paper",),
    address: str | None = None,
    num_cpus: int | None = None,
) -> Generator[Progress, None, GridGame]:
    """pointing_game.run_grid_game with the grids played by Ray actors that open `job` (its
    layer is the game's); yields Progress (maps done of all) as grids come back. Raises
    ValueError for bad settings before Ray starts; RayUnavailable, MissingExtra."""
    check_methods(methods)
    require_ray()
    arrangements = arrange_grids(len(photos), n, grids, seed)
    methods, photos = tuple(methods), tuple(photos)
    per_grid = n * n * len(methods)
    total = per_grid * len(arrangements)
    t0 = time.perf_counter()
    started = connect(address, num_cpus)
    played: dict[int, dict[str, Any]] = {}
    try:
        import ray

        items = [{"grid": g, "order": list(order)} for g, order in enumerate(arrangements)]
        ds = actor_map(ray, items, _GridActor, (job, photos, n, seed, methods))
        yield Progress(0, total, 0.0)
        for table in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
            for row in table.to_pylist():
                played[row["grid"]] = row
            yield Progress(per_grid * len(played), total, time.perf_counter() - t0)
    finally:
        if started:
            ray.shutdown()
    played_grids = []
    for g in range(len(arrangements)):
        row = played[g]
        size = row["size"]
        image = np.frombuffer(row["image"], np.uint8).reshape(size, size, 3)
        cells = tuple(CellScore(**d) for d in json.loads(row["scores"]))
        stack = np.frombuffer(row["maps"], "<f4").reshape(len(cells), size, size)
        maps = {(s.method, g, s.cell): saliency for s, saliency in zip(cells, stack, strict=True)}
        played_grids.append(PlayedGrid(image, cells, maps))
    return assemble_game(n, seed, methods, photos, arrangements, played_grids)
