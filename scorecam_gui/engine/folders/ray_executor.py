"""The batch on a Ray cluster: Ray Data actors explain the photos, the driver writes the rows.

What goes where. The driver (the process that runs `scorecam explain --executor ray`, or
`scorecam evaluate`) reads and hashes every photo once, to skip what the manifest already holds,
and sends Ray only the paths, hashes and the parts of the work left (evaluate's methods). Each
worker runs one actor (`_WorkActor`) that opens the work once (loads the network), with one GPU
where the cluster has GPUs and one CPU otherwise; it reads the photo itself (so the photos must be
at the same path on every node: a shared folder, as with ``ray.data.read_images``), checks its
hash, and returns the photo's manifest rows (explain: the map as float16 bytes, about 100 kB;
evaluate: the metrics of each method) plus the device and timings. Rows stream back to the driver
as they finish, which writes them to the same manifest as the local executor, one part per block
received.

Faults. Ray restarts a dead actor and runs its photo again; a photo that never finished has no
row, so a rerun resumes it. An address that cannot be reached is one line naming it.

Loopback. A cluster started here (no address) listens on 127.0.0.1 only: the driver sets
RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 before Ray starts, passes ``_node_ip_address="127.0.0.1"``
and turns the dashboard off. Connecting to a cluster on another machine keeps Ray's defaults.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import warnings
from collections.abc import Collection, Generator, Iterator
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any

from scorecam_gui.engine.folders import manifest as mf
from scorecam_gui.engine.folders.events import (
    BatchSummary,
    Event,
    PhotoDone,
    PhotoSkipped,
    PhotoWork,
    WorkSpec,
)
from scorecam_gui.engine.folders.photos import load_photo, read_file
from scorecam_gui.engine.imaging import ImageLoadError
from scorecam_gui.engine.progress import run_to_end

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["RayUnavailable", "actor_map", "connect", "require_ray", "run_ray"]

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class RayUnavailable(ConnectionError):
    """The Ray cluster cannot be reached or started; one line naming the address."""


def _loopback_environment() -> None:
    """Ray reads these when it is imported (ray_constants), so they are set before that.

    RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 makes Ray take 127.0.0.1 as this node's address (on
    Linux it otherwise picks the machine's routable address and binds its servers to it), and
    RAY_USAGE_STATS_ENABLED=0 stops the usage report, which asks the cloud metadata address
    (169.254.169.254) which cloud it runs on.
    """
    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")


@contextmanager
def _no_cloud_probe() -> Iterator[None]:
    """While a local cluster starts: plain-http requests go to a closed loopback port.

    Ray's dashboard process asks the cloud metadata addresses (http://169.254.169.254/...,
    http://metadata.google.internal/...) which cloud it runs on, even with usage stats off and
    the dashboard disabled. It uses `requests`, which honours HTTP_PROXY; the processes started
    now inherit it. Only http:// is affected (weights come over https), and loopback addresses
    are exempt (NO_PROXY), so Ray's own calls between its processes still go direct.
    """
    names = ("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy")
    saved = {name: os.environ.get(name) for name in names}
    os.environ["HTTP_PROXY"] = os.environ["http_proxy"] = "http://127.0.0.1:9"  # discard port
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost,::1"
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def require_ray() -> Any:
    """The ray module (with Ray Data), or MissingExtra with the line that says how to get it."""
    _loopback_environment()
    try:
        import ray
        import ray.data  # the Data library is a separate extra of Ray
    except ImportError:
        raise mf.MissingExtra("Ray is not installed: pip install 'scorecam-gui[cluster]'") from None
    return ray


def _host_port(address: str) -> tuple[str, int] | None:
    text = address.removeprefix("ray://")
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        return None
    return host.strip("[]"), int(port)


def _check_reachable(address: str, timeout: float = 3.0) -> None:
    """Fail in seconds with one line, before Ray retries for a minute."""
    hp = _host_port(address)
    if hp is None:
        return  # "auto" or a name Ray resolves itself
    try:
        with socket.create_connection(hp, timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise RayUnavailable(f"cannot reach the Ray cluster at {address}: {reason}") from None


def connect(address: str | None = None, num_cpus: int | None = None) -> bool:
    """Connect to the cluster at `address` (or RAY_ADDRESS), else start one on this machine,
    listening on loopback only. True when this call started Ray (the caller shuts it down)."""
    ray = require_ray()  # sets the loopback environment before Ray is imported
    if ray.is_initialized():
        return False
    address = address or os.environ.get("RAY_ADDRESS") or None
    kwargs: dict[str, Any] = {
        "include_dashboard": False,
        "configure_logging": False,
        "log_to_driver": False,  # worker output would interleave with the command's lines
    }
    for name in ("ray", "ray.data"):  # their info lines would interleave with the command's
        logging.getLogger(name).setLevel(logging.ERROR)
    hp = _host_port(address) if address else None
    if address is None or (hp is not None and hp[0] in _LOOPBACK):
        kwargs["_node_ip_address"] = "127.0.0.1"
    if address is None:
        kwargs["num_cpus"] = num_cpus
    else:
        _check_reachable(address)
    try:
        with _no_cloud_probe() if address is None else nullcontext():
            ray.init(address=address, **kwargs)
    except (ConnectionError, RuntimeError, TimeoutError) as exc:
        where = address or "this machine"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RayUnavailable(f"cannot reach the Ray cluster at {where}: {first}") from None
    _quiet_progress()
    return True


def _quiet_progress() -> None:
    import ray.data

    with warnings.catch_warnings():
        # DataContext() sets its own deprecated fields and warns about them (Ray 2.5x): nothing
        # a user can act on.
        warnings.simplefilter("ignore", DeprecationWarning)
        context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # the command line draws its own


class _WorkActor:
    """One per worker: opens the work once (loads the network), then turns (path, sha256,
    parts) items into manifest rows. Results come back as an Arrow table: the manifest's
    columns plus index and details."""

    def __init__(self, spec: WorkSpec) -> None:
        self.work = spec.open()

    def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa

        work = self.work
        out = []
        for item in batch.to_pylist():
            loaded = load_photo(item["path"], work.prepare)
            if loaded.error is None and loaded.sha256 != item["sha256"]:
                loaded.error = "the file changed while the batch ran"
            outcome = run_to_end(work.process(loaded, tuple(item["parts"])))
            for row in outcome.rows:
                row["index"] = item["index"]
                row["details"] = json.dumps(outcome.details)
                out.append(row)
        return pa.Table.from_pylist(out, schema=_result_schema(work.kind))


def _result_schema(kind: mf.Kind) -> pa.Schema:
    import pyarrow as pa

    extra = [pa.field("index", pa.int64()), pa.field("details", pa.string())]
    return pa.schema([*kind.schema(), *extra])


def run_ray(
    spec: WorkSpec,
    paths: list[str],
    writer: mf.ManifestWriter | None = None,
    finished: Collection[tuple[Any, ...]] = frozenset(),
    address: str | None = None,
    num_cpus: int | None = None,
    opened: PhotoWork | None = None,
) -> Generator[Event, None, BatchSummary]:
    """The batch on Ray (see the module docstring): the same events and rows as run_local,
    except that PhotoDone carries no photo or result (the rows hold the map or the metrics).

    spec: a batch.Job (explain) or an evaluation.Evaluation. opened: the work opened on the
    driver (to name error rows and check the settings before any worker starts); opened here
    on the CPU when not given. Raises RayUnavailable, MissingExtra.
    """
    import time

    t_start = time.perf_counter()
    require_ray()
    mf.require_pyarrow()
    if opened is None:
        opened = spec.on_driver().open()
    summary = BatchSummary(total=len(paths))
    todo: list[dict[str, Any]] = []
    for index, path in enumerate(paths):
        try:
            sha = hashlib.sha256(read_file(path)).hexdigest()
        except ImageLoadError as exc:
            rows = opened.error_rows(path, None, exc.reason)
            summary.failed += 1
            if writer is not None:
                writer.add(rows)
            yield PhotoDone(index, path, rows)
            continue
        parts = opened.left(sha, mf.for_path(finished, path))
        if not parts:
            summary.skipped += 1
            yield PhotoSkipped(index, path)
            continue
        todo.append({"index": index, "path": path, "sha256": sha, "parts": list(parts)})
    if writer is not None:
        writer.flush()
    if not todo:
        summary.seconds = time.perf_counter() - t_start
        return summary

    started = connect(address, num_cpus)
    try:
        import ray

        yield from _stream(ray, spec, todo, writer, summary)
    finally:
        if started:
            ray.shutdown()
        summary.seconds = time.perf_counter() - t_start
    return summary


def actor_map(ray: Any, items: list[dict[str, Any]], actor: type, args: tuple[Any, ...]) -> Any:
    """A Ray Dataset of `items`, one per block, mapped by a pool of `actor(*args)`: one actor
    per GPU where the cluster has GPUs, one per CPU otherwise, never more than the items."""
    _quiet_progress()  # also on a cluster connected to before
    resources = ray.cluster_resources()
    gpus = int(resources.get("GPU", 0))
    actors = gpus if gpus else max(1, int(resources.get("CPU", 1)))
    actors = min(actors, len(items))
    ds = ray.data.from_items(items, override_num_blocks=len(items))
    return ds.map_batches(
        actor,
        fn_constructor_args=args,
        batch_size=1,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=actors),
        num_gpus=1 if gpus else 0,
        num_cpus=1,
    )


def _stream(
    ray: Any,
    spec: WorkSpec,
    todo: list[dict[str, Any]],
    writer: mf.ManifestWriter | None,
    summary: BatchSummary,
) -> Generator[Event, None, None]:
    ds = actor_map(ray, todo, _WorkActor, (spec,))
    for table in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
        photos: dict[int, list[dict[str, Any]]] = {}  # a photo's rows, in the order they came
        details: dict[int, dict[str, Any]] = {}
        for row in table.to_pylist():
            index = row.pop("index")
            details[index] = json.loads(row.pop("details"))
            photos.setdefault(index, []).append(row)
        events = []
        for index, rows in photos.items():
            event = PhotoDone(index, rows[0]["path"], rows, details=details[index])
            if event.error is None:
                summary.explained += 1
            else:
                summary.failed += 1
            if writer is not None:
                writer.add(rows)
            events.append(event)
        if writer is not None:
            writer.flush()  # rows reach the disk as each block arrives
        yield from events
