"""The Compare tab: pick methods, run them in the worker, show them with compare.CompareView."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...app.compare.job import COMPARE_METHODS, Comparison
from ...app.compare.verdict import duration_words, sanity_seconds, verdict
from ...app.faithjobs import SANITY_STEPS, GridOutcome, SanityOutcome
from ...app.translation import translate
from ...engine.methods import catalog
from ..widgets import FlowLayout, caption
from .faithview import FaithView
from .view import CompareEntry, CompareView

# Checked at first: Score-CAM as the paper computes it and the two best-known gradient methods.
CHECKED = ("scorecam-paper", "gradcam", "gradcam++")


def method_tooltip(row: catalog.MethodInfo) -> str:
    """Plain words first, then the reference and the cost (the catalog's row)."""
    cost = translate("ComparePanel", "Cost: {cost}.").format(cost=row.cost)
    summary = translate("MethodCatalog", row.summary)
    return f"{summary}\n\n{row.reference}. {cost}"


def method_label(row: catalog.MethodInfo) -> str:
    """The check box's text: the title, and for the slow methods the mark of their cost."""
    if not row.slow:
        return row.title
    return translate("ComparePanel", "{method} · slow").format(method=row.title)


def family_heading(family: str) -> QLabel:
    """A family's heading before its check boxes: the words before the colon of its plain-word
    heading (catalog.FAMILIES), the whole heading as the tooltip."""
    text = translate("MethodCatalog", catalog.FAMILIES[family])
    heading = QLabel(f"<b>{text.split(':')[0]}:</b>")
    heading.setToolTip(text)
    return heading


class ComparePanel(QWidget):
    """Emits compareRequested(methods, measure), sanityRequested(methods) and
    gridRequested(methods); shows a Comparison, SanityOutcome or GridOutcome when it arrives."""

    compareRequested = Signal(tuple, bool)
    sanityRequested = Signal(tuple)
    gridRequested = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checks: dict[str, QCheckBox] = {}
        by_family: dict[str, list[QCheckBox]] = {}
        for method in COMPARE_METHODS:
            row_info = catalog.info(method)
            box = QCheckBox(method_label(row_info))
            box.setToolTip(method_tooltip(row_info))
            box.setChecked(method in CHECKED)
            box.toggled.connect(self._update_button)
            self.checks[method] = box
            by_family.setdefault(row_info.family, []).append(box)
        # The methods, each family's heading before its boxes, wrap on a narrow window instead
        # of cutting names; they scroll with the results below, so that on a low window the
        # buttons' row (fixed above) stays in view.
        boxes = FlowLayout(spacing=12)
        for family in catalog.FAMILIES:
            if family in by_family:
                boxes.addWidget(family_heading(family))
                for box in by_family[family]:
                    boxes.addWidget(box)
        row = FlowLayout(spacing=12)
        self.measure = QCheckBox(self.tr("Measure how faithful (slow)"))
        self.measure.setToolTip(
            self.tr(
                "Tests each map: Average Drop / Increase, Deletion and Insertion (the paper's "
                "Tables 1 and 3). About 230 passes through the network per map: minutes on a CPU."
            )
        )
        row.addWidget(self.measure)
        self.sanity_button = QPushButton(self.tr("Sanity check"))
        self.sanity_button.setToolTip(
            self.tr(
                "Explain the shown photo again while the network's layers are replaced by random "
                "ones, from the top down (on a copy): a faithful method's map changes. Slow: "
                "about six explanations per method."
            )
        )
        self.sanity_button.clicked.connect(lambda: self.sanityRequested.emit(self.methods()))
        row.addWidget(self.sanity_button)
        self.grid_button = QPushButton(self.tr("Grid test"))
        self.grid_button.setToolTip(
            self.tr(
                "Tile the strip's photos (confident, different classes; at least 4) into a grid "
                "and explain each cell for its own class: how much of the map stays in that cell?"
            )
        )
        self.grid_button.clicked.connect(lambda: self.gridRequested.emit(self.methods()))
        row.addWidget(self.grid_button)
        self.button = QPushButton(self.tr("Compare"))
        self.button.setObjectName("Primary")
        self.button.setToolTip(
            self.tr("Make the map of the shown photo and class with each chosen method")
        )
        self.button.setAccessibleName(self.tr("Compare the chosen methods"))
        self.button.clicked.connect(self._clicked)
        row.addWidget(self.button)
        controls = QWidget()
        controls.setLayout(row)
        controls.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.view = CompareView()
        self.faith = FaithView()
        # What the numbers mean for this photo, in one sentence (app/compare/verdict.py).
        self.verdict = caption("")
        self.verdict.setWordWrap(True)
        self.verdict.hide()
        self._timings: tuple[float, float] | None = None  # the shown map's Score-CAM, classify s
        content = QWidget()
        stack = QVBoxLayout(content)
        stack.setContentsMargins(0, 0, 0, 0)
        methods = QWidget()
        methods.setLayout(boxes)
        methods.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        stack.addWidget(methods)
        stack.addWidget(self.verdict)  # scrolls with the results: the buttons keep their row
        stack.addWidget(self.faith)
        stack.addWidget(self.view, 1)
        # Scrolls inside the bottom panel rather than making the whole window taller.
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumHeight(40)  # the methods take several rows on a 1024 x 680 screen
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
        self.verdict.setText(verdict(comparison.maps))
        self.verdict.show()

    def show_sanity(self, outcome: SanityOutcome) -> None:
        self.faith.show_sanity(outcome)

    def show_grid(self, outcome: GridOutcome) -> None:
        self.faith.show_grid(outcome)

    def clear(self) -> None:
        self.view.clear()
        self.faith.clear()
        self.verdict.hide()

    def set_timings(self, scorecam_seconds: float, classify_seconds: float) -> None:
        """What the shown map took, so the sanity check can say how long it will take."""
        self._timings = (scorecam_seconds, classify_seconds)
        self._update_button()

    def sanity_estimate(self) -> str:
        """'about 3 minutes' for the checked methods ("" before a map was made)."""
        if self._timings is None or not self.methods():
            return ""
        seconds = sanity_seconds(self.methods(), *self._timings, SANITY_STEPS)
        return duration_words(seconds)

    @Slot()
    def _update_button(self) -> None:
        enabled = self._available and bool(self.methods())
        for button in (self.button, self.sanity_button, self.grid_button):
            button.setEnabled(enabled)
        estimate = self.sanity_estimate()
        self.sanity_button.setText(
            self.tr("Sanity check ({estimate})").format(estimate=estimate)
            if estimate
            else self.tr("Sanity check")
        )

    @Slot()
    def _clicked(self) -> None:
        self.compareRequested.emit(self.methods(), self.measure.isChecked())
