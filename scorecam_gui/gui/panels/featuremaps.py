"""The target layer's activation maps: one large with a colour bar, and the top-weighted grid."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...app.translation import QT_TRANSLATE_NOOP, translate
from ...engine.imaging import render_blend
from .. import i18n, theme
from .._pg import pg
from ..widgets import ElidedLabel, caption, make_tile_grid, section_title
from .canvas import ImageView

MAP_COLOURS = "viridis"
TILE = 56
ORDERS = {
    "weight": QT_TRANSLATE_NOOP("FeatureMapViewer", "strongest first"),
    "index": QT_TRANSLATE_NOOP("FeatureMapViewer", "by number"),
    "random": QT_TRANSLATE_NOOP("FeatureMapViewer", "at random (as MATLAB)"),
}
EMPTY_HINT = QT_TRANSLATE_NOOP(
    "FeatureMapViewer",
    "After Explain, this tab shows what the network's layer detects in the photo: each feature "
    "map lights up where the layer found one pattern. The strongest come first.",
)


def fmt(value: float) -> str:
    """Weights and scores span many magnitudes (softmax weights of 1280 maps are tiny)."""
    return f"{value:.3g}"


def on_photo(photo: np.ndarray, amap: np.ndarray) -> np.ndarray:
    """A feature map laid over the photo the network saw (display only: scaled to 0..1 for the
    colours, as the colour bar shows it), so that one can see *where* it fires."""
    lo, hi = float(amap.min()), float(amap.max())
    scaled = (amap - lo) / (hi - lo) if hi > lo else np.zeros_like(amap)
    return render_blend(photo, scaled, colormap=MAP_COLOURS, opacity=0.6)


def photo_icon(rgb: np.ndarray, side: int) -> QIcon:
    from ..qimage import rgb_to_qimage

    image = rgb_to_qimage(np.ascontiguousarray(rgb))
    scaled = image.scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    return QIcon(QPixmap.fromImage(scaled))


def map_icon(amap: np.ndarray, lut: np.ndarray, side: int) -> QIcon:
    """A small map through the colour map, each map value a crisp square (display only)."""
    lo, hi = float(amap.min()), float(amap.max())
    # pyqtgraph maps [lo, hi] onto the colour table, exactly as the large view does.
    argb, _alpha = pg.makeARGB(amap, lut=lut, levels=(lo, hi if hi > lo else lo + 1.0))
    image = pg.functions.makeQImage(argb, alpha=False, transpose=False)
    scaled = image.scaled(
        side,
        side,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.FastTransformation,
    )
    return QIcon(QPixmap.fromImage(scaled))


class TopMapsGrid(QListWidget):
    """The highest-weighted maps of the layer, each with its weight (largest first).

    Plain icons rather than one plot per map: a dozen pyqtgraph views cost more to paint than
    the rest of the window together.
    """

    channelClicked = Signal(int)

    def __init__(self, count: int = 12, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count_shown = count
        label_width = self.fontMetrics().horizontalAdvance("#0000 · 0.000") + 12
        make_tile_grid(self, TILE, QSize(max(TILE + 16, label_width), TILE + 26))
        self.itemClicked.connect(self._clicked)
        self.setAccessibleName(self.tr("The strongest feature maps"))
        self._lut: np.ndarray | None = None
        self._photo: np.ndarray | None = None

    def set_photo(self, photo: np.ndarray | None) -> None:
        """The photo as the network saw it: tiles are drawn over it (None: the bare maps)."""
        self._photo = photo

    def set_lut(self, lut: np.ndarray) -> None:
        self._lut = lut

    def set_maps(self, activations: np.ndarray, weights: np.ndarray, order: np.ndarray) -> None:
        """Show the first maps of `order` (channel indices, highest weight first)."""
        assert self._lut is not None
        self.clear()
        for channel in order[: self.count_shown]:
            k = int(channel)
            icon = (
                photo_icon(on_photo(self._photo, activations[k]), TILE)
                if self._photo is not None
                else map_icon(activations[k], self._lut, TILE)
            )
            item = QListWidgetItem(icon, f"#{k} · {float(weights[k]):.2g}")
            item.setData(Qt.ItemDataRole.UserRole, k)
            item.setToolTip(
                self.tr(
                    "Feature map #{k} (channel {k}): it counts {weight} in the map (its Score-CAM "
                    "weight). Click to look at it closely."
                ).format(k=k, weight=f"{float(weights[k]):.4g}")
            )
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.addItem(item)

    def channels(self) -> list[int]:
        return [int(self.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.count())]

    def clear_maps(self) -> None:
        self.clear()

    @Slot(QListWidgetItem)
    def _clicked(self, item: QListWidgetItem) -> None:
        self.channelClicked.emit(int(item.data(Qt.ItemDataRole.UserRole)))


class FeatureMapViewer(QWidget):
    """Browse the activation maps by index, weight or at random; the grid shows the top ones."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._acts: np.ndarray | None = None
        self._weights: np.ndarray | None = None
        self._scores: np.ndarray | None = None
        self._score_kind = "score"
        self._order = np.zeros(0, dtype=np.int64)
        self._weight_order = np.zeros(0, dtype=np.int64)
        self._rng = np.random.default_rng()

        self.order_combo = QComboBox()
        for key, text in ORDERS.items():
            self.order_combo.addItem(text, key)
        self.order_combo.currentIndexChanged.connect(self._order_changed)
        self.spin = QSpinBox()
        self.spin.setRange(1, 1)
        self.spin.setMinimumWidth(self.spin.fontMetrics().horizontalAdvance("00000") + 40)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(1, 1)
        self.slider.setMinimumWidth(40)
        self.spin.valueChanged.connect(self.slider.setValue)
        self.slider.valueChanged.connect(self.spin.setValue)
        self.spin.valueChanged.connect(self._position_changed)
        self.count_label = QLabel("")
        self.count_label.setObjectName("Caption")
        self.on_photo_box = QCheckBox()
        self.on_photo_box.setChecked(True)
        self.on_photo_box.toggled.connect(lambda _on: self._position_changed(self.spin.value()))
        self.info = ElidedLabel("", name="Caption")

        self.title = section_title("")
        self.view = ImageView(colour_bar_label=self.tr("strength"))  # canvas.py: set once
        self.view.set_colour_map(MAP_COLOURS)
        self.view.setMinimumSize(160, 90)

        self.grid = TopMapsGrid()
        self.grid.set_lut(self.view._lut)
        self.grid.channelClicked.connect(self.show_channel)

        self.map_label = map_label = QLabel()
        map_label.setBuddy(self.spin)
        controls = QHBoxLayout()
        controls.setSpacing(6)
        controls.addWidget(self.order_combo)
        controls.addWidget(map_label)
        controls.addWidget(self.spin)
        controls.addWidget(self.count_label)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.on_photo_box)

        left = QVBoxLayout()
        left.setSpacing(4)
        left.addLayout(controls)
        left.addWidget(self.view, 1)
        left.addWidget(self.info)

        right = QVBoxLayout()
        right.setSpacing(4)
        right.addWidget(self.grid, 1)
        self.grid_hint = ElidedLabel("", name="Hint")
        right.addWidget(self.grid_hint)

        columns = QHBoxLayout()
        columns.setSpacing(14)
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(10, 6, 10, 6)
        page_layout.setSpacing(4)
        page_layout.addWidget(self.title)
        page_layout.addLayout(columns, 1)

        # Before any result: a short hint, not empty axes and "Map 1 of 0".
        self.hint = caption("", name="Hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._pages = QStackedWidget()
        self._pages.addWidget(self.hint)
        self._pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)
        self._photo: np.ndarray | None = None
        self._layer_is_last = True
        self.retranslate()
        i18n.watch_language(self, self.retranslate)

    def retranslate(self) -> None:
        """Every text of the panel in the window's language (again on View › Language)."""
        for index, text in enumerate(ORDERS.values()):
            self.order_combo.setItemText(index, translate("FeatureMapViewer", text))
        self.order_combo.setToolTip(
            self.tr(
                "Step through the maps by how much they count in the map (their Score-CAM weight), "
                "by channel number, or in a random order as the MATLAB example does"
            )
        )
        self.order_combo.setAccessibleName(self.tr("Order of the feature maps"))
        self.spin.setToolTip(self.tr("Which map, in the chosen order"))
        self.spin.setAccessibleName(self.tr("Feature map number"))
        self.slider.setAccessibleName(self.tr("Feature map"))
        self.on_photo_box.setText(self.tr("On the photo"))
        self.on_photo_box.setToolTip(
            self.tr(
                "Lay the feature map over the photo the network saw, to see where it fires; off: "
                "the raw map, one square per cell of the layer"
            )
        )
        self.view.colour_bar.setToolTip(
            self.tr("How strongly the map fires (its activation values)")
        )
        self.view.setAccessibleName(self.tr("The chosen feature map"))
        self.map_label.setText(self.tr("Map"))
        self.grid_hint.setText(
            self.tr(
                "Yellow: where each map fires. #number · how much it counts. Click one to look."
            )
        )
        self.hint.setText(translate("FeatureMapViewer", EMPTY_HINT))
        self.set_layer_title(self._layer_is_last)
        if self._acts is not None:
            self.count_label.setText(self.tr("of {count}").format(count=self._acts.shape[0]))
            self._position_changed(self.spin.value())

    def set_layer_title(self, is_last_layer: bool) -> None:
        """The panel's title says which layer the maps come from."""
        self._layer_is_last = is_last_layer
        self.title.setText(
            theme.section_title(
                self.tr("What the network's last layer detects, strongest first")
                if is_last_layer
                else self.tr("What this layer detects, strongest first")
            )
        )

    def has_maps(self) -> bool:
        return self._acts is not None

    def current_channel(self) -> int:
        """Channel index shown large, -1 when empty."""
        if self._order.size == 0:
            return -1
        return int(self._order[self.spin.value() - 1])

    def order(self) -> np.ndarray:
        return self._order

    def set_maps(
        self,
        activations: np.ndarray,
        weights: np.ndarray,
        scores: np.ndarray,
        score_kind: str = "score",
        photo: np.ndarray | None = None,
    ) -> None:
        """The layer's activations (K, h, w) with the engine's per-map weights and scores;
        `photo`: the (S, S, 3) picture the network saw, for showing the maps on it."""
        self._acts, self._weights, self._scores = activations, weights, scores
        self._photo = photo
        self.grid.set_photo(photo)
        self.on_photo_box.setVisible(photo is not None)
        self._score_kind = score_kind
        count = activations.shape[0]
        for widget in (self.spin, self.slider):
            widget.blockSignals(True)
            widget.setRange(1, count)
            widget.setValue(1)
            widget.blockSignals(False)
        self.count_label.setText(self.tr("of {count}").format(count=count))
        # Stable sort so equal weights keep channel order (display ordering, not a computation).
        self._weight_order = np.argsort(-weights, kind="stable")
        self._reorder()
        self.grid.set_maps(activations, weights, self._weight_order)
        self._pages.setCurrentIndex(1)
        self.setEnabled(True)

    def clear(self) -> None:
        self._acts = self._weights = self._scores = None
        self._photo = None
        self._order = self._weight_order = np.zeros(0, dtype=np.int64)
        self.view.clear_image()
        self.grid.clear_maps()
        self.info.setText("")
        self.count_label.setText("")
        self._pages.setCurrentIndex(0)

    @Slot(int)
    def show_channel(self, channel: int) -> None:
        """Show this channel large, at its place in the current order."""
        if self._order.size == 0:
            return
        position = int(np.flatnonzero(self._order == channel)[0]) + 1
        self.spin.setValue(position)
        self._position_changed(position)

    def _reorder(self) -> None:
        if self._acts is None:
            return
        key = self.order_combo.currentData()
        count = self._acts.shape[0]
        if key == "weight":
            self._order = self._weight_order
        elif key == "random":
            self._order = self._rng.permutation(count)
        else:
            self._order = np.arange(count)
        self._position_changed(self.spin.value())

    @Slot(int)
    def _order_changed(self, _index: int) -> None:
        self._reorder()

    @Slot(int)
    def _position_changed(self, position: int) -> None:
        if self._acts is None or self._order.size == 0:
            return
        assert self._weights is not None and self._scores is not None
        channel = int(self._order[position - 1])
        amap = self._acts[channel]
        lo, hi = float(amap.min()), float(amap.max())
        if self._photo is not None and self.on_photo_box.isChecked():
            self.view.set_image(on_photo(self._photo, amap))
        else:
            self.view.set_image(amap, levels=(lo, hi))
        self.view.set_colour_bar_visible(True)
        self.view.set_colour_bar_range(lo, hi)
        count = self._acts.shape[0]
        rank = int(np.flatnonzero(self._weight_order == channel)[0]) + 1
        weight = fmt(float(self._weights[channel]))
        if hi <= lo:
            plain = self.tr(
                "Feature map #{channel} found nothing in this photo (it counts {weight})."
            )
        elif rank == 1:
            plain = self.tr(
                "Feature map #{channel} counts the most of all {count} (weight {weight})."
            )
        else:
            plain = self.tr(
                "Feature map #{channel}: number {rank} of {count} by how much it counts."
            )
        plain = plain.format(channel=channel, weight=weight, count=count, rank=rank)
        self.info.setText(plain)
        self.info.set_details(
            self.tr(
                "Channel {channel} · weight {weight} (rank {rank} of {count}) · {kind} {score} · "
                "{width}×{height} · activations {lo} to {hi}"
            ).format(
                channel=channel,
                weight=weight,
                rank=rank,
                count=count,
                kind=translate("ScoreKind", self._score_kind),
                score=fmt(float(self._scores[channel])),
                width=amap.shape[1],
                height=amap.shape[0],
                lo=f"{lo:.3g}",
                hi=f"{hi:.3g}",
            )
            + (self.tr(" · constant map (all masked out)") if hi <= lo else "")
        )
