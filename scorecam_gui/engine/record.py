"""One explanation's record: the fields every writer spells the same way (docs/record.md).

The window's JSON summary (gui/window/export.py), `scorecam explain --json` (cli/batch.py), a
folder run's manifest row (engine/folders/explain.py) and its CSV (engine/folders/csvtable.py) all
start from an :class:`ExplanationRecord`; each writer may add its own fields beside them (the
window its rendering and files, the command line its output files, the manifest the map's bytes
and the `options` column) but never another spelling of these. `SCHEMA_VERSION` goes up when a
field changes its name or meaning; `LEGACY_NAMES` lists the names older files used, which the
readers (engine/folders/manifest.py) still take.

A leaf: no torch, no Qt, nothing above it in the engine (it reads results by their attributes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, Protocol

from scorecam_gui import __version__

__all__ = [
    "FIELDS",
    "LEGACY_NAMES",
    "SCHEMA_VERSION",
    "ExplanationRecord",
    "MapResult",
    "prediction",
]

#: 1: the first shared record (issue 21). Before it the files had no version field.
#: 2: null for what does not apply to the method (issue 35): `weighting`, `fill`, `maps_total`,
#: `maps_evaluated`, `approximate` and `stopped` of a method without them; `passes` added.
SCHEMA_VERSION = 2

#: Old name -> field, for files written before the record (manifest parts of 0.x).
LEGACY_NAMES: dict[str, str] = {"target_score": "target_probability"}


class _Prediction(Protocol):
    @property
    def index(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def probability(self) -> float: ...
    @property
    def logit(self) -> float: ...


class _Timings(Protocol):
    @property
    def classify(self) -> float: ...
    @property
    def map(self) -> float: ...  # the method's own time after the classifying pass
    @property
    def total(self) -> float: ...


class MapResult(Protocol):
    """What a record reads of a result (engine/methods/base.py: MethodResult)."""

    @property
    def saliency(self) -> Any: ...
    @property
    def target(self) -> _Prediction: ...
    @property
    def top5(self) -> Sequence[_Prediction]: ...
    @property
    def layer(self) -> str: ...
    @property
    def method(self) -> str: ...
    @property
    def contrast(self) -> _Prediction | None: ...
    @property
    def forward_passes(self) -> int: ...
    @property
    def weighting(self) -> str | None: ...
    @property
    def fill(self) -> str | None: ...
    @property
    def device(self) -> str: ...
    @property
    def precision(self) -> str: ...
    @property
    def backend(self) -> str: ...
    @property
    def precision_agreement(self) -> float | None: ...
    @property
    def maps_total(self) -> int | None: ...
    @property
    def maps_evaluated(self) -> int | None: ...
    @property
    def timings(self) -> _Timings: ...
    @property
    def approximate(self) -> int | None: ...
    @property
    def stopped(self) -> bool | None: ...


def prediction(p: _Prediction) -> dict[str, Any]:
    """One class of `top5`: its index, name, softmax probability and logit (plain floats)."""
    return {
        "index": int(p.index),
        "name": str(p.name),
        "probability": float(p.probability),
        "logit": float(p.logit),
    }


@dataclass(frozen=True)
class ExplanationRecord:
    """One photo's explanation (or why it failed), every field in one spelling.

    Units: probabilities 0 to 1, seconds of wall-clock time, map_shape in pixels (height,
    width) at the network's input size. A failed photo has `error` set and the result fields
    None. The field documentation with examples is docs/record.md.
    """

    path: str  # the photo's file; the window's label for a photo without one (pasted)
    sha256: str | None  # of the photo file's bytes; None when not read from a file
    model: str  # the network's name, as --model takes it
    layer: str  # the layer explained
    method: str  # the catalog's name (scorecam, gradcam, ...)
    # What does not apply to the method is None (catalog.not_applicable): a method without
    # weightings has no `weighting`, one that does not mask the photo no `fill`, ...
    weighting: str | None  # Score-CAM's weighting (paper, matlab, reference)
    fill: str | None  # what masked-out parts became (black, mean)
    target_index: int | None = None  # the class explained (asked for, else the predicted one)
    target_name: str | None = None
    target_probability: float | None = None  # its softmax probability, 0 to 1
    target_logit: float | None = None  # its logit (the network's raw output)
    contrast_index: int | None = None  # the class it is explained against (--contrast), if any
    contrast_name: str | None = None
    top5: list[dict[str, Any]] | None = None  # the five likeliest classes: index, name, ...
    maps_total: int | None = None  # feature maps of the layer, each a masked pass (Score-CAM)
    maps_evaluated: int | None = None  # of them scored with a masked pass
    passes: int | None = None  # forward passes after the classifying one (every method)
    approximate: bool | None = None  # not the exact map: --approximate N, or stopped early
    approximate_maps: int | None = None  # N of --approximate N (the highest-variance maps)
    stopped: bool | None = None  # scoring stopped early (--time-budget, "Stop here")
    map_shape: list[int] | None = None  # height, width of the map in pixels
    device: str | None = None  # where the network ran (cpu, cuda, mps)
    precision: str | None = None  # number format of the masked passes (fp32, bf16, fp16, int8)
    # how close that precision's maps came to exact fp32 ones on this network (its map check)
    precision_agreement: float | None = None
    backend: str | None = None  # what ran the masked passes (torch, openvino)
    seconds: float | None = None  # the whole explanation: seconds_read + classify + map
    seconds_read: float | None = None  # reading, decoding and resizing the photo
    seconds_classify: float | None = None  # the classifying pass (exact fp32)
    seconds_map: float | None = None  # the masked passes (the method's own time)
    error: str | None = None  # None, or the one-line reason the photo failed
    version: str = __version__  # scorecam-gui's version that wrote it
    schema_version: int = SCHEMA_VERSION

    @classmethod
    def from_result(
        cls,
        result: MapResult,
        *,
        path: str,
        model: str,
        method: str,
        sha256: str | None = None,
        seconds_read: float | None = None,
        seconds: float | None = None,
    ) -> ExplanationRecord:
        """The record of a finished map. seconds: the whole time when the caller measured it
        (reading included); default the result's own total plus `seconds_read`. What the
        method does not have (the result's None: a weighting, a fill, ...) is None here too."""
        t = result.target
        stopped = None if result.stopped is None else bool(result.stopped)
        passes = result.forward_passes - 1  # the classifying pass is seconds_classify's
        total = result.timings.total + (seconds_read or 0.0) if seconds is None else seconds
        return cls(
            path=path,
            sha256=sha256,
            model=model,
            layer=result.layer,
            method=method,
            weighting=result.weighting,
            fill=result.fill,
            target_index=int(t.index),
            target_name=str(t.name),
            target_probability=float(t.probability),
            target_logit=float(t.logit),
            contrast_index=None if result.contrast is None else int(result.contrast.index),
            contrast_name=None if result.contrast is None else str(result.contrast.name),
            top5=[prediction(p) for p in result.top5],
            maps_total=_count(result.maps_total),
            maps_evaluated=_count(result.maps_evaluated),
            passes=int(passes),
            # a method that cannot stop early (stopped None) makes only the exact map
            approximate=None if result.stopped is None else bool(result.approximate or stopped),
            approximate_maps=result.approximate,
            stopped=stopped,
            map_shape=[int(n) for n in result.saliency.shape],
            device=result.device,
            precision=result.precision,
            precision_agreement=_number(result.precision_agreement),
            backend=result.backend,
            seconds=float(total),
            seconds_read=None if seconds_read is None else float(seconds_read),
            seconds_classify=float(result.timings.classify),
            seconds_map=float(result.timings.map),
        )

    @classmethod
    def failed(
        cls,
        *,
        path: str,
        model: str,
        layer: str,
        method: str,
        weighting: str | None,
        fill: str | None,
        reason: str,
        sha256: str | None = None,
        seconds: float = 0.0,
    ) -> ExplanationRecord:
        """The record of a photo that failed; `reason` becomes one line."""
        return cls(
            path=path, model=model, layer=layer, method=method, weighting=weighting, fill=fill,
            sha256=sha256, seconds=seconds, error=" ".join(reason.split()) or "failed",
        )  # fmt: skip

    def to_json(self, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The record as a JSON-ready dict, fields in order; `extra` (a writer's own fields)
        after them. An extra field may not reuse a record field's name."""
        out = asdict(self)
        if extra:
            clash = sorted(set(extra) & set(out))
            if clash:
                raise ValueError(f"extra fields shadow the record's: {', '.join(clash)}")
            out.update(extra)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ExplanationRecord:
        """A record from a dict of its fields (a manifest row, a JSON file), old names taken
        (LEGACY_NAMES) and fields it does not know (the map's bytes, `options`) left out."""
        known = {f.name for f in fields(cls)}
        values = {LEGACY_NAMES.get(k, k): v for k, v in data.items()}
        if values.get("method") is None:  # written before the record: `weighting` tells it
            weighting = str(values.get("weighting"))
            scorecam = weighting in ("paper", "matlab", "reference")
            values["method"] = f"scorecam-{weighting}" if scorecam else weighting
        return cls(**{k: v for k, v in values.items() if k in known})


def _count(n: int | None) -> int | None:
    return None if n is None else int(n)


def _number(x: float | None) -> float | None:
    return None if x is None else float(x)


#: The record's field names in order.
FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ExplanationRecord))
