"""Import weights: use a weights file the user has, for one of the known architectures."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...app.translation import QT_TRANSLATE_NOOP, translate
from ..panels.sidebar import NetworkEntry
from ..widgets import caption

WEIGHTS_FILTER = QT_TRANSLATE_NOOP(
    "ImportWeightsDialog", "PyTorch weights (*.pth *.pt *.bin *.ckpt);;All files (*)"
)
LABELS_FILTER = QT_TRANSLATE_NOOP(
    "ImportWeightsDialog", "Class names, one per line (*.txt *.json);;All files (*)"
)


class ImportWeightsDialog(QDialog):
    """Network, weights file and (optionally) a class-names file."""

    def __init__(
        self,
        networks: Sequence[NetworkEntry],
        current: str,
        folder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import weights"))
        self.setMinimumWidth(520)
        self._folder = folder
        self.network = QComboBox()
        for entry in networks:
            self.network.addItem(entry.title, entry.name)
        self.network.setCurrentIndex(max(0, self.network.findData(current)))
        self.weights = QLineEdit()
        self.weights.setPlaceholderText(
            self.tr("the network's weights file, e.g. resnet18-f37072fd.pth")
        )
        self.labels = QLineEdit()
        self.labels.setPlaceholderText(
            self.tr("optional: ImageNet names are used for 1000 classes")
        )
        form = QFormLayout()
        form.addRow(self.tr("Architecture"), self.network)
        form.addRow(self.tr("Weights file"), self._row(self.weights, self._browse_weights))
        form.addRow(self.tr("Class names"), self._row(self.labels, self._browse_labels))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.weights.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addWidget(
            caption(
                self.tr(
                    "Weights are read safely (tensors only, no code). A file with another number "
                    "of classes works too, for example a fine-tuned network."
                ),
                name="Hint",
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update_ok()

    def _row(self, edit: QLineEdit, browse: object) -> QHBoxLayout:
        row = QHBoxLayout()
        button = QPushButton(self.tr("Choose…"))
        button.clicked.connect(browse)
        row.addWidget(edit, 1)
        row.addWidget(button)
        return row

    def choice(self) -> tuple[str, str, str | None]:
        """Network name, weights file and labels file (None if not given)."""
        labels = self.labels.text().strip() or None
        return str(self.network.currentData()), self.weights.text().strip(), labels

    @Slot()
    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.weights.text().strip()))

    @Slot()
    def _browse_weights(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Weights file"),
            self._folder,
            translate("ImportWeightsDialog", WEIGHTS_FILTER),
        )
        if path:
            self.weights.setText(path)

    @Slot()
    def _browse_labels(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Class names"),
            self._folder,
            translate("ImportWeightsDialog", LABELS_FILTER),
        )
        if path:
            self.labels.setText(path)
