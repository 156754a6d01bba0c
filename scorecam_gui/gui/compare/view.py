"""The Compare view: several methods' maps for one photo and class, side by side, each with its
faithfulness metrics, and the deletion and insertion curves of all of them in two plots.

Public API (the window computes everything in its worker and hands the results over):

    CompareEntry(label, saliency, metrics=None, deletion=None, insertion=None)
        label: str                       e.g. "Score-CAM (paper)", "Grad-CAM++"
        saliency: np.ndarray             (h, w) float in [0, 1], any size (resized to the photo)
        metrics: Mapping[str, str]       display name -> text, shown under the map in this order
        deletion, insertion: Curve-like  objects with .fractions, .probabilities, .auc
                                         (engine.faithfulness.metrics.Curve), or None
    CompareEntry.from_metrics(label, saliency, metrics: MapMetrics) -> CompareEntry
    metric_texts(metrics: MapMetrics) -> dict[str, str]     the texts from_metrics shows

    CompareView(parent=None)                                   a QWidget
        set_photo(rgb: np.ndarray) -> None      (H, W, 3) uint8: the photo the maps explain
                                                (whole photo, or the network's view image_rgb)
        set_entries(entries: Sequence[CompareEntry], class_name: str = "") -> None
        entries() -> tuple[CompareEntry, ...]
        clear() -> None                         back to the empty hint
        set_selected(index: int | None) -> None frame the tile whose map the canvas shows
        entryClicked = Signal(int)              a map was clicked: index into the entries

No metric is computed here: the numbers come from the engine (engine/faithfulness/metrics.py)
as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np
from PIL import Image
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ...app.translation import QT_TRANSLATE_NOOP, translate
from ...engine.imaging import render_matlab_overlay
from .. import theme
from .._pg import pg
from ..i18n import percent
from ..qimage import rgb_to_qimage
from ..widgets import caption

if TYPE_CHECKING:
    from ...engine.faithfulness.metrics import MapMetrics

TILE = 132  # px, the side of each map (its numbers sit beside it, so a low panel shows all)
# Distinct on the dark background, in the order methods are usually listed.
PALETTE = ("#4c9aff", "#f0b44c", "#5fce8a", "#f06a5f", "#c08cff", "#4fd1c5", "#e4e6ea")


class CurveLike(Protocol):  # read-only members: the engine's frozen Curve fits
    @property
    def fractions(self) -> np.ndarray: ...
    @property
    def probabilities(self) -> np.ndarray: ...
    @property
    def auc(self) -> float: ...


@dataclass(frozen=True)
class CompareEntry:
    """One method's map with its metrics (texts) and curves, as the view shows them."""

    label: str
    saliency: np.ndarray
    metrics: Mapping[str, str] = field(default_factory=dict)
    deletion: CurveLike | None = None
    insertion: CurveLike | None = None

    @classmethod
    def from_metrics(cls, label: str, saliency: np.ndarray, metrics: MapMetrics) -> CompareEntry:
        """An entry from the engine's MapMetrics."""
        return cls(label, saliency, metric_texts(metrics), metrics.deletion, metrics.insertion)


def metric_texts(m: MapMetrics) -> dict[str, str]:
    """The engine's numbers as short texts, with which way is better."""
    texts = {
        "Drop": percent(m.drop, 1),
        "Increase": translate("CompareView", "yes")
        if m.increase
        else translate("CompareView", "no"),
        "Confidence": f"{percent(m.probability)} → {percent(m.explanation_probability)}",
        "Deletion": f"{m.deletion.auc:.3f}",
        "Insertion": f"{m.insertion.auc:.3f}",
    }
    if m.energy is not None:
        texts["In box"] = percent(m.energy)
    return texts


# The names shown beside the numbers; the metrics' own names are in the tooltips.
PLAIN = {
    "Drop": QT_TRANSLATE_NOOP("CompareView", "Score lost"),
    "Increase": QT_TRANSLATE_NOOP("CompareView", "Score rose"),
    "Confidence": QT_TRANSLATE_NOOP("CompareView", "Sure, photo → map"),
    "Deletion": QT_TRANSLATE_NOOP("CompareView", "Removal test"),
    "Insertion": QT_TRANSLATE_NOOP("CompareView", "Adding test"),
    "In box": QT_TRANSLATE_NOOP("CompareView", "In your box"),
}

_TIPS = {
    "Drop": QT_TRANSLATE_NOOP(
        "CompareView",
        "Average Drop: how much the class's probability falls when the network sees only "
        "the parts the map marks (the map times the photo). Lower is better.",
    ),
    "Increase": QT_TRANSLATE_NOOP(
        "CompareView",
        "Increase in Confidence: whether the probability rises when the network sees "
        "only the parts the map marks.",
    ),
    "Confidence": QT_TRANSLATE_NOOP(
        "CompareView",
        "The class's probability for the whole photo, and for the map times the photo.",
    ),
    "Deletion": QT_TRANSLATE_NOOP(
        "CompareView",
        "Deletion: area under the probability curve as the most important pixels are "
        "blacked out first. Lower is better: the map found what the network needs.",
    ),
    "Insertion": QT_TRANSLATE_NOOP(
        "CompareView",
        "Insertion: area under the probability curve as the most important pixels are "
        "put back first. Higher is better.",
    ),
    "In box": QT_TRANSLATE_NOOP(
        "CompareView", "Share of the map's energy inside the box you drew."
    ),
}


class _Tile(QFrame):
    clicked = Signal()

    def __init__(self, title: str, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        name = QLabel(f'<span style="color:{colour}">■</span> <b>{_escape(title)}</b>')
        self.image = QLabel()
        self.image.setFixedSize(TILE, TILE)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setStyleSheet(f"background: {theme.CANVAS};")
        self.image.setToolTip(self.tr("Click to show this map over the photo above"))
        self.numbers = caption("", rich=True)  # a table; its names escaped
        self.numbers.setWordWrap(False)
        self.numbers.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        body = QHBoxLayout()
        body.setSpacing(8)
        body.addWidget(self.image, 0, Qt.AlignmentFlag.AlignTop)
        body.addWidget(self.numbers, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(name)
        layout.addLayout(body)
        layout.addStretch(1)

    def set_selected(self, selected: bool) -> None:
        """Framed while the main canvas shows this tile's map."""
        colour = theme.ACCENT if selected else "transparent"
        self.setObjectName("CompareTile")
        self.setStyleSheet(f"#CompareTile {{ border: 2px solid {colour}; border-radius: 4px; }}")

    def set_metrics(self, metrics: Mapping[str, str]) -> None:
        rows = "".join(
            f"<tr><td>{_escape(translate('CompareView', PLAIN.get(k, k)))}&nbsp;&nbsp;</td>"
            f"<td align='right'>{_escape(v)}</td></tr>"
            for k, v in metrics.items()
        )
        self.numbers.setText(f"<table>{rows}</table>" if rows else "")
        tips = [translate("CompareView", _TIPS[k]) for k in metrics if k in _TIPS]
        self.numbers.setToolTip("\n".join(tips))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plot(title: str, x_label: str, legend_offset: tuple[int, int]) -> pg.PlotWidget:
    plot = pg.PlotWidget()
    plot.setBackground(theme.BASE)
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.setMinimumHeight(110)
    item = plot.getPlotItem()
    item.setTitle(title, color=theme.TEXT, size="9pt")
    item.showGrid(x=True, y=True, alpha=0.15)
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setTextPen(pg.mkPen(theme.MUTED))
        axis.setPen(pg.mkPen(theme.BORDER))
    item.setLabel("bottom", x_label, color=theme.MUTED)
    item.getAxis("left").enableAutoSIPrefix(False)
    item.setXRange(0, 1, padding=0.02)
    item.setYRange(0, 1, padding=0.02)
    legend = item.addLegend(offset=legend_offset, labelTextColor=theme.TEXT)
    legend.setBrush(pg.mkBrush(23, 25, 28, 200))
    return plot


class CompareView(QWidget):
    """Maps side by side with their metrics; deletion and insertion curves below."""

    entryClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._photo: np.ndarray | None = None
        self._entries: tuple[CompareEntry, ...] = ()
        self._tiles: list[_Tile] = []

        self.hint = caption(
            self.tr(
                "Compare makes the map with several methods, so you can see whether they agree. "
                "With “Measure how faithful”, each map is also tested: does the network still see "
                "the class in the parts the map marks, and does it lose it when they are removed?"
            ),
            name="Hint",
        )
        self._row = QWidget()
        self._row_layout = QHBoxLayout(self._row)
        self._row_layout.setContentsMargins(0, 0, 0, 0)
        self._row_layout.setSpacing(8)
        self._row_layout.addStretch(1)
        scroll = QScrollArea()  # sideways, with a visible scroll bar, when the tiles do not fit
        scroll.setWidget(self._row)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        bar = scroll.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        scroll.setFixedHeight(TILE + 2 * self.fontMetrics().height() + bar + 8)
        self._scroll = scroll

        # Legends where the curves usually are not: deletion falls, insertion rises.
        self.deletion_plot = _plot(
            self.tr("Removal test (lower area is better)"),
            self.tr("share of pixels removed"),
            (-8, 8),
        )
        self.insertion_plot = _plot(
            self.tr("Adding test (higher area is better)"),
            self.tr("share of pixels added"),
            (-8, -8),
        )
        self.deletion_plot.setToolTip(translate("CompareView", _TIPS["Deletion"]))
        self.insertion_plot.setToolTip(translate("CompareView", _TIPS["Insertion"]))
        self._plots = QWidget()
        plots = QHBoxLayout(self._plots)
        plots.setContentsMargins(0, 0, 0, 0)
        plots.setSpacing(8)
        plots.addWidget(self.deletion_plot, 1)
        plots.addWidget(self.insertion_plot, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(6)
        layout.addWidget(self.hint)
        layout.addWidget(scroll)
        layout.addWidget(self._plots, 1)
        self.clear()

    # -- public API ---------------------------------------------------------------------------
    def set_photo(self, rgb: np.ndarray) -> None:
        """The photo the maps explain; the overlays are redrawn on it."""
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ValueError(f"expected an (H, W, 3) uint8 photo, got {rgb.shape} {rgb.dtype}")
        self._photo = _shrink(rgb, 2 * TILE)  # the overlay is drawn at about display size
        self._show_maps()

    def set_entries(self, entries: Sequence[CompareEntry], class_name: str = "") -> None:
        """Show these methods (replacing any shown before)."""
        self._entries = tuple(entries)
        self.hint.setVisible(not self._entries)
        self._scroll.setVisible(bool(self._entries))
        # The curves only where some map was measured: no empty axes.
        self._plots.setVisible(
            any(e.deletion is not None or e.insertion is not None for e in self._entries)
        )
        self._build_tiles()
        self._show_maps()
        self._show_curves(class_name)

    def entries(self) -> tuple[CompareEntry, ...]:
        return self._entries

    def set_selected(self, index: int | None) -> None:
        """Frame the tile whose map the canvas shows (None: none)."""
        for i, tile in enumerate(self._tiles):
            tile.set_selected(i == index)

    def clear(self) -> None:
        self.set_entries(())

    # -- internals ----------------------------------------------------------------------------
    def _build_tiles(self) -> None:
        for tile in self._tiles:
            self._row_layout.removeWidget(tile)
            tile.deleteLater()
        self._tiles = []
        for i, entry in enumerate(self._entries):
            tile = _Tile(entry.label, PALETTE[i % len(PALETTE)])
            tile.set_metrics(entry.metrics)
            tile.clicked.connect(lambda i=i: self.entryClicked.emit(i))
            self._row_layout.insertWidget(i, tile)
            self._tiles.append(tile)

    def _show_maps(self) -> None:
        for tile, entry in zip(self._tiles, self._entries, strict=True):
            if self._photo is None:
                tile.image.clear()
                continue
            overlay = render_matlab_overlay(self._photo, entry.saliency)
            pixmap = QPixmap.fromImage(rgb_to_qimage(overlay))
            tile.image.setPixmap(
                pixmap.scaled(
                    TILE,
                    TILE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def _show_curves(self, class_name: str) -> None:
        y_label = "probability"
        for plot, kind in ((self.deletion_plot, "deletion"), (self.insertion_plot, "insertion")):
            item = plot.getPlotItem()
            item.clear()  # also empties the legend
            item.setLabel("left", y_label, color=theme.MUTED)
            for i, entry in enumerate(self._entries):
                curve = getattr(entry, kind)
                if curve is None:
                    continue
                pen = pg.mkPen(PALETTE[i % len(PALETTE)], width=2)
                item.plot(
                    np.asarray(curve.fractions),
                    np.asarray(curve.probabilities),
                    pen=pen,
                    name=f"{entry.label}  {curve.auc:.3f}",
                )


def _shrink(rgb: np.ndarray, side: int) -> np.ndarray:
    h, w = rgb.shape[:2]
    scale = side / max(h, w)
    if scale >= 1:
        return rgb
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BILINEAR))
