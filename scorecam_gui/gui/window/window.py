"""The main window: it builds its parts and wires them together, keeps the window's settings
and shuts the worker down.

The parts, each an object with public methods sharing the one WindowState:
- `panels` (layout.py): the widgets, their layout, messages, folding the panels below;
- `networks` (networks.py): the network selector's list and the weights' states;
- `presenter` (presenter.py): what the JobRunner's events show;
- `controller` (controller.py): the user's choices become Requests and jobs;
- `drops` (dropping.py): drag and drop and paste;
- `menus` (actions.py): the actions, menus and the dialogs behind them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QMainWindow, QWidget

from ...app.jobs import EngineSession, NetworkLoader
from ...engine.models.catalog import DEFAULT_NETWORK
from .. import screenfit
from ..dialogs.about import APP_NAME, app_icon
from ..worker import JobRunner
from .actions import WindowActions, image_file_filter
from .controller import RequestController
from .dropping import DropAndPaste
from .layout import Panels
from .networks import NetworkChoice
from .presenter import Presenter, sample_photo
from .settings import Settings
from .state import WindowState

if TYPE_CHECKING:
    from ..folder.view import FolderView

__all__ = [
    "APP_TITLE",
    "MainWindow",
    "image_file_filter",
    "sample_photo",
]

log = logging.getLogger(__name__)
APP_TITLE = APP_NAME


def first_start_size(window: QWidget) -> tuple[int, int]:
    """1480 x 920, or what the screen has room for (a 1366 x 768 laptop gets the whole width)."""
    return screenfit.first_size(window, (1480, 920))


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
        self.state = WindowState()
        # The Folder view (gui/folder/view.py: show_folder_view), a window of its own, once
        # opened: shut down with this one.
        self.folder_view: FolderView | None = None
        self._closing = False
        self._splitters_restored = False
        self._details_placed = False  # folded or not, once, when the window is first shown

        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(app_icon())
        self.setMinimumSize(1024, 680)
        self.panels = Panels(self)
        # After the widgets: a window that failed to build starts no thread.
        self.runner = JobRunner(parent=self)
        self.networks = NetworkChoice(self.panels.sidebar, self.state, self.settings)
        self.presenter = Presenter(
            self, self.panels, self.state, self.settings, self.networks, self.runner
        )
        self.controller = RequestController(
            self,
            self.panels,
            self.state,
            self.settings,
            self.session,
            self.runner,
            self.networks,
            self.presenter,
        )
        self.drops = DropAndPaste(self, self.panels, self.controller)
        self.menus = WindowActions(
            self,
            self.panels,
            self.state,
            self.settings,
            self.runner,
            self.networks,
            self.controller,
            self.drops,
        )
        self.presenter.explanationShown.connect(self.explanationShown)
        self.presenter.jobFailed.connect(self.jobFailed)
        self.presenter.comparisonShown.connect(self.comparisonShown)
        self.controller.jobCancelled.connect(self.jobCancelled)
        for part in (self.presenter, self.controller):
            part.changed.connect(self.menus.update_actions)
        self._restore_settings()
        self.menus.update_actions()
        self.menus.show_language_notice()  # no Japanese font, say: the log reaches no one

    # == settings =================================================================================
    def _restore_settings(self) -> None:
        s, panels = self.settings, self.panels
        geometry = s.window_state("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*first_start_size(self))
        screenfit.fit_window(self)  # remembered on a larger screen, or at another scale
        state = s.window_state("state")
        if state is not None:
            self.restoreState(state)
        for key, splitter in (
            ("top_splitter", panels.top_splitter),
            ("main_splitter", panels.main_splitter),
        ):
            value = s.window_state(key)
            if value is not None and splitter.restoreState(value):
                self._splitters_restored = True
        panels.sidebar.advanced.set_options(s.options())
        panels.sidebar.advanced_section.set_expanded(s.advanced_open())
        render = s.render()
        panels.canvas.set_mode(str(render["mode"]))
        panels.canvas.set_colour_name(str(render["colormap"]))
        panels.canvas.opacity.setValue(int(render["opacity"]))
        network = s.network(DEFAULT_NETWORK)
        self.networks.refresh(network)
        if panels.sidebar.current_network() != network:
            self.networks.refresh(DEFAULT_NETWORK)
        for path in reversed(s.recent_files()[:8]):
            if Path(path).is_file():
                panels.strip.add(path)

    def save_settings(self) -> None:
        s, panels = self.settings, self.panels
        s.set_window_state("geometry", self.saveGeometry())
        s.set_window_state("state", self.saveState())
        s.set_window_state("top_splitter", panels.top_splitter.saveState())
        s.set_window_state("main_splitter", panels.main_splitter.saveState())
        s.set_details_shown(panels.tabs.is_expanded())
        s.set_options(panels.sidebar.advanced.options())
        canvas = panels.canvas
        s.set_render(canvas.mode(), canvas.colour_name(), canvas.opacity.value())
        s.sync()

    def show_getting_ready(self) -> None:
        """Say so before the first paint, so the first thing on screen explains the wait."""
        text = self.panels.getting_ready_text()
        self.panels.progress.busy(text)
        self.panels.canvas.subheading.setText(text)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._details_placed:
            self._details_placed = True
            self.panels.place_details(self.settings.details_shown(), self._splitters_restored)

    # == shutting down ============================================================================
    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop the worker (the running job is cancelled within a batch); idempotent."""
        if self._closing:
            return not self.runner._thread.isRunning()
        self._closing = True
        if self.folder_view is not None:
            self.folder_view.shutdown(timeout_ms)
        self.menus.teaching.shutdown(timeout_ms)
        return self.runner.shutdown(timeout_ms)

    def closeEvent(self, event: QCloseEvent) -> None:
        try:
            self.save_settings()
        except Exception:  # settings must never keep the window from closing
            log.exception("could not save settings")
        self.shutdown()
        event.accept()
        super().closeEvent(event)
