"""The panels below the photo (feature maps, masked inputs, Compare) behind one row of tabs that
also holds the photo strip. The panels fold away to that row, so that on a laptop screen the
photo with its map keeps most of the window; a click on a tab unfolds them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QStackedWidget,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class DetailsPanel(QWidget):
    """Tabs in a row with a corner widget (the photo strip) and a fold button; the pages below.

    The part of QTabWidget's API the window uses is here too (addTab, setCurrentWidget, ...).
    """

    expandedChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BottomPanel")
        self.bar = QTabBar()
        self.bar.setDocumentMode(True)
        self.bar.setExpanding(False)
        self.bar.setDrawBase(False)
        self.bar.setAccessibleName(self.tr("Details below the photo"))
        self.stack = QStackedWidget()
        self.fold = QToolButton()
        self.fold.setAutoRaise(True)
        self.fold.setAccessibleName(self.tr("Show or hide the details below the photo"))
        self.fold.clicked.connect(self.toggle)
        self._row = QHBoxLayout()
        self._row.setContentsMargins(0, 0, 4, 0)
        self._row.setSpacing(6)
        self._row.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignBottom)
        self._row.addStretch(1)
        self._row.addWidget(self.fold)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self._row)
        layout.addWidget(self.stack, 1)
        self.bar.currentChanged.connect(self.stack.setCurrentIndex)
        self.bar.tabBarClicked.connect(self._tab_clicked)
        self._expanded = True
        self._update_fold()

    # -- QTabWidget's API, as far as the window uses it -------------------------------------
    def addTab(self, widget: QWidget, text: str) -> int:
        self.stack.addWidget(widget)
        return self.bar.addTab(text)

    def setTabToolTip(self, index: int, text: str) -> None:
        self.bar.setTabToolTip(index, text)

    def setCornerWidget(self, widget: QWidget) -> None:
        self._row.insertWidget(self._row.count() - 1, widget)

    def count(self) -> int:
        return self.bar.count()

    def tabText(self, index: int) -> str:
        return self.bar.tabText(index)

    def currentIndex(self) -> int:
        return self.bar.currentIndex()

    def setCurrentIndex(self, index: int) -> None:
        self.bar.setCurrentIndex(index)

    def currentWidget(self) -> QWidget | None:
        return self.stack.currentWidget()

    def setCurrentWidget(self, widget: QWidget) -> None:
        self.bar.setCurrentIndex(self.stack.indexOf(widget))

    def widget(self, index: int) -> QWidget | None:
        return self.stack.widget(index)

    # -- folding -----------------------------------------------------------------------------
    def row_height(self) -> int:
        """The height of the tab row: what is left of the panel when folded."""
        layout = self.layout()
        assert layout is not None  # set in __init__
        margins = layout.contentsMargins()
        return self._row.sizeHint().height() + margins.top() + margins.bottom()

    def is_expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, expanded: bool) -> None:
        if expanded == self._expanded:
            return
        self._expanded = expanded
        self.stack.setVisible(expanded)
        self._update_fold()
        self.expandedChanged.emit(expanded)

    @Slot()
    def toggle(self) -> None:
        self.set_expanded(not self._expanded)

    @Slot(int)
    def _tab_clicked(self, _index: int) -> None:
        if not self._expanded:
            self.set_expanded(True)

    def _update_fold(self) -> None:
        self.fold.setArrowType(Qt.ArrowType.DownArrow if self._expanded else Qt.ArrowType.UpArrow)
        self.fold.setToolTip(
            self.tr("Hide the details below, so that the photo gets the room (F8)")
            if self._expanded
            else self.tr("Show the details below the photo (F8)")
        )
