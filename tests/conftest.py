"""Shared test setup: offscreen Qt, torch before Qt, and no QThread may outlive its test."""

from __future__ import annotations

import os

# Before anything imports Qt: no display needed, and pyqtgraph must pick PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import weakref
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
import torch  # noqa: F401 - torch before the QApplication (pytorch#11326)

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from scorecam_gui.engine.networks import Network
    from scorecam_gui.gui.settings import Settings
    from scorecam_gui.gui.window import MainWindow

try:  # the engine-only test runs must work without Qt installed at all
    from PySide6.QtCore import QThread
except ImportError:  # pragma: no cover
    QThread = None  # type: ignore[assignment,misc]

_started: weakref.WeakSet = weakref.WeakSet()

if QThread is not None:
    _original_start = QThread.start

    def _tracking_start(self: QThread, *args: object) -> None:
        _started.add(self)
        _original_start(self, *args)

    # Record every QThread any code starts, so the check below sees them all.
    QThread.start = _tracking_start  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def no_qthread_left_running(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves a QThread running (checked after its widgets are closed)."""
    yield
    if QThread is None:
        return
    running = [t for t in list(_started) if _alive(t)]
    if running:
        names = ", ".join(t.objectName() or type(t).__name__ for t in running)
        for thread in running:  # do not let one test's thread break the next ones
            thread.quit()
            thread.wait(5000)
        pytest.fail(f"{request.node.nodeid} left QThread(s) running: {names}", pytrace=False)


def _alive(thread: QThread) -> bool:
    try:
        return thread.isRunning()
    except RuntimeError:  # the C++ object is gone: it cannot be running
        return False


@pytest.fixture
def make_window(qtbot: QtBot, settings: Settings) -> Iterator[Callable[..., MainWindow]]:
    """Builds shown MainWindows on the test module's `settings` fixture; closes them after."""
    from scorecam_gui.gui.window import MainWindow

    windows: list[MainWindow] = []  # strong references: qtbot keeps only weak ones

    def make(loader: Callable[..., Network] | None = None) -> MainWindow:
        window = MainWindow(settings=settings, loader=loader)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


@pytest.fixture
def window(make_window: Callable[..., MainWindow]) -> MainWindow:
    """One shown MainWindow (see make_window)."""
    return make_window()
