"""The time left of a long job, given only once it can be right within a stated margin (issue 35):
the window's progress line and the command line's both show it. Qt-free and torch-free."""

from __future__ import annotations

import time
from collections import deque

__all__ = ["RemainingTime"]


class RemainingTime:
    """The time left, given only once it can be right within STEADY_MARGIN (issue 35).

    The first batches of a run are slow (OpenVINO compiles the network, the first-use check runs
    one batch alone), so the rate since the start promised "about 20 s left" for a run that ended
    3 s later. Here the last `spans` spans of `span_s` seconds (at least `steps` steps each) are
    measured, and the time left is given only while their rates agree within STEADY_MARGIN; it
    follows the slowest of them. At a steady rate it is then right within about that margin.
    Until then, or while the rate changes (another program takes the CPU), it is None: still
    being measured. So a run of less than `spans` x `span_s` after its slow start shows none.
    """

    STEADY_MARGIN = 0.25

    def __init__(
        self, span_s: float = 0.5, spans: int = 3, steps: int = 2, window_s: float = 30.0
    ) -> None:
        self.span_s = span_s
        self.spans = spans
        self.steps = steps
        self.window_s = window_s  # samples older than this are forgotten
        self._samples: deque[tuple[float, int]] = deque()

    def reset(self) -> None:
        self._samples.clear()

    def update(self, done: int, total: int, now: float | None = None) -> float | None:
        now = time.monotonic() if now is None else now
        if self._samples and done < self._samples[-1][1]:
            self.reset()  # a new job
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[1][0] > self.window_s:
            self._samples.popleft()
        left = max(0, total - done)
        if left == 0:
            return 0.0
        rates = []
        end: int | None = len(self._samples) - 1
        for _ in range(self.spans):
            start = self._span_start(end) if end is not None else None
            if end is None or start is None:
                return None
            rates.append(self._rate(start, end))
            end = start
        slowest, fastest = min(rates), max(rates)
        if slowest <= 0 or fastest - slowest > self.STEADY_MARGIN * fastest:
            return None
        return left / slowest  # a promise to keep

    def _span_start(self, end: int) -> int | None:
        """The latest sample at least `span_s` seconds and `steps` steps before sample `end`."""
        t_end = self._samples[end][0]
        for i in range(end - self.steps, -1, -1):
            if t_end - self._samples[i][0] >= self.span_s:
                return i
        return None

    def _rate(self, start: int, end: int) -> float:
        (t0, d0), (t1, d1) = self._samples[start], self._samples[end]
        return (d1 - d0) / (t1 - t0)
