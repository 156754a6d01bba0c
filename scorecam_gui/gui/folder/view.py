"""The Folder view: drop a folder (or many photos) and watch a gallery of explanations fill.

The work is the command line's: engine/folders runs the batch in the worker thread (gui/worker's
JobRunner), writes a manifest in the app's data folder (so a cancelled or interrupted batch
resumes where it stopped), and hands each finished photo over as a GalleryItem (numpy arrays
and plain data). This module only shows them: sorting, the "unsure" filter, exports.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Generator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from scorecam_gui.app.options import Options
from scorecam_gui.app.resultcache import ResultCache, result_key
from scorecam_gui.app.teach import taughtnets
from scorecam_gui.app.translation import QT_TRANSLATE_NOOP, translate
from scorecam_gui.engine.folders.batch import Job
from scorecam_gui.engine.folders.gallery import GalleryItem, ReportWords
from scorecam_gui.gui import i18n
from scorecam_gui.gui.qimage import rgb_to_qimage
from scorecam_gui.gui.widgets import plain_tip
from scorecam_gui.gui.worker import JobControl, JobError, JobRunner

# The sort choices; the box's data is the first word here, its text translated.
SORTS = (
    QT_TRANSLATE_NOOP("FolderView", "Order found"),
    QT_TRANSLATE_NOOP("FolderView", "Class"),
    QT_TRANSLATE_NOOP("FolderView", "Confidence"),
)


def report_words() -> ReportWords:
    """The HTML report's fixed words in the window's language (the engine writes them)."""
    return ReportWords(
        language=i18n.current_language(),
        unsure=translate("FolderReport", "unsure"),
        percent=translate("FolderReport", "{value} %"),
        summary=translate(
            "FolderReport",
            "{photos} photos, {unsure} where the network is unsure (top class below "
            "{below} or the first two within {points} points), {failed} failed. "
            "Left: the photo; right: the Score-CAM map over it (red: what the class depends on "
            "most). Made {when} by Score-CAM Studio {version}.",
        ),
    )


@dataclass(frozen=True)
class BatchStarted:
    total: int
    ignored: int
    problems: list[tuple[str, str]]


@dataclass(frozen=True)
class BatchProgress:
    done: int  # photos finished (explained, failed or already in the manifest)
    total: int
    maps_done: int
    maps_total: int


def manifest_for(folder: Path, paths: list[str], job: Job) -> Path:
    """The Folder view's own manifest for these paths and settings: the same drop resumes."""
    key = json.dumps([sorted(paths), asdict(job)], sort_keys=True)
    return folder / f"batch-{hashlib.sha256(key.encode()).hexdigest()[:16]}.parquet"


def folder_job(
    job: Job, paths: list[str], manifest: Path, results: ResultCache | None = None
) -> Callable[[JobControl], Generator[object, None, int]]:
    """A worker job: the batch, as events the view shows (BatchStarted, BatchProgress,
    GalleryItem); returns the number of photos finished. Each result also goes to `results`
    (the main window's), so that opening a tile shows its map without computing it."""

    def run(_control: JobControl) -> Generator[object, None, int]:
        from scorecam_gui.engine.folders import manifest as mf
        from scorecam_gui.engine.folders.batch import (
            MapsProgress,
            PhotoDone,
            PhotoSkipped,
            open_job,
            run_local,
        )
        from scorecam_gui.engine.folders.gallery import gallery_item
        from scorecam_gui.engine.folders.paths import expand_paths

        expansion = expand_paths(paths, recursive=True)
        photos = expansion.photos
        ignored = expansion.ignored + expansion.outputs  # the tool's own outputs too
        yield BatchStarted(len(photos), ignored, expansion.problems)
        opened = open_job(job)
        writer = mf.ManifestWriter(manifest)  # locked: one run at a time
        try:
            finished = mf.finished_keys(manifest)
        except BaseException:
            writer.close()
            raise
        earlier = {}
        if finished:  # rows a previous run wrote: shown again without computing them
            for row in mf.read_manifest(manifest).to_pylist():
                earlier[row["path"]] = row
        done = 0
        events = run_local(opened, photos, writer, finished, keep_photos=True)
        try:
            for event in events:
                if isinstance(event, MapsProgress):
                    p = event.progress
                    yield BatchProgress(done, len(photos), p.done, p.total)
                    continue
                done += 1
                if isinstance(event, PhotoDone):
                    item = gallery_item(event.row, event.photo)
                    if results is not None and event.result is not None:
                        keep_result(results, job, event.row, event.result)
                elif isinstance(event, PhotoSkipped) and event.path in earlier:
                    item = gallery_item(earlier[event.path])
                else:
                    continue  # the same photo under another name: its row is elsewhere
                yield item
                yield BatchProgress(done, len(photos), 0, 0)
        finally:  # also when cancelled: the reader stops, the finished rows reach the disk
            events.close()
            writer.finish()
            if writer.rows_written and not writer.failed:
                from scorecam_gui.engine.folders.csvtable import write_csv

                write_csv(manifest)  # beside it, for spreadsheets
        return done

    return run


def keep_result(results: ResultCache, job: Job, row: dict[str, Any], result: Any) -> None:
    """A batch's result under the key the main window asks with (same photo content, network
    and options), when the batch computed it as the window would (no approximation)."""
    if job.approximate is not None or job.time_budget is not None or result.stopped:
        return
    if result.method != f"scorecam-{job.weighting}":  # the main view shows Score-CAM's maps
        return
    if job.center_crop or job.input_options is not None or not row.get("sha256"):
        return
    options = Options(job.weighting, job.fill, job.batch_size, job.device, job.precision)
    key = result_key(row["sha256"], job.model, job.weights, job.labels, result.layer, None, options)
    results.put(key, result)


class FolderView(QWidget):
    """The gallery of a batch; `openRequested(path)` asks the main view to show a photo."""

    openRequested = Signal(str)

    def __init__(
        self,
        manifest_folder: Path,
        job: Callable[[], Job] = Job,
        parent: QWidget | None = None,
        results: ResultCache | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Folder"))
        self.results = results
        self.setAcceptDrops(True)
        self.manifest_folder = manifest_folder
        self._job = job
        self.items: list[GalleryItem] = []
        self.paths: list[str] = []
        self.manifest: Path | None = None
        self._started_job: Job | None = None  # the settings the shown photos were explained with
        self.runner = JobRunner("scorecam-folder", self)
        self.runner.progressed.connect(self._progressed)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.busyChanged.connect(self._update_buttons)
        self._build()
        self._update_buttons()

    def _build(self) -> None:
        self.add_button = QPushButton(self.tr("Add Folder…"))
        self.add_button.clicked.connect(self.choose_folder)
        self.resume_button = QPushButton(self.tr("Resume"))
        self.resume_button.setToolTip(self.tr("Go on with the photos not explained yet"))
        self.resume_button.clicked.connect(self.resume)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.sort_box = QComboBox()
        for sort in SORTS:
            self.sort_box.addItem(translate("FolderView", sort), sort)
        self.sort_box.currentIndexChanged.connect(self._refill)
        self.unsure_box = QCheckBox(self.tr("Only where the network is unsure"))
        self.unsure_box.setToolTip(
            self.tr("The top class below 50 %, or the first two within 10 points")
        )
        self.unsure_box.toggled.connect(self._refill)
        self.export_manifest_button = QPushButton(self.tr("Export Manifest…"))
        self.export_manifest_button.clicked.connect(self.export_manifest_dialog)
        self.export_html_button = QPushButton(self.tr("Export Report…"))
        self.export_html_button.clicked.connect(self.export_html_dialog)
        bar = QHBoxLayout()
        for w in (self.add_button, self.resume_button, self.cancel_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("Sort by")))
        for widget in (self.sort_box, self.unsure_box, self.export_manifest_button,
                       self.export_html_button):  # fmt: skip
            bar.addWidget(widget)
        self.gallery = QListWidget()
        self.gallery.setViewMode(QListView.ViewMode.IconMode)
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setMovement(QListView.Movement.Static)
        self.gallery.setIconSize(QSize(256, 128))
        self.gallery.setSpacing(6)
        self.gallery.setWordWrap(True)
        self.gallery.itemActivated.connect(self._activated)
        self.gallery.itemClicked.connect(self._activated)
        self.progress = QProgressBar()
        self.status = QLabel(self.tr("Drop a folder or photos here."))
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # file names and messages, as they are
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.gallery, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)

    # -- running -----------------------------------------------------------------------------
    def start(self, paths: list[str], add: bool = False) -> None:
        """Explain the photos of `paths` (folders with their sub-folders); what an earlier run
        of the same paths and settings finished is shown from its manifest, not recomputed.
        add: keep the photos shown and add these (Add Folder…), in the same manifest."""
        job = self._job()
        if add and self.manifest is not None and job == self._started_job:
            self.paths = list(dict.fromkeys([*self.paths, *paths]))  # the manifest stays
        else:
            self.paths = list(paths)
            self.manifest = manifest_for(self.manifest_folder, self.paths, job)
        self._started_job = job
        self.manifest_folder.mkdir(parents=True, exist_ok=True)
        self.items = []
        self.gallery.clear()
        self.progress.setRange(0, 0)
        self.status.setText(self.tr("Starting…"))
        self.runner.submit(folder_job(job, self.paths, self.manifest, self.results))

    @Slot()
    def resume(self) -> None:
        if self.paths and not self.runner.is_busy():
            self.start(self.paths, add=True)  # the same manifest, also after Add Folder…

    @Slot()
    def cancel(self) -> None:
        if self.runner.current_job:
            self.runner.cancel()
            self.progress.setRange(0, 1)
            self.status.setText(
                self.tr("Cancelled after {count} photos; Resume goes on from there.").format(
                    count=len(self.items)
                )
            )
            self._update_buttons()

    @Slot()
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Explain the photos of a folder"))
        if folder:
            self.start([folder], add=True)  # next to the photos already shown

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        return self.runner.shutdown(timeout_ms)

    def closeEvent(self, event: Any) -> None:
        self.cancel()
        super().closeEvent(event)

    @Slot(int, object)
    def _progressed(self, _job_id: int, event: object) -> None:
        if isinstance(event, BatchStarted):
            self.progress.setRange(0, max(1, event.total))
            self.progress.setValue(0)
            extra = (
                self.tr(", {count} other files ignored").format(count=event.ignored)
                if event.ignored
                else ""
            )
            problems = "; ".join(f"{Path(p).name}: {why}" for p, why in event.problems[:3])
            self.status.setText(
                self.tr("{count} photos{extra}. Loading the network…").format(
                    count=event.total, extra=extra
                )
                + (f" ({problems})" if problems else "")
            )
        elif isinstance(event, BatchProgress):
            self.progress.setRange(0, max(1, event.total))
            self.progress.setValue(event.done)
            maps = (
                self.tr(", maps {done}/{total}").format(
                    done=event.maps_done, total=event.maps_total
                )
                if event.maps_total
                else ""
            )
            self.status.setText(
                self.tr("{done} of {total} photos{maps}").format(
                    done=event.done, total=event.total, maps=maps
                )
            )
        elif isinstance(event, GalleryItem):
            self.items.append(event)
            self._add_item(len(self.items) - 1)

    @Slot(int, object)
    def _finished(self, _job_id: int, done: object) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        failed = sum(item.error is not None for item in self.items)
        unsure = sum(item.unsure for item in self.items)
        self.status.setText(
            self.tr("Done: {count} photos, {unsure} unsure, {failed} failed.").format(
                count=len(self.items), unsure=unsure, failed=failed
            )
        )
        self._update_buttons()

    @Slot(int, object)
    def _failed(self, _job_id: int, error: object) -> None:
        self.progress.setRange(0, 1)
        message = error.message if isinstance(error, JobError) else str(error)
        self.status.setText(self.tr("Stopped: {message}").format(message=message))
        self._update_buttons()

    @Slot()
    def _update_buttons(self, *_args: object) -> None:
        busy = self.runner.current_job != 0
        self.cancel_button.setEnabled(busy)
        self.resume_button.setEnabled(bool(self.paths) and not self.runner.is_busy())
        has_rows = bool(self.items)
        self.export_manifest_button.setEnabled(has_rows and self.manifest is not None)
        self.export_html_button.setEnabled(has_rows)

    # -- the gallery -------------------------------------------------------------------------
    def _visible(self, item: GalleryItem) -> bool:
        return not self.unsure_box.isChecked() or item.unsure

    def _order(self) -> list[int]:
        sort = self.sort_box.currentData()
        indices = [i for i, item in enumerate(self.items) if self._visible(item)]
        if sort == "Class":
            indices.sort(key=lambda i: (self.items[i].target_name or "~", i))
        elif sort == "Confidence":
            indices.sort(key=lambda i: -(self.items[i].target_score or -1))
        return indices

    def _add_item(self, index: int) -> None:
        if self.sort_box.currentData() != SORTS[0]:
            self._refill()
            return
        if self._visible(self.items[index]):
            self.gallery.addItem(self._widget_item(index))

    @Slot()
    def _refill(self, *_args: object) -> None:
        self.gallery.clear()
        for index in self._order():
            self.gallery.addItem(self._widget_item(index))

    def _widget_item(self, index: int) -> QListWidgetItem:
        item = self.items[index]
        if item.error is not None:
            text = f"{Path(item.path).name}\n{item.error}"
        else:
            flag = self.tr(" (unsure)") if item.unsure else ""
            share = i18n.percent(item.target_score or 0, 1)
            text = f"{item.target_name}\n{share}{flag}"
        widget_item = QListWidgetItem(QIcon(QPixmap.fromImage(rgb_to_qimage(item.thumbnail))), text)
        widget_item.setToolTip(plain_tip(item.path))
        widget_item.setData(Qt.ItemDataRole.UserRole, index)
        return widget_item

    def visible_paths(self) -> list[str]:
        """The paths in the gallery as shown (sorted and filtered)."""
        return [
            self.items[self.gallery.item(r).data(Qt.ItemDataRole.UserRole)].path
            for r in range(self.gallery.count())
        ]

    @Slot(QListWidgetItem)
    def _activated(self, widget_item: QListWidgetItem) -> None:
        index = widget_item.data(Qt.ItemDataRole.UserRole)
        self.openRequested.emit(self.items[index].path)

    # -- exports -----------------------------------------------------------------------------
    def export_manifest(self, dest: str) -> int:
        """The gallery's rows as one Parquet file; raises ExportError, ManifestError."""
        from scorecam_gui.engine.folders.gallery import export_manifest

        assert self.manifest is not None
        return export_manifest(self.manifest, dest, [item.path for item in self.items])

    def export_html(self, dest: str) -> None:
        """The gallery as shown (sorted, filtered) as one self-contained HTML file."""
        from scorecam_gui.engine.atomicio import save_text
        from scorecam_gui.engine.folders.gallery import html_report

        shown = [self.items[i] for i in self._order()]
        names = ", ".join(Path(p).name for p in self.paths[:3])
        title = translate("FolderReport", "Score-CAM report: {names}").format(names=names)
        save_text(dest, html_report(shown, title, report_words()))

    @Slot()
    def export_manifest_dialog(self) -> None:
        dest, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the manifest"), "manifest.parquet", "Parquet (*.parquet)"
        )
        if dest:
            self._export(lambda: self.export_manifest(dest), dest)

    @Slot()
    def export_html_dialog(self) -> None:
        dest, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export a report"),
            "scorecam-report.html",
            self.tr("Web page (*.html)"),
        )
        if dest:
            self._export(lambda: self.export_html(dest), dest)

    def _export(self, write: Callable[[], object], dest: str) -> None:
        from scorecam_gui.engine.atomicio import ExportError
        from scorecam_gui.engine.folders.manifest import ManifestError, MissingExtra

        try:
            write()
        except (ExportError, ManifestError, MissingExtra) as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(self.tr("Saved {path}").format(path=dest))

    # -- drops -------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.start(paths)


# -- the main window's hook ------------------------------------------------------------------------
def default_manifest_folder() -> Path:
    """Where the Folder view keeps its manifests (the user's data folder, not the photos')."""
    from platformdirs import user_data_dir

    from scorecam_gui.logs import APP_DIR_NAME

    return Path(user_data_dir(APP_DIR_NAME, appauthor=False)) / "batches"


def job_for_window(window: Any) -> Job:
    """The batch settings the main window shows: network (and imported weights), layer and the
    advanced options."""
    request = window.controller.make_request(photo=None, target=None)
    options = request.options
    return Job.from_settings(
        model=taughtnets.base_network(request.network),  # a taught one: its network + files
        weights=request.weights_file,
        labels=request.labels_file,
        layer=request.layer,
        target=None,  # each photo's predicted class
        center_crop=False,  # the window has no such option
        device=options.device,
        precision=options.precision,
        backend=options.backend,
        batch_size=options.batch_size,
        input_options=None,  # no --input-size/--mean/--std: a model file's own metadata
        weighting=options.weighting,
        fill=options.fill,
    )


def show_folder_view(window: Any, manifest_folder: Path | None = None) -> FolderView:
    """Open (or raise) the main window's Folder view, a window of its own; a click on a photo
    shows it in the main window."""
    view = window.folder_view
    if not isinstance(view, FolderView):
        view = FolderView(
            manifest_folder or default_manifest_folder(),
            lambda: job_for_window(window),
            window,
            results=window.session.results,
        )
        view.setWindowFlag(Qt.WindowType.Window)
        view.resize(900, 650)
        view.openRequested.connect(lambda path: window.controller.open_paths([path]))
        window.folder_view = view
    view.show()
    view.raise_()
    view.activateWindow()
    return view
