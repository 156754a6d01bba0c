"""A window job's control (app/jobs.JobControl) for tests that run jobs without a window."""

from __future__ import annotations


class Control:
    """Never cancelled; "Stop here" asked at once when `stop_here` (each method then ends after
    its first batch); progress reports dropped."""

    def __init__(self, stop_here: bool = False) -> None:
        self.stop_here = stop_here

    def cancelled(self) -> bool:
        return False

    def stop_requested(self) -> bool:
        return self.stop_here

    def report(self, item: object) -> None:
        pass
