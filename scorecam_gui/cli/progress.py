"""The command line's progress line on stderr, drawn only when stderr is a terminal.

One line, rewritten in place with a carriage return, so that redirected output and pipes get
nothing but results and error messages.
"""

from __future__ import annotations

from typing import TextIO

from ..timeleft import RemainingTime

WIDTH = 96  # characters of the line; longer text is cut


class TerminalStatus:
    """Shows one line of progress; `clear` wipes it before anything else is printed."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream if stream is not None and stream.isatty() else None
        self._left = RemainingTime()
        self._label: str | None = None

    def show(self, text: str) -> None:
        if self.stream is not None:
            self.stream.write(f"\r{text[:WIDTH]:<{WIDTH}}")
            self.stream.flush()

    def clear(self) -> None:
        if self.stream is not None:
            self.stream.write("\r" + " " * WIDTH + "\r")
            self.stream.flush()

    def download(self, done: int, total: int | None) -> None:
        """Progress of a weights download (a `load_network` progress callback)."""
        mb = done / 2**20
        size = f"{mb:.1f} / {total / 2**20:.1f} MB" if total else f"{mb:.1f} MB"
        self.show(f"downloading weights: {size}")

    def maps(self, label: str, done: int, total: int, rate: float, eta: float | None) -> None:
        """A bar of the maps scored so far, their rate and the time left: only once the rate is
        steady (timeleft.py). `eta`, the engine's estimate from the rate since the start, is
        not shown: it carries the slow first batches (issue 35)."""
        if label != self._label:  # the next photo
            self._label = label
            self._left.reset()
        seconds = self._left.update(done, total)
        width = 30
        filled = int(width * done / max(total, 1))
        left = f" {seconds:.0f} s left" if seconds is not None and done < total else ""
        bar = "#" * filled + "." * (width - filled)
        self.show(f"{label} [{bar}] {done}/{total} maps {rate:.0f}/s{left}")
