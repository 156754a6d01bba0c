"""Expected user errors are one line in the log, a traceback only for the unexpected (issue 36,
item 6): a decompression bomb or an unreadable photo handed to the window is a WARNING line, not
`ERROR … job failed` with a traceback, so that a real crash stands out."""

from __future__ import annotations

import logging
import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PIL import Image

from scorecam_gui.engine import imaging
from scorecam_gui.gui.worker import JobRunner, is_user_error
from tests.helpers.window import TIMEOUT_MS, drop, explain_by_drop


def _bomb(path: Path) -> Path:
    """A 1x1 PNG whose header (with a valid CRC) claims 30,000 x 30,000 pixels."""
    buffer = BytesIO()
    Image.new("RGB", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    data[16:24] = struct.pack(">II", 30_000, 30_000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    path.write_bytes(bytes(data))
    return path


def _worker_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "scorecam_gui.gui.worker"]


@pytest.fixture
def runner(qtbot):
    r = JobRunner(name="test-worker")
    yield r
    assert r.shutdown(5000)


def test_a_bomb_is_one_warning_line_and_a_bug_keeps_its_traceback(
    qtbot, runner, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bomb = _bomb(tmp_path / "bomb.png")
    with caplog.at_level(logging.INFO), qtbot.waitSignal(runner.failed, timeout=5000):
        runner.submit(lambda control: imaging.load_image(bomb))
    (record,) = _worker_records(caplog)
    assert record.levelno == logging.WARNING and record.exc_info is None
    message = record.getMessage()
    assert "bomb.png" in message and "image too large" in message and "\n" not in message

    caplog.clear()

    def bug(control):
        raise RuntimeError("a real crash")

    with caplog.at_level(logging.INFO), qtbot.waitSignal(runner.failed, timeout=5000):
        runner.submit(bug)
    (record,) = _worker_records(caplog)
    assert record.levelno == logging.ERROR and record.exc_info is not None


def test_which_errors_are_the_users() -> None:
    from scorecam_gui.engine.atomicio import ExportError
    from scorecam_gui.engine.models.types import NetworkError, WeightsError

    expected = [
        imaging.ImageLoadError("x.png", "not an image"),
        WeightsError("another network's weights"),
        NetworkError("no such layer"),
        ExportError("out.png", "disk full"),
        ValueError("--approximate must be at least 1"),
    ]
    assert all(is_user_error(e) for e in expected)
    unexpected = [RuntimeError("x"), KeyError("k"), TypeError("t"), UnicodeDecodeError(
        "utf-8", b"\xff", 0, 1, "invalid start byte")]  # fmt: skip
    assert not any(is_user_error(e) for e in unexpected)


def test_a_bomb_dropped_on_the_window_is_logged_without_a_traceback(
    qtbot, make_window, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    window = make_window()
    photo = tmp_path / "cat.png"
    Image.new("RGB", (64, 64), (120, 80, 40)).save(photo)
    explain_by_drop(qtbot, window, photo)
    bomb = _bomb(tmp_path / "bomb.png")
    with caplog.at_level(logging.INFO):
        drop(window, [bomb])
        qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=TIMEOUT_MS)
        qtbot.wait(50)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert not [r for r in caplog.records if r.exc_info]
    assert any("bomb.png" in r.getMessage() for r in caplog.records)
