"""Top-5 classes with probability bars; click one, or search any class, to explain it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    QStringListModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ...app.classnames import shown_names
from ...app.plainwords import confidence_note
from .. import i18n, theme
from ..widgets import caption, plain_tip

ROLE_INDEX = Qt.ItemDataRole.UserRole
ROLE_PROB = Qt.ItemDataRole.UserRole + 1
ROLE_RANK = Qt.ItemDataRole.UserRole + 2
ROLE_TARGET = Qt.ItemDataRole.UserRole + 3
ROW_HEIGHT = 34


class PredictionLike(Protocol):  # read-only members: the engine's frozen Prediction fits
    @property
    def index(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def probability(self) -> float: ...


def percent(probability: float) -> str:
    """0.791 -> '79.1 %' ('79.1%' in Japanese); '< 0.1 %' below that, 0 as it is."""
    if 100.0 * probability >= 0.1 or probability == 0:
        return i18n.percent(probability, 1)
    return f"< {i18n.percent(0.001, 1)}"


class _RowDelegate(QStyledItemDelegate):
    """Rank, class name, probability and a bar; the explained class in the accent colour."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(option.rect.width(), ROW_HEIGHT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        painter.save()
        rect = option.rect.adjusted(4, 3, -4, -3)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        target = bool(index.data(ROLE_TARGET))
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if target or hovered or focused:
            painter.setPen(QColor(theme.ACCENT) if target else Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#22324a" if target else "#2b2f35"))
            painter.drawRoundedRect(rect, 5, 5)
        if focused:  # the keyboard's place: a ring that cannot be missed (Enter or Space explain)
            painter.setPen(QPen(QColor(theme.FOCUS), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 5, 5)
        probability = float(index.data(ROLE_PROB) or 0.0)
        rank = index.data(ROLE_RANK)
        name = str(index.data(Qt.ItemDataRole.DisplayRole))
        text_rect = rect.adjusted(10, 2, -10, -13)
        font = QFont(option.font)
        painter.setFont(font)
        painter.setPen(QColor(theme.MUTED))
        rank_text = f"{rank}" if rank else "·"
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, rank_text
        )
        # Room for the widest percentage, so that "28.9 %" is never cut to "28."
        percent_width = painter.fontMetrics().horizontalAdvance(percent(1.0)) + 8
        name_rect = text_rect.adjusted(22, 0, -percent_width, 0)
        bold = QFont(font)
        bold.setBold(target)
        painter.setFont(bold)
        painter.setPen(QColor(theme.TEXT))
        elided = painter.fontMetrics().elidedText(
            name, Qt.TextElideMode.ElideRight, name_rect.width()
        )
        painter.drawText(
            name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
        )
        painter.setFont(font)
        painter.setPen(QColor(theme.TEXT if target else theme.MUTED))
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            percent(probability),
        )
        bar = QRect(text_rect.left() + 22, rect.bottom() - 9, text_rect.width() - 22, 4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.BORDER))
        painter.drawRoundedRect(bar, 2, 2)
        filled = QRect(bar)
        filled.setWidth(max(2, round(bar.width() * min(1.0, probability))))
        painter.setBrush(QColor(theme.ACCENT if target else "#7d8793"))
        painter.drawRoundedRect(filled, 2, 2)
        painter.restore()


class PredictionPanel(QWidget):
    """What the network thinks the photo shows. Emits classRequested(index) to explain a class."""

    classRequested = Signal(int)
    # Explain the shown class rather than this one (-1: the class alone).
    contrastRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setItemDelegate(_RowDelegate(self.list))
        self.list.setMouseTracking(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The rows elide a long name themselves; a scroll bar would only cover the fifth row.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setStyleSheet("QListWidget { background: transparent; border: none; }")
        self.list.setFixedHeight(5 * ROW_HEIGHT + 10)
        self.list.itemClicked.connect(self._clicked)
        self.list.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.list.installEventFilter(self)  # Enter and Space explain the class with the focus
        self.list.setToolTip(
            self.tr(
                "What the network thinks the photo shows, with how sure it is. Click a class to "
                "see what in the photo speaks for it."
            )
        )
        self.list.setAccessibleName(self.tr("Prediction: the network's top classes"))
        # Beside the prediction, so that an unsure guess is not read as a fact.
        self.note = caption("")
        self.note.setTextFormat(Qt.TextFormat.PlainText)  # it names classes: never rich text
        self.note.setObjectName("Warning")
        self.note.hide()
        self.hint = caption(
            self.tr(
                "After the photo is explained, the classes the network sees in it appear here."
            ),
            name="Hint",
        )
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Explain another class…"))
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(
            self.tr(
                "See what speaks for any of the network's classes: type part of its name, pick "
                "it, and press Enter"
            )
        )
        self.search.setAccessibleName(self.tr("Explain another class"))
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.setMaxVisibleItems(12)
        self._completer.activated[str].connect(self._search_chosen)  # type: ignore[index]  # an overloaded signal; PySide6's stubs miss it
        self.search.setCompleter(self._completer)
        self.search.returnPressed.connect(self._search_entered)
        self._categories: list[str] = []
        self._shown: list[str] = []  # the same in the window's language (app/classnames.py)
        # "Why this class and not that one": the map of the shown class against another.
        self.compare_with = QComboBox()
        self.compare_with.setToolTip(
            self.tr(
                "Shows what in the photo makes the network choose the class shown rather than "
                "the one picked here, from the same masked photos (nothing is computed again)"
            )
        )
        self.compare_with.setAccessibleName(self.tr("Compared with another class"))
        self.compare_with.activated.connect(self._contrast_chosen)
        self.compare_with.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.hint)
        layout.addWidget(self.note)
        layout.addWidget(self.list)
        layout.addWidget(self.compare_with)
        layout.addWidget(self.search)
        self.list.hide()

    def set_categories(self, categories: Sequence[str]) -> None:
        """The network's class names (index order) for the search box."""
        self._categories = list(categories)
        self._shown = shown_names(self._categories)
        self._model.setStringList([f"{self._both(i)}  ({i})" for i in range(len(self._categories))])

    def _both(self, index: int) -> str:
        """A class's shown name, with the labels' own (English) name after it when they differ,
        so that a search in either language finds it."""
        shown, own = self._shown[index], self._categories[index]
        return shown if shown == own else f"{shown} · {own}"

    def _name(self, prediction: PredictionLike, both: bool = False) -> str:
        index = prediction.index
        if 0 <= index < len(self._shown) and self._categories[index] == prediction.name:
            return self._both(index) if both else self._shown[index]
        return prediction.name

    def categories(self) -> list[str]:
        """The network's class names, as set_categories got them."""
        return list(self._categories)

    def set_predictions(
        self, top5: Sequence[PredictionLike], target: PredictionLike | None = None
    ) -> None:
        """Top classes with probabilities; `target` is marked, and listed if not among them."""
        self.list.clear()
        rows: list[tuple[PredictionLike, int | None]] = [(p, i + 1) for i, p in enumerate(top5)]
        if target is not None and all(p.index != target.index for p in top5):
            rows.append((target, None))
        for prediction, rank in rows:
            item = QListWidgetItem(self._name(prediction))
            item.setData(ROLE_INDEX, prediction.index)
            item.setData(ROLE_PROB, prediction.probability)
            item.setData(ROLE_RANK, rank)
            item.setData(ROLE_TARGET, target is not None and prediction.index == target.index)
            item.setToolTip(
                plain_tip(
                    self.tr("{name} (class {index}): {share}. Click to explain this class.").format(
                        name=self._name(prediction, both=True),
                        index=prediction.index,
                        share=i18n.percent(prediction.probability, 2),
                    )
                )
            )
            self.list.addItem(item)
        self.list.setFixedHeight(max(5, len(rows)) * ROW_HEIGHT + 10)
        self.list.setVisible(bool(rows))
        self.hint.setVisible(not rows)
        note = confidence_note(list(top5))
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def set_contrast_choices(
        self,
        top5: Sequence[PredictionLike],
        target: PredictionLike,
        contrast: PredictionLike | None = None,
    ) -> None:
        """The classes the shown one may be compared with: the others of the top five, the
        runner-up first (when the top two are close, that is the question to ask)."""
        self.compare_with.blockSignals(True)
        self.compare_with.clear()
        self.compare_with.addItem(self.tr("Compared with… (the class alone)"), -1)
        others = [p for p in top5 if p.index != target.index]
        if contrast is not None and all(p.index != contrast.index for p in others):
            others.append(contrast)
        for other in others:
            text = self.tr("Rather than “{name}”").format(name=self._name(other))
            self.compare_with.addItem(text, other.index)
        chosen = -1 if contrast is None else contrast.index
        self.compare_with.setCurrentIndex(max(0, self.compare_with.findData(chosen)))
        self.compare_with.blockSignals(False)
        self.compare_with.setVisible(bool(others))

    def contrast_choices(self) -> list[int]:
        """The class indices offered (the first, -1, is "the class alone")."""
        return [int(self.compare_with.itemData(i)) for i in range(self.compare_with.count())]

    def choose_contrast(self, index: int) -> None:
        """Compare with class `index` (-1: none), as choosing it in the list does."""
        self.compare_with.setCurrentIndex(max(0, self.compare_with.findData(index)))
        self._contrast_chosen(self.compare_with.currentIndex())

    @Slot(int)
    def _contrast_chosen(self, row: int) -> None:
        self.contrastRequested.emit(int(self.compare_with.itemData(row)))

    def note_text(self) -> str:
        """The warning beside the prediction ("" when the network is sure)."""
        return self.note.text() if self.note.isVisibleTo(self) else ""

    def set_target(self, index: int | None) -> None:
        """Mark the class being explained (before its result arrives)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setData(ROLE_TARGET, index is not None and item.data(ROLE_INDEX) == index)

    def clear(self) -> None:
        """Nothing shown: a new photo or network (the search box's class goes too)."""
        self.search.clear()
        self.list.clear()
        self.list.hide()
        self.compare_with.hide()
        self.note.hide()
        self.note.setText("")
        self.hint.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
            and not event.isAutoRepeat()
        ):
            item = self.list.currentItem()
            if item is not None:
                self._clicked(item)
                return True
        elif (
            watched is self.list
            and event.type() == QEvent.Type.FocusIn
            and self.list.currentItem() is None
            and self.list.count()
        ):
            self.list.setCurrentRow(0)  # Tab into the list: its first class has the focus
        return super().eventFilter(watched, event)

    def shown_classes(self) -> list[int]:
        return [int(self.list.item(r).data(ROLE_INDEX)) for r in range(self.list.count())]

    def click_row(self, row: int) -> None:
        """Explain the class in this row, as a click does."""
        self._clicked(self.list.item(row))

    @Slot(QListWidgetItem)
    def _clicked(self, item: QListWidgetItem) -> None:
        self.classRequested.emit(int(item.data(ROLE_INDEX)))

    def _index_of(self, text: str) -> int | None:
        text = text.strip()
        if text.endswith(")") and "(" in text:
            number = text.rsplit("(", 1)[1][:-1]
            if number.isdigit() and int(number) < len(self._categories):
                return int(number)
        wanted = text.lower()
        for names in (self._categories, self._shown):
            lowered = [c.lower() for c in names]
            if wanted in lowered:
                return lowered.index(wanted)
        matches = {
            i
            for names in (self._categories, self._shown)
            for i, c in enumerate(names)
            if wanted in c.lower()
        }
        return matches.pop() if len(matches) == 1 else None

    @Slot(str)
    def _search_chosen(self, text: str) -> None:
        index = self._index_of(text)
        if index is not None:
            self.search.clear()
            # Off the text field: a key pressed next is a shortcut again (H hides the map), not
            # a letter typed into the search.
            self.list.setFocus(Qt.FocusReason.OtherFocusReason)
            self.classRequested.emit(index)

    @Slot()
    def _search_entered(self) -> None:
        # Enter with the completer's popup closed: accept an exact or unique partial name.
        popup = self._completer.popup()
        if popup is not None and popup.isVisible():
            return
        self._search_chosen(self.search.text())
