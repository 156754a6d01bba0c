"""The command line's progress line: drawn in place on a terminal, absent everywhere else."""

from __future__ import annotations

import io

from scorecam_gui.cli.progress import WIDTH, TerminalStatus


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().split("\r")[1:]


def test_nothing_reaches_a_pipe_or_a_file() -> None:
    pipe = io.StringIO()
    status = TerminalStatus(pipe)
    status.show("hello")
    status.download(1, 2)
    status.maps("cat.jpg", 1, 2, 10.0, 1.0)
    status.clear()
    assert pipe.getvalue() == ""
    TerminalStatus(None).show("no stream at all")  # sys.stderr is None under pythonw


def test_one_line_rewritten_in_place() -> None:
    term = Terminal()
    status = TerminalStatus(term)
    status.show("x" * 200)
    status.maps("cat.jpg", 12, 40, 51.6, 3.2)
    status.download(3 * 2**20, 12 * 2**20)
    status.download(2**19, None)
    status.clear()
    shown = lines(term)
    assert all(len(line) == WIDTH for line in shown[:5]) and shown[-1] == ""
    assert shown[0] == "x" * WIDTH  # cut, never wrapped onto a second line
    # One step: the time left is still being measured.
    assert shown[1].rstrip() == f"cat.jpg [{'#' * 9}{'.' * 21}] 12/40 maps 52/s"
    assert shown[2].rstrip() == "downloading weights: 3.0 / 12.0 MB"
    assert shown[3].rstrip() == "downloading weights: 0.5 MB"
    assert shown[4] == " " * WIDTH  # clear wipes the line and leaves the cursor at its start


def test_the_time_left_once_the_rate_is_steady(monkeypatch) -> None:
    """Issue 35: the engine's estimate from the start carried the slow first batches. The line
    gives the time left only once the rate has held, and then the right one."""
    from scorecam_gui import timeleft

    clock = [0.0]
    monkeypatch.setattr(timeleft.time, "monotonic", lambda: clock[0])
    term = Terminal()
    status = TerminalStatus(term)
    status.maps("cat.jpg", 8, 1000, 4.0, 500.0)  # after a slow first batch
    clock[0] = 2.0
    status.maps("cat.jpg", 16, 1000, 8.0, 250.0)
    for step in range(1, 21):  # then 100 maps a second
        clock[0] = 2.0 + 0.1 * step
        status.maps("cat.jpg", 16 + 10 * step, 1000, 80.0, 20.0)
    shown = [line.rstrip() for line in lines(term)]
    assert not any("left" in line for line in shown[:15])  # the slow start is still in view
    assert shown[-1].endswith("216/1000 maps 80/s 8 s left")  # 784 maps at 100 a second
    status.maps("dog.jpg", 5, 1000, 50.0, 1.0)  # the next photo is measured anew
    assert lines(term)[-1].rstrip().endswith("5/1000 maps 50/s")
