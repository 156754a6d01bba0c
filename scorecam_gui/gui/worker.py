"""Run engine generators in a QThread and report to the GUI thread with job ids.

One worker object lives in one QThread. A job is a callable taking a :class:`JobControl`; it
returns either a value or a generator whose yields become progress signals and whose return value
is the result (the engine's ``Explainer.run`` has that shape). Every job gets an id; a newer
request supersedes the running one, which is closed between two yields (one engine batch), and
whatever a superseded job still sends is dropped here, so a late result never reaches the screen.

A failure the user can do something about (a photo that is not one, a decompression bomb, a
weights file of another network, a setting a method refuses) is one WARNING line in the log; a
traceback is kept for the unexpected, so that a real crash stands out.
"""

from __future__ import annotations

import functools
import logging
import sys
import traceback
import weakref
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)

Job = Callable[["JobControl"], Any]

# Every QThread this module starts, so tests can prove none is left running.
_THREADS: weakref.WeakSet[QThread] = weakref.WeakSet()
# Runners whose thread was still inside a batch at shutdown: kept alive until it ends, because
# destroying a running QThread aborts the process.
_ORPHANS: set[JobRunner] = set()


def running_threads() -> list[QThread]:
    """The worker threads started here that are still running."""
    return [thread for thread in list(_THREADS) if thread.isRunning()]


def _stop_thread(thread: QThread, worker: _Worker, *_args: object) -> None:
    if not shiboken6.isValid(thread):  # already gone with the application
        return
    if shiboken6.isValid(worker):
        worker.wanted = -1
    thread.quit()
    thread.wait()


# The engine's errors that are a user's or a file's doing: (module under scorecam_gui.engine,
# class). Looked up among the modules loaded: the worker imports no engine module (torch) itself.
USER_ERRORS = (
    ("imaging", "ImageLoadError"),
    ("models.types", "NetworkError"),
    ("models.types", "WeightsError"),
    ("runtime.device", "DeviceError"),
    ("atomicio", "ExportError"),
    ("safe_read", "FileRefused"),
    ("folders.manifest", "ManifestError"),
    ("folders.manifest", "MissingExtra"),
    ("teach.dataset", "TeachError"),
)


def is_user_error(exc: BaseException) -> bool:
    """Whether `exc` is an expected failure (USER_ERRORS, or a plain ValueError: the one-line
    refusals of the engine's checks) rather than a bug."""
    for module, name in USER_ERRORS:
        found = getattr(sys.modules.get(f"scorecam_gui.engine.{module}"), name, None)
        if isinstance(found, type) and isinstance(exc, found):
            return True
    return type(exc) is ValueError


def _log_failure(job_id: int, exc: BaseException) -> None:
    if not is_user_error(exc):
        log.exception("job %d failed", job_id)
        return
    message = " ".join(str(exc).split()) or type(exc).__name__
    log.warning("job %d stopped: %s (%s)", job_id, message, type(exc).__name__)
    log.debug("job %d: where it stopped", job_id, exc_info=exc)  # for a DEBUG log only


class JobCancelled(Exception):
    """Raised by a job that notices it was cancelled at a point where it cannot yield."""


@dataclass(frozen=True)
class JobError:
    """A failure, as plain data: exception objects would drag tensors and frames across threads."""

    kind: str
    message: str
    details: str
    error_type: type[BaseException] = Exception


class JobControl:
    """What a job may ask of its worker: am I still wanted, and report a progress item."""

    def __init__(self, worker: _Worker, job_id: int) -> None:
        self._worker = worker
        self.job_id = job_id

    def cancelled(self) -> bool:
        return self._worker.wanted != self.job_id

    def stop_requested(self) -> bool:
        """True once the user asked this job to stop early and keep what it has ("Stop here")."""
        return self._worker.stop_wanted == self.job_id

    def report(self, item: object) -> None:
        # Signals are thread-safe; the receiver lives in the GUI thread, so this is queued.
        if not self.cancelled():
            self._worker.progressed.emit(self.job_id, item)


class _Worker(QObject):
    progressed = Signal(int, object)
    finished = Signal(int, object)
    failed = Signal(int, object)
    cancelled = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        # The id of the one job that may still run; written by the GUI thread, read here.
        # A plain int attribute: assignment and read are atomic under the GIL.
        self.wanted = 0
        self.stop_wanted = 0  # the job asked to stop early and finish with what it has

    @Slot(int, object)
    def run_job(self, job_id: int, job: Job) -> None:
        control = JobControl(self, job_id)
        if control.cancelled():
            self.cancelled.emit(job_id)
            return
        try:
            outcome = job(control)
            if isinstance(outcome, Generator):
                outcome = self._drive(outcome, control)
        except JobCancelled:
            self.cancelled.emit(job_id)
            return
        except Exception as exc:
            if control.cancelled():
                # A cancelled download or batch may end in an exception; it is not an error.
                self.cancelled.emit(job_id)
                return
            _log_failure(job_id, exc)
            error = JobError(
                kind=type(exc).__name__,
                message=str(exc) or type(exc).__name__,
                details=traceback.format_exc(),
                error_type=type(exc),
            )
            self.failed.emit(job_id, error)
            return
        if control.cancelled():
            self.cancelled.emit(job_id)
        else:
            self.finished.emit(job_id, outcome)

    def _drive(self, generator: Generator[Any, None, Any], control: JobControl) -> Any:
        while True:
            if control.cancelled():
                generator.close()  # runs the engine's finally blocks: hooks removed, buffers freed
                raise JobCancelled
            try:
                item = next(generator)
            except StopIteration as stop:
                return stop.value
            control.report(item)


class JobRunner(QObject):
    """Owns one worker thread; forwards only the current job's signals to the GUI.

    Signals carry the job id so a caller can tell its jobs apart; stale jobs never emit them.
    """

    progressed = Signal(int, object)
    finished = Signal(int, object)
    failed = Signal(int, object)
    cancelled = Signal(int)
    busyChanged = Signal(bool)

    _submit = Signal(int, object)

    def __init__(self, name: str = "scorecam-worker", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run_job)
        self._worker.progressed.connect(self._on_progressed)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)
        self._next_id = 0
        self._current = 0
        self._pending: set[int] = set()
        self._thread.start()
        _THREADS.add(self._thread)
        # A window deleted without being closed (its owner dropped it) must not destroy a running
        # QThread: that aborts the process. The closure keeps the thread object alive until then.
        self.destroyed.connect(functools.partial(_stop_thread, self._thread, self._worker))

    @property
    def current_job(self) -> int:
        """Id of the job whose signals still reach the GUI, 0 when none."""
        return self._current

    def is_busy(self) -> bool:
        """True while any job, current or superseded, still occupies the thread."""
        return bool(self._pending)

    def submit(self, job: Job) -> int:
        """Queue a job, superseding any running or queued one; returns its id."""
        return self._queue(job, current=True)

    def submit_quietly(self, job: Job) -> int:
        """Queue a job of the app's own (the deferred OpenVINO check) that the window does not
        show: none of its signals reach the GUI and it is not the current job (Cancel and "Stop
        here" do not see it); the next submit() supersedes it. Submit it only when not busy."""
        return self._queue(job, current=False)

    def _queue(self, job: Job, current: bool) -> int:
        if not self._thread.isRunning():
            raise RuntimeError("the worker thread has been shut down")
        self._next_id += 1
        job_id = self._next_id
        if current:
            self._current = job_id
        self._worker.wanted = job_id
        was_busy = self.is_busy()
        self._pending.add(job_id)
        self._submit.emit(job_id, job)
        if not was_busy:
            self.busyChanged.emit(True)
        return job_id

    def cancel(self) -> None:
        """Stop the current job at its next yield; it reports nothing more."""
        if self._current:
            job_id, self._current = self._current, 0
            self._worker.wanted = 0
            self.cancelled.emit(job_id)

    def stop_here(self) -> None:
        """Ask the current job to finish early with what it has (a job that cannot, ignores it)."""
        if self._current:
            self._worker.stop_wanted = self._current

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Cancel everything and stop the thread; False if it did not stop in time.

        A thread still inside a batch after timeout_ms is left to finish that batch on its own:
        this runner then detaches from its parent and stays alive until the thread has ended.
        """
        self._current = 0
        self._worker.wanted = -1
        self._thread.quit()
        if self._thread.wait(timeout_ms):
            return True
        log.warning(
            "worker thread %s still busy after %d ms", self._thread.objectName(), timeout_ms
        )
        if self not in _ORPHANS:
            _ORPHANS.add(self)
            self.setParent(None)
            self._thread.finished.connect(self._release)
            if self._thread.isFinished():  # it ended between wait() and connect()
                self._release()
        return False

    @Slot()
    def _release(self) -> None:
        self._thread.wait()
        _ORPHANS.discard(self)

    def _done(self, job_id: int) -> None:
        self._pending.discard(job_id)
        if not self._pending:
            self.busyChanged.emit(False)

    @Slot(int, object)
    def _on_progressed(self, job_id: int, item: object) -> None:
        if job_id == self._current:
            self.progressed.emit(job_id, item)

    @Slot(int, object)
    def _on_finished(self, job_id: int, result: object) -> None:
        current = job_id == self._current
        if current:
            self._current = 0
        self._done(job_id)
        if current:
            self.finished.emit(job_id, result)

    @Slot(int, object)
    def _on_failed(self, job_id: int, error: object) -> None:
        current = job_id == self._current
        if current:
            self._current = 0
        self._done(job_id)
        if current:
            self.failed.emit(job_id, error)

    @Slot(int)
    def _on_cancelled(self, job_id: int) -> None:
        # cancel() already told the GUI about a job it cancelled; a superseded job needs no word.
        self._done(job_id)
