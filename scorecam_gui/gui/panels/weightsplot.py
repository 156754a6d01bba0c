"""The per-map Score-CAM weights, sorted: how concentrated is the evidence?"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from ...app.translation import QT_TRANSLATE_NOOP, translate
from .. import theme
from .._pg import pg
from ..i18n import percent
from ..widgets import ElidedLabel, caption

TIP = QT_TRANSLATE_NOOP(
    "WeightsPlot",
    "Each feature map's weight in the heat map (its Score-CAM weight), largest first. A steep "
    "drop means a few maps make the picture; a flat curve, many.",
)


class WeightsPlot(QWidget):
    """Sorted weights (largest first) against rank, with a one-line reading of the curve."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget()
        self.plot.setBackground(theme.BASE)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.hideButtons()
        self.plot.setMinimumHeight(90)
        self.plot.setToolTip(TIP)
        self.plot.setAccessibleName(self.tr("How much each feature map counts, largest first"))
        item = self.plot.getPlotItem()
        item.showGrid(x=False, y=True, alpha=0.15)
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setTextPen(pg.mkPen(theme.MUTED))
            axis.setPen(pg.mkPen(theme.BORDER))
        item.setLabel("left", self.tr("weight"), color=theme.MUTED)
        item.getAxis("left").enableAutoSIPrefix(False)  # no "(x0.001)" beside the word
        item.setLabel("bottom", self.tr("maps, strongest first"), color=theme.MUTED)
        self.curve = self.plot.plot(
            [],
            [],
            pen=pg.mkPen(theme.ACCENT, width=2),
            fillLevel=0.0,
            brush=pg.mkBrush(76, 154, 255, 60),
        )
        self.summary = ElidedLabel("", name="Caption")
        self.hint = caption(
            self.tr(
                "After Explain: how much each of the layer's feature maps counts in the heat map."
            ),
            name="Hint",
        )
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.hint)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.summary)
        self.plot.hide()  # no empty axes before a result
        self.summary.hide()

    def set_weights(self, weights: np.ndarray, maps_evaluated: int | None = None) -> None:
        """The engine's weights, shown sorted (a display order; nothing is recomputed)."""
        ordered = np.sort(weights)[::-1]
        ranks = np.arange(1, ordered.size + 1)
        self.curve.setData(ranks, ordered)
        self.plot.setXRange(1, max(2, ordered.size), padding=0.02)
        # Two labelled ticks: a low panel then never piles its numbers on top of each other.
        top_value = float(ordered[0]) if ordered.size else 1.0
        self.plot.getPlotItem().getAxis("left").setTicks(
            [[(0.0, "0"), (top_value, f"{top_value:.2g}")]]
        )
        total = float(ordered.sum())
        text = ""
        if total > 0 and np.all(ordered >= 0):
            top = min(10, ordered.size)
            share = float(ordered[:top].sum()) / total
            text = self.tr(
                "The {top} strongest of {count} maps make {share} of the heat map."
            ).format(top=top, count=ordered.size, share=percent(share))
        tip = translate("WeightsPlot", TIP)
        if maps_evaluated is not None and maps_evaluated < ordered.size:
            # Constant maps share one masked input in the engine; say how many passes it took.
            tip += " " + self.tr(
                "{done} masked inputs were scored for {count} maps (maps that are empty or alike "
                "share one)."
            ).format(done=maps_evaluated, count=ordered.size)
        self.plot.setToolTip(tip)
        self.summary.setText(text.strip())
        self.summary.set_details(tip)
        self.hint.hide()
        self.plot.show()
        self.summary.show()

    def clear(self) -> None:
        self.curve.setData([], [])
        self.summary.setText("")
        self.plot.hide()
        self.summary.hide()
        self.hint.show()
