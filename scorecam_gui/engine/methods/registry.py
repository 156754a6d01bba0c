"""Any method of the catalog by name: load its module, check, run one or several.

`run_methods` is what the faithfulness protocols (evaluate's metrics, the grid pointing game, the
sanity check) and the Compare tab call: methods whose module has `run_group` run together (the
three Score-CAM weightings from one set of masked passes), each other method on its own.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import replace
from types import ModuleType
from typing import Any

import numpy as np
from PIL import Image

from ..progress import Progress, run_to_end
from .base import GroupRunner, Method, MethodRequest, MethodResult, Runner
from .catalog import METHODS, canonical, check_methods, info

__all__ = ["explain", "for_class", "get", "run", "run_method", "run_methods"]


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{__package__}.{info(name).module}")


def get(name: str) -> Method:
    """The method of a catalog name or alias, with its row's fixed options."""
    row = info(name)
    return _module(row.name).method(**row.options)  # type: ignore[no-any-return]


def for_class(result: MethodResult, c: int, contrast: int | None = None) -> MethodResult:
    """`result`'s map made again for class c (against class `contrast`, if given) from the
    scores its run kept, with no pass: the method's own re-weighting (its module's
    `for_class`). ValueError (one line) for a method whose passes depend on the class or a
    result that kept no scores."""
    row = info(result.method)
    if not row.every_class or result.class_scores is None:
        raise ValueError(f"{row.name} keeps no class scores: run it again for class {c}")
    return _module(row.name).for_class(result, c, contrast)  # type: ignore[no-any-return]


def run_method(
    runner: Runner, rgb: np.ndarray, name: str, request: MethodRequest | None = None
) -> Generator[Progress, None, MethodResult]:
    """One method's map of the prepared photo `rgb` (S, S, 3) uint8. Checks its arguments now,
    before anything is computed."""
    chosen = get(name)
    req = request or MethodRequest()
    _check_contrast(chosen, runner, req)
    chosen.check(runner, req)
    return chosen.run(runner, rgb, req)


def _check_contrast(chosen: Method, runner: Runner, request: MethodRequest) -> None:
    """A contrast class only for the methods that take one, and in range."""
    if request.contrast is None:
        return
    if not chosen.info.contrasts:
        able = ", ".join(m.name for m in METHODS if m.contrasts)
        raise ValueError(f"{chosen.info.name} cannot explain one class against another: use {able}")
    runner.network.check_target(request.contrast)


def run(
    runner: Runner,
    image: Image.Image | np.ndarray,
    name: str,
    center_crop: bool = False,
    **options: Any,
) -> Generator[Progress, None, MethodResult]:
    """`run_method` for any photo (prepared as the network sees it) with MethodRequest's
    options as keywords (layer, target, fill, approximate, seed, running_map, stop)."""
    request = MethodRequest(**options)
    chosen = get(name)
    _check_contrast(chosen, runner, request)
    chosen.check(runner, request)
    return chosen.run(runner, runner.prepare(image, center_crop=center_crop), request)


def explain(
    runner: Runner,
    image: Image.Image | np.ndarray,
    name: str,
    progress: Callable[[Progress], None] | None = None,
    **options: Any,
) -> MethodResult:
    """`run` to the end: the one call for scripts (`explain(explainer, photo, "gradcam")`)."""
    return run_to_end(run(runner, image, name, **options), progress)


def run_methods(
    runner: Runner,
    rgb: np.ndarray,
    methods: Sequence[str],
    target: int | None,
    layer: str | None = None,
    seed: int = 0,
    request: MethodRequest | None = None,
) -> Generator[Progress, None, dict[str, MethodResult]]:
    """Every method's map for class `target` of the prepared photo, in the order of `methods`
    (catalog names); methods that share a module with `run_group` share its work. Yields each
    step's own progress. Every method is checked now, before the first one runs."""
    names = [canonical(m) for m in methods]
    check_methods(names)
    base = replace(request or MethodRequest(), target=target, layer=layer, seed=seed)
    chosen = {n: get(n) for n in dict.fromkeys(names)}
    for m in chosen.values():
        _check_contrast(m, runner, base)
        m.check(runner, base)
    return _run_groups(runner, rgb, names, chosen, base)


def _run_groups(
    runner: Runner,
    rgb: np.ndarray,
    names: list[str],
    chosen: dict[str, Method],
    base: MethodRequest,
) -> Generator[Progress, None, dict[str, MethodResult]]:
    groups: dict[str, list[Method]] = {}
    for n, m in chosen.items():
        groups.setdefault(info(n).module, []).append(m)
    made: dict[str, MethodResult] = {}
    for members in groups.values():
        group: GroupRunner | None = getattr(_module(members[0].info.name), "run_group", None)
        if group is not None and len(members) > 1:
            t0 = time.perf_counter()
            results = yield from group(runner, rgb, members, base)
            seconds = time.perf_counter() - t0
            made.update({n: replace(r, seconds=seconds) for n, r in results.items()})
        else:
            for m in members:
                made[m.info.name] = yield from m.run(runner, rgb, base)
    return {n: made[n] for n in names}
