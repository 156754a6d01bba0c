"""The strip of recent photos: dropped, opened or pasted; click one (or step) to explain it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QImage, QImageReader, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QWidget,
)

from ...app import photokeys
from ...engine import safe_read
from .. import theme
from ..qimage import rgb_to_qimage
from ..widgets import plain_tip

THUMB = 34  # compact: the strip shares its row with the tabs below the photo
MAX_PHOTOS = 30
MAX_SHOWN = 8  # thumbnails visible at once; the strip scrolls for more
ROLE_KEY = Qt.ItemDataRole.UserRole


def _fit(image: QImage) -> QIcon:
    """A square icon with the image centred on the canvas colour."""
    scaled = image.scaled(
        THUMB,
        THUMB,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    pixmap = QPixmap(THUMB, THUMB)
    pixmap.fill(QColor(theme.CANVAS))
    painter = QPainter(pixmap)
    painter.drawImage((THUMB - scaled.width()) // 2, (THUMB - scaled.height()) // 2, scaled)
    painter.end()
    return QIcon(pixmap)


def file_thumbnail(path: str) -> QIcon | None:
    """A quick thumbnail of a file (scaled decoding); None if Qt cannot read it, or it is not a
    regular file of at most safe_read.PHOTO_LIMIT bytes (a FIFO would block)."""
    try:
        safe_read.check_regular(path, safe_read.PHOTO_LIMIT)
    except (OSError, ValueError, safe_read.FileRefused):
        return None
    reader = QImageReader(path)
    reader.setAutoTransform(True)  # EXIF orientation, as the engine applies it
    size = reader.size()
    if size.isValid() and size.width() > 0 and size.height() > 0:
        scale = max(size.width(), size.height()) / (THUMB * 2)
        if scale > 1:
            reader.setScaledSize(QSize(int(size.width() / scale), int(size.height() / scale)))
    image = reader.read()
    return None if image.isNull() else _fit(image)


def array_thumbnail(photo: np.ndarray) -> QIcon:
    step = max(1, max(photo.shape[:2]) // (THUMB * 2))
    return _fit(rgb_to_qimage(np.ascontiguousarray(photo[::step, ::step])))


class PhotoStrip(QWidget):
    """Photos in the order they came; the current one is selected."""

    photoChosen = Signal(str)  # the photo's key: a file path, or "paste:N"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 8, THUMB + 8))
        self.list.setFixedHeight(THUMB + 10)
        self.list.setAccessibleName(self.tr("Recent photos"))
        self.list.setToolTip(
            self.tr(
                "Your recent photos: click one to explain it. Drop more anywhere on the window, "
                "or paste one with Ctrl+V."
            )
        )
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setStyleSheet("QListWidget { background: transparent; border: none; }")
        self.list.itemClicked.connect(self._clicked)
        self.previous_button = QToolButton()
        self.previous_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.previous_button.setToolTip(self.tr("Previous photo (Alt+Left)"))
        self.previous_button.setAccessibleName(self.tr("Previous photo"))
        self.previous_button.clicked.connect(self.step_previous)
        self.next_button = QToolButton()
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.next_button.setToolTip(self.tr("Next photo (Alt+Right)"))
        self.next_button.setAccessibleName(self.tr("Next photo"))
        self.next_button.clicked.connect(self.step_next)
        self.title = QLabel(self.tr("Photos"))
        self.title.setObjectName("Caption")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 6, 2)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.list)
        layout.addWidget(self.next_button)
        self._update_buttons()

    def photo_keys(self) -> list[str]:
        return [str(self.list.item(i).data(ROLE_KEY)) for i in range(self.list.count())]

    def paths(self) -> list[str]:
        """The file paths in the strip (pasted photos are not files)."""
        return [key for key in self.photo_keys() if not photokeys.is_pasted(key)]

    def current_key(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(ROLE_KEY))

    def add(self, key: str, icon: QIcon | None = None, label: str | None = None) -> None:
        """Add a photo at the end (a photo already there stays where it is)."""
        if self._find(key) is not None:
            if icon is not None:
                self.set_icon(key, icon)
            return
        if icon is None and not photokeys.is_pasted(key):
            icon = file_thumbnail(key)
        item = QListWidgetItem(icon or QIcon(), "" if icon else (label or Path(key).name))
        item.setData(ROLE_KEY, key)
        item.setToolTip(plain_tip(label or key))
        # A thumbnail shows no name: screen readers and the tooltip say which photo it is.
        item.setData(Qt.ItemDataRole.AccessibleTextRole, label or Path(key).name)
        item.setSizeHint(QSize(THUMB + 8, THUMB + 8))
        self.list.addItem(item)
        while self.list.count() > MAX_PHOTOS:
            self.list.takeItem(0)
        self._update_buttons()

    def _update_width(self) -> None:
        # As wide as its photos, up to MAX_SHOWN of them; more scroll sideways.
        shown = max(1, min(self.list.count(), MAX_SHOWN))
        self.list.setFixedWidth(shown * self.list.gridSize().width() + 6)

    def set_icon(self, key: str, icon: QIcon) -> None:
        item = self._find(key)
        if item is not None:
            item.setIcon(icon)
            item.setText("")

    def remove(self, key: str) -> None:
        item = self._find(key)
        if item is not None:
            self.list.takeItem(self.list.row(item))
        self._update_buttons()

    def set_current(self, key: str) -> None:
        item = self._find(key)
        if item is not None:
            self.list.blockSignals(True)
            self.list.setCurrentItem(item)
            self.list.blockSignals(False)
            self.list.scrollToItem(item)
        self._update_buttons()

    @Slot()
    def step_previous(self) -> None:
        self._step(-1)

    @Slot()
    def step_next(self) -> None:
        self._step(1)

    def _step(self, delta: int) -> None:
        row = self.list.currentRow() + delta
        if 0 <= row < self.list.count():
            self.photoChosen.emit(str(self.list.item(row).data(ROLE_KEY)))

    def _find(self, key: str) -> QListWidgetItem | None:
        for i in range(self.list.count()):
            if self.list.item(i).data(ROLE_KEY) == key:
                return self.list.item(i)
        return None

    def _update_buttons(self) -> None:
        self._update_width()
        row, count = self.list.currentRow(), self.list.count()
        self.previous_button.setEnabled(row > 0)
        self.next_button.setEnabled(0 <= row < count - 1)

    @Slot(QListWidgetItem)
    def _clicked(self, item: QListWidgetItem) -> None:
        self.photoChosen.emit(str(item.data(ROLE_KEY)))
