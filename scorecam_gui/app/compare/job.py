"""The Compare tab's job: the shown photo and class explained by several methods, each map kept
in the session's result cache (comparing again computes nothing; a method that keeps every
class's scores makes another class's map by re-weighting), with the faithfulness metrics if
asked. No Qt here, as in jobs.py."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ...engine.methods import catalog
from ..control import JobControl
from ..jobs import EngineSession, Explanation, Stage, _prepare, _result_key
from ..resultcache import ResultKey
from ..translation import translate

if TYPE_CHECKING:
    from ...engine.faithfulness.metrics import MapMetrics
    from ...engine.methods.base import MethodResult

# The Compare tab offers every catalog method but the baseline (engine/methods/catalog.py).
COMPARE_METHODS: tuple[str, ...] = tuple(m.name for m in catalog.METHODS if m.family != "baseline")


@dataclass(frozen=True)
class CompareMap:
    """One method's map, with its faithfulness metrics when they were measured."""

    method: str
    label: str
    saliency: np.ndarray
    metrics: MapMetrics | None = None
    backend: str = "torch"  # what ran its passes (the record's backend)


@dataclass(frozen=True)
class Comparison:
    explanation: Explanation  # the one compared against (its photo, class and layer)
    maps: tuple[CompareMap, ...]


def compare_job(
    session: EngineSession, shown: Explanation, methods: tuple[str, ...], measure: bool
) -> Callable[[Any], Generator[object, None, Comparison]]:
    """A worker job: the shown photo and class explained by each method (the shown Score-CAM
    map is reused), with the engine's faithfulness metrics if `measure`."""

    def job(control: JobControl) -> Generator[object, None, Comparison]:
        return _compare(session, shown, methods, measure, control)

    return job


def _compare(
    session: EngineSession,
    shown: Explanation,
    methods: tuple[str, ...],
    measure: bool,
    control: JobControl,
) -> Generator[object, None, Comparison]:
    from ...engine.faithfulness.metrics import run_metrics
    from ...engine.methods.base import MethodRequest
    from ...engine.methods.registry import run_method

    request = shown.request
    explainer = yield from _prepare(session, request, control)
    assert explainer is not None and session.image is not None
    result = shown.result
    target, layer, fill = result.target.index, result.layer, result.fill or "black"
    maps: list[CompareMap] = []
    rgb = explainer.prepare(session.image)
    # "Stop here" keeps each method's map of the inputs scored so far, as for the explanation.
    asked = MethodRequest(
        layer=layer, target=target, fill=fill, stop=lambda _p: bool(control.stop_requested())
    )
    for method in methods:
        row = catalog.info(method)
        made = result  # on screen already: the same numbers, not run again
        if method != result.method:
            key = _result_key(session, request, layer, target, method)
            kept = _compared_before(session, key, target)
            if kept is not None:
                made = kept
            else:
                unit = "maps" if row.family == "score-cam" else "passes"
                yield Stage(f"{row.title}…", label=row.title, unit=unit)
                made = yield from run_method(explainer, rgb, method, asked)
                if not made.stopped:  # "Stop here" gave a partial map: not one to show again
                    session.results.put(key, made)
        maps.append(CompareMap(method, row.title, made.saliency, backend=made.backend))
    if measure:
        for i, entry in enumerate(maps):
            yield Stage(
                translate("Jobs", "Measuring {method}…").format(method=entry.label),
                label=f"Measuring {entry.label}",
                unit="images",
            )
            metrics: MapMetrics = yield from run_metrics(
                explainer, session.image, entry.saliency, target=target
            )
            maps[i] = replace(entry, metrics=metrics)
    return Comparison(shown, tuple(maps))


def _compared_before(session: EngineSession, key: ResultKey, target: int) -> MethodResult | None:
    """A method's map compared before for this photo and class, or made from a run of it for
    another class that kept every class's scores (IS-CAM, SS-CAM, Ablation-CAM: no pass)."""
    kept = session.results.get(key)
    if kept is not None:
        return kept
    source = session.results.with_every_class(key)
    if source is None:
        return None
    from ...engine.methods.registry import for_class

    made = for_class(source, target)
    session.results.put(key, made)
    return made
