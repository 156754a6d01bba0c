"""Photos that arrive by drag and drop or from the clipboard."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
)
from PySide6.QtWidgets import QWidget

from ...app.translation import translate
from ..dialogs.teach import are_class_folders
from ..qimage import qimage_to_rgb
from .controller import RequestController
from .layout import Panels


class DropAndPaste(QObject):
    """The window's drop target (an event filter on it) and its Paste action: files go to the
    controller's open_paths, pixels to its open_photo_array."""

    foldersDropped = Signal(list)  # folders of classes to teach (dialogs/teach.py)

    def __init__(self, window: QWidget, panels: Panels, controller: RequestController) -> None:
        super().__init__(window)
        self.panels = panels
        self.controller = controller
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.DragEnter:
            self._drag_enter(event)  # type: ignore[arg-type]
        elif kind == QEvent.Type.DragLeave:
            self._drag_leave(event)  # type: ignore[arg-type]
        elif kind == QEvent.Type.Drop:
            self._drop(event)  # type: ignore[arg-type]
        else:
            return False
        return True

    @Slot()
    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None and mime.hasUrls():
            paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
            if paths:
                self.controller.open_paths(paths)
                return
        image = QGuiApplication.clipboard().image()
        if image.isNull():
            self.panels.show_error(
                translate("DropAndPaste", "The clipboard holds no image."), level="warning"
            )
            return
        self.controller.open_photo_array(qimage_to_rgb(image))

    def _drag_enter(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() or mime.hasImage():
            event.acceptProposedAction()
            self.panels.show_status(translate("DropAndPaste", "Drop to explain."))
        else:
            event.ignore()

    def _drag_leave(self, event: QDragLeaveEvent) -> None:
        self.panels.show_status("")
        event.accept()

    def _drop(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
        if paths and are_class_folders(paths):  # a folder a class: teach them (issue 37)
            event.acceptProposedAction()
            self.foldersDropped.emit(paths)
        elif paths:
            event.acceptProposedAction()
            self.controller.open_paths(paths)
        elif mime.hasImage():
            event.acceptProposedAction()
            image = QImage(mime.imageData())
            if not image.isNull():
                self.controller.open_photo_array(
                    qimage_to_rgb(image), translate("DropAndPaste", "Dropped image")
                )
        elif mime.hasUrls():
            event.acceptProposedAction()
            self.panels.show_error(
                translate("DropAndPaste", "Only files on this computer can be dropped here."),
                level="warning",
            )
        else:
            event.ignore()
