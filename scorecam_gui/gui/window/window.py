"""The main window: the panels and their layout, settings, status messages and shutting down.

It composes the actions and menus (gui/actions.py), the request controller (gui/controller.py)
and drag and drop / paste (gui/dropping.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QShowEvent,
)
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

from ...app.jobs import (
    EngineSession,
    Explanation,
    NetworkLoader,
    NetworkReady,
    PhotoSource,
    Request,
    engine_loaded,
)
from ...engine.models.catalog import (
    BUNDLED_NETWORKS,
    DEFAULT_NETWORK,
    NETWORK_TITLES,
    network_title,
)
from ..compare.panel import ComparePanel
from ..dialogs import modelfile
from ..dialogs.about import app_icon
from ..panels.canvas import OverlayCanvas
from ..panels.details import DetailsPanel
from ..panels.featuremaps import FeatureMapViewer
from ..panels.montage import MaskedInputsMontage
from ..panels.photostrip import PhotoStrip
from ..panels.prediction import PredictionPanel
from ..panels.sidebar import NetworkEntry, Sidebar
from ..panels.weightsplot import WeightsPlot
from ..startup.networklist import NetworkLister
from ..widgets import section_title
from ..worker import JobRunner
from .actions import APP_TITLE, WindowActions, image_file_filter
from .controller import PASTE_PREFIX, RequestController, sample_photo
from .dropping import DropAndPaste
from .progress import JobProgress
from .settings import MAX_RECENT, Settings

__all__ = [
    "APP_TITLE",
    "PASTE_PREFIX",
    "MainWindow",
    "image_file_filter",
    "sample_photo",
]

log = logging.getLogger(__name__)
DETAILS_SHARE = 0.32  # of the height, for the panels below the photo when they are shown
FOLD_BELOW_HEIGHT = 860  # a lower window starts with those panels folded


def first_start_size(window: QWidget) -> tuple[int, int]:
    """1480 x 920, or what the screen has room for (a 1366 x 768 laptop gets the whole width)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return 1480, 920
    room = screen.availableGeometry()
    minimum = window.minimumSize()
    width = max(minimum.width(), min(1480, room.width()))
    height = max(minimum.height(), min(920, room.height() - 40))
    return width, height


class MainWindow(WindowActions, RequestController, DropAndPaste, QMainWindow):
    """Score-CAM Studio's window. Everything slow runs in the JobRunner's thread."""

    explanationShown = Signal()  # a finished explanation is on screen
    jobFailed = Signal(str)  # a job failed; the message was shown to the user
    jobCancelled = Signal()
    comparisonShown = Signal()  # the Compare tab shows a finished comparison

    def __init__(
        self,
        settings: Settings | None = None,
        loader: NetworkLoader | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else Settings()
        self.session = EngineSession(loader) if loader is not None else EngineSession()

        self._photo: PhotoSource | None = None  # the photo on screen
        self._network: NetworkReady | None = None  # the network loaded in the session
        self._target: int | str | None = None  # the class asked for (None: the predicted one)
        self._request: Request | None = None  # the running (or last) request
        self._shown: Explanation | None = None  # the explanation on screen
        # A Compare tile whose map the canvas shows instead of Score-CAM's (None: Score-CAM's).
        self._compared_on_canvas: int | None = None
        self._pasted: dict[str, np.ndarray] = {}
        self._extra_networks: list[str] = []  # asked for on the command line, not in the list
        # (name, title, weights status) of each network. Until torch is loaded the statuses of
        # torchvision's networks are not known ("checking"); a NetworkLister fills them in.
        self._network_rows: list[tuple[str, str, str]] = [
            (name, title, "bundled" if name in BUNDLED_NETWORKS else "checking")
            for name, title in NETWORK_TITLES.items()
        ]
        self._lister: NetworkLister | None = None
        self._paste_serial = 0
        self._closing = False
        self._progress_label = ("Score-CAM", "maps")  # what the engine's Progress counts now
        self._states_known = False  # the weights' states, listed once torch is loaded
        self._start_network: str | None = None  # named at start, its weights' state unknown
        self._refining = False  # a running map is on the canvas, still being refined
        self._splitters_restored = False
        self._details_placed = False  # folded or not, once, when the window is first shown
        # An import not yet loaded: (network, weights file, the import it replaced), so that a
        # file that fails to load is not remembered in place of weights that worked.
        self._import_undo: tuple[str, str, tuple[str, str | None] | None] | None = None

        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.setMinimumSize(1024, 680)
        self._build()
        self._create_actions()
        self._create_menus()
        # After the widgets: a window that failed to build starts no thread.
        self.runner = JobRunner(parent=self)
        self.runner.progressed.connect(self._job_progressed)
        self.runner.finished.connect(self._job_finished)
        self.runner.failed.connect(self._job_failed)
        self.runner.busyChanged.connect(self._busy_changed)
        self._restore_settings()
        self._update_actions()

    # == layout ===================================================================================
    def _build(self) -> None:
        self.sidebar = Sidebar()
        self.sidebar.setMinimumWidth(220)
        self.sidebar.setMaximumWidth(340)
        self.canvas = OverlayCanvas()
        self.prediction = PredictionPanel()
        self.weights_plot = WeightsPlot()

        right_content = QWidget()
        right_content.setObjectName("RightPanel")
        right_layout = QVBoxLayout(right_content)
        right_layout.setContentsMargins(14, 12, 14, 12)
        right_layout.setSpacing(6)
        right_layout.addWidget(section_title("What the network sees"))
        right_layout.addWidget(self.prediction)
        right_layout.addSpacing(8)
        right_layout.addWidget(section_title("How much each map counts"))
        right_layout.addWidget(self.weights_plot, 1)
        # A low window scrolls this column instead of piling its parts on top of each other.
        right = QScrollArea()
        right.setObjectName("RightPanel")
        right.setWidget(right_content)
        right.setWidgetResizable(True)
        right.setFrameShape(QFrame.Shape.NoFrame)
        right.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right.setMinimumWidth(230)
        right.setMaximumWidth(380)
        self.right_panel = right

        self.top_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.top_splitter.setChildrenCollapsible(False)
        self.top_splitter.addWidget(self.sidebar)
        self.top_splitter.addWidget(self.canvas)
        self.top_splitter.addWidget(right)
        self.top_splitter.setStretchFactor(0, 0)
        self.top_splitter.setStretchFactor(1, 1)
        self.top_splitter.setStretchFactor(2, 0)
        self.top_splitter.setSizes([250, 900, 280])

        self.strip = PhotoStrip()
        self.feature_maps = FeatureMapViewer()
        self.montage = MaskedInputsMontage()
        self.compare = ComparePanel()
        self.tabs = DetailsPanel()
        self.tabs.addTab(self.feature_maps, "Feature maps")
        self.tabs.addTab(self.montage, "Masked inputs")
        self.tabs.addTab(self.compare, "Compare")
        self.tabs.setTabToolTip(0, "What the network's layer detects in the photo")
        self.tabs.setTabToolTip(1, "The photo seen through single feature maps")
        self.tabs.setTabToolTip(2, "Other methods' maps side by side, and how faithful they are")
        # The photo strip shares the tabs' row: the photo keeps the height a row would take.
        self.tabs.setCornerWidget(self.strip)
        self.tabs.expandedChanged.connect(self._details_folded)

        self.main_splitter = QSplitter(Qt.Orientation.Vertical)
        self.main_splitter.setChildrenCollapsible(False)
        self.main_splitter.addWidget(self.top_splitter)
        self.main_splitter.addWidget(self.tabs)
        self.main_splitter.setStretchFactor(0, 3)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([640, 260])
        self.bottom_panel = self.tabs
        self.setCentralWidget(self.main_splitter)

        self.progress = JobProgress()
        self.status_label = QLabel("")
        self.status_label.setObjectName("Caption")
        # A long message is cut off; it never pushes the progress bar aside.
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.device_label = QLabel("")
        self.device_label.setObjectName("Caption")
        self.device_label.setToolTip(
            "Where the network runs and in which number format: cpu is the processor, cuda an "
            "NVIDIA graphics card, mps an Apple one; fp32 is exact, bf16 and fp16 are faster "
            "16-bit formats, used only where they give the same map"
        )
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        status.addWidget(self.progress)
        status.addWidget(self.status_label, 1)
        status.addPermanentWidget(self.device_label)

        self.sidebar.networkChosen.connect(self._network_chosen)
        self.sidebar.layerChosen.connect(self._layer_chosen)
        self.sidebar.explainClicked.connect(self.explain_again)
        self.sidebar.importClicked.connect(self.import_weights)
        self.sidebar.optionsChanged.connect(self._options_changed)
        self.sidebar.advanced_section.toggled.connect(self.settings.set_advanced_open)
        self.prediction.classRequested.connect(self.explain_class)
        self.strip.photoChosen.connect(self._photo_chosen)
        self.progress.cancelClicked.connect(self.cancel)
        self.progress.stopHereClicked.connect(self.stop_here)
        self.montage.channelClicked.connect(self._show_channel)
        self.canvas.helpRequested.connect(self.show_help)
        self.compare.compareRequested.connect(self.run_compare)
        self.compare.sanityRequested.connect(self.run_sanity_check)
        self.compare.gridRequested.connect(self.run_grid_test)
        self.compare.view.entryClicked.connect(self._show_compared_map)
        self.canvas.settingsChanged.connect(self._update_actions)

    # == settings =================================================================================
    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.window_state("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*first_start_size(self))
        state = s.window_state("state")
        if state is not None:
            self.restoreState(state)
        for key, splitter in (
            ("top_splitter", self.top_splitter),
            ("main_splitter", self.main_splitter),
        ):
            value = s.window_state(key)
            if value is not None and splitter.restoreState(value):
                self._splitters_restored = True
        self.sidebar.advanced.set_options(s.options())
        self.sidebar.advanced_section.set_expanded(s.advanced_open())
        render = s.render()
        self.canvas.set_mode(str(render["mode"]))
        self.canvas.set_colour_name(str(render["colormap"]))
        self.canvas.opacity.setValue(int(render["opacity"]))
        network = s.network(DEFAULT_NETWORK)
        self.refresh_networks(network)
        if self.sidebar.current_network() != network:
            self.refresh_networks(DEFAULT_NETWORK)
        for path in reversed(s.recent_files()[:8]):
            if Path(path).is_file():
                self.strip.add(path)

    def save_settings(self) -> None:
        s = self.settings
        s.set_window_state("geometry", self.saveGeometry())
        s.set_window_state("state", self.saveState())
        s.set_window_state("top_splitter", self.top_splitter.saveState())
        s.set_window_state("main_splitter", self.main_splitter.saveState())
        s.set_details_shown(self.tabs.is_expanded())
        s.set_options(self.sidebar.advanced.options())
        s.set_render(self.canvas.mode(), self.canvas.colour_name(), self.canvas.opacity.value())
        s.sync()

    def refresh_networks(self, current: str | None = None) -> None:
        """Fill the network selector with every network and the state of its weights."""
        entries = []
        listed = {row[0] for row in self._network_rows}
        extra = [(n, network_title(n), "checking") for n in self._extra_networks if n not in listed]
        for name, title, status in [*self._network_rows, *extra]:
            if self.settings.imported_weights(name) is not None:
                status = "imported"
            entries.append(NetworkEntry(name, title, status))
        entries += modelfile.entries(self.settings)  # opened with "Open Model File…"
        self.sidebar.set_networks(entries, current or self.sidebar.current_network())

    def _list_networks_soon(self) -> None:
        """After the first job: the weights' states, found in a thread (torchvision loads there,
        which takes seconds and must neither hold up the first map nor freeze the window)."""
        if self._lister is None and engine_loaded():
            self._lister = NetworkLister(self)
            self._lister.listed.connect(self._networks_listed)
            self._lister.start(self._extra_networks)

    def _networks_listed(self, rows: list[tuple[str, str, str]]) -> None:
        self._network_rows = rows
        self._states_known = True
        self.refresh_networks()
        self._networks_known()

    def getting_ready_text(self) -> str:
        """What the window says while torch and the network load: plain words."""
        name = self.sidebar.current_network() or DEFAULT_NETWORK
        return f"Getting {network_title(name)} ready…"

    def show_getting_ready(self) -> None:
        """Say so before the first paint, so the first thing on screen explains the wait."""
        text = self.getting_ready_text()
        self.progress.busy(text)
        self.canvas.subheading.setText(text)

    def _remember_recent(self, path: str) -> None:
        recent = [p for p in self.settings.recent_files() if p != path]
        self.settings.set_recent_files([path, *recent][:MAX_RECENT])

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

    def status_text(self) -> str:
        return self.status_label.text()

    def message_text(self) -> str:
        """The message shown in the banner ("" when none is)."""
        return self.canvas.banner.text() if self.canvas.banner.isVisible() else ""

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

    def _make_room_below(self, height: int) -> None:
        """Unfold the panels below and give them `height` (at most 60 % of the window), so that
        results that just arrived are seen without hunting for them."""
        self.tabs.set_expanded(True)
        sizes = self.main_splitter.sizes()
        total = sum(sizes)
        below = min(max(sizes[1], height), round(total * 0.6))
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
        self.details_action.setChecked(expanded)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._details_placed:
            return
        self._details_placed = True
        shown = self.settings.details_shown()
        if not self._splitters_restored or shown is None:
            # First start: on a low screen (a 1366 x 768 laptop) the details below start folded
            # to their row of tabs, so that the photo gets the room; else about 30 %.
            self.show_details(self.height() >= FOLD_BELOW_HEIGHT)
        elif not shown:
            self.show_details(False)  # as the user left them (the splitter keeps its sizes)

    # == shutting down ============================================================================
    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop the worker (the running job is cancelled within a batch); idempotent."""
        if self._closing:
            return not self.runner._thread.isRunning()
        self._closing = True
        folder_view = getattr(self, "folder_view", None)  # gui/folderview.py, once opened
        if folder_view is not None:
            folder_view.shutdown(timeout_ms)
        return self.runner.shutdown(timeout_ms)

    def closeEvent(self, event: QCloseEvent) -> None:
        try:
            self.save_settings()
        except Exception:  # settings must never keep the window from closing
            log.exception("could not save settings")
        self.shutdown()
        event.accept()
        super().closeEvent(event)
