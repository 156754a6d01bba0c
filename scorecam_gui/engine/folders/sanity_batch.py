"""`scorecam evaluate --sanity` over many photos: the cascading randomisation of
engine/faithfulness/sanity.py as a PhotoWork, so it runs in the local loop or on Ray and resumes
from a
manifest like `explain` and `evaluate` (engine/folders/batch.py).

A photo's rows are one per method and step (0: the intact network, then each checkpoint of the
randomisation), with the Spearman correlation and SSIM of the map against the intact network's.
A method is the unit of resume: its maps under randomisation depend on the seed only, not on the
other methods.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from scorecam_gui.engine.folders import manifest as mf
from scorecam_gui.engine.folders.events import Outcome
from scorecam_gui.engine.folders.explain import Job, MethodRows, OpenedJob
from scorecam_gui.engine.folders.photos import LoadedPhoto

if TYPE_CHECKING:
    from scorecam_gui.engine.progress import Progress

__all__ = ["OpenedSanity", "SanityCheck"]


@dataclass(frozen=True)
class SanityCheck:
    """--sanity's settings as plain data: the Job's network, layer, class and device, the
    methods (engine/methods/catalog.py names), how many depths to explain at, and the seed."""

    kind: ClassVar[mf.Kind] = mf.SANITY
    job: Job = field(default_factory=Job)
    methods: tuple[str, ...] = ("scorecam-paper", "gradcam", "gradcam++", "noise")
    sanity_steps: int | None = None  # None: explain after every layer group
    seed: int = 0

    def open(self, progress: Callable[[int, int | None], None] | None = None) -> OpenedSanity:
        from scorecam_gui.engine.faithfulness.sanity import layer_groups, spread_checkpoints
        from scorecam_gui.engine.methods.catalog import check_methods

        check_methods(self.methods)
        opened = self.job.open(progress)
        groups = layer_groups(opened.network)
        return OpenedSanity(self, opened, spread_checkpoints(len(groups), self.sanity_steps))

    def on_driver(self) -> SanityCheck:
        return replace(self, job=self.job.on_driver())


@dataclass
class OpenedSanity(MethodRows):
    """A SanityCheck with its network loaded: a PhotoWork whose parts are the methods."""

    kind: ClassVar[mf.Kind] = mf.SANITY
    check: SanityCheck
    opened: OpenedJob
    checkpoints: list[int]

    @cached_property
    def options(self) -> str:  # every row's key and `options` column: made once
        base = json.loads(self.opened.options)
        base.pop("approximate", None)  # the check always runs exact maps
        base.pop("time_budget", None)
        base.update(checkpoints=self.checkpoints, seed=self.check.seed)
        return json.dumps(base, sort_keys=True)

    @property
    def methods(self) -> tuple[str, ...]:
        return self.check.methods

    def process(
        self, loaded: LoadedPhoto, parts: tuple[str, ...] | None = None
    ) -> Generator[Progress, None, Outcome]:
        from scorecam_gui.engine.faithfulness.sanity import run_sanity

        methods = parts if parts is not None else self.check.methods
        if loaded.error is not None or loaded.rgb is None:
            return Outcome(self.error_rows(loaded.path, loaded.sha256, loaded.error or "", methods))
        explainer = self.opened.explainer
        t0 = time.perf_counter()
        try:
            result = yield from run_sanity(
                explainer,
                loaded.rgb,
                methods,
                self.opened.target,
                self.opened.job.layer,
                self.checkpoints,
                self.check.seed,
            )
        except ValueError as exc:
            return Outcome(self.error_rows(loaded.path, loaded.sha256, str(exc), methods))
        except (RuntimeError, MemoryError) as exc:
            reason = f"{type(exc).__name__}: {exc}"
            return Outcome(self.error_rows(loaded.path, loaded.sha256, reason, methods))
        seconds = time.perf_counter() - t0
        rows = []
        for method in result.methods:
            for step in result.steps:
                rows.append(
                    {
                        **self.common(loaded.path, loaded.sha256, method),
                        "class_index": result.target.index,
                        "class_name": result.target.name,
                        "randomised": step.randomised,
                        "layer_group": step.group,
                        "spearman": float(step.spearman[method]),
                        "ssim": float(step.ssim[method]),
                        "seed": self.check.seed,
                        "device": explainer.device.type,
                        "precision": explainer.precision,
                        "seconds": seconds,
                        "error": None,
                    }
                )
        return Outcome(rows, details={"load": loaded.seconds, "seconds": seconds})

    def error_rows(
        self, path: str, sha256: str | None, reason: str, parts: tuple[str, ...] | None = None
    ) -> list[dict[str, Any]]:
        methods = parts if parts is not None else self.check.methods
        empty = dict.fromkeys(mf.sanity_schema().names)
        error = " ".join(reason.split()) or "failed"
        return [
            {**empty, **self.common(path, sha256, m), "seed": self.check.seed, "error": error}
            for m in methods
        ]
