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
    assert shown[1].rstrip() == f"cat.jpg [{'#' * 9}{'.' * 21}] 12/40 maps 52/s 3 s left"
    assert shown[2].rstrip() == "downloading weights: 3.0 / 12.0 MB"
    assert shown[3].rstrip() == "downloading weights: 0.5 MB"
    assert shown[4] == " " * WIDTH  # clear wipes the line and leaves the cursor at its start
