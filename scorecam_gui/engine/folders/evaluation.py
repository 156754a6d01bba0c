"""`scorecam evaluate` over many photos: the faithfulness metrics of each method as a PhotoWork,
so the local loop and Ray run it as they run `explain` (engine/folders/batch.py).

A photo's rows are one per method: the map's Average Drop/Increase and Deletion/Insertion AUC
(engine/faithfulness/metrics.py). The photo's class is found once and each method is explained for
it. A
method's row is the unit of resume: a rerun with more methods computes only the new ones. The
manifest's `options` column holds the settings that change the numbers and have no column:
the class asked for, --center-crop, the --weights file's hash, the deletion/insertion steps and
the insertion canvas.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from scorecam_gui.choices import DEFAULT_STEPS, INSERTION_STARTS
from scorecam_gui.engine.folders import manifest as mf
from scorecam_gui.engine.folders.events import Outcome
from scorecam_gui.engine.folders.explain import Job, MethodRows, OpenedJob
from scorecam_gui.engine.folders.photos import LoadedPhoto
from scorecam_gui.engine.methods import catalog

if TYPE_CHECKING:
    from scorecam_gui.engine.faithfulness.metrics import MapMetrics
    from scorecam_gui.engine.progress import Progress

__all__ = ["METHODS", "Evaluation", "OpenedEvaluation", "metrics_row"]

#: evaluate's methods: the catalog's (engine/methods/catalog.py).
METHODS = catalog.names()


@dataclass(frozen=True)
class Evaluation:
    """evaluate's settings as plain data (they travel to Ray's workers): the Job's network,
    layer, class, crop and device, the methods, and the deletion/insertion settings."""

    kind: ClassVar[mf.Kind] = mf.EVALUATE
    job: Job = field(default_factory=Job)
    methods: tuple[str, ...] = ("scorecam-paper", "gradcam", "gradcam++")
    steps: int = DEFAULT_STEPS
    insertion_start: str = "blur"

    def open(self, progress: Callable[[int, int | None], None] | None = None) -> OpenedEvaluation:
        """Check the settings, then load the network (raises the engine's user errors)."""
        from scorecam_gui.engine.methods.catalog import check_methods

        check_methods(self.methods, METHODS)
        if self.insertion_start not in INSERTION_STARTS:
            raise ValueError(
                f"unknown insertion start '{self.insertion_start}': "
                f"use {', '.join(INSERTION_STARTS)}"
            )
        opened = self.job.open(progress)
        size = opened.network.info.input_size
        if not 1 <= self.steps <= size * size:
            raise ValueError(f"steps must be between 1 and {size * size}, got {self.steps}")
        return OpenedEvaluation(self, opened)

    def on_driver(self) -> Evaluation:
        return replace(self, job=self.job.on_driver())


@dataclass
class OpenedEvaluation(MethodRows):
    """An Evaluation with its network loaded: a PhotoWork whose parts are the methods."""

    kind: ClassVar[mf.Kind] = mf.EVALUATE
    evaluation: Evaluation
    opened: OpenedJob
    stage: str = ""  # what runs now ("gradcam metrics"): for a progress line

    @cached_property
    def options(self) -> str:  # every row's key and `options` column: made once
        base = json.loads(self.opened.options)
        base.pop("approximate", None)  # evaluate always runs exact maps
        base.pop("time_budget", None)
        base.update(steps=self.evaluation.steps, insertion_start=self.evaluation.insertion_start)
        return json.dumps(base, sort_keys=True)

    @property
    def methods(self) -> tuple[str, ...]:
        return self.evaluation.methods

    def process(
        self, loaded: LoadedPhoto, parts: tuple[str, ...] | None = None
    ) -> Generator[Progress, None, Outcome]:
        """Every method's map and metrics for the photo: all or nothing (a failure in one
        method makes every row of the photo an error row, as the command line reports it)."""
        from scorecam_gui.engine.faithfulness.metrics import run_metrics
        from scorecam_gui.engine.methods.registry import run_methods

        methods = parts if parts is not None else self.evaluation.methods
        if loaded.error is not None or loaded.rgb is None:
            return Outcome(self.error_rows(loaded.path, loaded.sha256, loaded.error or "", methods))
        explainer, ev, rgb = self.opened.explainer, self.evaluation, loaded.rgb
        t0 = time.perf_counter()
        rows = []
        try:
            target = self.opened.target
            c = target if target is not None else explainer.classify(rgb)[0].index
            # Every method's map first: Score-CAM's weightings share their masked passes.
            self.stage = "maps"
            made = yield from run_methods(explainer, rgb, methods, c, self.opened.job.layer)
            for method in methods:
                saliency, map_seconds = made[method].saliency, made[method].seconds
                self.stage = f"{method} metrics"
                metrics = yield from run_metrics(
                    explainer, rgb, saliency, c, ev.steps, ev.insertion_start
                )
                assert loaded.sha256 is not None
                rows.append(self.metrics_row(loaded.path, loaded.sha256, method, c, metrics,
                                             map_seconds))  # fmt: skip
        except ValueError as exc:
            return Outcome(self.error_rows(loaded.path, loaded.sha256, str(exc), methods))
        except (RuntimeError, MemoryError) as exc:
            reason = f"{type(exc).__name__}: {exc}"
            return Outcome(self.error_rows(loaded.path, loaded.sha256, reason, methods))
        finally:
            self.stage = ""
        details = {
            "device": explainer.device.type,
            "precision": explainer.precision,
            "load": loaded.seconds,
            "seconds": time.perf_counter() - t0,
        }
        return Outcome(rows, details=details)

    def metrics_row(
        self,
        path: str,
        sha256: str,
        method: str,
        class_index: int,
        metrics: MapMetrics,
        map_seconds: float,
    ) -> dict[str, Any]:
        return metrics_row(self.common(path, sha256, method), self.opened, class_index, metrics,
                           map_seconds)  # fmt: skip

    def error_rows(
        self, path: str, sha256: str | None, reason: str, parts: tuple[str, ...] | None = None
    ) -> list[dict[str, Any]]:
        methods = parts if parts is not None else self.evaluation.methods
        empty = dict.fromkeys(mf.evaluation_schema().names)
        return [
            {
                **empty,
                **self.common(path, sha256, m),
                "steps": self.evaluation.steps,
                "insertion_start": self.evaluation.insertion_start,
                "error": " ".join(reason.split()) or "failed",
            }
            for m in methods
        ]


def metrics_row(
    common: dict[str, Any],
    opened: OpenedJob,
    class_index: int,
    m: MapMetrics,
    map_seconds: float,
) -> dict[str, Any]:
    """A method's row: the columns of manifest.evaluation_schema()."""
    return {
        **common,
        "class_index": class_index,
        "class_name": opened.network.categories[class_index],
        "probability": float(m.probability),
        "explanation_probability": float(m.explanation_probability),
        "drop_pct": 100.0 * float(m.drop),
        "increase": bool(m.increase),
        "deletion_auc": float(m.deletion.auc),
        "insertion_auc": float(m.insertion.auc),
        "steps": m.steps,
        "insertion_start": m.insertion_start,
        "device": m.device,
        "precision": m.precision,
        "map_seconds": map_seconds,
        "metrics_seconds": m.seconds,
        "error": None,
    }
