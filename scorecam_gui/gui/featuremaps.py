"""The target layer's activation maps: one large with a colour bar, and the top-weighted grid."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ._pg import pg
from .canvas import ImageView
from .widgets import caption, make_tile_grid, section_title

MAP_COLOURS = "viridis"
TILE = 56
ORDERS = {"weight": "by weight", "index": "by index", "random": "at random"}


def fmt(value: float) -> str:
    """Weights and scores span many magnitudes (softmax weights of 1280 maps are tiny)."""
    return f"{value:.3g}"


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
        make_tile_grid(self, TILE, QSize(TILE + 56, TILE + 26))
        self.itemClicked.connect(self._clicked)
        self._lut: np.ndarray | None = None

    def set_lut(self, lut: np.ndarray) -> None:
        self._lut = lut

    def set_maps(self, activations: np.ndarray, weights: np.ndarray, order: np.ndarray) -> None:
        """Show the first maps of `order` (channel indices, highest weight first)."""
        assert self._lut is not None
        self.clear()
        for channel in order[: self.count_shown]:
            k = int(channel)
            item = QListWidgetItem(
                map_icon(activations[k], self._lut, TILE), f"#{k} · {fmt(float(weights[k]))}"
            )
            item.setData(Qt.ItemDataRole.UserRole, k)
            item.setToolTip(f"Channel {k}: weight {float(weights[k]):.4g}. Click to look at it.")
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
        self.order_combo.setToolTip(
            "Step through the maps by Score-CAM weight, by channel index, or in a random order "
            "as the MATLAB example does"
        )
        self.order_combo.currentIndexChanged.connect(self._order_changed)
        self.spin = QSpinBox()
        self.spin.setRange(1, 1)
        self.spin.setMinimumWidth(80)
        self.spin.setToolTip("Position in the chosen order")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(1, 1)
        self.spin.valueChanged.connect(self.slider.setValue)
        self.slider.valueChanged.connect(self.spin.setValue)
        self.spin.valueChanged.connect(self._position_changed)
        self.count_label = QLabel("of 0")
        self.count_label.setObjectName("Caption")
        self.info = caption("")

        self.view = ImageView()
        self.view.set_colour_map(MAP_COLOURS)
        self.view.setMinimumSize(200, 100)

        self.grid = TopMapsGrid()
        self.grid.set_lut(self.view._lut)
        self.grid.channelClicked.connect(self.show_channel)

        controls = QHBoxLayout()
        controls.setSpacing(6)
        controls.addWidget(QLabel("Order"))
        controls.addWidget(self.order_combo)
        controls.addSpacing(8)
        controls.addWidget(QLabel("Map"))
        controls.addWidget(self.spin)
        controls.addWidget(self.count_label)
        controls.addWidget(self.slider, 1)

        left = QVBoxLayout()
        left.setSpacing(4)
        left.addLayout(controls)
        left.addWidget(self.view, 1)
        left.addWidget(self.info)

        right = QVBoxLayout()
        right.setSpacing(4)
        right.addWidget(section_title("Highest-weighted maps"))
        right.addWidget(self.grid, 1)
        right.addWidget(
            caption("Channel · weight. Click a map to look at it closely.", name="Hint")
        )

        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(14)
        layout.addLayout(left, 5)
        layout.addLayout(right, 6)
        self.setEnabled(False)

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
    ) -> None:
        """The layer's activations (K, h, w) with the engine's per-map weights and scores."""
        self._acts, self._weights, self._scores = activations, weights, scores
        self._score_kind = score_kind
        count = activations.shape[0]
        for widget in (self.spin, self.slider):
            widget.blockSignals(True)
            widget.setRange(1, count)
            widget.setValue(1)
            widget.blockSignals(False)
        self.count_label.setText(f"of {count}")
        # Stable sort so equal weights keep channel order (display ordering, not a computation).
        self._weight_order = np.argsort(-weights, kind="stable")
        self._reorder()
        self.grid.set_maps(activations, weights, self._weight_order)
        self.setEnabled(True)

    def clear(self) -> None:
        self._acts = self._weights = self._scores = None
        self._order = self._weight_order = np.zeros(0, dtype=np.int64)
        self.view.clear_image()
        self.grid.clear_maps()
        self.info.setText("")
        self.setEnabled(False)

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
        self.view.set_image(amap, levels=(lo, hi))
        self.view.set_colour_bar_range(lo, hi)
        rank = int(np.flatnonzero(self._weight_order == channel)[0]) + 1
        constant = " · constant map (all masked out)" if hi <= lo else ""
        self.info.setText(
            f"Channel {channel} · weight {fmt(float(self._weights[channel]))} "
            f"(rank {rank} of {self._acts.shape[0]}) · {self._score_kind} "
            f"{fmt(float(self._scores[channel]))} · {amap.shape[1]}×{amap.shape[0]}{constant}"
        )
