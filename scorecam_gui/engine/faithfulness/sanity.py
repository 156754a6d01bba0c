"""Sanity check by cascading randomisation (Adebayo et al., "Sanity Checks for Saliency Maps",
NeurIPS 2018; docs/faithfulness.md): does a method's map depend on what the network learnt?

A copy of the network (the caller's is never touched) has its parameterised layers re-initialised
one at a time from the top (the logits) down, cumulatively; after each step every method explains
the photo again, for the class the intact network predicted, and its map is compared with the
original one by Spearman's rank correlation and SSIM (both 1 for the same map). A method that
passes loses similarity as the weights are destroyed; a map that stays the same (the `noise` map
here, which ignores the network, with one seed for all steps) fails.

Layers are grouped as blocks: a module's group is its path from the root, descended through
containers (Sequential, ModuleList, ModuleDict) to the first module that is not one (a ResNet
`layer4.1`, an EfficientNet `_blocks.15`, a head `_fc`). Groups are ordered by the order in which
they first run. Re-initialising means each module's own `reset_parameters()` (PyTorch's default
initialisation; a BatchNorm also gets mean 0 and variance 1), seeded; a module without one gets
N(0, 0.02²) for each of its own parameters.

SSIM is Wang et al. (2004) as scikit-image computes it by default: 7 x 7 uniform windows,
K1 = 0.01, K2 = 0.03, sample covariances, data range 1 (maps are in [0, 1]), the mean over the
windows that fit inside the map.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from PIL import Image
from torch import nn

from ..explainer import Explainer
from ..methods.catalog import PROTOCOL_METHODS, check_methods
from ..methods.registry import run_methods
from ..models.types import Network, NetworkError
from ..prediction import Prediction
from ..progress import Progress, relay

__all__ = [
    "LayerGroup",
    "SanityResult",
    "SanityStep",
    "layer_groups",
    "randomise_group",
    "run_sanity",
    "spearman",
    "spread_checkpoints",
    "ssim",
]

_CONTAINERS = (nn.Sequential, nn.ModuleList, nn.ModuleDict)


@dataclass(frozen=True)
class LayerGroup:
    name: str  # e.g. "_fc", "_blocks.15", "layer4.1"
    modules: tuple[str, ...]  # its modules that hold parameters of their own


@dataclass(frozen=True)
class SanityStep:
    randomised: int  # groups re-initialised so far (0: the intact network)
    group: str  # the last group re-initialised ("" for the intact network)
    maps: dict[str, np.ndarray]  # method -> (S, S) map
    spearman: dict[str, float]  # method -> rank correlation with the intact map (NaN: flat map)
    ssim: dict[str, float]  # method -> SSIM with the intact map


@dataclass(frozen=True)
class SanityResult:
    target: Prediction  # the class explained at every step (the intact network's)
    image_rgb: np.ndarray  # (S, S, 3) uint8
    methods: tuple[str, ...]
    groups: tuple[LayerGroup, ...]  # top (logits) first: the order of randomisation
    steps: tuple[SanityStep, ...] = field(default=())  # steps[0] is the intact network


# -- similarity ---------------------------------------------------------------------------------
def _average_ranks(x: np.ndarray) -> np.ndarray:
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    first = np.cumsum(counts) - counts
    return (first + (counts - 1) / 2.0)[inverse]


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation of two maps' pixels (ties share their mean rank); NaN if
    either map is flat (no order to compare)."""
    x = _average_ranks(np.asarray(a, np.float64).ravel())
    y = _average_ranks(np.asarray(b, np.float64).ravel())
    if x.size != y.size:
        raise ValueError("the maps differ in size")
    x -= x.mean()
    y -= y.mean()
    den = float(np.sqrt((x * x).sum() * (y * y).sum()))
    return float((x * y).sum() / den) if den > 0 else float("nan")


def _window_means(x: np.ndarray, w: int) -> np.ndarray:
    """Mean of every w x w window that fits inside x (an integral image)."""
    c = np.zeros((x.shape[0] + 1, x.shape[1] + 1))
    c[1:, 1:] = x.cumsum(0).cumsum(1)
    return (c[w:, w:] - c[:-w, w:] - c[w:, :-w] + c[:-w, :-w]) / (w * w)


def ssim(a: np.ndarray, b: np.ndarray, data_range: float = 1.0, win_size: int = 7) -> float:
    """Mean structural similarity of two maps (see the module's docstring)."""
    x = np.asarray(a, np.float64)
    y = np.asarray(b, np.float64)
    if x.shape != y.shape or x.ndim != 2:
        raise ValueError("expected two 2-D maps of one size")
    if min(x.shape) < win_size:
        raise ValueError(f"maps smaller than the {win_size} x {win_size} window")
    ux, uy = _window_means(x, win_size), _window_means(y, win_size)
    uxx, uyy = _window_means(x * x, win_size), _window_means(y * y, win_size)
    uxy = _window_means(x * y, win_size)
    n = win_size * win_size
    norm = n / (n - 1.0)  # sample covariances
    vx, vy, vxy = norm * (uxx - ux * ux), norm * (uyy - uy * uy), norm * (uxy - ux * uy)
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    s = ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2))
    return float(s.mean())


# -- layers and randomisation -------------------------------------------------------------------
def _group_of(model: nn.Module, name: str) -> str:
    parts = name.split(".")
    module = model
    for i, part in enumerate(parts):
        module = module.get_submodule(part)
        if not isinstance(module, _CONTAINERS):
            return ".".join(parts[: i + 1])
    return name


def layer_groups(network: Network) -> list[LayerGroup]:
    """The network's parameterised blocks, top (logits) first; modules that do not run in the
    forward pass (auxiliary heads) are left out."""
    model = network.model
    owners = {
        n: m
        for n, m in model.named_modules()
        if n and any(True for _ in m.parameters(recurse=False))
    }
    order: list[str] = []

    def seen(name: str):  # type: ignore[no-untyped-def]
        def hook(_m: nn.Module, _i: object, _o: object) -> None:
            if name not in order:
                order.append(name)

        return hook

    handles = [m.register_forward_hook(seen(n)) for n, m in owners.items()]
    param = next(model.parameters(), None)
    device = param.device if param is not None else torch.device("cpu")
    size = network.info.input_size
    try:
        with torch.inference_mode():
            model(torch.zeros(1, 3, size, size, device=device))
    finally:
        for h in handles:
            h.remove()
    groups: dict[str, list[str]] = {}
    for name in order:
        groups.setdefault(_group_of(model, name), []).append(name)
    if not groups:
        raise NetworkError("the network has no layers with parameters to randomise")
    return [LayerGroup(g, tuple(ms)) for g, ms in reversed(list(groups.items()))]


def randomise_group(model: nn.Module, group: LayerGroup, seed: int) -> None:
    """Re-initialise the group's parameters (and BatchNorm statistics) in place, seeded."""
    cuda = sorted({p.device.index or 0 for p in model.parameters() if p.device.type == "cuda"})
    with torch.random.fork_rng(devices=cuda), torch.no_grad():
        torch.manual_seed(seed)
        for name in group.modules:
            module = model.get_submodule(name)
            reset = getattr(module, "reset_parameters", None)
            if callable(reset):
                reset()
            else:
                for p in module.parameters(recurse=False):
                    p.normal_(0.0, 0.02)


def spread_checkpoints(total: int, count: int | None) -> list[int]:
    """`count` numbers of randomised groups between 1 and `total`, evenly spread, both ends
    included (None or count >= total: every one)."""
    if count is None or count >= total:
        return list(range(1, total + 1))
    if count < 1:
        raise ValueError("at least one step is needed")
    if count == 1:
        return [total]
    picks = np.linspace(1, total, count)
    return sorted({round(float(p)) for p in picks})


# -- the check ----------------------------------------------------------------------------------
def run_sanity(
    explainer: Explainer,
    image: Image.Image | np.ndarray,
    methods: Sequence[str] = PROTOCOL_METHODS,
    target: int | None = None,
    layer: str | None = None,
    checkpoints: Sequence[int] | None = None,
    seed: int = 0,
    center_crop: bool = False,
) -> Generator[Progress, None, SanityResult]:
    """Cascading randomisation on a deep copy of the explainer's network, as a generator that
    yields Progress (maps done of all) after each engine step; closing it cancels.

    checkpoints: after how many re-initialised groups to explain (None: after every one). The
    copy runs with the explainer's device, precision and batch size.
    """
    check_methods(methods)
    network = explainer.network
    if target is not None and not 0 <= target < network.num_classes:
        raise NetworkError(f"class {target} is out of range 0..{network.num_classes - 1}")
    groups = layer_groups(network)
    wanted = sorted(set(checkpoints)) if checkpoints is not None else None
    if wanted is not None and (not wanted or wanted[0] < 1 or wanted[-1] > len(groups)):
        raise ValueError(f"checkpoints must lie in 1..{len(groups)}")
    rgb = explainer.prepare(image, center_crop=center_crop)
    return _run(explainer, rgb, tuple(methods), target, layer, groups, wanted, seed)


def _run(
    explainer: Explainer,
    rgb: np.ndarray,
    methods: tuple[str, ...],
    target: int | None,
    layer: str | None,
    groups: list[LayerGroup],
    wanted: list[int] | None,
    seed: int,
) -> Generator[Progress, None, SanityResult]:
    t0 = time.perf_counter()
    # The copy is the only network changed; the caller's keeps every tensor as it was.
    network = copy.deepcopy(explainer.network)
    # On torch: the copy's weights change at every step, and OpenVINO would convert each anew.
    work = Explainer(
        network, explainer.device.type, explainer.precision, explainer.batch_size, backend="torch"
    )
    top5 = work.classify(rgb)
    c = top5[0].index if target is None else target
    known = [p for p in top5 if p.index == c]
    prediction = known[0] if known else Prediction(c, network.categories[c], *(float("nan"),) * 2)
    checkpoints = wanted if wanted is not None else list(range(1, len(groups) + 1))
    total = (1 + len(checkpoints)) * len(methods)
    done = applied = 0
    steps: list[SanityStep] = []
    original: dict[str, np.ndarray] = {}
    for randomised in [0, *checkpoints]:
        for i in range(applied, randomised):  # cumulative: the top `randomised` groups
            randomise_group(network.model, groups[i], seed + i)
        applied = randomised
        # Score-CAM's weightings share their masked passes (methods/registry.py: run_methods).
        job = run_methods(work, rgb, methods, c, layer, seed)

        def step(_p: Progress, done: int = done) -> Progress:
            return Progress(done, total, time.perf_counter() - t0)

        made = yield from relay(job, step)
        maps = {m: result.saliency for m, result in made.items()}
        done += len(methods)
        yield Progress(done, total, time.perf_counter() - t0)
        if randomised == 0:
            original = maps
        steps.append(
            SanityStep(
                randomised=randomised,
                group=groups[randomised - 1].name if randomised else "",
                maps=maps,
                spearman={m: spearman(original[m], maps[m]) for m in methods},
                ssim={m: ssim(original[m], maps[m]) for m in methods},
            )
        )
    return SanityResult(
        target=prediction, image_rgb=rgb, methods=methods, groups=tuple(groups), steps=tuple(steps)
    )
