"""The main window's panels and their layout: the photo with its map in the middle, the
sidebar left, the prediction right, the tabs below, and the status bar; where messages go and
how the panels below fold."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...app.translation import translate
from ...engine.models.catalog import DEFAULT_NETWORK, network_title
from ..compare.panel import ComparePanel
from ..panels.canvas import OverlayCanvas
from ..panels.details import DetailsPanel
from ..panels.featuremaps import FeatureMapViewer
from ..panels.montage import MaskedInputsMontage
from ..panels.photostrip import PhotoStrip
from ..panels.prediction import PredictionPanel
from ..panels.sidebar import Sidebar
from ..panels.weightsplot import WeightsPlot
from ..widgets import section_title
from .progress import JobProgress

log = logging.getLogger(__name__)
DETAILS_SHARE = 0.32  # of the height, for the panels below the photo when they are shown
FOLD_BELOW_HEIGHT = 860  # a lower window starts with those panels folded
BELOW_AT_MOST = 0.45  # of the height, for results arriving below (Compare, sanity, grid)
BELOW_AT_MOST_LOW = 0.3  # the same in a window lower than FOLD_BELOW_HEIGHT


class Panels(QObject):
    """The window's widgets, built and laid out into `window`, and what acts on them alone:
    messages (the banner, the status bar) and folding the panels below the photo."""

    detailsFolded = Signal(bool)  # the panels below were shown (True) or folded to their tabs

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.sidebar = Sidebar()
        self.sidebar.setMinimumWidth(220)
        self.sidebar.setMaximumWidth(340)
        self.canvas = OverlayCanvas()
        self.prediction = PredictionPanel()
        self.weights_plot = WeightsPlot()
        self.right_panel = self._right_column()
        self.top_splitter = self._top_row()
        self.strip = PhotoStrip()
        self.feature_maps = FeatureMapViewer()
        self.montage = MaskedInputsMontage()
        self.compare = ComparePanel()
        self.tabs = self._tabs_below()
        self.main_splitter = QSplitter(Qt.Orientation.Vertical)
        self.main_splitter.setChildrenCollapsible(False)
        self.main_splitter.addWidget(self.top_splitter)
        self.main_splitter.addWidget(self.tabs)
        self.main_splitter.setStretchFactor(0, 3)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([640, 260])
        window.setCentralWidget(self.main_splitter)
        self._status_bar()

    # == building =================================================================================
    def _right_column(self) -> QScrollArea:
        content = QWidget()
        content.setObjectName("RightPanel")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(6)
        layout.addWidget(section_title(translate("MainWindow", "What the network sees")))
        layout.addWidget(self.prediction)
        layout.addSpacing(8)
        layout.addWidget(section_title(translate("MainWindow", "How much each map counts")))
        layout.addWidget(self.weights_plot, 1)
        # A low window scrolls this column instead of piling its parts on top of each other.
        right = QScrollArea()
        right.setObjectName("RightPanel")
        right.setWidget(content)
        right.setWidgetResizable(True)
        right.setFrameShape(QFrame.Shape.NoFrame)
        right.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right.setMinimumWidth(230)
        right.setMaximumWidth(380)
        return right

    def _top_row(self) -> QSplitter:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.canvas)
        splitter.addWidget(self.right_panel)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([250, 900, 280])
        return splitter

    def _tabs_below(self) -> DetailsPanel:
        tabs = DetailsPanel()
        tabs.addTab(self.feature_maps, translate("MainWindow", "Feature maps"))
        tabs.addTab(self.montage, translate("MainWindow", "Masked inputs"))
        tabs.addTab(self.compare, translate("MainWindow", "Compare"))
        tabs.setTabToolTip(
            0, translate("MainWindow", "What the network's layer detects in the photo")
        )
        tabs.setTabToolTip(1, translate("MainWindow", "The photo seen through single feature maps"))
        tabs.setTabToolTip(
            2,
            translate("MainWindow", "Other methods' maps side by side, and how faithful they are"),
        )
        # The photo strip shares the tabs' row: the photo keeps the height a row would take.
        tabs.setCornerWidget(self.strip)
        tabs.expandedChanged.connect(self._details_folded)
        return tabs

    def _status_bar(self) -> None:
        self.progress = JobProgress()
        self.status_label = QLabel("")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # it names classes and files
        self.status_label.setObjectName("Caption")
        # A long message is cut off; it never pushes the progress bar aside.
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.device_label = QLabel("")
        self.device_label.setTextFormat(Qt.TextFormat.PlainText)
        self.device_label.setObjectName("Caption")
        self.device_label.setToolTip(
            translate(
                "MainWindow",
                "Where the network runs and in which number format: cpu is the processor, cuda "
                "an NVIDIA graphics card, mps an Apple one; fp32 is exact, bf16 and fp16 are "
                "faster 16-bit formats, used only where they give the same map",
            )
        )
        # Why the window is not in the language asked for (no Japanese font, say): it stays
        # for the session, where a message would give way to the first job's (i18n.unavailable).
        self.language_notice = QLabel("")
        self.language_notice.setObjectName("Warning")  # theme.py: the warning colour
        self.language_notice.hide()
        status = self.window.statusBar()
        status.setSizeGripEnabled(False)
        status.addWidget(self.progress)
        status.addWidget(self.status_label, 1)
        status.addPermanentWidget(self.language_notice)
        status.addPermanentWidget(self.device_label)

    # == messages =================================================================================
    def show_status(self, text: str) -> None:
        self.status_label.setText(text)

    def show_error(
        self,
        text: str,
        level: str = "error",
        actions: Sequence[tuple[str, Callable[[], object]]] = (),
    ) -> None:
        """One message in one place: the banner above the photo (the status bar is cleared)."""
        log.info("message to user: %s", text)
        self.canvas.banner.show_message(text, level, actions=actions)
        self.status_label.setText("")

    def show_language_notice(self, short: str | None, detail: str = "") -> None:
        """Say in the status bar why the window is not in the language asked for, with the
        whole reason and what to do in its tooltip; None takes the notice away."""
        self.language_notice.setText(short or "")
        self.language_notice.setToolTip(detail)
        self.language_notice.setAccessibleDescription(detail)
        self.language_notice.setVisible(bool(short))
        if short:
            log.info("language notice: %s", detail)

    def status_text(self) -> str:
        return self.status_label.text()

    def message_text(self) -> str:
        """The message shown in the banner ("" when none is)."""
        return self.canvas.banner.text() if self.canvas.banner.isVisible() else ""

    def getting_ready_text(self) -> str:
        """What the window says while torch and the network load: plain words."""
        name = self.sidebar.current_network() or DEFAULT_NETWORK
        return translate("MainWindow", "Getting {network} ready…").format(
            network=network_title(name)
        )

    def clear_results(self) -> None:
        """Empty the panels that show an explanation (the photo and its heading stay)."""
        self.prediction.clear()
        self.feature_maps.clear()
        self.montage.clear()
        self.weights_plot.clear()

    # == the panels below the photo ===============================================================
    @Slot(bool)
    def show_details(self, shown: bool = True) -> None:
        """Show the panels below the photo, or fold them to their row of tabs."""
        self.tabs.set_expanded(shown)
        self._details_folded(shown)

    @Slot()
    def reset_layout(self) -> None:
        """The first-start layout: side columns at their usual widths, the photo largest."""
        width = sum(self.top_splitter.sizes())
        side, right = 250, 280
        self.top_splitter.setSizes([side, max(100, width - side - right), right])
        self.show_details(True)

    def place_details(self, shown: bool | None, splitters_restored: bool) -> None:
        """When the window is first shown: on a low screen (a 1366 x 768 laptop) the details
        below start folded to their row of tabs, so that the photo gets the room; else about
        30 %; a user's own choice, once made, is kept."""
        if not splitters_restored or shown is None:
            self.show_details(self.window.height() >= FOLD_BELOW_HEIGHT)
        elif not shown:
            self.show_details(False)  # as the user left them (the splitter keeps its sizes)

    def make_room_below(self, height: int) -> None:
        """Unfold the panels below and give them `height` (at most 45 % of the window, 30 % of a
        low one: the photo with its map keeps the larger part), so that results that just arrived
        are seen without hunting for them; they scroll within that."""
        self.tabs.set_expanded(True)
        sizes = self.main_splitter.sizes()
        total = sum(sizes)
        # A low window (a laptop) keeps more for the photo: the results scroll below.
        low = self.window.height() < FOLD_BELOW_HEIGHT
        below = min(
            max(sizes[1], height), round(total * (BELOW_AT_MOST_LOW if low else BELOW_AT_MOST))
        )
        self.main_splitter.setSizes([total - below, below])

    @Slot(bool)
    def _details_folded(self, expanded: bool) -> None:
        total = sum(self.main_splitter.sizes())
        row = self.tabs.row_height()
        if expanded:
            self.tabs.setMaximumHeight(16777215)
            below = max(self.tabs.minimumSizeHint().height(), round(total * DETAILS_SHARE))
            self.main_splitter.setSizes([total - below, below])
        else:
            self.tabs.setMaximumHeight(row)
            self.main_splitter.setSizes([total - row, row])
        self.detailsFolded.emit(expanded)
