"""Photos that arrive by drag and drop or from the clipboard."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
)

from ...app.translation import translate
from ..qimage import qimage_to_rgb
from .base import WindowBase


class DropAndPaste(WindowBase):
    """MainWindow's drop target and Paste action: files go to open_paths, pixels to
    open_photo_array. A mixin: MainWindow holds the state."""

    @Slot()
    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None and mime.hasUrls():
            paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
            if paths:
                self.open_paths(paths)
                return
        image = QGuiApplication.clipboard().image()
        if image.isNull():
            self.show_error(
                translate("DropAndPaste", "The clipboard holds no image."), level="warning"
            )
            return
        self.open_photo_array(qimage_to_rgb(image))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() or mime.hasImage():
            event.acceptProposedAction()
            self.show_status(translate("DropAndPaste", "Drop to explain."))
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.show_status("")
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)
        elif mime.hasImage():
            event.acceptProposedAction()
            image = QImage(mime.imageData())
            if not image.isNull():
                self.open_photo_array(
                    qimage_to_rgb(image), translate("DropAndPaste", "Dropped image")
                )
        elif mime.hasUrls():
            event.acceptProposedAction()
            self.show_error(
                translate("DropAndPaste", "Only files on this computer can be dropped here."),
                level="warning",
            )
        else:
            event.ignore()
