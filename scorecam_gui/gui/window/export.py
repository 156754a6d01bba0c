"""Export: overlay PNG at full resolution, the map (.npy), per-map weights (.csv), a JSON summary.

Every file goes through the engine's atomic writers: each is written whole or not at all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...app.translation import QT_TRANSLATE_NOOP, translate
from ...engine.atomicio import ExportError, save_csv, save_npy, save_png, save_text
from ..widgets import caption, plain_tip

if TYPE_CHECKING:
    from ...engine.methods.base import MethodResult

KINDS = ("overlay", "figure", "map", "weights", "summary")
SUFFIXES = {
    "figure": "_figure.png",
    "overlay": "_overlay.png",
    "map": "_map.npy",
    "weights": "_weights.csv",
    "summary": "_summary.json",
}
# The check boxes' texts, marked for the catalogue and translated where the dialog shows them.
LABELS = {
    "figure": QT_TRANSLATE_NOOP(
        "ExportDialog",
        "One figure to share: the picture, the class, the colour bar, the network (PNG)",
    ),
    "overlay": QT_TRANSLATE_NOOP(
        "ExportDialog", "The picture as shown (PNG, at the photo's full size)"
    ),
    "map": QT_TRANSLATE_NOOP(
        "ExportDialog", "The heat map's values, 0 to 1 (NumPy .npy, for Python)"
    ),
    "weights": QT_TRANSLATE_NOOP(
        "ExportDialog", "How much each feature map counts (CSV, for spreadsheets)"
    ),
    "summary": QT_TRANSLATE_NOOP(
        "ExportDialog", "A summary: network, class, settings, time (JSON)"
    ),
}

__all__ = ["ExportData", "ExportDialog", "ExportError", "export_files", "summary", "target_paths"]


@dataclass(frozen=True)
class ExportData:
    """One finished explanation, as shown."""

    result: MethodResult
    overlay: np.ndarray  # (H, W, 3) uint8 at the photo's resolution
    photo_label: str
    photo_path: str | None
    photo_size: tuple[int, int]  # width, height
    network: str
    network_title: str
    weights_source: str
    score_kind: str
    rendering: dict[str, Any] = field(default_factory=dict)


def safe_stem(text: str) -> str:
    stem = re.sub(r"[^\w.-]+", "_", Path(text).stem).strip("._") or "scorecam"
    return stem[:80]


def target_paths(folder: str | Path, stem: str, kinds: tuple[str, ...] = KINDS) -> dict[str, Path]:
    return {kind: Path(folder) / f"{stem}{SUFFIXES[kind]}" for kind in kinds}


def summary(data: ExportData, files: dict[str, Path] | None = None) -> dict[str, Any]:
    """The JSON summary: the explanation's record (engine/record.py, docs/record.md: the fields
    `scorecam explain --json` and a folder's manifest spell the same way), then what only the
    window knows: the photo's size, the network's title, the weights, the rendering, the files."""
    from ...app.records import window_record

    record = window_record(data.result, data.photo_path or data.photo_label, data.network)
    return record.to_json(
        {
            "app": "Score-CAM Studio",
            "photo_size": list(data.photo_size),
            "model_title": data.network_title,
            "weights": data.weights_source,
            "score": data.score_kind,  # the weights CSV's score column: logit or probability
            "rendering": data.rendering,
            "files": {kind: path.name for kind, path in (files or {}).items()},
        }
    )


def export_files(
    data: ExportData, folder: str | Path, stem: str, kinds: tuple[str, ...] = KINDS
) -> dict[str, Path]:
    """Write the chosen files; raises ExportError (one line naming the file) on failure."""
    paths = target_paths(folder, stem, kinds)
    r = data.result
    if "overlay" in paths:
        save_png(paths["overlay"], data.overlay, "overlay")
    if "figure" in paths:
        from ...app.enginewords import figure_words
        from ...engine.figure import figure_for_result

        colormap = str(data.rendering.get("colormap", "jet"))
        colormap = "jet" if colormap == "matlab" else colormap  # the MATLAB picture's colours
        words = figure_words()  # in the window's language (app/enginewords.py)
        figure = figure_for_result(data.overlay, r, data.network_title, colormap, words)
        save_png(paths["figure"], figure, "figure")
    if "map" in paths:
        save_npy(paths["map"], r.saliency)
    if "weights" in paths:
        weights, scores = r.weights, r.scores
        assert weights is not None and scores is not None  # offered for Score-CAM maps only
        rows = (
            (k, f"{float(weights[k]):.9g}", f"{float(scores[k]):.9g}") for k in range(len(weights))
        )
        save_csv(paths["weights"], ("map", "weight", data.score_kind), rows)
    if "summary" in paths:
        text = json.dumps(summary(data, paths), indent=2, ensure_ascii=False) + "\n"
        save_text(paths["summary"], text)
    return paths


class ExportDialog(QDialog):
    """Pick a folder, a base name and which files; overwriting asks first."""

    def __init__(self, data: ExportData, folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export explanation"))
        self.setMinimumWidth(520)
        self._data = data
        self.written: dict[str, Path] = {}
        self.folder = QLineEdit(folder)
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.stem = QLineEdit(
            safe_stem(f"{data.photo_label}_{data.result.target.name}_{data.network}")
        )
        self.checks: dict[str, QCheckBox] = {}
        form = QFormLayout()
        form.addRow(self.tr("Folder"), folder_row)
        form.addRow(self.tr("File names start with"), self.stem)
        boxes = QVBoxLayout()
        for kind in KINDS:
            box = QCheckBox(translate("ExportDialog", LABELS[kind]))
            box.setChecked(True)
            self.checks[kind] = box
            boxes.addWidget(box)
        form.addRow(self.tr("Files"), boxes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        # Full width: a wrapping caption given only its own width is cut mid-sentence.
        layout.addWidget(
            caption(
                self.tr(
                    "Each file is written completely or not at all: a failed export never "
                    "leaves half a file behind."
                ),
                name="Hint",
            )
        )
        layout.addWidget(buttons)

    def chosen(self) -> tuple[str, ...]:
        return tuple(kind for kind in KINDS if self.checks[kind].isChecked())

    @Slot()
    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Export to folder"), self.folder.text()
        )
        if folder:
            self.folder.setText(folder)

    @Slot()
    def save(self) -> None:
        kinds = self.chosen()
        folder, stem = self.folder.text().strip(), safe_stem(self.stem.text())
        if not kinds or not folder:
            return
        paths = target_paths(folder, stem, kinds)
        existing = [p.name for p in paths.values() if p.exists()]
        if existing:
            answer = QMessageBox.question(
                self,
                self.tr("Replace files?"),
                self.tr("These files exist already:\n{files}\n\nReplace them?").format(
                    files="\n".join(existing)
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            self.written = export_files(self._data, folder, stem, kinds)
        except ExportError as exc:
            # The engine's message (English, naming the file) under a line in the window's
            # language; plain text, as every file name the window shows.
            QMessageBox.warning(
                self,
                self.tr("Export failed"),
                plain_tip(self.tr("The files could not be written: {error}").format(error=exc)),
            )
            return
        self.accept()
