"""Montage of masked inputs (what the network was shown for single maps), each with its score."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ...app.overlays import MaskedTile
from ...app.translation import QT_TRANSLATE_NOOP, translate
from ..qimage import rgb_to_qimage
from ..widgets import ElidedLabel, caption, make_tile_grid, section_title

TILE = 64
EMPTY_HINT = QT_TRANSLATE_NOOP(
    "MaskedInputsMontage",
    "After Explain, this tab shows what Score-CAM showed the network: the photo seen through "
    "one feature map at a time, with how strongly the network still saw the class in each.",
)


class _Grid(QListWidget):
    """One row of tiles that scrolls sideways (with a visible scroll bar) when it is too long."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        label_width = self.fontMetrics().horizontalAdvance("#0000 · -0.000") + 8
        make_tile_grid(self, TILE, QSize(max(TILE + 12, label_width), TILE + 26))
        self.setWrapping(False)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.setFixedHeight(TILE + 26 + scroll_bar + 10)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)


class MaskedInputsMontage(QWidget):
    """Two rows: the highest-weighted masked inputs, and a random dozen (as the MATLAB example)."""

    channelClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.top = _Grid()
        self.random = _Grid()
        self.top.setAccessibleName(self.tr("The photo seen through the strongest feature maps"))
        self.random.setAccessibleName(
            self.tr("The photo seen through a dozen feature maps at random")
        )
        for strip in (self.top, self.random):
            strip.itemClicked.connect(self._clicked)
        self.top_title = QLabel(self.tr("Strongest"))
        self.random_title = QLabel(self.tr("At random\n(as MATLAB)"))
        rows = QGridLayout()
        rows.setHorizontalSpacing(10)
        rows.setVerticalSpacing(4)
        for row, (title, grid) in enumerate(
            ((self.top_title, self.top), (self.random_title, self.random))
        ):
            title.setObjectName("Caption")
            rows.addWidget(title, row, 0, Qt.AlignmentFlag.AlignVCenter)
            rows.addWidget(grid, row, 1)
        rows.setColumnStretch(1, 1)
        self.note = ElidedLabel(
            self.tr(
                "Each picture is the photo seen through one feature map; the number says how "
                "strongly the network still sees the class in it. Click one to open its map."
            ),
            name="Hint",
        )
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(10, 6, 10, 6)
        page_layout.setSpacing(4)
        page_layout.addWidget(section_title(self.tr("What the network was shown")))
        page_layout.addLayout(rows)
        page_layout.addWidget(self.note)
        page_layout.addStretch(1)
        scroll = QScrollArea()  # a low panel scrolls down to the second row
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.hint = caption(translate("MaskedInputsMontage", EMPTY_HINT), name="Hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._pages = QStackedWidget()
        self._pages.addWidget(self.hint)
        self._pages.addWidget(scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)

    def set_tiles(
        self,
        top: list[MaskedTile],
        random: list[MaskedTile],
        score_kind: str = "score",
        class_name: str = "",
    ) -> None:
        for strip, tiles in ((self.top, top), (self.random, random)):
            strip.clear()
            for tile in tiles:
                icon = QIcon(QPixmap.fromImage(rgb_to_qimage(tile.image)))
                item = QListWidgetItem(icon, f"#{tile.channel} · {tile.score:.2g}")
                item.setData(Qt.ItemDataRole.UserRole, tile.channel)
                item.setToolTip(
                    self.tr(
                        "The photo seen through feature map #{channel}: the network's {kind} for "
                        "the class is {score} (Score-CAM weight {weight}). Click to open the map."
                    ).format(
                        channel=tile.channel,
                        kind=translate("ScoreKind", score_kind),
                        score=f"{tile.score:.4g}",
                        weight=f"{tile.weight:.4g}",
                    )
                )
                item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
                strip.addItem(item)
        what = self.tr("“{name}”").format(name=class_name) if class_name else self.tr("the class")
        self.note.setText(
            self.tr(
                "Each picture is the photo seen through one feature map; the number says how "
                "strongly the network still sees {what} in it ({kind}). Click one to open its map."
            ).format(what=what, kind=translate("ScoreKind", score_kind))
        )
        self._pages.setCurrentIndex(1 if (top or random) else 0)

    def clear(self) -> None:
        self.top.clear()
        self.random.clear()
        self._pages.setCurrentIndex(0)

    def channels(self) -> tuple[list[int], list[int]]:
        """The channels shown in the two rows, in order."""
        return tuple(  # type: ignore[return-value]
            [strip.item(i).data(Qt.ItemDataRole.UserRole) for i in range(strip.count())]
            for strip in (self.top, self.random)
        )

    @Slot(QListWidgetItem)
    def _clicked(self, item: QListWidgetItem) -> None:
        self.channelClicked.emit(int(item.data(Qt.ItemDataRole.UserRole)))
