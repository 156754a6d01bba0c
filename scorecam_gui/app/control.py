"""What a job running in the worker thread may ask of whoever runs it (the window's JobRunner,
or a test): a Protocol, so that the Qt-free jobs are typed without importing the Qt worker."""

from __future__ import annotations

from typing import Protocol


class JobControl(Protocol):
    """Am I still wanted, should I stop early and keep what I have, and report a progress item."""

    def cancelled(self) -> bool: ...

    def stop_requested(self) -> bool: ...

    def report(self, item: object) -> None: ...
