"""Unexpected exceptions go to the log file and to a dialog that names it, not to a dead window.

Qt calls Python slots and event handlers from C++; an exception escaping them would print to a
console our users do not have (windowed builds have no console at all) and leave the window in an
unknown state. sys.excepthook and threading.excepthook route every such exception here.

The hooks may run in any thread. Widgets may only be made in the GUI thread, so the hook only logs
and emits a signal; the dialog is shown by a slot of an object living in the GUI thread, which Qt
calls through a queued connection whenever the signal comes from another thread.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import shiboken6
from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ...app.translation import QT_TRANSLATE_NOOP, translate
from ...logs import log_file_path, setup_logging
from ..widgets import plain_tip

__all__ = ["ExceptionDialogs", "install_excepthook", "log_file", "setup_logging"]

log = logging.getLogger(__name__)

ParentGetter = Callable[[], QWidget | None]
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

TITLE = QT_TRANSLATE_NOOP("ExceptionDialogs", "Score-CAM Studio: something went wrong")


def log_file() -> Path:
    """The log file the error dialog names (see scorecam_gui.logs)."""
    return log_file_path()


def describe(value: BaseException) -> str:
    """One line for people, not programmers: the kind of error and its message."""
    message = str(value).strip().splitlines()[0] if str(value).strip() else ""
    kind = type(value).__name__
    return f"{kind}: {message}" if message else kind


class ExceptionDialogs(QObject):
    """The installed hooks: logs every unexpected exception, shows one dialog at a time.

    An exception that repeats (say, in a paint handler) must not open a flood of dialogs: while
    one is open, further errors are only logged and counted in its text.
    """

    raised = Signal(str, str)  # one-line summary, full traceback

    def __init__(self, parent_getter: ParentGetter | None = None) -> None:
        app = QApplication.instance()
        if app is None:
            raise RuntimeError("install_excepthook needs a QApplication")
        # Parented to the application: lives in the GUI thread and dies with the app.
        super().__init__(app)
        self._parent_getter = parent_getter
        self._previous_sys = sys.excepthook
        self._previous_threading = threading.excepthook
        self._installed = False
        self.dialog: QMessageBox | None = None
        self._more = 0
        self._showing = False
        # AutoConnection decides per emit: queued when the hook runs in a worker thread, direct
        # when it runs in the GUI thread (the dialog then exists as soon as the hook returns).
        self.raised.connect(self._show, Qt.ConnectionType.AutoConnection)

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = self.threading_excepthook
        self._installed = True

    def uninstall(self) -> None:
        """Put back the hooks that were there before (tests; shutting down)."""
        if self._installed:
            sys.excepthook = self._previous_sys
            threading.excepthook = self._previous_threading
            self._installed = False

    # -- the hooks (any thread) ------------------------------------------------------------------

    def excepthook(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            # Ctrl+C in the terminal still stops the program.
            sys.__excepthook__(kind, value, tb)
            return
        self.handle((kind, value, tb), threading.current_thread().name)

    def threading_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return  # what threading's own hook ignores
        thread = args.thread.name if args.thread is not None else "an unnamed thread"
        self.handle((args.exc_type, args.exc_value, args.exc_traceback), thread)

    def handle(self, exc_info: ExcInfo, where: str = "") -> None:
        """Log the exception and ask the GUI thread for the dialog. Never raises."""
        kind, value, tb = exc_info
        text = "".join(traceback.format_exception(kind, value, tb))
        try:
            log.error("Unexpected error in %s:\n%s", where or "the program", text.rstrip())
            if sys.stderr is not None:  # None in windowed builds
                sys.stderr.write(text)
        except Exception:
            pass  # reporting must not raise from inside an excepthook
        if shiboken6.isValid(self):  # gone once the application has been destroyed
            self.raised.emit(describe(value), text)

    # -- the dialog (GUI thread) -----------------------------------------------------------------

    @Slot(str, str)
    def _show(self, summary: str, details: str) -> None:
        if self._showing:
            return  # an error while building the dialog: it is logged, do not loop
        self._showing = True
        try:
            self._show_dialog(summary, details)
        finally:
            self._showing = False

    def _show_dialog(self, summary: str, details: str) -> None:
        if self.dialog is not None:
            self._more += 1
            self.dialog.setInformativeText(plain_tip(self._informative() + self._more_text()))
            return
        getter = self._parent_getter or QApplication.activeWindow
        try:
            parent = getter()
        except Exception:  # a broken getter must not loop back into this hook
            log.exception("parent_getter failed; showing the error dialog without a parent")
            parent = None
        if parent is not None and not shiboken6.isValid(parent):
            parent = None  # the window is already gone (closing down)
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(translate("ExceptionDialogs", TITLE))
        text = translate(
            "ExceptionDialogs",
            "Score-CAM Studio ran into a problem it did not expect, and the last action may "
            "not have finished.",
        )
        box.setText(plain_tip(f"{text}\n\n{summary}"))  # a file or class name shown as it is
        box.setInformativeText(plain_tip(self._informative()))
        box.setDetailedText(details)
        ok = box.addButton(QMessageBox.StandardButton.Ok)
        # With a second button Qt finds no escape button, and Esc or the title bar's close would
        # do nothing.
        box.setEscapeButton(ok)
        open_folder = box.addButton(
            translate("ExceptionDialogs", "Open log folder"), QMessageBox.ButtonRole.ActionRole
        )
        open_folder.clicked.connect(self._open_log_folder)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._closed)
        self.dialog = box
        self._more = 0
        # Non-blocking: a nested event loop inside an excepthook invites re-entrancy trouble.
        box.open()

    def _informative(self) -> str:
        return translate(
            "ExceptionDialogs",
            "The window is still working; you can carry on, or save your results and restart "
            "the program if something looks wrong.\n\n"
            "The details are in the log file:\n{path}\n"
            "Please attach that file if you report the problem.",
        ).format(path=log_file_path())

    def _more_text(self) -> str:
        if self._more == 1:
            text = translate("ExceptionDialogs", "1 more error happened since; see the log file.")
        else:
            text = translate(
                "ExceptionDialogs", "{count} more errors happened since; see the log file."
            ).format(count=self._more)
        return "\n\n" + text

    @Slot(int)
    def _closed(self, _result: int) -> None:
        self.dialog = None
        self._more = 0

    @Slot()
    def _open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file_path().parent)))


def install_excepthook(parent_getter: ParentGetter | None = None) -> ExceptionDialogs:
    """Route unexpected exceptions (any thread) to the log file and an error dialog.

    Call in the GUI thread after the QApplication exists, normally right after setup_logging().
    ``parent_getter`` returns the main window (or None) when a dialog is about to be shown, so the
    dialog sits over it; by default the active window. Returns the installed hooks;
    ``.uninstall()`` restores the previous ones.
    """
    hooks = ExceptionDialogs(parent_getter)
    hooks.install()
    return hooks
