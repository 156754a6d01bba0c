"""The per-map Score-CAM weights, sorted: how concentrated is the evidence?"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QVBoxLayout, QWidget

from . import theme
from ._pg import pg
from .widgets import caption


class WeightsPlot(QWidget):
    """Sorted weights (largest first) against rank, with a one-line reading of the curve."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget()
        self.plot.setBackground(theme.BASE)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.hideButtons()
        self.plot.setMinimumHeight(60)
        self.plot.setToolTip("Each map's Score-CAM weight, largest first (x: rank of the map)")
        item = self.plot.getPlotItem()
        item.showGrid(x=False, y=True, alpha=0.15)
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setTextPen(pg.mkPen(theme.MUTED))
            axis.setPen(pg.mkPen(theme.BORDER))
        self.curve = self.plot.plot(
            [],
            [],
            pen=pg.mkPen(theme.ACCENT, width=2),
            fillLevel=0.0,
            brush=pg.mkBrush(76, 154, 255, 60),
        )
        self.summary = caption("")
        self.summary.setWordWrap(False)  # a wrapping label makes the column height-for-width
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.summary)

    def set_weights(self, weights: np.ndarray, maps_evaluated: int | None = None) -> None:
        """The engine's weights, shown sorted (a display order; nothing is recomputed)."""
        ordered = np.sort(weights)[::-1]
        ranks = np.arange(1, ordered.size + 1)
        self.curve.setData(ranks, ordered)
        self.plot.setXRange(1, max(2, ordered.size), padding=0.02)
        total = float(ordered.sum())
        text = ""
        if total > 0 and np.all(ordered >= 0):
            top = min(10, ordered.size)
            share = float(ordered[:top].sum()) / total
            text = f"Top {top} of {ordered.size} maps: {100 * share:.0f} % of the weight."
        tip = "Each map's Score-CAM weight, largest first (x: rank of the map)."
        if maps_evaluated is not None and maps_evaluated < ordered.size:
            # Constant maps share one masked input in the engine; say how many passes it took.
            tip += f" {maps_evaluated} masked inputs were scored for {ordered.size} maps."
        self.plot.setToolTip(tip)
        self.summary.setText(text.strip())

    def clear(self) -> None:
        self.curve.setData([], [])
        self.summary.setText("")
