"""The left column: network and layer selectors, the Explain button and the advanced options."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...app import plainwords
from ...app.options import Options
from ...app.plainwords import (
    BACKEND_CHOICES,
    BACKEND_HELP,
    FILL_HELP,
    FILL_NAMES,
    PRECISION_HELP,
    WEIGHTING_HELP,
    WEIGHTING_NAMES,
    choice_help,
    choice_name,
)
from ...app.translation import QT_TRANSLATE_NOOP, translate
from ...choices import BACKENDS, FILLS, PRECISIONS, WEIGHTINGS
from .. import theme
from ..widgets import (
    CollapsibleSection,
    ElidedComboBox,
    caption,
    plain_tip,
    section_title,
    separator,
)

if TYPE_CHECKING:
    from ...engine.models.types import LayerInfo

# Before torch is loaded nobody knows whether CUDA or MPS is there: the worker reports it
# (jobs.EngineReady) and set_devices() fills in the rest.
DEVICES_BEFORE_ENGINE: tuple[str, ...] = ("auto", "cpu")

STATUS_TEXT = {
    "bundled": QT_TRANSLATE_NOOP("Sidebar", "bundled"),
    "downloaded": QT_TRANSLATE_NOOP("Sidebar", "downloaded"),
    "imported": QT_TRANSLATE_NOOP("Sidebar", "imported"),
    "missing": QT_TRANSLATE_NOOP("Sidebar", "to download"),
    "checking": "…",
    "file": QT_TRANSLATE_NOOP("Sidebar", "model file"),
    "taught": QT_TRANSLATE_NOOP("Sidebar", "taught here"),
}
STATUS_COLOUR = {
    "bundled": theme.OK,
    "downloaded": theme.ACCENT,
    "imported": theme.ACCENT,
    "missing": theme.DISABLED,
    "checking": theme.DISABLED,
    "file": theme.ACCENT,
    "taught": theme.OK,
}
# What the dot beside a network means, said under the selector.
STATUS_HELP = plainwords.STATUS_HELP


@dataclass(frozen=True)
class NetworkEntry:
    name: str
    title: str
    status: str  # bundled, downloaded, imported, missing, file (an opened model file), taught
    # (in the teach window); checking (not known yet)


def _dot(colour: str, hollow: bool = False) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if hollow:
        painter.setPen(QColor(colour))
        painter.setBrush(Qt.BrushStyle.NoBrush)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
    painter.drawEllipse(2, 2, 8, 8)
    painter.end()
    return QIcon(pixmap)


def layer_shape(layer: LayerInfo) -> str:
    return (
        "×".join(str(n) for n in layer.shape)
        if layer.shape
        else translate("Sidebar", "no tensor output")
    )


def layer_text(layer: LayerInfo) -> str:
    return f"{layer.name}   {layer_shape(layer)}"


class AdvancedOptions(QWidget):
    """Weighting, fill, batch size, device, precision and speed engine. Emits changed() on any
    edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The choices in the window's language (the engine's names stay in the item data and in
        # the tooltips: "論文の式(paper)").
        self.weighting = QComboBox()
        for name in WEIGHTINGS:
            self.weighting.addItem(choice_name(WEIGHTING_NAMES, name), name)
            self.weighting.setItemData(
                self.weighting.count() - 1,
                choice_help(WEIGHTING_NAMES, WEIGHTING_HELP, name),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.weighting.setToolTip(
            self.tr("How the per-map scores become weights:")
            + "\n"
            + "\n".join(choice_help(WEIGHTING_NAMES, WEIGHTING_HELP, n) for n in WEIGHTINGS)
        )
        self.fill = QComboBox()
        for name in FILLS:
            self.fill.addItem(choice_name(FILL_NAMES, name), name)
            self.fill.setItemData(
                self.fill.count() - 1,
                choice_help(FILL_NAMES, FILL_HELP, name),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.fill.setToolTip(
            self.tr("What masked-out parts of the photo become:")
            + "\n"
            + "\n".join(choice_help(FILL_NAMES, FILL_HELP, n) for n in FILLS)
        )
        self.batch = QSpinBox()
        self.batch.setRange(0, 1024)
        self.batch.setSpecialValueText(self.tr("auto"))
        self.batch.setToolTip(self.tr("Masked inputs per forward pass (auto: the engine's choice)"))
        self.device = QComboBox()
        for name in DEVICES_BEFORE_ENGINE:
            self.device.addItem(self._shown(name), name)
        self.device.setToolTip(
            self.tr("Where the forward passes run (auto: GPU when there is one)")
        )
        self.precision = QComboBox()
        for name in PRECISIONS:
            self.precision.addItem(self._shown(name), name)
            self.precision.setItemData(
                self.precision.count() - 1,
                translate("PlainWords", PRECISION_HELP[name]),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.precision.setToolTip(
            self.tr(
                "Precision of the masked forward passes (auto: reduced only where it was measured "
                "to be faster and to give the same map). Classification always runs in fp32."
            )
        )
        self.backend = ElidedComboBox()  # "OpenVINO (faster on …" where the column is narrow
        for name in BACKENDS:
            self.backend.addItem(translate("PlainWords", BACKEND_CHOICES[name]), name)
            self.backend.setItemData(
                self.backend.count() - 1,
                translate("PlainWords", BACKEND_HELP[name]),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.backend.setToolTip(
            self.tr(
                "What runs the network's passes over the masked photos (automatic: OpenVINO on "
                "the processor where it is installed and gives the same map, else PyTorch)"
            )
        )
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(6)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.addRow(self.tr("Weighting"), self.weighting)
        form.addRow(self.tr("Fill"), self.fill)
        form.addRow(self.tr("Batch size"), self.batch)
        form.addRow(self.tr("Device"), self.device)
        form.addRow(self.tr("Precision"), self.precision)
        form.addRow(self.tr("Speed engine"), self.backend)
        for combo in (self.weighting, self.fill, self.device, self.precision, self.backend):
            combo.currentIndexChanged.connect(self._edited)
        self.batch.editingFinished.connect(self._batch_edited)
        self._batch_value = 0

    def _shown(self, name: str) -> str:
        """A device's or precision's name as shown: "auto" in the window's language, the rest
        (cpu, cuda, fp32) as they are."""
        return self.tr("auto") if name == "auto" else name

    def options(self) -> Options:
        return Options(
            weighting=self.weighting.currentData(),
            fill=self.fill.currentData(),
            batch_size=self.batch.value() or None,
            device=self.device.currentData(),
            precision=self.precision.currentData(),
            backend=self.backend.currentData(),
        )

    def set_options(self, options: Options) -> None:
        """Show these options without emitting changed()."""
        widgets = (self.weighting, self.fill, self.device, self.precision, self.backend, self.batch)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            if self.device.findData(options.device) < 0:
                # Remembered, and not known yet (before the engine loads): set_devices decides.
                self.device.addItem(self._shown(options.device), options.device)
            for combo, value in (
                (self.weighting, options.weighting),
                (self.fill, options.fill),
                (self.device, options.device),
                (self.precision, options.precision),
                (self.backend, options.backend),
            ):
                index = combo.findData(value)
                combo.setCurrentIndex(max(0, index))
            self.batch.setValue(options.batch_size or 0)
            self._batch_value = self.batch.value()
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def set_devices(self, devices: Sequence[str]) -> None:
        """The devices this machine has (known once torch is loaded). A chosen device it lacks
        falls back to auto, which is a change (a new request)."""
        current = self.device.currentData()
        self.device.blockSignals(True)
        self.device.clear()
        for name in devices:
            self.device.addItem(self._shown(name), name)
        index = self.device.findData(current)
        self.device.setCurrentIndex(max(0, index))
        self.device.blockSignals(False)
        if index < 0:
            self.changed.emit()

    def set_unavailable_precisions(self, reasons: dict[str, str]) -> None:
        """Grey out the precisions this machine cannot run (INT8 without NNCF), each with its
        reason as the tooltip. A chosen one falls back to auto, which is a change."""
        model = self.precision.model()
        for i in range(self.precision.count()):
            name = self.precision.itemData(i)
            item = model.item(i) if isinstance(model, QStandardItemModel) else None
            if item is not None:
                item.setEnabled(name not in reasons)
            if name in reasons:
                self.precision.setItemData(i, reasons[name], Qt.ItemDataRole.ToolTipRole)
        if self.precision.currentData() in reasons:
            self.precision.setCurrentIndex(max(0, self.precision.findData("auto")))

    @Slot(int)
    def _edited(self, _index: int) -> None:
        self.changed.emit()

    @Slot()
    def _batch_edited(self) -> None:
        # editingFinished fires on focus loss too; only a new value is a new request.
        if self.batch.value() != self._batch_value:
            self._batch_value = self.batch.value()
            self.changed.emit()


class Sidebar(QWidget):
    """Choose what explains the photo. Signals carry the user's choices; nothing runs here."""

    networkChosen = Signal(str)
    layerChosen = Signal(str)
    explainClicked = Signal()
    importClicked = Signal()
    optionsChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SidePanel")
        self.network = ElidedComboBox()
        self.network.setIconSize(QSize(12, 12))
        self.network.setToolTip(self.tr("The image classifier whose decision is explained"))
        self.network.setAccessibleName(self.tr("Network"))
        self.network.activated.connect(self._network_activated)
        self.network_caption = caption("")
        self.layer = ElidedComboBox()
        self.layer.setToolTip(
            self.tr(
                "Which of the network's layers the map is made from. The default (bold) is the "
                "last one, whose feature maps detect whole objects and parts; any layer with a "
                "C×H×W output works."
            )
        )
        self.layer.setAccessibleName(self.tr("Layer"))
        self.layer.setMaxVisibleItems(24)
        self.layer.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.layer.setMinimumContentsLength(8)
        self.layer.view().setMinimumWidth(380)
        self.layer.activated.connect(self._layer_activated)
        self.layer_caption = caption("")
        self.explain_button = QPushButton(self.tr("Explain"))
        self.explain_button.setObjectName("Primary")
        self.explain_button.setToolTip(
            self.tr(
                "Make the map again with the choices above (F5). A new photo is explained at once."
            )
        )
        self.explain_button.setAccessibleName(self.tr("Explain"))
        self.explain_button.clicked.connect(self.explainClicked)
        self.import_button = QPushButton(self.tr("Import weights…"))
        self.import_button.setObjectName("Link")
        self.import_button.setToolTip(
            self.tr("Use a weights file you have (for example, fine-tuned)")
        )
        self.import_button.clicked.connect(self.importClicked)
        self.advanced = AdvancedOptions()
        self.advanced.changed.connect(self.optionsChanged)
        self.advanced_section = CollapsibleSection(self.tr("Advanced"), self.advanced)
        self.photo_caption = caption("", name="Hint")
        self.photo_caption.setTextFormat(Qt.TextFormat.PlainText)  # a file name, as it is

        # The column scrolls when the window is too low for it, rather than cutting captions.
        content = QWidget()
        content.setObjectName("SidePanel")
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.scroll_area = scroll

        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(6)
        layout.addWidget(section_title(self.tr("Network")))
        layout.addWidget(self.network)
        layout.addWidget(self.network_caption)
        layout.addWidget(self.import_button)
        layout.addSpacing(4)
        layout.addWidget(section_title(self.tr("Layer")))
        layout.addWidget(self.layer)
        layout.addWidget(self.layer_caption)
        layout.addSpacing(6)
        layout.addWidget(self.explain_button)
        layout.addSpacing(6)
        layout.addWidget(separator())
        layout.addWidget(self.advanced_section)
        layout.addStretch(1)
        layout.addWidget(self.photo_caption)
        self._entries: list[NetworkEntry] = []
        self._layers: list[LayerInfo] = []
        self._default_layer = ""

    # -- networks -------------------------------------------------------------------------------
    def set_networks(self, entries: Sequence[NetworkEntry], current: str) -> None:
        self._entries = list(entries)
        self.network.blockSignals(True)
        self.network.clear()
        bold = QFont(self.network.font())
        bold.setBold(True)
        for entry in self._entries:
            text = f"{entry.title} · {translate('Sidebar', STATUS_TEXT[entry.status])}"
            icon = _dot(STATUS_COLOUR[entry.status], hollow=entry.status == "missing")
            self.network.addItem(icon, text, entry.name)
            self.network.setItemData(
                self.network.count() - 1,
                translate("PlainWords", STATUS_HELP[entry.status]),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.network.blockSignals(False)
        self.select_network(current)

    def entry(self, name: str) -> NetworkEntry | None:
        return next((e for e in self._entries if e.name == name), None)

    def current_network(self) -> str:
        return str(self.network.currentData() or "")

    def select_network(self, name: str) -> None:
        """Show `name` as chosen without emitting networkChosen."""
        index = self.network.findData(name)
        if index >= 0:
            self.network.blockSignals(True)
            self.network.setCurrentIndex(index)
            self.network.blockSignals(False)
        entry = self.entry(name)
        if entry is not None:
            self.network_caption.setText(translate("PlainWords", STATUS_HELP[entry.status]))

    @Slot(int)
    def _network_activated(self, index: int) -> None:
        name = self.network.itemData(index)
        entry = self.entry(name)
        if entry is not None:
            self.network_caption.setText(translate("PlainWords", STATUS_HELP[entry.status]))
        self.networkChosen.emit(name)

    # -- layers ---------------------------------------------------------------------------------
    def set_layers(self, layers: Sequence[LayerInfo], default: str, current: str | None) -> None:
        """All layers with their output shapes; those Score-CAM cannot use are greyed out."""
        self._layers = list(layers)
        self._default_layer = default
        self.layer.blockSignals(True)
        self.layer.clear()
        model = self.layer.model()
        for layer in self._layers:
            self.layer.addItem(layer_text(layer), layer.name)
            row = self.layer.count() - 1
            item = model.item(row)  # type: ignore[attr-defined]
            item.setToolTip(  # a model file's layer names, as they are
                plain_tip(
                    self.tr("{layer}: {kind}, output {shape}").format(
                        layer=layer.name, kind=layer.type_name, shape=layer_shape(layer)
                    )
                )
            )
            if not layer.is_spatial:
                item.setEnabled(False)
                item.setToolTip(
                    plain_tip(
                        self.tr("{layer}: Score-CAM needs a layer with a C×H×W output").format(
                            layer=layer.name
                        )
                    )
                )
            if layer.name == default:
                font = QFont(self.layer.font())
                font.setBold(True)
                self.layer.setItemData(row, font, Qt.ItemDataRole.FontRole)
        index = self.layer.findData(current or default)
        self.layer.setCurrentIndex(index if index >= 0 else self.layer.findData(default))
        self.layer.blockSignals(False)
        self._update_layer_caption()

    def current_layer(self) -> str | None:
        data = self.layer.currentData()
        return str(data) if data else None

    def select_layer(self, name: str) -> None:
        index = self.layer.findData(name)
        if index >= 0:
            self.layer.blockSignals(True)
            self.layer.setCurrentIndex(index)
            self.layer.blockSignals(False)
            self._update_layer_caption()

    def default_layer(self) -> str:
        return self._default_layer

    def layer_info(self, name: str | None) -> LayerInfo | None:
        return next((layer for layer in self._layers if layer.name == name), None)

    def _update_layer_caption(self) -> None:
        info = self.layer_info(self.current_layer())
        if info is None or len(info.shape) != 3:
            self.layer_caption.setText("")
            return
        count, height, width = info.shape
        default = info.name == self._default_layer
        self.layer_caption.setText(plainwords.layer_caption(count, height, width, default))

    @Slot(int)
    def _layer_activated(self, index: int) -> None:
        self._update_layer_caption()
        self.layerChosen.emit(str(self.layer.itemData(index)))

    # -- busy state -----------------------------------------------------------------------------
    def set_photo_caption(self, text: str) -> None:
        self.photo_caption.setText(text)
