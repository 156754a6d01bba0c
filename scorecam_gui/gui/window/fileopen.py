"""Photos the desktop hands to the running app: macOS sends "Open With", a double-click in Finder
and drops on the Dock icon as QFileOpenEvent to the application, never as arguments; on Linux and
Windows they start a second program, which hands them over (gui/instance.py) to bring_forward."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:  # the start-up installs the handler before the main window module is loaded
    from .window import MainWindow


class FileOpenHandler(QObject):
    """An application event filter that opens each QFileOpenEvent's file in the window, or
    hands it to `opener` (at start-up, before the window exists: macOS sends the photo that
    was double-clicked right after launch)."""

    def __init__(
        self,
        app: QApplication,
        window: MainWindow | None = None,
        opener: Callable[[list[str]], None] | None = None,
    ) -> None:
        super().__init__(window if window is not None else app)
        if opener is None:
            assert window is not None, "a window or an opener"
            opener = window.controller.open_paths  # reports files that are not photos itself
        self._open = opener
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen or not isinstance(event, QFileOpenEvent):
            return False
        path = event.file() or event.url().toLocalFile()
        if path:
            self._open([path])
        return True


def bring_forward(window: MainWindow, paths: Sequence[str]) -> None:
    """Another launch's photos: the window comes to the front (un-minimised) and opens them."""
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
    if paths:
        window.controller.open_paths(list(paths))
