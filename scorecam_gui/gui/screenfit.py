"""Every top-level window opens inside the screen's available geometry, on any screen and scale.

A 1366 x 768 laptop, or a 1920 x 1080 screen at 150 % (1280 x 720 in Qt's logical pixels), has
less room than the window's usual first size (1480 x 920); without a window manager to shrink it
(or with one that does not), the progress bar, "Stop here" and "Cancel" would be off-screen. So:

- `fit_rect` is the rule, pure geometry: the size is cut to the room (less room for the title bar
  a window manager adds), the minimum size too where the screen is smaller than it, and the window
  is moved so that all of it is on the screen;
- `fit_window` applies it to a widget, on the screen it will open on;
- `ScreenFitter`, installed on the application, applies it to every window just before it first
  appears (the first window, the main window, the Folder view, dialogs, message boxes).

The offscreen platform (the tests) has one made-up 800 x 800 screen, so nothing is fitted there.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QWidget

TITLE_BAR = 40  # logical pixels kept free above a window for a window manager's title bar
EXACT_SIZE = "scorecam_exact_size"  # a widget property: a size asked for (--screenshot) is kept


def fit_rect(
    rect: QRect, room: QRect, minimum: QSize | None = None, title_bar: int = TITLE_BAR
) -> tuple[QRect, QSize | None]:
    """`rect` moved and cut to lie inside `room` (with `title_bar` pixels kept free above it), and
    the minimum size to set instead of `minimum` where the room is smaller (None: keep it)."""
    width = min(rect.width(), room.width())
    height = min(rect.height(), room.height() - title_bar)
    new_minimum = None
    if minimum is not None:
        cut = QSize(min(minimum.width(), width), min(minimum.height(), height))
        new_minimum = cut if cut != minimum else None
    x = min(max(rect.x(), room.left()), room.left() + room.width() - width)
    y = min(max(rect.y(), room.top()), room.top() + room.height() - height)
    return QRect(x, y, width, height), new_minimum


def screen_of(widget: QWidget) -> QScreen | None:
    """The screen the widget is (or will be) on: where its middle is, else its own, else the
    primary one."""
    screen = QGuiApplication.screenAt(widget.geometry().center())
    return screen or widget.screen() or QGuiApplication.primaryScreen()


def available_room(widget: QWidget) -> QRect | None:
    """The screen's available geometry (without panels and docks) for `widget`, in logical
    pixels; None on the offscreen platform, which has no real screen."""
    if QGuiApplication.platformName() == "offscreen":
        return None
    screen = screen_of(widget)
    return screen.availableGeometry() if screen is not None else None


def fit_window(widget: QWidget, title_bar: int = TITLE_BAR) -> bool:
    """Move and shrink `widget` (a top-level window) into its screen; True if it changed."""
    room = available_room(widget)
    if room is None or room.isEmpty():
        return False
    if widget.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
        return False  # the window system places those
    if widget.property(EXACT_SIZE):
        return False
    geometry = widget.geometry()  # a dialog's size and place are set by now (adjustSize)
    fitted, minimum = fit_rect(geometry, room, widget.minimumSize(), title_bar)
    if minimum is not None:
        widget.setMinimumSize(minimum)
    changed = False
    if fitted.size() != widget.size():
        widget.resize(fitted.size())
        changed = True
    if fitted.topLeft() != geometry.topLeft():
        widget.move(fitted.topLeft())
        changed = True
    return changed


def first_size(
    widget: QWidget, wanted: tuple[int, int], title_bar: int = TITLE_BAR
) -> tuple[int, int]:
    """`wanted`, or what the widget's screen has room for."""
    room = available_room(widget)
    if room is None:
        return wanted
    return min(wanted[0], room.width()), min(wanted[1], room.height() - title_bar)


class ScreenFitter(QObject):
    """An application-wide event filter: each window is fitted to its screen as it is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and watched.windowType()
            in (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet)
        ):
            fit_window(watched)
        return False


def install(app: QApplication) -> ScreenFitter:
    """Fit every window of `app` to its screen from now on."""
    fitter = ScreenFitter(app)
    app.installEventFilter(fitter)
    return fitter
