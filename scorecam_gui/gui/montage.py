"""Montage of masked inputs (what the network was shown for single maps), each with its score."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .featuremaps import fmt
from .overlays import MaskedTile
from .qimage import rgb_to_qimage
from .widgets import caption, make_tile_grid, section_title

TILE = 84


class _Grid(QListWidget):
    """Tiles that wrap to the available width and scroll when there is no room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        make_tile_grid(self, TILE, QSize(TILE + 14, TILE + 40))
        self.setMinimumHeight(TILE + 44)


class MaskedInputsMontage(QWidget):
    """Two rows: the highest-weighted masked inputs, and a random dozen (as the MATLAB example)."""

    channelClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.top = _Grid()
        self.random = _Grid()
        for strip in (self.top, self.random):
            strip.itemClicked.connect(self._clicked)
        self.top_title = section_title("Highest-weighted masked inputs")
        self.random_title = section_title("A random dozen")
        columns = QHBoxLayout()
        columns.setSpacing(14)
        for title, grid in ((self.top_title, self.top), (self.random_title, self.random)):
            column = QVBoxLayout()
            column.setSpacing(4)
            column.addWidget(title)
            column.addWidget(grid, 1)
            columns.addLayout(column, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addLayout(columns, 1)
        layout.addWidget(
            caption(
                "Each picture is the photo seen through one feature map; its score says how much "
                "the network still sees the class in it. Click one to open its map.",
                name="Hint",
            )
        )
        self.setEnabled(False)

    def set_tiles(
        self, top: list[MaskedTile], random: list[MaskedTile], score_kind: str = "score"
    ) -> None:
        for strip, tiles in ((self.top, top), (self.random, random)):
            strip.clear()
            for tile in tiles:
                icon = QIcon(QPixmap.fromImage(rgb_to_qimage(tile.image)))
                item = QListWidgetItem(icon, f"#{tile.channel}\n{score_kind} {fmt(tile.score)}")
                item.setData(Qt.ItemDataRole.UserRole, tile.channel)
                item.setToolTip(
                    f"Channel {tile.channel}: {score_kind} {tile.score:.4g}, "
                    f"weight {tile.weight:.4g}"
                )
                item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
                strip.addItem(item)
        self.setEnabled(bool(top or random))

    def clear(self) -> None:
        self.top.clear()
        self.random.clear()
        self.setEnabled(False)

    def channels(self) -> tuple[list[int], list[int]]:
        """The channels shown in the two rows, in order."""
        return tuple(  # type: ignore[return-value]
            [strip.item(i).data(Qt.ItemDataRole.UserRole) for i in range(strip.count())]
            for strip in (self.top, self.random)
        )

    @Slot(QListWidgetItem)
    def _clicked(self, item: QListWidgetItem) -> None:
        self.channelClicked.emit(int(item.data(Qt.ItemDataRole.UserRole)))
