"""The window's actions (shortcuts), menus and the dialogs they open."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
)

from ...app import plainwords
from ...app.jobs import score_kind
from ...app.overlays import render_overlay
from ...app.translation import LANGUAGES, QT_TRANSLATE_NOOP, translate
from ...engine import imaging
from .. import i18n
from ..dialogs import modelfile
from ..dialogs.about import APP_NAME, AboutDialog
from ..dialogs.importweights import ImportWeightsDialog
from ..panels.sidebar import NetworkEntry
from ..qimage import rgb_to_qimage
from ..widgets import plain_tip
from ..worker import JobRunner
from .controller import RequestController
from .dropping import DropAndPaste
from .errors import log_file
from .export import ExportData, ExportDialog
from .layout import Panels
from .networks import NetworkChoice
from .settings import Settings
from .state import WindowState
from .teaching import Teaching

log = logging.getLogger(__name__)
APP_TITLE = APP_NAME
CONTEXT = "WindowActions"  # the catalogue's context for the menus and their actions


def image_file_filter() -> str:
    patterns = " ".join(f"*{suffix}" for suffix in imaging.IMAGE_SUFFIXES)
    return translate("WindowActions", "Images ({patterns});;All files (*)").format(
        patterns=patterns
    )


class WindowActions(QObject):
    """The window's actions and menus, enabled for what the window shows, and the dialogs behind
    them (open, export, import weights, help)."""

    def __init__(
        self,
        window: QMainWindow,
        panels: Panels,
        state: WindowState,
        settings: Settings,
        runner: JobRunner,
        networks: NetworkChoice,
        controller: RequestController,
        drops: DropAndPaste,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.panels = panels
        self.state = state
        self.settings = settings
        self.runner = runner
        self.networks = networks
        self.controller = controller
        self.drops = drops
        self.teaching = Teaching(window, panels, settings, networks, controller)
        drops.foldersDropped.connect(self.teaching.show)
        self._create_actions()
        self._create_menus()
        panels.detailsFolded.connect(self.details_action.setChecked)
        panels.canvas.helpRequested.connect(self.show_help)
        panels.canvas.settingsChanged.connect(self.update_actions)
        panels.sidebar.importClicked.connect(self.import_weights)
        controller.importRequested.connect(self.import_weights)

    def _new_action(
        self, text: str, slot: object, shortcut: QKeySequence | str | None = None, tip: str = ""
    ) -> QAction:
        """An action whose (marked, English) text and tip _retranslate_actions sets."""
        act = QAction(self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        self._action_texts.append((act, text, tip))
        act.triggered.connect(slot)
        self.window.addAction(act)  # shortcuts work with the menu bar hidden, too
        return act

    def _create_actions(self) -> None:
        # Texts are marked here and set by _retranslate_actions, again on every language change.
        self._action_texts: list[tuple[QAction, str, str]] = []
        self._create_file_actions()
        self._create_view_actions()
        self._create_language_actions()
        self._retranslate_actions()

    def _create_file_actions(self) -> None:
        action = self._new_action
        keys = QKeySequence.StandardKey
        self.open_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Open Photos…"),
            self.open_dialog,
            QKeySequence(keys.Open),
            QT_TRANSLATE_NOOP("WindowActions", "Open photos (Ctrl+O)"),
        )
        self.paste_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Paste Photo"),
            self.drops.paste,
            QKeySequence(keys.Paste),
            QT_TRANSLATE_NOOP("WindowActions", "Explain the image on the clipboard"),
        )
        self.copy_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Copy Overlay"),
            self.copy_overlay,
            QKeySequence(keys.Copy),
            QT_TRANSLATE_NOOP("WindowActions", "Copy the picture as shown"),
        )
        self.export_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Export…"), self.export_dialog, "Ctrl+E"
        )
        self.folder_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "Explain a &Folder…"),
            self.show_folder_view,
            "Ctrl+Shift+O",
            QT_TRANSLATE_NOOP("WindowActions", "Explain every photo of a folder, in a gallery"),
        )
        self.import_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Import Weights…"), self.import_weights
        )
        self.forget_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Forget Imported Weights"), self.forget_weights
        )
        self.teach_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Teach It Your Own Classes…"),
            lambda: self.teaching.show(),
            tip=QT_TRANSLATE_NOOP(
                "WindowActions", "Teach a network your classes from folders of photos"
            ),
        )
        self.remove_taught_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "Remo&ve Taught Network…"),
            lambda: self.teaching.remove_current(),
        )
        self.open_model_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "Open &Model File…"),
            self.open_model_file,
            tip=QT_TRANSLATE_NOOP("WindowActions", "Explain with an ONNX model file"),
        )
        self.quit_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Quit"), self.window.close, QKeySequence(keys.Quit)
        )

    def _create_view_actions(self) -> None:
        action = self._new_action
        keys = QKeySequence.StandardKey
        self.explain_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Explain"),
            self.controller.explain_again,
            "F5",
            QT_TRANSLATE_NOOP("WindowActions", "Make the map again with the current choices"),
        )
        self.explain_action.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+Return")])
        self.cancel_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Cancel"),
            self.controller.cancel,
            "Esc",
            QT_TRANSLATE_NOOP("WindowActions", "Stop the running job (Esc)"),
        )
        self.previous_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Previous Photo"),
            self.panels.strip.step_previous,
            "Alt+Left",
        )
        self.next_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Next Photo"),
            self.panels.strip.step_next,
            "Alt+Right",
        )
        self.photo_only_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Hide Map"),
            self.panels.canvas.photo_only.toggle,
            "H",
        )
        self.photo_only_action.setCheckable(True)
        self.panels.canvas.photo_only.toggled.connect(self.photo_only_action.setChecked)
        self.fit_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Fit Photo"), self.panels.canvas.view.fit, "Ctrl+0"
        )
        self.matlab_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Grey Photo (MATLAB's Look)"),
            self.panels.canvas.matlab_button.click,
            "Ctrl+1",
        )
        self.blend_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Colour Photo"),
            self.panels.canvas.blend_button.click,
            "Ctrl+2",
        )
        self.details_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "Show &Details Below"),
            self.panels.show_details,
            "F8",
        )
        self.details_action.setCheckable(True)
        self.details_action.setChecked(True)
        self.reset_layout_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&Reset Layout"), self.panels.reset_layout
        )
        group = QActionGroup(self)
        for act in (self.matlab_action, self.blend_action):
            act.setCheckable(True)
            group.addAction(act)
        self.help_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&How to Read the Map"),
            self.show_help,
            QKeySequence(keys.HelpContents),
        )
        self.about_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "&About {app}"), self.show_about
        )
        self.log_action = action(
            QT_TRANSLATE_NOOP("WindowActions", "Open &Log Folder"), self.open_log_folder
        )

    def _create_language_actions(self) -> None:
        """View › Language: each language in its own words, whatever the window's language."""
        self.language_actions: dict[str, QAction] = {}
        language_group = QActionGroup(self)
        for code, name in LANGUAGES.items():
            act = QAction(name, self)
            act.setCheckable(True)
            act.setChecked(code == i18n.current_language())
            act.triggered.connect(lambda _checked=False, c=code: self.switch_language(c))
            language_group.addAction(act)
            self.language_actions[code] = act

    def _retranslate_actions(self) -> None:
        for act, text, tip in self._action_texts:
            act.setText(translate(CONTEXT, text).format(app=APP_TITLE))
            act.setStatusTip(translate(CONTEXT, tip) if tip else "")
            act.setToolTip(translate(CONTEXT, tip) if tip else "")
        for menu, text in getattr(self, "_menu_texts", []):
            menu.setTitle(translate(CONTEXT, text))

    @Slot()
    def switch_language(self, language: str) -> None:
        """View › Language: the menus, the panels that set their texts in one place and Qt's own
        buttons change now; the status bar says that the rest follows at the next start."""
        if language == i18n.current_language() and i18n.unavailable() is None:
            return
        i18n.switch(language, self.settings.q)
        for code, act in self.language_actions.items():
            act.setChecked(code == i18n.current_language())
        self.show_language_notice()
        problem = i18n.unavailable()
        if problem is not None:  # still English: say why, not "now English"
            self.panels.show_status(problem.detail)
            return
        self.panels.show_status(
            self.tr(
                "The window's language is now {language}; some texts change when Score-CAM "
                "Studio next starts."
            ).format(language=LANGUAGES[i18n.current_language()])
        )

    def show_language_notice(self) -> None:
        """The status bar's notice of a language asked for and not available (i18n.unavailable),
        or none."""
        problem = i18n.unavailable()
        if problem is None:
            self.panels.show_language_notice(None)
        else:
            self.panels.show_language_notice(problem.short, problem.detail)

    def show_folder_view(self) -> None:
        """The Folder view (gui/folderview.py): a gallery of a whole folder's explanations."""
        from ..folder.view import show_folder_view

        show_folder_view(self.window)

    def _menu(self, parent: QMenuBar | QMenu, text: str) -> QMenu:
        menu = parent.addMenu(translate(CONTEXT, text))
        self._menu_texts.append((menu, text))
        return menu

    def _create_menus(self) -> None:
        self._menu_texts: list[tuple[QMenu, str]] = []
        bar = self.window.menuBar()
        file_menu = self._menu(bar, QT_TRANSLATE_NOOP("WindowActions", "&File"))
        file_menu.addAction(self.open_action)
        self.recent_menu = self._menu(file_menu, QT_TRANSLATE_NOOP("WindowActions", "Open &Recent"))
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
        file_menu.addAction(self.teach_action)
        file_menu.addAction(self.remove_taught_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self._menu(bar, QT_TRANSLATE_NOOP("WindowActions", "&Edit"))
        edit_menu.addAction(self.copy_action)
        edit_menu.addAction(self.paste_action)
        view_menu = self._menu(bar, QT_TRANSLATE_NOOP("WindowActions", "&View"))
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
        view_menu.addSeparator()
        language_menu = self._menu(view_menu, QT_TRANSLATE_NOOP("WindowActions", "&Language"))
        for act in self.language_actions.values():
            language_menu.addAction(act)
        run_menu = self._menu(bar, QT_TRANSLATE_NOOP("WindowActions", "&Run"))
        run_menu.addAction(self.explain_action)
        run_menu.addAction(self.cancel_action)
        help_menu = self._menu(bar, QT_TRANSLATE_NOOP("WindowActions", "&Help"))
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.log_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        i18n.watch_language(self.window, self._retranslate_actions)

    @Slot()
    def update_actions(self) -> None:
        shown = self.state.shown is not None
        busy = self.runner.is_busy() and self.runner.current_job != 0
        self.copy_action.setEnabled(self.panels.canvas.has_photo())
        self.export_action.setEnabled(shown)
        can_explain = self.state.photo is not None and self.networks.usable()
        self.explain_action.setEnabled(can_explain)
        self.panels.sidebar.explain_button.setEnabled(can_explain)
        self.cancel_action.setEnabled(busy)
        self.photo_only_action.setEnabled(shown)
        self.fit_action.setEnabled(self.panels.canvas.has_photo())
        self.matlab_action.setChecked(self.panels.canvas.mode() == "matlab")
        self.blend_action.setChecked(self.panels.canvas.mode() == "blend")
        self.matlab_action.setEnabled(shown)
        self.blend_action.setEnabled(shown)
        network = self.panels.sidebar.current_network()
        self.forget_action.setEnabled(self.settings.imported_weights(network) is not None)
        self.remove_taught_action.setEnabled(self.teaching.can_remove())
        self.panels.compare.set_available(shown and not busy)
        self.previous_action.setEnabled(self.panels.strip.previous_button.isEnabled())
        self.next_action.setEnabled(self.panels.strip.next_button.isEnabled())

    @Slot()
    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        for path in recent:
            act = self.recent_menu.addAction(Path(path).name)
            act.setToolTip(plain_tip(path))
            act.triggered.connect(lambda _checked=False, p=path: self.controller.open_paths([p]))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(
                self.tr("Clear List"), lambda: self.settings.set_recent_files([])
            )
        else:
            self.recent_menu.addAction(self.tr("No recent photos")).setEnabled(False)

    @Slot()
    def copy_overlay(self) -> None:
        picture = self.panels.canvas.overlay()
        if picture is None or self.panels.canvas.photo_only.isChecked():
            picture = self.panels.canvas.photo()
        if picture is None:
            return
        QGuiApplication.clipboard().setImage(rgb_to_qimage(picture))
        self.panels.show_status(self.tr("Copied the picture to the clipboard."))

    @Slot()
    def open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self.window, self.tr("Open photos"), self.settings.folder("open"), image_file_filter()
        )
        if paths:
            self.controller.open_paths(paths)

    def export_data(self) -> ExportData | None:
        shown = self.state.shown
        overlay = self.panels.canvas.overlay()
        if shown is None or overlay is None:
            return None
        if self.state.compared_on_canvas is not None:  # the files are Score-CAM's, and so is this
            overlay = render_overlay(
                shown.photo, shown.result.saliency, **self.panels.canvas.render_settings()
            )
        height, width = shown.photo.shape[:2]
        return ExportData(
            result=shown.result,
            overlay=overlay,
            photo_label=shown.request.photo.label if shown.request.photo else "photo",
            photo_path=shown.request.photo.path if shown.request.photo else None,
            photo_size=(width, height),
            network=shown.request.network,
            network_title=self.state.network.title if self.state.network else shown.request.network,
            weights_source=self.state.network.weights_source if self.state.network else "",
            score_kind=score_kind(shown.result.weighting),
            rendering={
                "mode": self.panels.canvas.mode(),
                "colormap": self.panels.canvas.colour_map_name(),
                "opacity": self.panels.canvas.opacity_value(),
            },
        )

    @Slot()
    def export_dialog(self) -> None:
        data = self.export_data()
        if data is None:
            return
        folder = self.settings.folder("export") or self.settings.folder("open") or str(Path.home())
        dialog = ExportDialog(data, folder, self.window)
        if dialog.exec() and dialog.written:
            first = next(iter(dialog.written.values()))
            self.settings.set_folder("export", str(first.parent))
            self.panels.show_status(
                self.tr("Exported {count} files to {folder}.").format(
                    count=len(dialog.written), folder=first.parent
                )
            )

    @Slot()
    def import_weights(self) -> None:
        entries = [NetworkEntry(name, title, "") for name, title, _ in self.state.network_rows]
        dialog = ImportWeightsDialog(
            entries,
            self.panels.sidebar.current_network(),
            self.settings.folder("weights"),
            self.window,
        )
        if not dialog.exec():
            return
        network, weights, labels = dialog.choice()
        self.state.import_undo = (network, weights, self.settings.imported_weights(network))
        self.settings.set_imported_weights(network, weights, labels)
        self.settings.set_folder("weights", str(Path(weights).parent))
        self.networks.refresh(network)
        self.controller.submit(self.controller.make_request(target=None))

    @Slot()
    def open_model_file(self) -> None:
        """Ask for a model file, add it to the network selector and explain with it; the
        worker loads it, and a file that does not open leaves a message and the list as it was."""
        path = modelfile.ask_model_file(self.window, self.settings)
        if path is None:
            return
        modelfile.remember(self.settings, path)
        self.networks.refresh(path)
        self.controller.submit(self.controller.make_request(target=None))

    @Slot()
    def forget_weights(self) -> None:
        network = self.panels.sidebar.current_network()
        self.settings.set_imported_weights(network, None, None)
        self.networks.refresh(network)
        self.update_actions()
        self.controller.submit(self.controller.make_request(target=None))

    @Slot()
    def show_help(self) -> None:
        box = QMessageBox(self.window)
        box.setWindowTitle(self.tr("How to read the map"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(translate("PlainWords", plainwords.HELP_HTML))
        box.exec()

    @Slot()
    def show_about(self) -> None:
        AboutDialog(self.window).exec()

    @Slot()
    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file().parent)))
