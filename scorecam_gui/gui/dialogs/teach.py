"""File › Teach It Your Own Classes… (issue 37): the folders of photos, a name and the network
to teach; the teaching runs in a worker thread of this window's own (app/teach/teachjob.py) with
progress and Cancel, and the result (teachresult.py) shows how it did and what it looks at.
The taught network then stands in the main window's network list (app/teach/taughtnets.py)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...app.teach import taughtnets
from ...app.teach.teachjob import TeachOutcome, TeachRequest, TeachStep, teach_job
from ...app.translation import QT_TRANSLATE_NOOP, translate
from ...engine.imaging import IMAGE_SUFFIXES
from ..widgets import caption, plain_tip
from ..worker import JobError, JobRunner
from .teachresult import AccuracyView, ShortcutView

STAGE_WORDS = {
    "load": QT_TRANSLATE_NOOP("TeachDialog", "Getting ready…"),
    "features": QT_TRANSLATE_NOOP("TeachDialog", "Reading the photos: {done} of {total}"),
    "fit": QT_TRANSLATE_NOOP("TeachDialog", "Learning the classes…"),
    "check": QT_TRANSLATE_NOOP("TeachDialog", "Checking what it looks at: photo {done} of {total}"),
    "save": QT_TRANSLATE_NOOP("TeachDialog", "Keeping the taught network…"),
}


def class_folders(folders: Sequence[str]) -> list[tuple[str, int]]:
    """The classes the folders give, with a rough count of their photos (by file name; the
    engine's checks, which look inside the files, decide when teaching starts)."""
    if len(folders) == 1:
        root = Path(folders[0])
        try:
            subs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        except OSError:
            return []
    else:
        subs = [Path(f) for f in folders]
    found = []
    for sub in subs:
        count = 0
        for _dir, _dirs, files in os.walk(sub):
            count += sum(1 for f in files if Path(f).suffix.lower() in IMAGE_SUFFIXES)
        found.append((sub.name, count))
    return found


def are_class_folders(paths: Sequence[str]) -> bool:
    """Whether dropped paths look like teaching material: several folders, or one folder with
    at least two sub-folders."""
    if not paths or not all(Path(p).is_dir() for p in paths):
        return False
    return len(paths) > 1 or len(class_folders(paths)) >= 2


class TeachDialog(QDialog):
    """Teach a network your own classes, then see what it learnt."""

    taught = Signal(str)  # the selector row of a network just taught ("taught:NAME")
    useRequested = Signal(str)  # "Explain With It": choose that row in the main window

    def __init__(
        self,
        networks: Sequence[tuple[str, str]],
        device: str = "cpu",
        folder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Teach It Your Own Classes"))
        self.setMinimumSize(720, 520)
        self.setAcceptDrops(True)
        self._device = device
        self._folder = folder
        self.outcome: TeachOutcome | None = None
        self.runner = JobRunner("scorecam-teach", self)
        self.runner.progressed.connect(self._progressed)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.cancelled.connect(self._cancelled)
        self.runner.busyChanged.connect(self._update_buttons)  # a cancelled job ends later
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Teach it your own classes, then see what it learnt"))
        heading.setObjectName("Heading")
        layout.addWidget(heading)
        self.intro = intro = caption(
            self.tr(
                "Put the photos of each class in a folder of its own, named after the class "
                "(or choose one folder that holds them). The network stays as it is and learns "
                "your classes on top; a quarter of the photos is kept back to test it. Then "
                "Score-CAM shows what it looks at."
            )
        )
        layout.addWidget(intro)
        layout.addLayout(self._form(networks))
        layout.addLayout(self._run_row())
        self.message = caption(name="Warning")
        self.message.setObjectName("TeachMessage")
        self.message.hide()
        layout.addWidget(self.message)
        self.tabs = QTabWidget()
        self.tabs.hide()
        layout.addWidget(self.tabs, 1)
        self.placeholder = caption(
            self.tr(
                "The result appears here: how many test photos it got right, the ones it got "
                "wrong, and where it looks in each class."
            ),
            name="Hint",
        )
        layout.addWidget(self.placeholder, 1, Qt.AlignmentFlag.AlignTop)
        self._update_buttons()

    # -- the inputs ---------------------------------------------------------------------------
    def _form(self, networks: Sequence[tuple[str, str]]) -> QFormLayout:
        self.folders = QListWidget()
        self.folders.setObjectName("TeachFolders")
        self.folders.setMaximumHeight(56)
        self.folders.setToolTip(
            self.tr(
                "One folder with a sub-folder per class, or several folders, one per class. You "
                "can also drop folders here."
            )
        )
        add = QPushButton(self.tr("Add Folder…"))
        add.clicked.connect(self.choose_folder)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self._remove_folder)
        buttons = QVBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        folders_row = QHBoxLayout()
        folders_row.addWidget(self.folders, 1)
        folders_row.addLayout(buttons)
        self.classes = caption(name="Hint")
        photos = QVBoxLayout()
        photos.addLayout(folders_row)
        photos.addWidget(self.classes)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. my birds"))
        self.name.setMaxLength(taughtnets.MAX_NAME)
        self.name.textChanged.connect(self._update_buttons)
        self.name_note = caption(name="Hint")
        self.network = QComboBox()
        for name, title in networks:
            self.network.addItem(title, name)
        self.network.setToolTip(
            self.tr(
                "The network whose features are used. The bundled EfficientNet-Lite0 works "
                "offline; others are listed when their weights are on this computer."
            )
        )
        self.check = QCheckBox(self.tr("Then check what it looks at (about a second a photo)"))
        self.check.setChecked(True)
        self.check.setToolTip(
            self.tr(
                "The shortcut check: explain every test photo with Score-CAM and warn when a "
                "class's maps keep pointing at the same corner or edge."
            )
        )
        form = QFormLayout()
        form.addRow(self.tr("Photos"), photos)
        name_box = QVBoxLayout()
        name_box.setSpacing(2)
        name_box.addWidget(self.name)
        name_box.addWidget(self.name_note)
        form.addRow(self.tr("Name"), name_box)
        form.addRow(self.tr("Network"), self.network)
        form.addRow("", self.check)
        return form

    def _run_row(self) -> QHBoxLayout:
        self.progress = QProgressBar()
        self.progress.setObjectName("TeachProgress")
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("Caption")
        self.teach_button = QPushButton(self.tr("Teach"))
        self.teach_button.setObjectName("Primary")
        self.teach_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.use_button = QPushButton(self.tr("Explain With It"))
        self.use_button.setToolTip(self.tr("Choose the taught network in the main window"))
        self.use_button.clicked.connect(self._use)
        self.use_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.progress, 2)
        row.addWidget(self.status, 3)
        row.addWidget(self.use_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.teach_button)
        return row

    def folder_paths(self) -> list[str]:
        return [self.folders.item(i).text() for i in range(self.folders.count())]

    def set_folders(self, paths: Sequence[str]) -> None:
        """Put `paths` in the list (the folders of a drop, say), replacing what was there."""
        self.folders.clear()
        self.add_folders(paths)

    def add_folders(self, paths: Sequence[str]) -> None:
        known = set(self.folder_paths())
        for path in paths:
            resolved = str(Path(path).resolve())
            if Path(resolved).is_dir() and resolved not in known:
                self.folders.addItem(resolved)
                known.add(resolved)
        if not self.name.text().strip() and self.folders.count():
            first = Path(self.folder_paths()[0])
            self.name.setText(first.name if self.folders.count() == 1 else first.parent.name)
        self._folders_changed()

    @Slot()
    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, self.tr("A folder of photos"), self._folder or str(Path.home())
        )
        if path:
            self._folder = str(Path(path).parent)
            self.add_folders([path])

    @Slot()
    def _remove_folder(self) -> None:
        for item in self.folders.selectedItems() or [self.folders.currentItem()]:
            if item is not None:
                self.folders.takeItem(self.folders.row(item))
        self._folders_changed()

    def _folders_changed(self) -> None:
        found = class_folders(self.folder_paths())
        if not self.folder_paths():
            self.classes.setText("")
        elif len(found) < 2:
            self.classes.setText(
                self.tr("Teaching needs at least 2 classes: add a folder per class.")
            )
        else:
            self.classes.setText(
                self.tr("{count} classes: {list}").format(
                    count=len(found),
                    list=self.tr(", ").join(
                        self.tr("{name} ({photos} photos)").format(name=n, photos=c)
                        for n, c in found
                    ),
                )
            )
        self._update_buttons()

    @Slot()
    def _update_buttons(self) -> None:
        busy = self.runner.is_busy()
        name = self.name.text().strip()
        problem = taughtnets.name_problem(name) if name else None
        if problem is not None:
            self.name_note.setText(self.tr('A name without / \\ : * ? " < > | please.'))
        elif name and taughtnets.find(taughtnets.row_name(name)) is not None:
            self.name_note.setText(
                self.tr("A taught network of this name exists: teaching replaces it.")
            )
        else:
            self.name_note.setText(self.tr("The name it gets in the network list."))
        ready = bool(self.folder_paths()) and bool(name) and problem is None
        self.teach_button.setEnabled(ready and not busy)
        self.cancel_button.setEnabled(busy)
        self.remove_button.setEnabled(self.folders.count() > 0 and not busy)

    # -- the work -------------------------------------------------------------------------------
    def request(self) -> TeachRequest:
        return TeachRequest(
            folders=tuple(self.folder_paths()),
            name=self.name.text().strip(),
            network=str(self.network.currentData()),
            device=self._device,
            check=self.check.isChecked(),
        )

    @Slot()
    def start(self) -> None:
        if not self.teach_button.isEnabled():
            return
        self.message.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(translate("TeachDialog", STAGE_WORDS["load"]))
        self.runner.submit(teach_job(self.request()))
        self._update_buttons()

    @Slot()
    def cancel(self) -> None:
        self.runner.cancel()

    @Slot(int, object)
    def _progressed(self, _job: int, step: object) -> None:
        if not isinstance(step, TeachStep):
            return
        if step.total and step.stage in ("features", "check"):
            self.progress.setRange(0, step.total)
            self.progress.setValue(step.done)
        else:
            self.progress.setRange(0, 0)
        words = translate("TeachDialog", STAGE_WORDS.get(step.stage, step.stage))
        self.status.setText(words.format(done=step.done, total=step.total))

    def _stopped(self) -> None:
        self.progress.hide()
        self._update_buttons()

    @Slot(int, object)
    def _finished(self, _job: int, outcome: object) -> None:
        self._stopped()
        if not isinstance(outcome, TeachOutcome):
            return
        self.outcome = outcome
        self.status.setText(
            self.tr("Taught '{name}': it is in the network list.").format(name=outcome.taught.name)
        )
        self.show_outcome(outcome)
        self.taught.emit(outcome.taught.row)

    @Slot(int, object)
    def _failed(self, _job: int, error: object) -> None:
        self._stopped()
        self.status.setText(self.tr("Not taught."))
        message = error.message if isinstance(error, JobError) else str(error)
        line = " ".join(message.split())
        self.message.setText(line)
        self.message.setToolTip(plain_tip(message))
        self.message.show()

    @Slot(int)
    def _cancelled(self, _job: int) -> None:
        self._stopped()
        self.status.setText(self.tr("Cancelled: nothing was kept."))

    def show_outcome(self, outcome: TeachOutcome) -> None:
        self.placeholder.hide()
        self.intro.hide()  # read by now: the room goes to the result (a 768-pixel screen)
        self.tabs.clear()
        self.accuracy_view = AccuracyView(outcome)
        self.shortcut_view = ShortcutView(outcome)
        self.tabs.addTab(self.accuracy_view, self.tr("Result"))
        flagged = any(look.flagged for look in outcome.looks)
        self.tabs.addTab(
            self.shortcut_view,
            self.tr("Shortcut Check (!)") if flagged else self.tr("Shortcut Check"),
        )
        self.tabs.show()
        self.use_button.show()

    @Slot()
    def _use(self) -> None:
        if self.outcome is not None:
            self.useRequested.emit(self.outcome.taught.row)

    # -- drops and closing ------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        folders = [p for p in paths if Path(p).is_dir()]
        if folders:
            event.acceptProposedAction()
            self.add_folders(folders)

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop the teaching (nothing is kept) and the worker thread."""
        return self.runner.shutdown(timeout_ms)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.runner.cancel()
        super().closeEvent(event)
