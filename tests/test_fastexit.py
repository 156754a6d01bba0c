"""fastexit.exit_now: atexit callbacks run and buffered output arrives, then the exit code."""

from __future__ import annotations

import atexit
import subprocess
import sys

import pytest

from scorecam_gui import fastexit

CHILD = """
import atexit, sys
from scorecam_gui.fastexit import exit_now
atexit.register(lambda: print("callback ran"))
print("buffered line")  # stdout is a pipe: block-buffered, not yet written
sys.stderr.write("buffered error")
exit_now(3)
print("never")
"""


def test_callbacks_run_and_output_is_flushed() -> None:
    proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True)
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout.splitlines() == ["buffered line", "callback ran"]
    assert proc.stderr == "buffered error"


def test_closed_stdout_fails_the_run() -> None:
    code = CHILD.replace("exit_now(3)", "exit_now(0)")
    with subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # the reader went away (`| head -0`)
        proc.stderr.read()
        assert proc.wait(timeout=120) == 1


def test_without_the_private_api_it_exits_the_ordinary_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(atexit, "_run_exitfuncs")
    with pytest.raises(SystemExit) as exc:
        fastexit.exit_now(4)
    assert exc.value.code == 4


def test_constructing_an_explainer_leaves_the_allocator_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scorecam_gui.engine.explainer import Explainer
    from scorecam_gui.engine.runtime import device
    from tests.helpers.networks import photo, tiny_network

    def refuse() -> bool:
        raise AssertionError("the library must not tune the process's allocator")

    monkeypatch.setattr(device, "tune_cpu_allocator", refuse)
    Explainer(tiny_network(), "cpu", "fp32").explain(photo())
