"""The manifest of a batch: one Parquet row per photo, written as rows finish.

Layout. Parquet files cannot be appended to: a file is complete only once its footer is written.
So the manifest `NAME.parquet` is a folder of part files (the layout Spark and Hive write,
which pyarrow, pandas, Polars and DuckDB read as one table:
``pyarrow.parquet.read_table("NAME.parquet")``), and each part is written whole through
:mod:`scorecam_gui.engine.atomicio` (a hidden temporary file, fsync, rename). Readers skip
names starting with "." or "_", so at every moment the folder holds only complete parts: a
crash, Ctrl-C or a full disk never leaves a half-written row.

When parts are written. Finished rows wait in memory at most ``max_age`` seconds (1 s) and are then
written together as one part. On a CPU a photo takes seconds, so each row gets its own part the
moment it is done; on a GPU (tens of photos a second) a part holds a second's worth of rows, which
keeps 50,000 photos to a few thousand files instead of 50,000. A hard kill loses the photos in
flight and at most the last second of finished rows; an orderly stop (Ctrl-C, cancel, an error)
writes everything finished first. Rewriting one growing file instead would cost time quadratic in
the number of rows (a row holds a 224 x 224 map, about 100 kB).

Resume. A photo is skipped when a row with its content hash and the same settings (model, layer,
method, fill and the `options` column) has no error, and that row is of the same path or of a
path where no photo is any more (moved or renamed; see Finished). A copy at another path is a
photo of its own: it gets its own row and files. Failed photos are tried again and their
new row is added; :func:`read_manifest` returns the newest row per photo and settings (parts are
named so that they sort by the time they were written), ``pyarrow`` alone returns every row.

One run at a time. A ManifestWriter holds an advisory lock (flock on `.lock` in the folder, made
by the writer and removed when it closes); a second run on the same manifest is refused in one
line instead of computing every photo again beside the first. Systems without flock (Windows)
have no lock. A damaged part is set aside by the run that holds the lock (parts.py).

The `options` column holds, as JSON, the settings that change a map but have no column: the class
asked for, --approximate, --center-crop, a --weights file's hash (so a resume never mixes them).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from scorecam_gui.engine import atomicio
from scorecam_gui.engine.folders.old_rows import upgrade_explain_rows
from scorecam_gui.engine.folders.parts import PART_PREFIX, list_parts, read_part, set_aside
from scorecam_gui.engine.record import FIELDS, LEGACY_NAMES

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "COLUMNS",
    "EVALUATE",
    "EXPLAIN",
    "KINDS",
    "SANITY",
    "Finished",
    "Kind",
    "ManifestError",
    "ManifestWriter",
    "MissingExtra",
    "finished_keys",
    "for_path",
    "map_from_row",
    "read_manifest",
    "require_pyarrow",
    "schema",
    "settings_key",
]

#: The columns in order: the explanation record's fields (engine/record.py), the map, `options`.
COLUMNS = (*FIELDS, "map", "options")
_HELD: set[str] = set()  # the manifest folders whose lock a writer of this process holds


class MissingExtra(RuntimeError):
    """An optional dependency is not installed; the message says in one line how to get it."""


class ManifestError(ValueError):
    """The manifest path cannot be used or read; one line naming it."""


def require_pyarrow() -> Any:
    """The pyarrow module, or MissingExtra with the one line that says how to install it."""
    try:
        import pyarrow
        import pyarrow.parquet  # the submodule must be importable too
    except ImportError:
        raise MissingExtra(
            "pyarrow is not installed (needed for --manifest): pip install 'scorecam-gui[manifest]'"
        ) from None
    return pyarrow


def _record_types(pa: Any) -> dict[str, Any]:
    """The Arrow type of each record field (docs/record.md says what each holds)."""
    prediction = pa.struct(
        [
            ("index", pa.int32()),
            ("name", pa.string()),
            ("probability", pa.float64()),
            ("logit", pa.float64()),  # null in rows written before the record
        ]
    )
    text, number, count, flag = pa.string(), pa.float64(), pa.int32(), pa.bool_()
    return {
        "path": text,
        "sha256": text,  # null when the file could not be read at all
        "model": text,
        "layer": text,
        "method": text,
        "weighting": text,  # Score-CAM's weighting; null for the other methods
        "fill": text,  # null for a method that does not mask the photo (a key column)
        "target_index": count,
        "target_name": text,
        "target_probability": number,  # the target's softmax probability (was target_score)
        "target_logit": number,
        "contrast_index": count,  # the class explained against (--contrast), else null
        "contrast_name": text,
        "top5": pa.list_(prediction),
        "maps_total": count,
        "maps_evaluated": count,
        "passes": count,  # null in rows written before schema_version 2
        "approximate": flag,
        "approximate_maps": count,
        "stopped": flag,
        "map_shape": pa.list_(count),
        "device": text,
        "precision": text,
        "precision_agreement": number,  # null in rows written before it
        "backend": text,
        "seconds": number,  # reading, classifying and the map of this photo
        "seconds_read": number,
        "seconds_classify": number,
        "seconds_map": number,
        "error": text,  # null, or the one-line reason the photo failed
        "version": text,  # scorecam-gui's version
        "schema_version": count,  # the record's (null in rows written before it)
    }


def schema() -> pa.Schema:
    """The manifest's Arrow schema (one row per photo; see the module docstring): the record's
    fields, then the map and `options`."""
    pa = require_pyarrow()
    types = _record_types(pa)
    return pa.schema(
        [
            *((name, types[name]) for name in FIELDS),
            ("map", pa.binary()),  # float16, row-major, map_shape: the -map.npy saliency
            ("options", pa.string()),  # JSON: target, approximate, center_crop, weights_sha256
        ]
    )


def _method_columns(pa: Any) -> list[tuple[str, Any]]:
    """The first columns of a row per photo and method (evaluate, --sanity)."""
    return [
        ("path", pa.string()),
        ("sha256", pa.string()),
        ("model", pa.string()),
        ("layer", pa.string()),
        ("method", pa.string()),  # a catalog name (engine/methods/catalog.py)
        ("class_index", pa.int32()),
        ("class_name", pa.string()),
    ]


def _row_end(pa: Any) -> list[tuple[str, Any]]:
    """The last columns of a row per photo and method."""
    return [
        ("version", pa.string()),
        ("error", pa.string()),  # null, or the one-line reason
        ("options", pa.string()),  # JSON: the settings with no column of their own
    ]


def evaluation_schema() -> pa.Schema:
    """`scorecam evaluate --manifest`: one row per photo and method, the CSV's columns plus the
    photo's hash, the options, the version and the error (see engine/folders/evaluation.py)."""
    pa = require_pyarrow()
    return pa.schema(
        [
            *_method_columns(pa),
            ("probability", pa.float64()),  # Y: the class's probability for the photo
            ("explanation_probability", pa.float64()),  # O: for the map times the photo
            ("drop_pct", pa.float64()),  # 100 * max(0, Y - O) / Y
            ("increase", pa.bool_()),  # O > Y
            ("deletion_auc", pa.float64()),
            ("insertion_auc", pa.float64()),
            ("steps", pa.int32()),
            ("insertion_start", pa.string()),
            ("device", pa.string()),
            ("precision", pa.string()),
            ("map_seconds", pa.float64()),
            ("metrics_seconds", pa.float64()),
            *_row_end(pa),  # options: target, center_crop, weights_sha256, steps, ...
        ]
    )


def sanity_schema() -> pa.Schema:
    """`scorecam evaluate --sanity --manifest`: one row per photo, method and step of the
    cascading randomisation (see engine/folders/sanity_batch.py)."""
    pa = require_pyarrow()
    return pa.schema(
        [
            *_method_columns(pa),
            ("randomised", pa.int32()),  # layer groups re-initialised (0: the intact network)
            ("layer_group", pa.string()),  # the last group re-initialised
            ("spearman", pa.float64()),  # rank correlation with the intact network's map
            ("ssim", pa.float64()),
            ("seed", pa.int64()),
            ("device", pa.string()),
            ("precision", pa.string()),
            ("seconds", pa.float64()),  # the photo's whole check (every method and step)
            *_row_end(pa),  # options: target, center_crop, weights, checkpoints, seed
        ]
    )


@dataclass(frozen=True)
class Kind:
    """What a manifest holds: `explain`'s one row per photo or `evaluate`'s one per photo and
    method. `key` names the columns that make two rows the same work (with the photo's hash)."""

    name: str
    schema: Callable[[], pa.Schema]
    key: tuple[str, ...]
    marker: str  # a column only this kind has: tells a manifest of the other kind apart
    steps: tuple[str, ...] = ()  # what tells apart the rows of one piece of work (sanity)
    legacy: tuple[tuple[str, str], ...] = ()  # (old column name, its column now)
    # A part's rows of an older version as the current version writes them (old_rows.py)
    upgrade: Callable[[pa.Table], pa.Table] | None = None

    def check(self, folder: Path, first_part: Path) -> None:
        import pyarrow.parquet as pq

        try:
            names = set(pq.read_schema(first_part).names)
        except Exception:  # unreadable parts are reported by read_manifest
            return
        if self.marker in names:
            return
        other = next((k.name for k in KINDS if k.marker in names), None)
        what = f"the rows of `scorecam {other}`" if other else "rows of another kind"
        raise ManifestError(
            f"{folder}: holds {what}, not `scorecam {self.name}` (give another --manifest)"
        )


EXPLAIN = Kind(
    "explain",
    schema,
    ("sha256", "model", "layer", "method", "fill", "options"),
    "map",
    legacy=tuple(LEGACY_NAMES.items()),
    upgrade=upgrade_explain_rows,
)
EVALUATE = Kind(
    "evaluate",
    evaluation_schema,
    ("sha256", "model", "layer", "method", "options"),
    "insertion_auc",
)
SANITY = Kind(
    "evaluate --sanity",
    sanity_schema,
    ("sha256", "model", "layer", "method", "options"),
    "randomised",
    steps=("randomised",),
)
KINDS = (EXPLAIN, EVALUATE, SANITY)


def settings_key(
    sha256: str | None, model: str, layer: str, method: str, fill: str | None, options: str
) -> tuple[str | None, str, str, str, str | None, str]:
    """What makes two rows the same work: the photo's content, the method (Score-CAM's name
    says its weighting) and every setting of its map (`fill` None where it does not apply).
    Rows of before the record's version 2 are read to give the same key (old_rows.py)."""
    return (sha256, model, layer, method, fill, options)


def map_from_row(row: dict[str, Any]) -> np.ndarray:
    """A row's saliency map as float32 (H, W) (stored as float16 bytes, row-major)."""
    shape = tuple(int(n) for n in row["map_shape"])
    return np.frombuffer(row["map"], dtype="<f2").reshape(shape).astype(np.float32)


def map_to_bytes(saliency: np.ndarray) -> bytes:
    return np.ascontiguousarray(saliency, dtype="<f2").tobytes()


def _check_folder(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise ManifestError(
            f"{path}: is a file; a manifest is a folder of Parquet parts (give a new name)"
        )


def read_manifest(
    path: str | os.PathLike[str], newest_only: bool = True, kind: Kind = EXPLAIN
) -> pa.Table:
    """The manifest's rows (a folder of parts or a single Parquet file), an empty table if the
    folder does not exist. newest_only: one row per photo and settings, the last written."""
    pa = require_pyarrow()

    folder = Path(path)
    if not folder.exists():
        return kind.schema().empty_table()
    files = [folder] if folder.is_file() else list_parts(folder)
    if files:
        kind.check(folder, files[0])
    tables = []
    for f in files:
        try:
            part = read_part(f, kind.schema(), kind.legacy)
            tables.append(part if kind.upgrade is None else kind.upgrade(part))
        except (OSError, pa.ArrowException) as exc:
            if f is folder or os.path.realpath(folder) not in _HELD:
                what = "the manifest" if f is folder else "this part of the manifest"
                reason = " ".join(str(exc).split())
                raise ManifestError(f"{f}: cannot read {what} ({reason})") from None
            _set_aside(f, exc)  # this run holds the lock: its photos are done again
    table = pa.concat_tables(tables) if tables else kind.schema().empty_table()
    if not newest_only or table.num_rows == 0:
        return table
    # The rows of one piece of work (a photo's map, a method's metrics, a method's sanity steps)
    # are always written in one part: keep, per piece, those of the newest part that has it,
    # and per row identity (the key plus kind.steps) the last one.
    part = [i for i, t in enumerate(tables) for _ in range(t.num_rows)]
    keys = list(zip(*(table.column(c).to_pylist() for c in ("path", *kind.key)), strict=True))
    steps = list(zip(*(table.column(c).to_pylist() for c in kind.steps), strict=True))
    newest = {key: part[i] for i, key in enumerate(keys)}
    last: dict[tuple[Any, ...], int] = {}
    for i, key in enumerate(keys):
        if part[i] == newest[key]:
            last[(key, steps[i] if steps else ())] = i
    return table.take(sorted(last.values()))


def _set_aside(part: Path, exc: BaseException) -> None:
    try:
        set_aside(part, exc)
    except OSError as err:
        raise ManifestError(f"{part}: damaged, and cannot be moved aside ({err})") from None


class Finished(set[tuple[Any, ...]]):
    """The key columns' values (kind.key) of every row without an error, with the paths those
    rows were written for (`paths`, and `photos`: every such path, in the order written).

    A photo skips a piece of work (see `for_path`) when the manifest has it for the same content
    and settings at the same path, or when none of the photos it was done for is still where it
    was (the photo was moved or renamed; each such piece is taken over by one photo only). A copy
    of a finished photo at another path, the original still there, is a photo of its own."""

    def __init__(
        self, paths: dict[tuple[Any, ...], list[str]] | None = None, photos: list[str] | None = None
    ) -> None:
        super().__init__(paths or {})
        self.paths: dict[tuple[Any, ...], list[str]] = paths or {}
        self.photos: list[str] = (
            photos if photos is not None else [p for ps in self.paths.values() for p in ps]
        )
        self._taken: set[tuple[Any, ...]] = set()  # pieces a moved photo has taken over

    def for_path(self, path: str) -> Collection[tuple[Any, ...]]:
        """The finished keys the photo at `path` may skip (the class docstring says which)."""
        return _ForPath(self, path)

    def _skips(self, key: tuple[Any, ...], path: str) -> bool:
        paths = self.paths.get(key)
        if not paths:
            return False
        if path in paths or os.path.realpath(path) in {os.path.realpath(p) for p in paths}:
            return True
        if key in self._taken or any(os.path.exists(p) for p in paths):
            return False  # a copy, the original still there: a photo of its own
        self._taken.add(key)  # moved or renamed: recognised, once
        return True


class _ForPath(Collection[tuple[Any, ...]]):
    def __init__(self, finished: Finished, path: str) -> None:
        self._finished = finished
        self._path = path

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and self._finished._skips(key, self._path)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return (k for k in self._finished if self._finished._skips(k, self._path))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def for_path(finished: Collection[tuple[Any, ...]], path: str) -> Collection[tuple[Any, ...]]:
    """What the photo at `path` may skip: Finished.for_path, or `finished` itself (a plain set
    of keys: no path checks)."""
    return finished.for_path(path) if isinstance(finished, Finished) else finished


def finished_keys(path: str | os.PathLike[str], kind: Kind = EXPLAIN) -> Finished:
    """The work a resumed run skips: the key columns' values (kind.key, settings_key for
    `explain`) of every row without an error, with their paths (Finished)."""
    folder = Path(path)
    _check_folder(folder)
    if not folder.exists():
        return Finished()
    table = read_manifest(folder, newest_only=False, kind=kind).select(["path", *kind.key, "error"])
    rows = zip(*(table.column(c).to_pylist() for c in ("path", *kind.key, "error")), strict=True)
    paths: dict[tuple[Any, ...], list[str]] = {}
    photos: dict[str, None] = {}  # in the order the rows were written
    for row in rows:
        key = tuple(row[1:-1])
        if row[-1] is None and key[0] is not None:
            where = paths.setdefault(key, [])
            if row[0] not in where:
                where.append(row[0])
            photos.setdefault(row[0])
    return Finished(paths, list(photos))


@dataclass
class _Pending:
    rows: list[dict[str, Any]]
    since: float  # monotonic time of the oldest row


class ManifestWriter:
    """Adds rows to a manifest folder, each part written whole (see the module docstring).

    Not thread-safe: one thread adds rows (the local loop, or the Ray driver).
    """

    def __init__(
        self, path: str | os.PathLike[str], max_age: float = 1.0, kind: Kind = EXPLAIN
    ) -> None:
        require_pyarrow()
        self.path = Path(path)
        _check_folder(self.path)  # the folder itself is made with the first part
        parts = list_parts(self.path) if self.path.is_dir() else []
        if parts:
            kind.check(self.path, parts[0])
        self.kind = kind
        self.max_age = max_age
        self._made_folder = not self.path.exists()
        self._lock = _take_lock(self.path)  # one run at a time writes (and reads) the manifest
        _HELD.add(os.path.realpath(self.path))  # its reads may set damaged parts aside
        self._held = True
        self._run = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:8]}"
        self._seq = 0
        self._pending = _Pending([], 0.0)
        self.rows_written = 0
        self.failed = False  # a part could not be written: the caller has reported it and stops

    def add(self, rows: dict[str, Any] | Iterable[dict[str, Any]]) -> None:
        """Queue finished rows; they are written within max_age seconds (see flush_due)."""
        new = [rows] if isinstance(rows, dict) else list(rows)
        if new and not self._pending.rows:
            self._pending.since = time.monotonic()
        self._pending.rows += new
        self.flush_due()

    def flush_due(self) -> None:
        """Write the queued rows if the oldest has waited max_age seconds."""
        pending = self._pending
        if pending.rows and time.monotonic() - pending.since >= self.max_age:
            self.flush()

    def flush(self) -> None:
        """Write the queued rows now, as one part. On failure (ExportError: a full disk, ...)
        the folder holds only the parts written before, and the writer writes nothing more."""
        if not self._pending.rows or self.failed:
            return
        pa = require_pyarrow()
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(self._pending.rows, schema=self.kind.schema())
        name = f"{PART_PREFIX}{self._run}-{self._seq:06d}.parquet"
        try:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise atomicio.export_error(self.path, exc) from None
            atomicio.atomic_write(self.path / name, lambda f: pq.write_table(table, f))
        except BaseException as exc:
            # Ctrl-C in the middle of the part left no file and keeps the rows queued: the
            # flush of the orderly stop that follows writes them.
            if not isinstance(exc, KeyboardInterrupt):
                self.failed = True  # no later part either: the rows on disk stay a clean prefix
            raise
        self._seq += 1
        self.rows_written += len(self._pending.rows)
        self._pending = _Pending([], 0.0)

    @property
    def pending(self) -> int:
        return len(self._pending.rows)

    def __del__(self) -> None:
        # A writer dropped without close() (a notebook, a test) lets the manifest go too.
        with suppress(Exception):
            self.close()

    def finish(self) -> None:
        """The orderly stop: write every queued row, through a Ctrl-C that comes meanwhile (the
        part is written again; the interrupt is raised once the rows are on disk), then close."""
        interrupted: KeyboardInterrupt | None = None
        try:
            for _ in range(3):
                try:
                    self.flush()
                    break
                except KeyboardInterrupt as exc:
                    interrupted = exc
        finally:
            self.close()
        if interrupted is not None:
            raise interrupted

    def close(self) -> None:
        """Let another run have the manifest (after flush). A folder this writer made and wrote
        nothing into is removed again."""
        if self._held:  # also where there is no lock (Windows)
            self._held = False
            _HELD.discard(os.path.realpath(self.path))
        lock, self._lock = self._lock, None
        if lock is None:
            return
        with suppress(OSError):  # removed while held: a run that opened it meanwhile retries
            (self.path / LOCK_NAME).unlink()
            if self._made_folder and self.rows_written == 0:
                self.path.rmdir()
        lock.close()  # closing the file releases the lock


LOCK_NAME = ".lock"  # a hidden name: Parquet readers skip it; removed when the run ends
BUSY = "another scorecam run is using this manifest now: wait for it to end, or give another"


def _take_lock(folder: Path) -> IO[bytes] | None:
    """An exclusive advisory lock (flock) on the manifest folder's lock file, or ManifestError
    when another run holds it. None where the system has no flock (Windows: no lock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    path = folder / LOCK_NAME
    for _ in range(10):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            lock = open(path, "ab")  # noqa: SIM115 - held until close()
        except OSError as exc:
            raise atomicio.export_error(folder, exc) from None
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            raise ManifestError(f"{folder}: {BUSY} --manifest") from None
        try:  # the run before may have removed the file between our open and our lock
            if os.stat(path).st_ino == os.fstat(lock.fileno()).st_ino:
                return lock
        except OSError:
            pass
        lock.close()
    raise ManifestError(f"{folder}: {BUSY} --manifest")


def options_json(
    target: int | None,
    approximate: int | None,
    center_crop: bool,
    weights_sha256: str | None,
    time_budget: float | None = None,
    input_options: dict[str, object] | None = None,
) -> str:
    """The `options` column: settings that change the map and have no column of their own.
    input_options: a model file's --input-size/--mean/--std, those given."""
    options: dict[str, object] = {
        "target": target,
        "approximate": approximate,
        "center_crop": center_crop,
        "weights_sha256": weights_sha256,
    }
    if time_budget is not None:  # an approximate map: never taken for an exact one on resume
        options["time_budget"] = time_budget
    if input_options:
        options["input"] = input_options
    return json.dumps(options, sort_keys=True)
