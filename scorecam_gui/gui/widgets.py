"""Small building blocks shared by the panels: titles, a message banner, a collapsible section."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from . import theme


def section_title(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(theme.section_title(text), parent)
    label.setObjectName("SectionTitle")
    return label


def caption(text: str = "", parent: QWidget | None = None, name: str = "Caption") -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def separator(parent: QWidget | None = None) -> QFrame:
    line = QFrame(parent)
    line.setObjectName("Separator")
    line.setFrameShape(QFrame.Shape.NoFrame)
    line.setFixedHeight(1)
    return line


class Banner(QFrame):
    """A dismissable message above the canvas: never modal, so work is never blocked by it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setProperty("level", "info")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(10)
        self._icon = QLabel()
        self._icon.setFixedWidth(18)
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def text(self) -> str:
        return self._text.text()

    def show_message(self, text: str, level: str = "error", timeout_ms: int = 0) -> None:
        """Show text at level info, warning or error; hides itself after timeout_ms if set."""
        self.setProperty("level", level)
        self._icon.setText({"error": "⚠", "warning": "⚠", "info": "ℹ"}.get(level, ""))
        self._text.setText(text)
        # Re-polish so the stylesheet sees the new level property.
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()


class CollapsibleSection(QWidget):
    """A titled section whose body folds away; for options most people never need."""

    toggled = Signal(bool)

    def __init__(self, title: str, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._button = QToolButton()
        self._button.setObjectName("Disclosure")
        self._button.setText(theme.section_title(title))
        self._button.setCheckable(True)
        self._button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._button.setArrowType(Qt.ArrowType.RightArrow)
        self._button.toggled.connect(self.set_expanded)
        self._body = body
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self._button)
        layout.addWidget(body)
        body.hide()

    @Slot(bool)
    def set_expanded(self, expanded: bool) -> None:
        if self._button.isChecked() != expanded:
            self._button.setChecked(expanded)  # re-enters through toggled
            return
        self._button.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self._body.setVisible(expanded)
        self.toggled.emit(expanded)


def make_tile_grid(view: QListWidget, icon: int, grid: QSize) -> None:
    """A read-only, wrapping grid of icon tiles (feature maps, masked inputs) with one selection."""
    view.setViewMode(QListView.ViewMode.IconMode)
    view.setFlow(QListView.Flow.LeftToRight)
    view.setWrapping(True)
    view.setMovement(QListView.Movement.Static)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setIconSize(QSize(icon, icon))
    view.setGridSize(grid)
    view.setUniformItemSizes(True)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
