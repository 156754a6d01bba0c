"""Leaving the process without interpreter shutdown, and the process-wide setup of the entry
points (the library itself changes nothing process-wide)."""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn


def exit_now(code: int) -> NoReturn:
    """Run the atexit callbacks (logging's among them), flush stdout and stderr, then end the
    process at once with `code`, skipping interpreter shutdown.

    Once torch is imported, interpreter shutdown runs libtorch's static destructors, which page in
    about 125 MB of library code and take 0.3-0.5 s, only to free memory the process gives back
    anyway. A stdout or stderr that cannot be flushed (a closed pipe) turns code 0 into 1. Where
    the interpreter has no way to run the atexit callbacks early (CPython's private
    atexit._run_exitfuncs), it exits the ordinary way instead.
    """
    run_callbacks = getattr(atexit, "_run_exitfuncs", None)
    if not callable(run_callbacks):
        sys.exit(code)
    run_callbacks()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach the reader
            code = code or 1
    os._exit(code)


def tune_process_memory() -> None:
    """The entry points' process-wide memory setup: glibc's allocator thresholds raised for the
    CPU's batched forward passes (engine/runtime/device.py, tune_cpu_allocator). Imports torch."""
    from .engine.runtime.device import tune_cpu_allocator

    tune_cpu_allocator()
