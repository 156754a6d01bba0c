"""The overlay canvas: the photo at its own resolution with the heat map, zoom, pan, colour bar."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..engine import imaging
from ..engine.colormaps import COLORMAPS, colormap_lut
from . import theme
from ._pg import pg
from .overlays import render_overlay
from .widgets import Banner

# Pseudo colour-map name: the colours the MATLAB rendering gives each map value.
MATLAB_COLORMAP = "matlab"


def colour_lut(name: str) -> np.ndarray:
    """(256, 3) uint8 colours for map values 0..1, as the engine draws them.

    For the MATLAB rendering the engine is asked to draw a 0..1 ramp over a black strip, so the
    colour bar shows exactly the colours of the picture (jet darkened towards 0), not plain jet.
    """
    if name == MATLAB_COLORMAP:
        ramp = np.linspace(0.0, 1.0, 256, dtype=np.float32)[None, :]
        strip = np.zeros((1, 256, 3), dtype=np.uint8)
        return imaging.render_matlab_overlay(strip, ramp)[0]
    return colormap_lut(name)


def colour_map(name: str) -> pg.ColorMap:
    """A pyqtgraph colour map from the engine's colours (display only)."""
    lut = colour_lut(name)
    return pg.ColorMap(np.linspace(0.0, 1.0, len(lut)), lut, name=name)


class ImageView(pg.GraphicsLayoutWidget):
    """An image in a zoomable, pannable view with an optional colour bar; y runs downwards."""

    hovered = Signal(int, int)  # pixel column and row under the mouse, (-1, -1) outside

    def __init__(self, parent: QWidget | None = None, colour_bar_label: str = "") -> None:
        super().__init__(parent)
        self.setBackground(theme.CANVAS)
        self.ci.layout.setContentsMargins(6, 6, 6, 6)
        self.view = self.addViewBox(row=0, col=0)
        self.view.setAspectLocked(True)
        self.view.invertY(True)
        self.view.setMenuEnabled(False)
        self.view.setDefaultPadding(0.01)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.view.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(
            values=(0.0, 1.0),
            colorMap=colour_map(MATLAB_COLORMAP),
            interactive=False,
            width=14,
            label=colour_bar_label or None,
            colorMapMenu=False,
        )
        self.colour_bar.axis.setTextPen(pg.mkPen(theme.MUTED))
        self.colour_bar.axis.setPen(pg.mkPen(theme.BORDER))
        self.addItem(self.colour_bar, row=0, col=1)
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        self._shape: tuple[int, int] | None = None
        self._lut: np.ndarray = colormap_lut("viridis")

    def set_image(self, array: np.ndarray, levels: tuple[float, float] | None = None) -> None:
        """Show an RGB uint8 array as is, or a 2-D array through the current colour map."""
        first = self._shape != array.shape[:2]
        self._shape = array.shape[:2]
        if array.ndim == 3:
            self.image.setLookupTable(None)
            self.image.setImage(array, autoLevels=False, levels=(0, 255))
        else:
            # Display levels only (what pyqtgraph maps to the first and last colour).
            lo, hi = levels if levels is not None else (float(array.min()), float(array.max()))
            if hi <= lo:
                hi = lo + 1.0  # a constant map still needs a valid display range
            self.image.setLookupTable(self._lut)
            self.image.setImage(array, autoLevels=False, levels=(lo, hi))
        if first:
            self.fit()

    def set_colour_map(self, name: str) -> None:
        """The colour bar's map, also used for 2-D images (RGB images are shown as they are)."""
        self.colour_bar.setColorMap(colour_map(name))
        self._lut = colour_lut(name)
        if self.image.image is not None and self.image.image.ndim == 2:
            self.image.setLookupTable(self._lut)

    def set_colour_bar_range(self, lo: float, hi: float) -> None:
        self.colour_bar.setLevels((lo, hi if hi > lo else lo + 1.0))

    def set_colour_bar_visible(self, visible: bool) -> None:
        self.colour_bar.setVisible(visible)

    def clear_image(self) -> None:
        # Not clear(): GraphicsLayoutWidget binds clear() to "remove every item" per instance.
        self.image.clear()
        self._shape = None

    @Slot()
    def fit(self) -> None:
        if self._shape is not None:
            height, width = self._shape
            self.view.setRange(xRange=(0, width), yRange=(0, height), padding=0.01)

    @Slot(QPointF)
    def _mouse_moved(self, pos: QPointF) -> None:
        if self._shape is None or not self.view.sceneBoundingRect().contains(pos):
            self.hovered.emit(-1, -1)
            return
        point = self.view.mapSceneToView(pos)
        col, row = int(np.floor(point.x())), int(np.floor(point.y()))
        height, width = self._shape
        if 0 <= row < height and 0 <= col < width:
            self.hovered.emit(col, row)
        else:
            self.hovered.emit(-1, -1)


class OverlayCanvas(QWidget):
    """Photo and heat map with rendering controls; renders through the engine's imaging module.

    The saliency map arrives at the network's input size; the engine's renderers bring it to the
    photo's own resolution, so what is shown (and exported) is the full photo.
    """

    renderChanged = Signal()  # a new overlay image is on screen
    settingsChanged = Signal()  # rendering mode, colour map or opacity changed by the user

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._photo: np.ndarray | None = None
        self._saliency: np.ndarray | None = None
        self._overlay: np.ndarray | None = None

        self.heading = QLabel("")
        self.heading.setObjectName("Heading")
        self.subheading = QLabel("")
        self.subheading.setObjectName("Subheading")
        for label in (self.heading, self.subheading):
            # Long class names and captions are cut off rather than widening the window.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(1)
        self.banner = Banner()

        self.view = ImageView()
        self.placeholder = QLabel(
            "Drop photos here\n\nor use File › Open…, or paste an image with Ctrl+V"
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setObjectName("Hint")
        self.placeholder.setStyleSheet(
            f"background: {theme.CANVAS}; border: 2px dashed {theme.BORDER}; border-radius: 10px;"
            "font-size: 13pt;"
        )
        self._stack = QStackedWidget()
        self._stack.addWidget(self.placeholder)
        self._stack.addWidget(self.view)
        self._stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        # Controls under the image.
        self.matlab_button = QPushButton("MATLAB")
        self.matlab_button.setToolTip(
            "The MATLAB example's rendering: the jet map blended over the photo"
        )
        self.blend_button = QPushButton("Blend")
        self.blend_button.setToolTip("An alpha blend with the opacity and colours you choose")
        self._mode_group = QButtonGroup(self)
        for i, button in enumerate((self.matlab_button, self.blend_button)):
            button.setCheckable(True)
            button.setMinimumWidth(button.sizeHint().width())
            self._mode_group.addButton(button, i)
        self.matlab_button.setChecked(True)
        self._mode_group.idToggled.connect(self._mode_toggled)

        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(50)
        self.opacity.setMinimumWidth(60)
        self.opacity.setMaximumWidth(140)
        self.opacity.setToolTip("How strongly the heat map covers the photo")
        self.opacity.valueChanged.connect(self._opacity_changed)
        self.opacity_label = QLabel("50 %")
        self.opacity_label.setMinimumWidth(38)
        self.colours = QComboBox()
        self.colours.addItems(list(COLORMAPS))
        self.colours.setCurrentText("jet")
        self.colours.setToolTip("Colour map of the heat map")
        self.colours.currentTextChanged.connect(self._colours_changed)
        self.photo_only = QPushButton("Photo only")
        self.photo_only.setCheckable(True)
        self.photo_only.setToolTip("Hide the heat map (H)")
        self.photo_only.toggled.connect(self._photo_only_toggled)
        self.fit_button = QPushButton("Fit")
        self.fit_button.setToolTip("Show the whole photo (scroll to zoom, drag to pan)")
        self.fit_button.clicked.connect(self.view.fit)
        self.readout = QLabel("")
        self.readout.setObjectName("Caption")
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.readout.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.view.hovered.connect(self._hovered)

        controls = QHBoxLayout()
        controls.setSpacing(6)
        segmented = QHBoxLayout()
        segmented.setSpacing(0)
        segmented.addWidget(self.matlab_button)
        segmented.addWidget(self.blend_button)
        controls.addLayout(segmented)
        controls.addSpacing(12)
        self._opacity_caption = QLabel("Opacity")
        controls.addWidget(self._opacity_caption)
        controls.addWidget(self.opacity)
        controls.addWidget(self.opacity_label)
        controls.addSpacing(8)
        self._colours_caption = QLabel("Colours")
        controls.addWidget(self._colours_caption)
        controls.addWidget(self.colours)
        controls.addSpacing(8)
        controls.addWidget(self.photo_only)
        controls.addWidget(self.fit_button)
        controls.addWidget(self.readout, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.banner)
        layout.addWidget(self._stack, 1)
        layout.addLayout(controls)

        # Coalesce slider drags: one render per event-loop turn at most.
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(15)
        self._render_timer.timeout.connect(self.render)
        self._update_controls()

    # -- state ----------------------------------------------------------------------------------
    def mode(self) -> str:
        return "blend" if self.blend_button.isChecked() else "matlab"

    def set_mode(self, mode: str) -> None:
        (self.blend_button if mode == "blend" else self.matlab_button).setChecked(True)

    def colour_map_name(self) -> str:
        return MATLAB_COLORMAP if self.mode() == "matlab" else self.colours.currentText()

    def opacity_value(self) -> float:
        return self.opacity.value() / 100.0

    def photo(self) -> np.ndarray | None:
        return self._photo

    def saliency(self) -> np.ndarray | None:
        return self._saliency

    def overlay(self) -> np.ndarray | None:
        """The rendered overlay at the photo's resolution, as shown (None without a map)."""
        return self._overlay

    def has_photo(self) -> bool:
        return self._photo is not None

    # -- input ----------------------------------------------------------------------------------
    def set_photo(self, photo: np.ndarray) -> None:
        """A new photo: shown alone until its map arrives."""
        self._photo = photo
        self._saliency = None
        self._overlay = None
        self._stack.setCurrentWidget(self.view)
        self.view.set_image(photo)
        self.view.set_colour_bar_visible(False)
        self._update_controls()

    def set_saliency(self, saliency: np.ndarray, overlay: np.ndarray | None = None) -> None:
        """The map for the current photo; a ready overlay (rendered off the GUI thread) is used
        as is when it matches the current settings."""
        self._saliency = saliency
        self._overlay = None
        if overlay is not None:
            self._overlay = overlay
            self._show()
        else:
            self.render()
        self._update_controls()

    def clear_saliency(self) -> None:
        self._saliency = None
        self._overlay = None
        if self._photo is not None:
            self.view.set_image(self._photo)
        self.view.set_colour_bar_visible(False)
        self._update_controls()

    def render_settings(self) -> dict[str, object]:
        return {
            "mode": self.mode(),
            "colormap": self.colours.currentText(),
            "opacity": self.opacity_value(),
        }

    @Slot()
    def render(self) -> None:
        """Render the overlay with the engine for the current settings and show it."""
        if self._photo is None or self._saliency is None:
            return
        self._overlay = render_overlay(self._photo, self._saliency, **self.render_settings())
        self._show()

    def _show(self) -> None:
        if self._photo is None:
            return
        alone = self.photo_only.isChecked() or self._overlay is None
        self.view.set_image(self._photo if alone else self._overlay)
        self.view.set_colour_map(self.colour_map_name())
        self.view.set_colour_bar_visible(not alone)
        self.renderChanged.emit()

    # -- controls -------------------------------------------------------------------------------
    def _update_controls(self) -> None:
        blend = self.mode() == "blend"
        has_map = self._saliency is not None
        for widget in (self.opacity, self.opacity_label, self._opacity_caption):
            widget.setEnabled(blend and has_map)
        for widget in (self.colours, self._colours_caption):
            widget.setEnabled(blend and has_map)
        for widget in (self.matlab_button, self.blend_button, self.photo_only):
            widget.setEnabled(has_map)
        self.fit_button.setEnabled(self._photo is not None)

    def _schedule_render(self) -> None:
        self.settingsChanged.emit()
        if self._saliency is not None:
            self._render_timer.start()

    @Slot(int, bool)
    def _mode_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._update_controls()
            self._schedule_render()

    @Slot(int)
    def _opacity_changed(self, value: int) -> None:
        self.opacity_label.setText(f"{value} %")
        self._schedule_render()

    @Slot(str)
    def _colours_changed(self, _name: str) -> None:
        self._schedule_render()

    @Slot(bool)
    def _photo_only_toggled(self, _checked: bool) -> None:
        self._show()

    @Slot(int, int)
    def _hovered(self, col: int, row: int) -> None:
        if col < 0 or self._photo is None:
            self.readout.setText("")
            return
        text = f"x {col}  y {row}"
        if self._saliency is not None:
            # Look the value up in the map the engine gave, at the matching position.
            height, width = self._photo.shape[:2]
            s_rows, s_cols = self._saliency.shape
            value = self._saliency[row * s_rows // height, col * s_cols // width]
            text += f"   importance {value:.2f}"
        self.readout.setText(text)
