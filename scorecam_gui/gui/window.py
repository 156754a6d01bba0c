"""The main window: panels, menus, and the flow from a user's choice to a shown explanation."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..appdata import sample_photo_path
from ..engine import imaging
from ..engine.networks import DEFAULT_NETWORK, list_networks, network_info, weights_status
from ..engine.scorecam import Progress
from ..engine.weights import WeightsError
from .about import AboutDialog, app_icon
from .canvas import OverlayCanvas, render_overlay
from .comparepanel import ComparePanel
from .errors import log_file
from .export import ExportData, ExportDialog
from .featuremaps import FeatureMapViewer
from .importweights import ImportWeightsDialog
from .jobs import (
    Classified,
    Comparison,
    Download,
    EngineSession,
    Explanation,
    NetworkLoader,
    NetworkReady,
    PhotoReady,
    PhotoSource,
    Request,
    Stage,
    compare_job,
    describe_download,
    explain_job,
    score_kind,
)
from .montage import MaskedInputsMontage
from .photostrip import PhotoStrip, array_thumbnail, file_thumbnail
from .prediction import PredictionPanel, percent
from .progress import JobProgress
from .qimage import qimage_to_rgb, rgb_to_qimage
from .settings import MAX_RECENT, Settings
from .sidebar import NetworkEntry, Sidebar
from .weightsplot import WeightsPlot
from .widgets import section_title
from .worker import JobError, JobRunner

log = logging.getLogger(__name__)

APP_TITLE = "Score-CAM Studio"
PASTE_PREFIX = "paste:"
_KEEP: object = object()  # "as the current request has it"


def sample_photo() -> Path | None:
    """The bundled sample photo, if the package has it."""
    try:
        return sample_photo_path()
    except FileNotFoundError:
        return None


def _why_not_opened(path: Path) -> str:
    # "Not an image" would mislead for a folder or a file that is gone.
    if path.is_dir():
        return "is a folder"
    if not path.exists():
        return "file not found"
    return "not an image that Score-CAM Studio can open"


def image_file_filter() -> str:
    patterns = " ".join(f"*{suffix}" for suffix in imaging.IMAGE_SUFFIXES)
    return f"Images ({patterns});;All files (*)"


class MainWindow(QMainWindow):
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
        self._paste_serial = 0
        self._closing = False
        self._progress_label = ("Score-CAM", "maps")  # what the engine's Progress counts now
        self._splitters_restored = False
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
        self.sidebar.setMinimumWidth(250)
        self.sidebar.setMaximumWidth(360)
        self.canvas = OverlayCanvas()
        self.prediction = PredictionPanel()
        self.weights_plot = WeightsPlot()

        right = QWidget()
        right.setObjectName("RightPanel")
        right.setMinimumWidth(260)
        right.setMaximumWidth(400)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(14, 12, 14, 12)
        right_layout.setSpacing(6)
        right_layout.addWidget(section_title("Prediction"))
        right_layout.addWidget(self.prediction)
        right_layout.addSpacing(10)
        right_layout.addWidget(section_title("Map weights, sorted"))
        right_layout.addWidget(self.weights_plot, 1)

        self.top_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.top_splitter.setChildrenCollapsible(False)
        self.top_splitter.addWidget(self.sidebar)
        self.top_splitter.addWidget(self.canvas)
        self.top_splitter.addWidget(right)
        self.top_splitter.setStretchFactor(0, 0)
        self.top_splitter.setStretchFactor(1, 1)
        self.top_splitter.setStretchFactor(2, 0)
        self.top_splitter.setSizes([270, 900, 300])

        self.strip = PhotoStrip()
        self.feature_maps = FeatureMapViewer()
        self.montage = MaskedInputsMontage()
        self.compare = ComparePanel()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.feature_maps, "Feature maps")
        self.tabs.addTab(self.montage, "Masked inputs")
        self.tabs.addTab(self.compare, "Compare")
        bottom = QWidget()
        bottom.setObjectName("BottomPanel")
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 4, 0, 0)
        bottom_layout.setSpacing(2)
        bottom_layout.addWidget(self.strip)
        bottom_layout.addWidget(self.tabs, 1)

        self.main_splitter = QSplitter(Qt.Orientation.Vertical)
        self.main_splitter.setChildrenCollapsible(False)
        self.main_splitter.addWidget(self.top_splitter)
        self.main_splitter.addWidget(bottom)
        self.main_splitter.setStretchFactor(0, 3)
        self.main_splitter.setStretchFactor(1, 2)
        self.main_splitter.setSizes([600, 300])
        self.setCentralWidget(self.main_splitter)

        self.progress = JobProgress()
        self.status_label = QLabel("")
        self.status_label.setObjectName("Caption")
        # A long message is cut off; it never pushes the progress bar aside.
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.device_label = QLabel("")
        self.device_label.setObjectName("Caption")
        self.device_label.setToolTip("Where Score-CAM runs, and in which precision")
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
        self.montage.channelClicked.connect(self._show_channel)
        self.compare.compareRequested.connect(self.run_compare)
        self.compare.view.entryClicked.connect(self._show_compared_map)
        self.canvas.settingsChanged.connect(self._update_actions)

    # == actions and menus ========================================================================
    def _create_actions(self) -> None:
        def action(
            text: str, slot: object, shortcut: QKeySequence | str | None = None, tip: str = ""
        ) -> QAction:
            act = QAction(text, self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            if tip:
                act.setStatusTip(tip)
                act.setToolTip(tip)
            act.triggered.connect(slot)
            self.addAction(act)  # shortcuts work with the menu bar hidden, too
            return act

        keys = QKeySequence.StandardKey
        self.open_action = action("&Open Photos…", self.open_dialog, QKeySequence(keys.Open))
        self.paste_action = action(
            "&Paste Photo",
            self.paste,
            QKeySequence(keys.Paste),
            "Explain the image on the clipboard",
        )
        self.copy_action = action(
            "&Copy Overlay", self.copy_overlay, QKeySequence(keys.Copy), "Copy the picture as shown"
        )
        self.export_action = action("&Export…", self.export_dialog, "Ctrl+E")
        self.import_action = action("&Import Weights…", self.import_weights)
        self.forget_action = action("&Forget Imported Weights", self.forget_weights)
        self.quit_action = action("&Quit", self.close, QKeySequence(keys.Quit))
        self.explain_action = action("&Explain Again", self.explain_again, "F5")
        self.cancel_action = action("&Cancel", self.cancel, "Esc")
        self.previous_action = action("&Previous Photo", self.strip.step_previous, "Alt+Left")
        self.next_action = action("&Next Photo", self.strip.step_next, "Alt+Right")
        self.photo_only_action = action("Photo &Only", self.canvas.photo_only.toggle, "H")
        self.photo_only_action.setCheckable(True)
        self.canvas.photo_only.toggled.connect(self.photo_only_action.setChecked)
        self.fit_action = action("&Fit Photo", self.canvas.view.fit, "Ctrl+0")
        self.matlab_action = action("&MATLAB Rendering", self.canvas.matlab_button.click, "Ctrl+1")
        self.blend_action = action("&Blend Rendering", self.canvas.blend_button.click, "Ctrl+2")
        group = QActionGroup(self)
        for act in (self.matlab_action, self.blend_action):
            act.setCheckable(True)
            group.addAction(act)
        self.help_action = action(
            "&How to Read the Map", self.show_help, QKeySequence(keys.HelpContents)
        )
        self.about_action = action(f"&About {APP_TITLE}", self.show_about)
        self.log_action = action("Open &Log Folder", self.open_log_folder)

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.paste_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.forget_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.copy_action)
        edit_menu.addAction(self.paste_action)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.matlab_action)
        view_menu.addAction(self.blend_action)
        view_menu.addAction(self.photo_only_action)
        view_menu.addAction(self.fit_action)
        view_menu.addSeparator()
        view_menu.addAction(self.previous_action)
        view_menu.addAction(self.next_action)
        run_menu = bar.addMenu("&Run")
        run_menu.addAction(self.explain_action)
        run_menu.addAction(self.cancel_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.log_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    @Slot()
    def _update_actions(self) -> None:
        shown = self._shown is not None
        busy = self.runner.is_busy() and self.runner.current_job != 0
        self.copy_action.setEnabled(self.canvas.has_photo())
        self.export_action.setEnabled(shown)
        self.explain_action.setEnabled(self._photo is not None)
        self.sidebar.explain_button.setEnabled(self._photo is not None)
        self.cancel_action.setEnabled(busy)
        self.photo_only_action.setEnabled(shown)
        self.fit_action.setEnabled(self.canvas.has_photo())
        self.matlab_action.setChecked(self.canvas.mode() == "matlab")
        self.blend_action.setChecked(self.canvas.mode() == "blend")
        self.matlab_action.setEnabled(shown)
        self.blend_action.setEnabled(shown)
        network = self.sidebar.current_network()
        self.forget_action.setEnabled(self.settings.imported_weights(network) is not None)
        self.compare.set_available(shown and not busy)
        self.previous_action.setEnabled(self.strip.previous_button.isEnabled())
        self.next_action.setEnabled(self.strip.next_button.isEnabled())

    @Slot()
    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        for path in recent:
            act = self.recent_menu.addAction(Path(path).name)
            act.setToolTip(path)
            act.triggered.connect(lambda _checked=False, p=path: self.open_paths([p]))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear List", lambda: self.settings.set_recent_files([]))
        else:
            self.recent_menu.addAction("No recent photos").setEnabled(False)

    # == settings =================================================================================
    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.window_state("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1480, 920)
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
        self.canvas.colours.setCurrentText(str(render["colormap"]))
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
        s.set_options(self.sidebar.advanced.options())
        s.set_render(
            self.canvas.mode(), self.canvas.colours.currentText(), self.canvas.opacity.value()
        )
        s.sync()

    def refresh_networks(self, current: str | None = None) -> None:
        """Fill the network selector with every network and the state of its weights."""
        entries = []
        extra = [network_info(name) for name in self._extra_networks]
        for info in [*list_networks(), *extra]:
            status = weights_status(info.name)
            if self.settings.imported_weights(info.name) is not None:
                status = "imported"
            entries.append(NetworkEntry(info.name, info.title, status))
        self.sidebar.set_networks(entries, current or self.sidebar.current_network())

    def _remember_recent(self, path: str) -> None:
        recent = [p for p in self.settings.recent_files() if p != path]
        self.settings.set_recent_files([path, *recent][:MAX_RECENT])

    # == starting work ============================================================================
    def start(
        self,
        photos: Sequence[str] = (),
        network: str | None = None,
        target: str | None = None,
    ) -> None:
        """First request after launch: the given photos (the first is explained, all go to the
        strip), else the bundled sample; `network` and `target` as on the command line."""
        if network:
            if self.sidebar.entry(network) is None:
                self._extra_networks.append(network)  # any torchvision classifier works
            self.refresh_networks(network)
        sample = sample_photo()
        if photos:
            for path in photos:
                self.strip.add(str(Path(path).resolve()))
            self._open(photos[0], target=target)
        elif sample is not None:
            self._open(str(sample), add_to_recent=False, target=target)
        else:
            self._target = target
            self._submit(self._make_request(photo=None))

    def open_paths(self, paths: list[str]) -> None:
        """Photos from a drop, the Open dialog or the recent list: all go to the strip, the
        first is explained. Files that are plainly not images are reported and skipped."""
        accepted: list[str] = []
        skipped: list[tuple[str, str]] = []  # name, why
        for path in paths:
            p = Path(path)
            if p.is_file() and (p.suffix.lower() in imaging.IMAGE_SUFFIXES or file_thumbnail(path)):
                accepted.append(str(p.resolve()))
            else:
                skipped.append((p.name or str(p), _why_not_opened(p)))
        for path in accepted:
            self.strip.add(path)
        if skipped:
            if len(skipped) == 1:
                what = "{}: {}".format(*skipped[0])
            else:
                what = ", ".join(f"{name} ({why})" for name, why in skipped[:3]) + (
                    f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
                )
            text = f"Could not open {what}."
            if not accepted:
                text += " The current photo stays."
            self.show_error(text, level="warning")
        if accepted:
            self._open(accepted[0])

    def _open(self, path: str, add_to_recent: bool = True, target: int | str | None = None) -> None:
        source = PhotoSource(label=Path(path).name, path=str(Path(path).resolve()))
        if add_to_recent:
            self.strip.add(source.path or path)
        self._target = target
        self._submit(self._make_request(photo=source, target=target))

    def open_photo_array(self, pixels: np.ndarray, label: str = "Pasted image") -> None:
        """Explain a photo given as (H, W, 3) uint8 pixels (pasted from the clipboard)."""
        self._paste_serial += 1
        key = f"{PASTE_PREFIX}{self._paste_serial}"
        self._pasted[key] = pixels
        source = PhotoSource(
            label=f"{label} {self._paste_serial}", pixels=pixels, serial=self._paste_serial
        )
        self.strip.add(key, array_thumbnail(pixels), source.label)
        self._target = None
        self._submit(self._make_request(photo=source))

    def _make_request(self, photo: object = _KEEP, target: object = _KEEP) -> Request:
        """A request for what the window shows, with the given photo or class changed."""
        network = self.sidebar.current_network() or DEFAULT_NETWORK
        imported = self.settings.imported_weights(network)
        weights_file, labels_file = imported if imported is not None else (None, None)
        if self._network is not None and self._network.name == network:
            layer = self.sidebar.current_layer()
        else:
            layer = self.settings.layer(network)
        return Request(
            photo=self._photo if photo is _KEEP else photo,  # type: ignore[arg-type]
            network=network,
            weights_file=weights_file,
            labels_file=labels_file,
            layer=layer,
            target=self._target if target is _KEEP else target,  # type: ignore[arg-type]
            options=self.sidebar.advanced.options(),
            render=self._render_settings(),
        )

    def _render_settings(self) -> dict[str, object]:
        return self.canvas.render_settings()

    def _submit(self, request: Request) -> None:
        self._request = request
        self._run_job(explain_job(self.session, request))

    def _run_job(self, job: object) -> None:
        self.canvas.banner.hide()
        self._progress_label = ("Score-CAM", "maps")
        self.progress.busy("Starting…")
        self.runner.submit(job)  # type: ignore[arg-type]
        self._update_actions()

    @Slot(tuple, bool)
    def run_compare(self, methods: tuple[str, ...], measure: bool) -> None:
        """Explain the shown photo and class with other methods (Compare tab)."""
        if self._shown is not None and methods:
            self._show_scorecam_map()
            self.compare.clear()
            self._run_job(compare_job(self.session, self._shown, methods, measure))

    # == user choices =============================================================================
    @Slot()
    def explain_again(self) -> None:
        if self._photo is not None:
            self._submit(self._make_request())

    @Slot(int)
    def explain_class(self, index: int) -> None:
        if self._photo is None:
            return
        self._target = index
        self.prediction.set_target(index)
        self._submit(self._make_request(target=index))

    @Slot(str)
    def _network_chosen(self, name: str) -> None:
        self._target = None
        self._submit(self._make_request(target=None))

    @Slot(str)
    def _layer_chosen(self, layer: str) -> None:
        self.settings.set_layer(self.sidebar.current_network(), layer)
        if self._photo is not None:
            self._submit(self._make_request())

    @Slot()
    def _options_changed(self) -> None:
        self.settings.set_options(self.sidebar.advanced.options())
        if self._photo is not None:
            self._submit(self._make_request())

    @Slot(str)
    def _photo_chosen(self, key: str) -> None:
        if key.startswith(PASTE_PREFIX):
            pixels = self._pasted.get(key)
            if pixels is None:
                return
            serial = int(key[len(PASTE_PREFIX) :])
            source = PhotoSource(label=f"Pasted image {serial}", pixels=pixels, serial=serial)
            self._target = None
            self._submit(self._make_request(photo=source, target=None))
        else:
            self._open(key, add_to_recent=False)

    @Slot(int)
    def _show_channel(self, channel: int) -> None:
        self.tabs.setCurrentWidget(self.feature_maps)
        self.feature_maps.show_channel(channel)

    @Slot()
    def cancel(self) -> None:
        if self.runner.current_job:
            self.runner.cancel()
            self.progress.idle()
            self._restore_network_choice()
            self.show_status("Cancelled. Press F5 or Explain to run again.")
            self.jobCancelled.emit()
            self._update_actions()

    # == job events ===============================================================================
    @Slot(int, object)
    def _job_progressed(self, _job_id: int, event: object) -> None:
        if isinstance(event, (Stage, Download, Progress)):
            self._show_progress(event)
        elif isinstance(event, PhotoReady):
            self._photo_ready(event)
        elif isinstance(event, NetworkReady):
            self._network_ready(event)
        elif isinstance(event, Classified):
            self._classified(event)

    def _show_progress(self, event: object) -> None:
        if isinstance(event, Stage):
            self._progress_label = (event.label or "Score-CAM", event.unit)
            self.progress.busy(event.text)
        elif isinstance(event, Download):
            self.progress.bytes(describe_download(event), event.done, event.total)
        elif isinstance(event, Progress):
            label, unit = self._progress_label
            self.progress.maps(event.done, event.total, event.rate, event.eta, label, unit)

    def _photo_ready(self, event: PhotoReady) -> None:
        key = self._photo_key(event.source)
        if (
            self._photo is not None
            and self._photo.key == event.source.key
            and self.canvas.has_photo()
        ):
            return
        self._photo = event.source
        self._shown = None
        self.canvas.set_photo(event.photo)
        self.canvas.heading.setText(event.source.label)
        self.canvas.subheading.setText("Looking at the photo…")
        self.prediction.clear()
        self.feature_maps.clear()
        self.montage.clear()
        self.compare.clear()
        self.weights_plot.clear()
        self.strip.add(key, array_thumbnail(event.photo), event.source.label)
        self.strip.set_current(key)
        if event.source.path is not None and Path(event.source.path) != sample_photo():
            self._remember_recent(event.source.path)
            self.settings.set_folder("open", str(Path(event.source.path).parent))
        height, width = event.photo.shape[:2]
        self.sidebar.set_photo_caption(f"{event.source.label}\n{width} × {height} pixels")
        self.setWindowTitle(f"{event.source.label} — {APP_TITLE}")
        self._update_actions()

    def _network_ready(self, event: NetworkReady) -> None:
        if self._is_pending_import(event.name, event.weights_file):
            self._import_undo = None  # the imported weights loaded: keep them
        known = self._network
        if (
            known is not None
            and (known.name, known.weights_file) == (event.name, event.weights_file)
            and known.layers == event.layers
        ):
            return
        changed = known is not None and known.name != event.name
        self._network = event
        self.sidebar.select_network(event.name)
        self.sidebar.set_layers(
            event.layers, event.default_layer, self._request.layer if self._request else None
        )
        self.prediction.set_categories(event.categories)
        self.settings.set_network(event.name)
        self.refresh_networks(event.name)
        if changed:
            self._shown = None
            self.canvas.clear_saliency()
            self.prediction.clear()
            self.feature_maps.clear()
            self.montage.clear()
            self.weights_plot.clear()

    def _classified(self, event: Classified) -> None:
        target = self._target if isinstance(self._target, int) else None
        shown = (
            next((p for p in event.top5 if p.index == target), None)
            if target is not None
            else event.top5[0]
        )
        self.prediction.set_predictions(event.top5, shown)
        self.device_label.setText(f"{event.device} · {event.precision}")
        if self._shown is None and event.top5:
            best = event.top5[0]
            self.canvas.heading.setText(f"{best.name}  {percent(best.probability)}")
            self.canvas.subheading.setText("Running Score-CAM…")

    @Slot(int, object)
    def _job_finished(self, _job_id: int, outcome: object) -> None:
        self.progress.idle()
        if isinstance(outcome, Explanation):
            self._show_explanation(outcome)
        elif isinstance(outcome, Comparison) and outcome.explanation is self._shown:
            self.compare.show_comparison(outcome)
            self.show_status(f"Compared {len(outcome.maps)} methods.")
            self.comparisonShown.emit()
        self._update_actions()

    def _show_explanation(self, explanation: Explanation) -> None:
        """The map and prediction now; the panels below in later event-loop turns, so that no
        single turn paints everything (the event loop then never stalls for long)."""
        result = explanation.result
        request = explanation.request
        self._shown = explanation
        self._compared_on_canvas = None
        overlay = explanation.overlay if request.render == self._render_settings() else None
        self.canvas.set_saliency(result.saliency, overlay)
        target = result.target
        self.canvas.heading.setText(f"{target.name}  {percent(target.probability)}")
        self.canvas.subheading.setText(self._subheading(explanation))
        self.prediction.set_predictions(result.top5, target)
        self.sidebar.select_layer(result.layer)
        self.device_label.setText(f"{result.device} · {result.precision}")
        self.show_status(
            f"Explained “{target.name}” in {result.timings.total:.1f} s "
            f"({result.maps_evaluated} masked inputs)."
        )
        self._update_actions()
        QTimer.singleShot(0, lambda: self._show_feature_maps(explanation))

    def _subheading(self, explanation: Explanation) -> str:
        result = explanation.result
        network_title = self._network.title if self._network else explanation.request.network
        return (
            f"What makes {network_title} see “{result.target.name}”: Score-CAM on layer "
            f"{result.layer} ({result.maps_total} maps), {result.weighting} weighting, "
            f"{result.fill} fill · {result.timings.total:.1f} s"
        )

    @Slot(int)
    def _show_compared_map(self, index: int) -> None:
        """A Compare tile's map on the canvas; clicking that tile again, or Score-CAM's, goes
        back to the explanation's own map."""
        shown = self._shown
        entries = self.compare.view.entries()
        if shown is None or not 0 <= index < len(entries):
            return
        entry = entries[index]
        if index == self._compared_on_canvas or entry.saliency is shown.result.saliency:
            self._show_scorecam_map()
            return
        self._compared_on_canvas = index
        self.compare.view.set_selected(index)
        self.canvas.set_saliency(entry.saliency)
        self.canvas.subheading.setText(
            f"{entry.label} map of “{shown.result.target.name}”, from the Compare tab · click "
            "its tile again to go back to Score-CAM"
        )
        self.show_status(f"Showing the {entry.label} map. Export still saves Score-CAM's.")

    def _show_scorecam_map(self) -> None:
        if self._compared_on_canvas is None or self._shown is None:
            return
        self._compared_on_canvas = None
        self.compare.view.set_selected(None)
        self.canvas.set_saliency(self._shown.result.saliency)
        self.canvas.subheading.setText(self._subheading(self._shown))
        self.show_status("Showing the Score-CAM map again.")

    def _show_feature_maps(self, explanation: Explanation) -> None:
        if self._shown is not explanation:
            return  # a newer explanation took its place
        result = explanation.result
        kind = score_kind(result.weighting)
        self.feature_maps.set_maps(result.activations, result.weights, result.scores, kind)
        QTimer.singleShot(0, lambda: self._show_the_rest(explanation))

    def _show_the_rest(self, explanation: Explanation) -> None:
        if self._shown is not explanation:
            return
        result = explanation.result
        kind = score_kind(result.weighting)
        self.montage.set_tiles(list(explanation.top_tiles), list(explanation.random_tiles), kind)
        self.weights_plot.set_weights(result.weights, result.maps_evaluated)
        if self.compare.view.entries():
            self.compare.clear()  # it compared the previous explanation
        self.explanationShown.emit()

    @Slot(int, object)
    def _job_failed(self, _job_id: int, error: object) -> None:
        self.progress.idle()
        assert isinstance(error, JobError)
        request = self._request
        if issubclass(error.error_type, imaging.ImageLoadError):
            # The photo could not be read: take it out of the strip, keep what is on screen.
            if request is not None and request.photo is not None and request.photo.path:
                self.strip.remove(request.photo.path)
            if self._photo is not None:
                self.strip.set_current(self._photo_key(self._photo))
            text = f"Could not open {error.message}. The current photo stays."
        elif issubclass(error.error_type, WeightsError):
            text = error.message
        else:
            text = f"{error.message}"
        undo = self._import_undo
        if (
            undo is not None
            and request
            and self._is_pending_import(request.network, request.weights_file)
        ):
            # The imported file did not load: forget it, so the weights that worked stay in use.
            self._import_undo = None
            self.settings.set_imported_weights(undo[0], *(undo[2] or (None, None)))
            self.refresh_networks()
        self._restore_network_choice()
        self.show_error(text)
        self.jobFailed.emit(text)
        self._update_actions()

    @Slot(bool)
    def _busy_changed(self, busy: bool) -> None:
        if not busy:
            self.progress.idle()
        self._update_actions()

    def _is_pending_import(self, network: str, weights_file: str | None) -> bool:
        return self._import_undo is not None and self._import_undo[:2] == (network, weights_file)

    def _restore_network_choice(self) -> None:
        """After a failed or cancelled network switch, show the network that is loaded."""
        if self._network is not None and self.sidebar.current_network() != self._network.name:
            self.sidebar.select_network(self._network.name)

    @staticmethod
    def _photo_key(source: PhotoSource) -> str:
        return source.path if source.path is not None else f"{PASTE_PREFIX}{source.serial}"

    # == messages =================================================================================
    def show_status(self, text: str) -> None:
        self.status_label.setText(text)

    def show_error(self, text: str, level: str = "error") -> None:
        log.info("message to user: %s", text)
        self.canvas.banner.show_message(text, level)
        self.status_label.setText(text)

    def status_text(self) -> str:
        return self.status_label.text()

    # == clipboard, files =========================================================================
    @Slot()
    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None and mime.hasUrls():
            paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
            if paths:
                self.open_paths(paths)
                return
        image = QGuiApplication.clipboard().image()
        if image.isNull():
            self.show_error("The clipboard holds no image.", level="warning")
            return
        self.open_photo_array(qimage_to_rgb(image))

    @Slot()
    def copy_overlay(self) -> None:
        picture = self.canvas.overlay()
        if picture is None or self.canvas.photo_only.isChecked():
            picture = self.canvas.photo()
        if picture is None:
            return
        QGuiApplication.clipboard().setImage(rgb_to_qimage(picture))
        self.show_status("Copied the picture to the clipboard.")

    @Slot()
    def open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Open photos", self.settings.folder("open"), image_file_filter()
        )
        if paths:
            self.open_paths(paths)

    def export_data(self) -> ExportData | None:
        shown = self._shown
        overlay = self.canvas.overlay()
        if shown is None or overlay is None:
            return None
        if self._compared_on_canvas is not None:  # the files are Score-CAM's, and so is this
            overlay = render_overlay(shown.photo, shown.result.saliency, **self._render_settings())
        height, width = shown.photo.shape[:2]
        return ExportData(
            result=shown.result,
            overlay=overlay,
            photo_label=shown.request.photo.label if shown.request.photo else "photo",
            photo_path=shown.request.photo.path if shown.request.photo else None,
            photo_size=(width, height),
            network=shown.request.network,
            network_title=self._network.title if self._network else shown.request.network,
            weights_source=self._network.weights_source if self._network else "",
            score_kind=score_kind(shown.result.weighting),
            rendering={
                "mode": self.canvas.mode(),
                "colormap": self.canvas.colour_map_name(),
                "opacity": self.canvas.opacity_value(),
            },
        )

    @Slot()
    def export_dialog(self) -> None:
        data = self.export_data()
        if data is None:
            return
        folder = self.settings.folder("export") or self.settings.folder("open") or str(Path.home())
        dialog = ExportDialog(data, folder, self)
        if dialog.exec() and dialog.written:
            first = next(iter(dialog.written.values()))
            self.settings.set_folder("export", str(first.parent))
            self.show_status(f"Exported {len(dialog.written)} files to {first.parent}.")

    @Slot()
    def import_weights(self) -> None:
        entries = [NetworkEntry(i.name, i.title, "") for i in list_networks()]
        dialog = ImportWeightsDialog(
            entries, self.sidebar.current_network(), self.settings.folder("weights"), self
        )
        if not dialog.exec():
            return
        network, weights, labels = dialog.choice()
        self._import_undo = (network, weights, self.settings.imported_weights(network))
        self.settings.set_imported_weights(network, weights, labels)
        self.settings.set_folder("weights", str(Path(weights).parent))
        self.refresh_networks(network)
        self._target = None
        self._submit(self._make_request(target=None))

    @Slot()
    def forget_weights(self) -> None:
        network = self.sidebar.current_network()
        self.settings.set_imported_weights(network, None, None)
        self.refresh_networks(network)
        self._update_actions()
        self._submit(self._make_request(target=None))

    # == help =====================================================================================
    @Slot()
    def show_help(self) -> None:
        QMessageBox.information(
            self,
            "How to read the map",
            "Score-CAM shows which parts of the photo make the network choose a class.\n\n"
            "The layer you pick has many feature maps. Each map is laid over the photo as a mask "
            "(the Masked inputs tab) and the network scores the masked photo: a map that keeps "
            "what matters for the class scores high. The heat map is the sum of the maps, each "
            "weighted by its score.\n\n"
            "Red and yellow: the network relies on this region for the class. Blue or dark: it "
            "does not. Click another class on the right to see what speaks for it.",
        )

    @Slot()
    def show_about(self) -> None:
        AboutDialog(self).exec()

    @Slot()
    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file().parent)))

    # == drag and drop ============================================================================
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() or mime.hasImage():
            event.acceptProposedAction()
            self.show_status("Drop to explain.")
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.show_status("")
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)
        elif mime.hasImage():
            event.acceptProposedAction()
            image = QImage(mime.imageData())
            if not image.isNull():
                self.open_photo_array(qimage_to_rgb(image), "Dropped image")
        elif mime.hasUrls():
            event.acceptProposedAction()
            self.show_error("Only files on this computer can be dropped here.", level="warning")
        else:
            event.ignore()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._splitters_restored:
            # First start: about 62 % of the height for the photo, whatever the screen.
            self._splitters_restored = True
            total = sum(self.main_splitter.sizes())
            if total > 0:
                top = round(total * 0.62)
                self.main_splitter.setSizes([top, total - top])

    # == shutting down ============================================================================
    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop the worker (the running job is cancelled within a batch); idempotent."""
        if self._closing:
            return not self.runner._thread.isRunning()
        self._closing = True
        return self.runner.shutdown(timeout_ms)

    def closeEvent(self, event: QCloseEvent) -> None:
        try:
            self.save_settings()
        except Exception:  # settings must never keep the window from closing
            log.exception("could not save settings")
        self.shutdown()
        event.accept()
        super().closeEvent(event)


def window_image(window: QMainWindow) -> QImage:
    """The whole window as a picture (works offscreen and under Xvfb)."""
    QApplication.processEvents()
    return window.grab().toImage()
