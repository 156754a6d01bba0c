"""The Compare tab: pick methods, run them in the worker, show them with compare.CompareView."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...app.faithjobs import GridOutcome, SanityOutcome
from ...app.jobs import COMPARE_METHODS, Comparison
from ...engine.methods import catalog
from ..widgets import FlowLayout
from .faithview import FaithView
from .view import CompareEntry, CompareView

# Checked at first: Score-CAM as the paper computes it and the two best-known gradient methods.
CHECKED = ("scorecam-paper", "gradcam", "gradcam++")


def method_tooltip(row: catalog.MethodInfo) -> str:
    """Plain words first, then the reference and the cost (the catalog's row)."""
    return f"{row.summary}\n\n{row.reference}. Cost: {row.cost}."


class ComparePanel(QWidget):
    """Emits compareRequested(methods, measure), sanityRequested(methods) and
    gridRequested(methods); shows a Comparison, SanityOutcome or GridOutcome when it arrives."""

    compareRequested = Signal(tuple, bool)
    sanityRequested = Signal(tuple)
    gridRequested = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checks: dict[str, QCheckBox] = {}
        row = FlowLayout(spacing=12)  # wraps on a narrow window instead of cutting names
        for method in COMPARE_METHODS:
            row_info = catalog.info(method)
            box = QCheckBox(row_info.title)
            box.setToolTip(method_tooltip(row_info))
            box.setChecked(method in CHECKED)
            box.toggled.connect(self._update_button)
            self.checks[method] = box
            row.addWidget(box)
        self.measure = QCheckBox("Measure how faithful (slow)")
        self.measure.setToolTip(
            "Tests each map: Average Drop / Increase, Deletion and Insertion (the paper's Tables "
            "1 and 3). About 230 passes through the network per map: minutes on a CPU."
        )
        row.addWidget(self.measure)
        self.sanity_button = QPushButton("Sanity check")
        self.sanity_button.setToolTip(
            "Explain the shown photo again while the network's layers are replaced by random "
            "ones, from the top down (on a copy): a faithful method's map changes. Slow: about "
            "six explanations per method."
        )
        self.sanity_button.clicked.connect(lambda: self.sanityRequested.emit(self.methods()))
        row.addWidget(self.sanity_button)
        self.grid_button = QPushButton("Grid test")
        self.grid_button.setToolTip(
            "Tile the strip's photos (confident, different classes; at least 4) into a grid and "
            "explain each cell for its own class: how much of the map stays in that cell?"
        )
        self.grid_button.clicked.connect(lambda: self.gridRequested.emit(self.methods()))
        row.addWidget(self.grid_button)
        self.button = QPushButton("Compare")
        self.button.setObjectName("Primary")
        self.button.setToolTip("Make the map of the shown photo and class with each chosen method")
        self.button.setAccessibleName("Compare the chosen methods")
        self.button.clicked.connect(self._clicked)
        row.addWidget(self.button)
        controls = QWidget()
        controls.setLayout(row)
        controls.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.view = CompareView()
        self.faith = FaithView()
        content = QWidget()
        stack = QVBoxLayout(content)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addWidget(self.faith)
        stack.addWidget(self.view, 1)
        # Scrolls inside the bottom panel rather than making the whole window taller.
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumHeight(80)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 4)
        layout.setSpacing(4)
        layout.addWidget(controls)
        layout.addWidget(scroll, 1)
        self._available = False
        self._update_button()

    def methods(self) -> tuple[str, ...]:
        return tuple(m for m, box in self.checks.items() if box.isChecked())

    def set_available(self, available: bool) -> None:
        """Whether there is a finished explanation to compare against (and no job running)."""
        self._available = available
        self._update_button()

    def show_comparison(self, comparison: Comparison) -> None:
        entries = [
            CompareEntry.from_metrics(m.label, m.saliency, m.metrics)
            if m.metrics is not None
            else CompareEntry(m.label, m.saliency)
            for m in comparison.maps
        ]
        self.view.set_photo(comparison.explanation.photo)
        self.view.set_entries(entries, comparison.explanation.result.target.name)

    def show_sanity(self, outcome: SanityOutcome) -> None:
        self.faith.show_sanity(outcome)

    def show_grid(self, outcome: GridOutcome) -> None:
        self.faith.show_grid(outcome)

    def clear(self) -> None:
        self.view.clear()
        self.faith.clear()

    @Slot()
    def _update_button(self) -> None:
        enabled = self._available and bool(self.methods())
        for button in (self.button, self.sanity_button, self.grid_button):
            button.setEnabled(enabled)

    @Slot()
    def _clicked(self) -> None:
        self.compareRequested.emit(self.methods(), self.measure.isChecked())
