"""Small building blocks shared by the panels: titles, a message banner, a collapsible section."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QListView,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from . import theme


def plain_tip(text: str) -> str:
    """A tooltip that Qt shows as the text it is: Qt takes a tooltip with something like a tag
    (a class name `<b>cat</b>` from a labels file, a file name) for rich text, so such text is
    escaped inside an explicit rich-text wrapper."""
    if "<" not in text and "&" not in text:
        return text
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def section_title(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(theme.section_title(text), parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # titles may name a class: never rich text
    label.setObjectName("SectionTitle")
    return label


def caption(
    text: str = "", parent: QWidget | None = None, name: str = "Caption", rich: bool = False
) -> QLabel:
    """A wrapping, selectable caption: plain text (a class or file name in it is shown as it
    is), or with rich=True markup whose names the caller has escaped."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ElidedLabel(QLabel):
    """One line of plain text that ends in "…" when it does not fit, the whole text then shown
    as its tooltip (with any extra detail set by set_details). It never widens its column."""

    def __init__(self, text: str = "", parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(1)
        self._full = ""
        self._details = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        super().setText(text)
        self._update_tooltip()

    def full_text(self) -> str:
        return self._full

    def set_details(self, details: str) -> None:
        """Extra text for the tooltip (for example, the technical terms behind a plain line)."""
        self._details = details
        self._update_tooltip()

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self._full) > self.contentsRect().width()

    def minimumSizeHint(self) -> QSize:
        return QSize(1, super().minimumSizeHint().height())

    def _update_tooltip(self) -> None:
        parts = [self._full] if self._full and self.is_elided() else []
        if self._details:
            parts.append(self._details)
        self.setToolTip(plain_tip("\n\n".join(parts)))

    def resizeEvent(self, event: object) -> None:  # type: ignore[override]
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._update_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment()) | int(Qt.TextFlag.TextSingleLine), text)


class ElidedComboBox(QComboBox):
    """A combo box whose shown choice ends in "…" when the column is too narrow for it; the
    whole choice is then the first line of its tooltip. It never widens its column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tip = ""
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(6)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.currentIndexChanged.connect(self._update_tooltip)

    def setToolTip(self, text: str) -> None:
        self._tip = text
        self._update_tooltip()

    def text_rect_width(self) -> int:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        rect = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        icon = self.iconSize().width() + 4 if not self.itemIcon(self.currentIndex()).isNull() else 0
        return max(0, rect.width() - icon)

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.currentText()) > self.text_rect_width()

    def _update_tooltip(self, *_args: object) -> None:
        lines = [self.currentText()] if self.currentText() and self.is_elided() else []
        if self._tip:
            lines.append(self._tip)
        super().setToolTip(plain_tip("\n\n".join(lines)))

    def resizeEvent(self, event: object) -> None:  # type: ignore[override]
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._update_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, self.text_rect_width()
        )
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class FlowLayout(QLayout):
    """Lays its widgets out left to right and wraps to the next row where the width ends
    (Qt's flow layout example), so a row of controls never squeezes its buttons on top of
    each other on a narrow window."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        width = sum(i.sizeHint().width() for i in self._items) + self.spacing() * max(
            0, len(self._items) - 1
        )
        height = max((i.sizeHint().height() for i in self._items), default=0)
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right(), height)

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        rows: list[list[QLayoutItem]] = [[]]
        x = area.x()
        for item in self._items:
            if item.isEmpty():
                continue
            width = item.sizeHint().width()
            if rows[-1] and x + width > area.right() + 1:
                rows.append([])
                x = area.x()
            rows[-1].append(item)
            x += width + self.spacing()
        y = area.y()
        for row in rows:
            height = max((i.sizeHint().height() for i in row), default=0)
            x = area.x()
            for item in row:
                hint = item.sizeHint()
                if move:  # centred vertically in the row, so labels line up with buttons
                    top = y + (height - hint.height()) // 2
                    width = min(hint.width(), area.width())  # never past the right edge
                    item.setGeometry(QRect(QPoint(x, top), QSize(width, hint.height())))
                x += hint.width() + self.spacing()
            y += height + self.spacing()
        return max(0, y - self.spacing() - rect.y()) + margins.bottom()


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
        close.setToolTip(self.tr("Dismiss"))
        close.setAccessibleName(self.tr("Dismiss the message"))
        close.clicked.connect(self.hide)
        self._actions = QHBoxLayout()
        self._actions.setSpacing(6)
        self._buttons: list[QPushButton] = []
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        layout.addLayout(self._actions)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def text(self) -> str:
        return self._text.text()

    def buttons(self) -> list[QPushButton]:
        """The action buttons of the message shown (for tests and keyboard users)."""
        return list(self._buttons)

    def show_message(
        self,
        text: str,
        level: str = "error",
        timeout_ms: int = 0,
        actions: Sequence[tuple[str, Callable[[], object]]] = (),
    ) -> None:
        """Show text at level info, warning or error; hides itself after timeout_ms if set.
        `actions`: (button text, callback) pairs offered beside the text (a button hides the
        banner, then calls back)."""
        for button in self._buttons:
            self._actions.removeWidget(button)
            button.deleteLater()
        self._buttons = []
        for label, callback in actions:
            button = QPushButton(label)
            button.clicked.connect(self.hide)
            button.clicked.connect(lambda _checked=False, c=callback: c())
            self._actions.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self._buttons.append(button)
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
