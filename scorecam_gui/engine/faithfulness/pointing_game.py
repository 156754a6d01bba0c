"""The grid pointing game (Rao, Böhle and Schiele, "Towards Better Understanding Attribution
Methods", CVPR 2022; docs/faithfulness.md): can a method say *where* in an image the evidence for
a class is?

Photos whose top class is confident (at least `min_confidence`) and distinct from every other
photo's are tiled into N x N grids (K grids, each a seeded random choice and order of N² photos).
Each cell is explained for its own photo's class, and the score is the share of the map's positive
mass that falls inside that cell: 1 is perfect, 1/N² is chance (the `noise` map scores it).

How the grid reaches the network: each photo is resized whole to a square of the network's input
size S (as any photo is), the N x N tiles make an N·S image, and that image is resized whole to S,
like any photo: each cell is S/N pixels of the network's view (112 for N = 2 at 224). The maps are
at S x S; a pixel belongs to the cell in which its centre lies (cell edges at round(i·S/N)).

The summary of a method is the mean over all its cells with a 95 % percentile-bootstrap interval
(resampling cells, seeded). Cells of one grid share an image, so they are not independent: the
interval is a guide to the spread, not a test.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ..explainer import Explainer
from ..imaging import resize_for_network
from ..methods.catalog import PROTOCOL_METHODS, check_methods
from ..methods.registry import run_methods
from ..prediction import Prediction
from ..progress import Progress, relay

__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "CellScore",
    "GridGame",
    "GridPhoto",
    "Interval",
    "PlayedGrid",
    "Skipped",
    "arrange_grids",
    "assemble_game",
    "bootstrap_mean",
    "cell_box",
    "localisation",
    "play_grid",
    "run_grid_game",
    "select_photos",
    "tile_grid",
]

DEFAULT_MIN_CONFIDENCE = 0.5
BOOTSTRAP_RESAMPLES = 2000


@dataclass(frozen=True)
class GridPhoto:
    """A photo that may take part: its top class is confident and no other photo's."""

    label: str  # the file, or a name
    rgb: np.ndarray  # (S, S, 3) uint8: resized whole to the network's input, as a cell is tiled
    prediction: Prediction  # its top class, on its own


@dataclass(frozen=True)
class Skipped:
    label: str
    reason: str


@dataclass(frozen=True)
class CellScore:
    method: str
    grid: int  # 0-based
    cell: int  # 0-based, row-major
    photo: str  # the label of the photo in this cell
    class_index: int
    class_name: str
    localisation: float  # share of the map's positive mass inside the cell
    seconds: float  # time to make the map


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float
    count: int


@dataclass(frozen=True)
class GridGame:
    n: int
    seed: int
    methods: tuple[str, ...]
    photos: tuple[GridPhoto, ...]
    arrangements: tuple[tuple[int, ...], ...]  # per grid: indices into photos, row-major
    images: tuple[np.ndarray, ...]  # per grid: (S, S, 3) uint8, the grid as the network sees it
    scores: tuple[CellScore, ...]
    maps: dict[tuple[str, int, int], np.ndarray]  # (method, grid, cell) -> (S, S) map

    @property
    def chance(self) -> float:
        return 1.0 / (self.n * self.n)

    def summary(self, method: str, seed: int | None = None) -> Interval:
        """Mean localisation of `method` over its cells, 95 % bootstrap interval."""
        values = [s.localisation for s in self.scores if s.method == method]
        return bootstrap_mean(values, self.seed if seed is None else seed)


def select_photos(
    explainer: Explainer,
    photos: Sequence[tuple[str, Image.Image | np.ndarray]],
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> tuple[list[GridPhoto], list[Skipped]]:
    """The photos that may take part, in the order given, and the others with the reason.

    A photo takes part if its top class has at least `min_confidence` probability and no other
    photo has the same top class with a higher one (of two with the same class, the more
    confident stays: a grid must not hold two cells of one class).
    """
    size = explainer.network.info.input_size
    candidates: list[GridPhoto] = []
    skipped: list[Skipped] = []
    for label, image in photos:
        top = explainer.classify(image)[0]
        if top.probability < min_confidence:
            skipped.append(
                Skipped(
                    label,
                    f"its top class, {top.name}, has {top.probability:.2f}, below the "
                    f"{min_confidence:.2f} asked for",
                )
            )
            continue
        pil = image if isinstance(image, Image.Image) else Image.fromarray(image)
        candidates.append(GridPhoto(label, resize_for_network(pil, size), top))
    best: dict[int, GridPhoto] = {}
    for photo in candidates:
        held = best.get(photo.prediction.index)
        if held is None or photo.prediction.probability > held.prediction.probability:
            best[photo.prediction.index] = photo
    kept = [p for p in candidates if best[p.prediction.index] is p]
    for photo in candidates:
        winner = best[photo.prediction.index]
        if winner is not photo:
            skipped.append(
                Skipped(
                    photo.label,
                    f"same top class, {photo.prediction.name}, as {winner.label}, which is more "
                    f"confident ({photo.prediction.probability:.2f} against "
                    f"{winner.prediction.probability:.2f})",
                )
            )
    return kept, skipped


def arrange_grids(count: int, n: int, grids: int, seed: int) -> list[tuple[int, ...]]:
    """`grids` random choices of n² of `count` photos, in random order (row-major), seeded."""
    if n < 2:
        raise ValueError("a grid needs at least 2 x 2 cells")
    if grids < 1:
        raise ValueError("at least one grid is needed")
    if count < n * n:
        raise ValueError(
            f"a {n} x {n} grid needs {n * n} photos of confident, distinct classes; {count} qualify"
        )
    rng = np.random.default_rng(seed)
    return [tuple(int(i) for i in rng.permutation(count)[: n * n]) for _ in range(grids)]


def tile_grid(cells: Sequence[np.ndarray], n: int) -> np.ndarray:
    """n² equal (s, s, 3) uint8 photos as one (n·s, n·s, 3) image, row-major."""
    if len(cells) != n * n:
        raise ValueError(f"a {n} x {n} grid needs {n * n} photos, got {len(cells)}")
    rows = [np.concatenate(cells[r * n : (r + 1) * n], axis=1) for r in range(n)]
    return np.ascontiguousarray(np.concatenate(rows, axis=0))


def cell_box(size: int, n: int, cell: int) -> tuple[int, int, int, int]:
    """(y0, y1, x0, x1) of cell `cell` (row-major) of an n x n grid on a size x size map:
    the pixels whose centres lie in the cell."""
    if not 0 <= cell < n * n:
        raise ValueError(f"cell {cell} is outside a {n} x {n} grid")
    edges = [int(np.floor(i * size / n + 0.5)) for i in range(n + 1)]
    r, c = divmod(cell, n)
    return edges[r], edges[r + 1], edges[c], edges[c + 1]


def localisation(saliency: np.ndarray, n: int, cell: int) -> float:
    """Share of the map's positive mass inside `cell` of an n x n grid laid over the whole map.
    A map with no positive mass points nowhere and scores 0."""
    s = np.clip(np.asarray(saliency, dtype=np.float64), 0.0, None)
    h, w = s.shape
    if h != w:
        raise ValueError(f"expected a square map, got {h} x {w}")
    total = s.sum()
    if total <= 0:
        return 0.0
    y0, y1, x0, x1 = cell_box(h, n, cell)
    return float(s[y0:y1, x0:x1].sum() / total)


def bootstrap_mean(
    values: Sequence[float],
    seed: int = 0,
    resamples: int = BOOTSTRAP_RESAMPLES,
    level: float = 0.95,
) -> Interval:
    """The mean with a percentile-bootstrap interval (NaN for no values)."""
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        return Interval(float("nan"), float("nan"), float("nan"), 0)
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, x.size, size=(resamples, x.size))].mean(axis=1)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(means, [tail, 1.0 - tail])
    return Interval(float(x.mean()), float(low), float(high), int(x.size))


def run_grid_game(
    explainer: Explainer,
    photos: Sequence[GridPhoto],
    n: int = 2,
    grids: int = 1,
    seed: int = 0,
    methods: Sequence[str] = PROTOCOL_METHODS,
    layer: str | None = None,
) -> Generator[Progress, None, GridGame]:
    """Explain every cell of every grid with every method; yields Progress (maps done of all)
    after each step of each method (one engine batch), so that closing it cancels soon.

    Arguments are checked (and the grids arranged) before anything is computed.
    """
    check_methods(methods)
    arrangements = arrange_grids(len(photos), n, grids, seed)
    return _run(explainer, tuple(photos), n, seed, tuple(methods), layer, arrangements)


def _run(
    explainer: Explainer,
    photos: tuple[GridPhoto, ...],
    n: int,
    seed: int,
    methods: tuple[str, ...],
    layer: str | None,
    arrangements: list[tuple[int, ...]],
) -> Generator[Progress, None, GridGame]:
    total = len(arrangements) * n * n * len(methods)
    t0 = time.perf_counter()
    played: list[PlayedGrid] = []
    for g, order in enumerate(arrangements):
        offset = g * n * n * len(methods)
        play = play_grid(explainer, photos, n, seed, methods, layer, g, order)

        def step(p: Progress, offset: int = offset) -> Progress:
            return Progress(offset + p.done, total, time.perf_counter() - t0)

        played.append((yield from relay(play, step)))
    return assemble_game(n, seed, methods, photos, arrangements, played)


def assemble_game(
    n: int,
    seed: int,
    methods: tuple[str, ...],
    photos: tuple[GridPhoto, ...],
    arrangements: Sequence[tuple[int, ...]],
    played: Sequence[PlayedGrid],
) -> GridGame:
    """The game from its grids, played here or on Ray's workers (engine/folders/grid_ray.py)."""
    maps: dict[tuple[str, int, int], np.ndarray] = {}
    for grid in played:
        maps.update(grid.maps)
    return GridGame(
        n=n,
        seed=seed,
        methods=methods,
        photos=photos,
        arrangements=tuple(arrangements),
        images=tuple(grid.image for grid in played),
        scores=tuple(score for grid in played for score in grid.scores),
        maps=maps,
    )


@dataclass(frozen=True)
class PlayedGrid:
    """One grid's image, its cells' scores and maps ((method, grid, cell) -> map)."""

    image: np.ndarray
    scores: tuple[CellScore, ...]
    maps: dict[tuple[str, int, int], np.ndarray]


def play_grid(
    explainer: Explainer,
    photos: Sequence[GridPhoto],
    n: int,
    seed: int,
    methods: Sequence[str],
    layer: str | None,
    g: int,
    order: Sequence[int],
) -> Generator[Progress, None, PlayedGrid]:
    """Grid `g` (photos[i] for i in `order`, row-major): every cell with every method. Yields
    Progress (maps done of the grid's n² x methods) after each engine step; the unit that the
    local loop and Ray's workers (engine/folders/grid_ray.py) both run."""
    total = n * n * len(methods)
    done = 0
    t0 = time.perf_counter()
    grid_rgb = explainer.prepare(tile_grid([photos[i].rgb for i in order], n))
    scores: list[CellScore] = []
    maps: dict[tuple[str, int, int], np.ndarray] = {}
    for cell, index in enumerate(order):
        photo = photos[index]
        c = photo.prediction.index
        noise_seed = int(np.random.SeedSequence([seed, g, cell]).generate_state(1)[0])
        # Score-CAM's weightings share their masked passes (methods/registry.py: run_methods).
        job = run_methods(explainer, grid_rgb, methods, c, layer, noise_seed)

        def step(_p: Progress, done: int = done) -> Progress:
            return Progress(done, total, time.perf_counter() - t0)

        made = yield from relay(job, step)
        for method, result in made.items():
            saliency, seconds = result.saliency, result.seconds
            done += 1
            maps[(method, g, cell)] = saliency
            scores.append(
                CellScore(
                    method=method,
                    grid=g,
                    cell=cell,
                    photo=photo.label,
                    class_index=c,
                    class_name=photo.prediction.name,
                    localisation=localisation(saliency, n, cell),
                    seconds=seconds,
                )
            )
        yield Progress(done, total, time.perf_counter() - t0)
    return PlayedGrid(grid_rgb, tuple(scores), maps)
