"""Photos the desktop hands to the running app: macOS sends "Open With", a double-click in Finder
and drops on the Dock icon as QFileOpenEvent to the application, never as arguments."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from .window import MainWindow


class FileOpenHandler(QObject):
    """An application event filter that opens each QFileOpenEvent's file in the window."""

    def __init__(self, app: QApplication, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen or not isinstance(event, QFileOpenEvent):
            return False
        path = event.file() or event.url().toLocalFile()
        if path:
            self._window.open_paths([path])  # reports files that are not photos itself
        return True
