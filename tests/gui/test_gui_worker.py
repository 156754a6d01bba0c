"""The generic worker: progress, results, errors, cancel, supersede, shutdown (no engine)."""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QThread

from scorecam_gui.gui.worker import JobError, JobRunner, running_threads


@pytest.fixture
def runner(qtbot):
    r = JobRunner(name="test-worker")
    yield r
    assert r.shutdown(5000)


def counting(n: int, delay: float = 0.0, log: list | None = None):
    def job(control):
        def gen():
            for i in range(n):
                if delay:
                    time.sleep(delay)
                if log is not None:
                    log.append(i)
                yield i
            return f"done {n}"

        return gen()

    return job


def test_progress_then_result(qtbot, runner):
    seen = []
    runner.progressed.connect(lambda job_id, item: seen.append(item))
    with qtbot.waitSignal(runner.finished, timeout=5000) as blocker:
        job_id = runner.submit(counting(3))
    assert blocker.args == [job_id, "done 3"]
    qtbot.waitUntil(lambda: seen == [0, 1, 2])
    qtbot.waitUntil(lambda: not runner.is_busy())


def test_plain_callable_result(qtbot, runner):
    with qtbot.waitSignal(runner.finished, timeout=5000) as blocker:
        runner.submit(lambda control: 42)
    assert blocker.args[1] == 42


def test_job_runs_in_worker_thread(qtbot, runner):
    with qtbot.waitSignal(runner.finished, timeout=5000) as blocker:
        runner.submit(lambda control: threading.get_ident())
    assert blocker.args[1] != threading.get_ident()


def test_error_becomes_message(qtbot, runner):
    def broken(control):
        raise ValueError("bad input")

    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.submit(broken)
    error = blocker.args[1]
    assert isinstance(error, JobError)
    assert error.message == "bad input"
    assert error.error_type is ValueError
    assert "Traceback" in error.details


def test_cancel_stops_between_yields(qtbot, runner):
    log: list[int] = []
    results = []
    runner.finished.connect(lambda *a: results.append(a))
    runner.submit(counting(1000, delay=0.01, log=log))
    qtbot.waitUntil(lambda: len(log) >= 3, timeout=5000)
    with qtbot.waitSignal(runner.cancelled, timeout=1000):
        runner.cancel()
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=2000)
    stopped_at = len(log)
    qtbot.wait(100)
    assert len(log) == stopped_at < 1000
    assert results == []


def test_generator_closed_on_cancel(qtbot, runner):
    closed = threading.Event()

    def job(control):
        def gen():
            try:
                while True:
                    time.sleep(0.005)
                    yield None
            finally:
                closed.set()

        return gen()

    runner.submit(job)
    qtbot.wait(50)
    runner.cancel()
    qtbot.waitUntil(closed.is_set, timeout=2000)


def test_new_request_supersedes_running_one(qtbot, runner):
    finished = []
    progressed_ids = set()
    runner.finished.connect(lambda job_id, result: finished.append((job_id, result)))
    runner.progressed.connect(lambda job_id, item: progressed_ids.add(job_id))
    first = runner.submit(counting(200, delay=0.01))
    qtbot.wait(60)
    with qtbot.waitSignal(runner.finished, timeout=5000):
        second = runner.submit(counting(2))
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=3000)
    qtbot.wait(50)
    assert finished == [(second, "done 2")]
    assert first not in {job_id for job_id, _ in finished}
    # Once superseded, the first job's progress no longer reaches the GUI.
    assert second in progressed_ids


def test_late_result_of_superseded_job_is_dropped(qtbot, runner):
    """A job that finishes just after a newer request must not deliver its result."""
    release = threading.Event()
    finished = []
    runner.finished.connect(lambda job_id, result: finished.append(result))

    def slow_plain(control):
        release.wait(5)
        return "stale"  # not a generator: nothing to cancel, it runs to the end

    runner.submit(slow_plain)
    second = runner.submit(lambda control: "fresh")
    release.set()
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=5000)
    assert finished == ["fresh"]
    assert runner.current_job in (0, second)


def test_many_requests_only_last_runs(qtbot, runner):
    ran = []

    def job(tag):
        def run(control):
            ran.append(tag)
            time.sleep(0.02)
            return tag

        return run

    with qtbot.waitSignal(runner.finished, timeout=5000) as blocker:
        for tag in range(10):
            runner.submit(job(tag))
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=5000)
    assert blocker.args[1] == 9
    assert ran[-1] == 9
    assert len(ran) < 10  # queued, superseded jobs never started


def test_shutdown_during_job_is_quick(qtbot):
    r = JobRunner(name="shutdown-test")
    log: list[int] = []
    r.submit(counting(10_000, delay=0.01, log=log))
    qtbot.waitUntil(lambda: len(log) > 2, timeout=5000)
    t0 = time.perf_counter()
    assert r.shutdown(2000)
    assert time.perf_counter() - t0 < 1.0
    assert r not in running_threads()
    with pytest.raises(RuntimeError):
        r.submit(counting(1))


def test_running_threads_registry(qtbot):
    r = JobRunner(name="registry-test")
    assert any(
        isinstance(t, QThread) and t.objectName() == "registry-test" for t in running_threads()
    )
    r.shutdown()
    assert not any(t.objectName() == "registry-test" for t in running_threads())
