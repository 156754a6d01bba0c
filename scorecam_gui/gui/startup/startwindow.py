"""The first window on screen: the photo and "Getting EfficientNet-Lite0 ready…", in about the time
a bare Qt window takes to appear, while the main window is built behind it.

The main window needs pyqtgraph, whose import alone takes longer than a bare Qt window (it copies
every attribute of QtCore, QtGui and QtWidgets, which makes PySide6 create all their classes), and
the engine needs torch. This module imports neither, nor numpy or Pillow until after its first
paint; gui/main.py swaps it for the main window at the same place and size once that is built; both
open inside the screen (gui/screenfit.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QVBoxLayout, QWidget

from ...app.translation import QT_TRANSLATE_NOOP, translate
from .. import screenfit
from ..dialogs.about import app_icon

APP_TITLE = "Score-CAM Studio"
DEFAULT_SIZE = (1480, 920)  # as the main window's first start
# The main window's menu titles (gui/window/actions.py), in the same catalogue entries.
MENUS = (
    QT_TRANSLATE_NOOP("WindowActions", "&File"),
    QT_TRANSLATE_NOOP("WindowActions", "&Edit"),
    QT_TRANSLATE_NOOP("WindowActions", "&View"),
    QT_TRANSLATE_NOOP("WindowActions", "&Run"),
    QT_TRANSLATE_NOOP("WindowActions", "&Help"),
)
PREVIEW_SIDE = 1600  # pixels; the preview is scaled down before it crosses into Qt


class StartWindow(QMainWindow):
    """A stand-in for the main window while it is built: the photo and what is happening."""

    def __init__(
        self,
        message: str,
        geometry: QByteArray | None = None,
        size: tuple[int, int] | None = None,
    ) -> None:
        """`geometry`: where the main window was last time; `size`: the size asked for on the
        command line (it wins). Either way the window opens inside the screen (screenfit)."""
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(app_icon())
        self.setMinimumSize(1024, 680)
        self.heading = QLabel("")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)  # the photo's file name, as it is
        self.heading.setObjectName("Heading")
        self.message = QLabel(message)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setObjectName("Subheading")
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._pixmap: QPixmap | None = None
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        layout.addWidget(self.picture, 1)
        self.setCentralWidget(central)
        # The main window's menus, greyed out, so that nothing jumps when it takes over.
        for title in MENUS:
            self.menuBar().addMenu(translate("WindowActions", title)).setEnabled(False)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*screenfit.first_size(self, DEFAULT_SIZE))
        if size is not None:
            self.resize(*size)  # the minimum size still applies
        screenfit.fit_window(self)

    def show_photo(self, path: str) -> bool:
        """Read the photo with Pillow (the engine's loader: EXIF orientation, colour profile) and
        show it; False, and nothing shown, when it cannot be read (the main window says why)."""
        from ...engine import imaging
        from ..qimage import rgb_to_qimage

        try:
            image = imaging.load_image(path)
        except (imaging.ImageLoadError, OSError):
            return False
        image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
        import numpy as np

        self._pixmap = QPixmap.fromImage(rgb_to_qimage(np.asarray(image.convert("RGB"))))
        self.heading.setText(Path(path).name)
        self.setWindowTitle(f"{Path(path).name} — {APP_TITLE}")
        self._fit()
        return True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._pixmap is not None and self.picture.width() > 0 and self.picture.height() > 0:
            self.picture.setPixmap(
                self._pixmap.scaled(
                    self.picture.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
