"""The window's actions (shortcuts), menus and the dialogs they open."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
)

from ...app import plainwords
from ...app.jobs import score_kind
from ...app.overlays import render_overlay
from ...engine import imaging
from ..dialogs import modelfile
from ..dialogs.about import APP_NAME, AboutDialog
from ..dialogs.importweights import ImportWeightsDialog
from ..panels.sidebar import NetworkEntry
from ..qimage import rgb_to_qimage
from .base import WindowBase
from .errors import log_file
from .export import ExportData, ExportDialog

log = logging.getLogger(__name__)
APP_TITLE = APP_NAME


def image_file_filter() -> str:
    patterns = " ".join(f"*{suffix}" for suffix in imaging.IMAGE_SUFFIXES)
    return f"Images ({patterns});;All files (*)"


class WindowActions(WindowBase):
    """MainWindow's actions and menus, enabled for what the window shows; the dialogs behind
    them (open, export, import weights, help). A mixin: MainWindow holds the state."""

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
        self.open_action = action(
            "&Open Photos…", self.open_dialog, QKeySequence(keys.Open), "Open photos (Ctrl+O)"
        )
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
        self.folder_action = action(
            "Explain a &Folder…",
            self.show_folder_view,
            "Ctrl+Shift+O",
            "Explain every photo of a folder, in a gallery",
        )
        self.import_action = action("&Import Weights…", self.import_weights)
        self.forget_action = action("&Forget Imported Weights", self.forget_weights)
        self.open_model_action = action(
            "Open &Model File…", self.open_model_file, tip="Explain with an ONNX model file"
        )
        self.quit_action = action("&Quit", self.close, QKeySequence(keys.Quit))
        self.explain_action = action(
            "&Explain", self.explain_again, "F5", "Make the map again with the current choices"
        )
        self.explain_action.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+Return")])
        self.cancel_action = action("&Cancel", self.cancel, "Esc", "Stop the running job (Esc)")
        self.previous_action = action("&Previous Photo", self.strip.step_previous, "Alt+Left")
        self.next_action = action("&Next Photo", self.strip.step_next, "Alt+Right")
        self.photo_only_action = action("&Hide Map", self.canvas.photo_only.toggle, "H")
        self.photo_only_action.setCheckable(True)
        self.canvas.photo_only.toggled.connect(self.photo_only_action.setChecked)
        self.fit_action = action("&Fit Photo", self.canvas.view.fit, "Ctrl+0")
        self.matlab_action = action(
            "&Grey Photo (MATLAB's Look)", self.canvas.matlab_button.click, "Ctrl+1"
        )
        self.blend_action = action("&Colour Photo", self.canvas.blend_button.click, "Ctrl+2")
        self.details_action = action("Show &Details Below", self.show_details, "F8")
        self.details_action.setCheckable(True)
        self.details_action.setChecked(True)
        self.reset_layout_action = action("&Reset Layout", self.reset_layout)
        group = QActionGroup(self)
        for act in (self.matlab_action, self.blend_action):
            act.setCheckable(True)
            group.addAction(act)
        self.help_action = action(
            "&How to Read the Map", self.show_help, QKeySequence(keys.HelpContents)
        )
        self.about_action = action(f"&About {APP_TITLE}", self.show_about)
        self.log_action = action("Open &Log Folder", self.open_log_folder)

    def show_folder_view(self) -> None:
        """The Folder view (gui/folderview.py): a gallery of a whole folder's explanations."""
        from ..folder.view import show_folder_view

        show_folder_view(self)

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.paste_action)
        file_menu.addAction(self.folder_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.forget_action)
        file_menu.addAction(self.open_model_action)
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
        view_menu.addAction(self.details_action)
        view_menu.addAction(self.reset_layout_action)
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
        can_explain = self._photo is not None and self._network_usable()
        self.explain_action.setEnabled(can_explain)
        self.sidebar.explain_button.setEnabled(can_explain)
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
        entries = [NetworkEntry(name, title, "") for name, title, _ in self._network_rows]
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
    def open_model_file(self) -> None:
        """Ask for a model file, add it to the network selector and explain with it; the
        worker loads it, and a file that does not open leaves a message and the list as it was."""
        path = modelfile.ask_model_file(self, self.settings)
        if path is None:
            return
        modelfile.remember(self.settings, path)
        self.refresh_networks(path)
        self._target = None
        self._submit(self._make_request(target=None))

    @Slot()
    def forget_weights(self) -> None:
        network = self.sidebar.current_network()
        self.settings.set_imported_weights(network, None, None)
        self.refresh_networks(network)
        self._update_actions()
        self._submit(self._make_request(target=None))

    @Slot()
    def show_help(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("How to read the map")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(plainwords.HELP_HTML)
        box.exec()

    @Slot()
    def show_about(self) -> None:
        AboutDialog(self).exec()

    @Slot()
    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file().parent)))
