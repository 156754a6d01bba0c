"""The main window's side of teaching (issue 37): opening the teach window (File menu, or folders
dropped on the window), putting a taught network in the network list, choosing it, and removing
a taught network (File › Remove Taught Network…)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMainWindow, QMessageBox

from ...app.teach import taughtnets
from ...engine.models.catalog import DEFAULT_NETWORK
from .. import screenfit
from ..dialogs.teach import TeachDialog
from .controller import RequestController
from .layout import Panels
from .networks import NetworkChoice
from .settings import Settings


class Teaching(QObject):
    """The teach window of a main window (one, opened on demand) and the taught networks'
    entries in its network list."""

    def __init__(
        self,
        window: QMainWindow,
        panels: Panels,
        settings: Settings,
        networks: NetworkChoice,
        controller: RequestController,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.panels = panels
        self.settings = settings
        self.networks = networks
        self.controller = controller
        self.dialog: TeachDialog | None = None

    def show(self, folders: Sequence[str] = ()) -> TeachDialog:
        """Open (or raise) the teach window, with `folders` in it if given."""
        if self.dialog is None:
            self.dialog = TeachDialog(
                self.networks.teachable(),
                device=self.panels.sidebar.advanced.options().device,
                folder=self.settings.folder("teach"),
                parent=self.window,
            )
            self.dialog.taught.connect(self._taught)
            self.dialog.useRequested.connect(self.choose)
            # Room for the result beside the main window's middle; screenfit cuts it to a
            # small screen.
            self.dialog.resize(*screenfit.first_size(self.dialog, (1060, 720)))
            centre = self.window.geometry().center()
            self.dialog.move(
                centre.x() - self.dialog.width() // 2, centre.y() - self.dialog.height() // 2
            )
        if folders:
            self.dialog.set_folders(folders)
            self.settings.set_folder("teach", str(folders[0]))
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    @Slot(str)
    def _taught(self, row: str) -> None:
        current = self.panels.sidebar.current_network()
        self.networks.refresh(current)
        if current == row:  # taught again under the same name: explain with the new weights
            self.controller.submit(self.controller.make_request(target=None))

    @Slot(str)
    def choose(self, row: str) -> None:
        """Explain the shown photo with the taught network `row`."""
        self.networks.refresh(row)
        self.window.raise_()
        self.window.activateWindow()
        self.controller.submit(self.controller.make_request(target=None))

    def can_remove(self) -> bool:
        return taughtnets.is_taught(self.panels.sidebar.current_network())

    @Slot()
    def remove_current(self, ask: bool = True) -> bool:
        """Remove the taught network chosen in the list (after asking); the bundled network
        takes its place."""
        row = self.panels.sidebar.current_network()
        taught = taughtnets.find(row)
        if taught is None:
            return False
        if ask:
            answer = QMessageBox.question(
                self.window,
                self.tr("Remove taught network"),
                self.tr(
                    "Remove the taught network '{name}' from this computer? The photos it was "
                    "taught from are not touched."
                ).format(name=taught.name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        taughtnets.remove(row)
        self.settings.set_layer(row, None)
        self.networks.refresh(DEFAULT_NETWORK)
        self.controller.submit(self.controller.make_request(target=None))
        return True

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        return self.dialog.shutdown(timeout_ms) if self.dialog is not None else True
