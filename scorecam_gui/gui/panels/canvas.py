"""The overlay canvas: the photo at its own resolution with the heat map, zoom, pan, colour bar."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, Signal, Slot
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

from ...app.overlays import RenderSettings, render_overlay
from ...app.translation import QT_TRANSLATE_NOOP, translate
from ...engine import imaging
from ...engine.colormaps import COLORMAPS, colormap_lut
from .. import theme
from .._pg import pg
from ..i18n import number, percent
from ..widgets import Banner, ElidedLabel, FlowLayout, plain_tip


def _group(widgets: list[QWidget], spacing: int = 6) -> QWidget:
    """Controls that belong together, kept on one row when the controls wrap."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(spacing)
    for widget in widgets:
        row.addWidget(widget)
    return box


# Plain names in the colour menu; the data of each item is the engine's name.
COLOUR_NAMES = {
    "jet": QT_TRANSLATE_NOOP("OverlayCanvas", "jet (MATLAB's)"),
    "viridis": QT_TRANSLATE_NOOP("OverlayCanvas", "viridis · colour-blind safe"),
    "gray": QT_TRANSLATE_NOOP("OverlayCanvas", "grey"),
}
# viridis first after jet: the colour-blind-safe choice is the first alternative offered.
COLOUR_ORDER = ("jet", "viridis", *(n for n in COLORMAPS if n not in ("jet", "viridis")))
COLOUR_BAR_TITLE = QT_TRANSLATE_NOOP("OverlayCanvas", "importance: 0 none, 1 most")
COLOUR_BAR_TIP = QT_TRANSLATE_NOOP(
    "OverlayCanvas",
    "1: the parts that raised the network's score for the class the most; 0: parts that did "
    "not raise it. (The Score-CAM map, scaled to 0–1.)",
)
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
            colorMapMenu=False,
        )
        self.colour_bar.axis.setTextPen(pg.mkPen(theme.MUTED))
        self.colour_bar.axis.setPen(pg.mkPen(theme.BORDER))
        if colour_bar_label:
            self.colour_bar.axis.setLabel(colour_bar_label, color=theme.MUTED)
        self.addItem(self.colour_bar, row=0, col=1)
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        self._shape: tuple[int, int] | None = None
        self._lut: np.ndarray = colormap_lut("viridis")
        self._colour_map_name: str | None = None  # the colour bar's, once set

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
        if name == self._colour_map_name:  # every map shown sets it: 15-20 ms to rebuild
            return
        self._colour_map_name = name
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

    def leaveEvent(self, event: QEvent) -> None:
        """The mouse left the photo: no position or value stays on show."""
        super().leaveEvent(event)
        self.hovered.emit(-1, -1)

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


class ColourCombo(QComboBox):
    """The colour maps with plain names ("viridis · colour-blind safe"); each item's data is the
    engine's name, and setCurrentText takes either."""

    def setCurrentText(self, text: str) -> None:
        index = self.findData(text)
        if index < 0:
            index = self.findText(text)
        if index >= 0:
            self.setCurrentIndex(index)


class OverlayCanvas(QWidget):
    """Photo and heat map with rendering controls; renders through the engine's imaging module.

    The saliency map arrives at the network's input size; the engine's renderers bring it to the
    photo's own resolution, so what is shown (and exported) is the full photo.
    """

    renderChanged = Signal()  # a new overlay image is on screen
    settingsChanged = Signal()  # rendering mode, colour map or opacity changed by the user
    helpRequested = Signal()  # "How to read the map" was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._photo: np.ndarray | None = None
        self._saliency: np.ndarray | None = None
        self._overlay: np.ndarray | None = None
        self._details = ""
        self._build_headings()
        self._build_view()
        self._build_mode_buttons()
        self._build_view_controls()
        self._lay_out()
        # Coalesce slider drags: one render per event-loop turn at most.
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(15)
        self._render_timer.timeout.connect(self.render)
        self._update_controls()

    def _build_headings(self) -> None:
        """The class and its probability, how to read the map, the help link, the caution."""
        self.heading = ElidedLabel("", name="Heading")
        # What the map shows, in plain words; the technical details are its tooltip.
        self.subheading = QLabel("")
        self.subheading.setTextFormat(Qt.TextFormat.PlainText)  # it names the class
        self.subheading.setObjectName("Subheading")
        self.subheading.setWordWrap(True)
        self.subheading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.subheading.setMinimumWidth(1)
        self.help_link = QPushButton(self.tr("How to read the map"))
        self.help_link.setObjectName("Link")
        self.help_link.setToolTip(
            self.tr("What the colours mean and how Score-CAM makes them (F1)")
        )
        self.help_link.setAccessibleName(self.tr("How to read the map"))
        # The link has no padding: a few pixels spare, so that no glyph (CJK ones are wider than
        # their advance at some sizes) touches the edge.
        advance = self.help_link.fontMetrics().horizontalAdvance(self.help_link.text())
        self.help_link.setMinimumWidth(advance + 4)
        self.help_link.clicked.connect(self.helpRequested)
        self.banner = Banner()
        # When not to trust the map (engine/trust.py), in plain words, right above it.
        self.trust_note = QLabel("")
        self.trust_note.setTextFormat(Qt.TextFormat.PlainText)  # it names classes
        self.trust_note.setObjectName("Warning")
        self.trust_note.setWordWrap(True)
        self.trust_note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.trust_note.setMinimumWidth(1)
        self.trust_note.setAccessibleName(self.tr("Caution about this map"))
        self.trust_note.hide()
        # The pixel under the mouse and its map value; otherwise the technical details.
        self.readout = ElidedLabel("", name="Caption")
        self.readout.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _build_view(self) -> None:
        """The photo with its map and colour bar, and the drop-here placeholder before it."""
        self.view = ImageView(colour_bar_label=translate("OverlayCanvas", COLOUR_BAR_TITLE))
        self.view.colour_bar.setToolTip(translate("OverlayCanvas", COLOUR_BAR_TIP))
        self.view.colour_bar.axis.setTicks([[(0.0, "0"), (0.5, "0.5"), (1.0, "1")]])
        self.view.setAccessibleName(self.tr("Photo with its heat map"))
        self.view.setToolTip(self.tr("Scroll to zoom, drag to move the photo; Fit shows it whole"))
        self.view.hovered.connect(self._hovered)
        self.placeholder = QLabel(
            self.tr(
                "Drop photos here\n\nor use File › Open… (Ctrl+O), or paste an image with Ctrl+V"
            )
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setObjectName("Hint")
        self.placeholder.setStyleSheet(
            f"background: {theme.CANVAS}; border: 2px dashed {theme.BORDER}; border-radius: 10px;"
            "font-size: 13pt;"
        )
        self._stack = QStackedWidget()
        self._stack.addWidget(self.placeholder)
        self._stack.addWidget(self.view)
        self._stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._stack.setMinimumHeight(120)

    def _build_mode_buttons(self) -> None:
        """Grey photo (the MATLAB example's look) or colour photo, one of the two."""
        self.matlab_button = QPushButton(self.tr("Grey photo"))
        self.matlab_button.setToolTip(
            self.tr(
                "The MATLAB example's look: the photo turns grey so that the map's colours (jet) "
                "stand out, and the brightest colours mark the most important parts (Ctrl+1)"
            )
        )
        self.blend_button = QPushButton(self.tr("Colour photo"))
        self.blend_button.setToolTip(
            self.tr(
                "The map's colours laid over the photo in colour, with the opacity and colours "
                "you choose (Ctrl+2)"
            )
        )
        self._mode_group = QButtonGroup(self)
        for i, button in enumerate((self.matlab_button, self.blend_button)):
            button.setCheckable(True)
            button.setAccessibleName(self.tr("Rendering: {mode}").format(mode=button.text()))
            self._mode_group.addButton(button, i)
        self.matlab_button.setChecked(True)
        self._mode_group.idToggled.connect(self._mode_toggled)

    def _build_view_controls(self) -> None:
        """Opacity, colours, photo alone, fit: the controls beside the mode buttons."""
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(50)
        self.opacity.setFixedWidth(100)
        self.opacity.setToolTip(
            self.tr("How strongly the heat map covers the photo (Colour photo only)")
        )
        self.opacity.setAccessibleName(self.tr("Opacity of the heat map"))
        self.opacity.valueChanged.connect(self._opacity_changed)
        self.opacity_label = QLabel(percent(0.5))
        self.opacity_label.setMinimumWidth(
            self.opacity_label.fontMetrics().horizontalAdvance(percent(1.0))
        )
        self.colours = ColourCombo()
        for name in COLOUR_ORDER:
            self.colours.addItem(translate("OverlayCanvas", COLOUR_NAMES.get(name, name)), name)
        self.colours.setCurrentIndex(self.colours.findData("jet"))
        self.colours.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.colours.setToolTip(
            self.tr(
                "Colours of the heat map. jet is the MATLAB example's; viridis reads the same for "
                "people with colour-blindness and in grey print. Picking one shows the colour "
                "photo."
            )
        )
        self.colours.setAccessibleName(self.tr("Colours of the heat map"))
        self.colours.currentIndexChanged.connect(self._colours_changed)
        self.photo_only = QPushButton(self.tr("Hide map"))
        self.photo_only.setCheckable(True)
        self.photo_only.setToolTip(self.tr("Show the photo alone, without the heat map (H)"))
        self.photo_only.toggled.connect(self._photo_only_toggled)
        self.fit_button = QPushButton(self.tr("Fit"))
        self.fit_button.setToolTip(
            self.tr("Show the whole photo (scroll to zoom, drag to pan) (Ctrl+0)")
        )
        self.fit_button.clicked.connect(self.view.fit)
        self._opacity_caption = QLabel(self.tr("Opacity"))
        self._colours_caption = QLabel(self.tr("Colours"))
        self._opacity_caption.setBuddy(self.opacity)
        self._colours_caption.setBuddy(self.colours)

    def _lay_out(self) -> None:
        """Headings above the photo, the controls under it in groups that wrap on a narrow
        window."""
        controls = FlowLayout(spacing=10)
        controls.addWidget(_group([self.matlab_button, self.blend_button], spacing=0))
        # Opacity only matters for the colour photo: shown with it, so that the row stays short.
        self._opacity_group = _group([self._opacity_caption, self.opacity, self.opacity_label])
        controls.addWidget(self._opacity_group)
        controls.addWidget(_group([self._colours_caption, self.colours]))
        controls.addWidget(_group([self.photo_only, self.fit_button]))
        self._controls = QWidget()
        self._controls.setLayout(controls)
        self._controls.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        head = QHBoxLayout()
        head.setSpacing(10)
        # The class and its probability first; the details line takes what is left.
        self.heading.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        head.addWidget(self.heading, 0)
        head.addWidget(self.readout, 1)
        sub = QHBoxLayout()
        sub.setSpacing(10)
        sub.addWidget(self.subheading, 1)
        sub.addWidget(self.trust_note, 1)  # in the reading's place when it shows
        sub.addWidget(self.help_link, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addLayout(sub)
        layout.addWidget(self.banner)
        layout.addWidget(self._stack, 1)
        layout.addWidget(self._controls)

    # -- state ----------------------------------------------------------------------------------
    def mode(self) -> str:
        return "blend" if self.blend_button.isChecked() else "matlab"

    def set_mode(self, mode: str) -> None:
        (self.blend_button if mode == "blend" else self.matlab_button).setChecked(True)

    def colour_map_name(self) -> str:
        return MATLAB_COLORMAP if self.mode() == "matlab" else self.colour_name()

    def colour_name(self) -> str:
        """The engine's name of the chosen colour map (jet, viridis, ...)."""
        return str(self.colours.currentData() or "jet")

    def set_colour_name(self, name: str) -> None:
        index = self.colours.findData(name)
        if index >= 0:
            self.colours.setCurrentIndex(index)

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

    def render_settings(self) -> RenderSettings:
        return {
            "mode": self.mode(),
            "colormap": self.colour_name(),
            "opacity": self.opacity_value(),
        }

    @Slot()
    def render(self) -> None:  # type: ignore[override]  # a slot of our own, not QWidget.render
        """Render the overlay with the engine for the current settings and show it."""
        if self._photo is None or self._saliency is None:
            return
        self._overlay = render_overlay(self._photo, self._saliency, **self.render_settings())
        self._show()

    def _show(self) -> None:
        if self._photo is None:
            return
        overlay = None if self.photo_only.isChecked() else self._overlay
        alone = overlay is None
        self.view.set_image(self._photo if overlay is None else overlay)
        self.view.set_colour_map(self.colour_map_name())
        self.view.set_colour_bar_visible(not alone)
        self.renderChanged.emit()

    # -- controls -------------------------------------------------------------------------------
    def _update_controls(self) -> None:
        blend = self.mode() == "blend"
        has_map = self._saliency is not None
        widgets: tuple[QWidget, ...] = (self.opacity, self.opacity_label, self._opacity_caption)
        for widget in widgets:
            widget.setEnabled(blend and has_map)
        self._opacity_group.setVisible(blend)
        # The colours stay available: picking one switches to the colour photo.
        for widget in (self.colours, self._colours_caption):
            widget.setEnabled(has_map)
        for button in (self.matlab_button, self.blend_button, self.photo_only):
            button.setEnabled(has_map)
        self.fit_button.setEnabled(self._photo is not None)

    def set_trust_note(self, note: str, detail: str = "") -> None:
        """The caution beside the map ("" hides it). It takes the place of the line on how to
        read the map (the photo keeps its room on a small screen); that line and `detail`, the
        numbers, are its tooltip."""
        self.trust_note.setText(f"⚠ {note}" if note else "")
        reading = self.subheading.text()
        self.trust_note.setToolTip(plain_tip("\n\n".join(t for t in (reading, detail) if t)))
        self.trust_note.setVisible(bool(note))
        self.subheading.setVisible(not note)

    def set_details(self, details: str) -> None:
        """The technical line (layer, weighting, time), shown while the mouse is off the photo."""
        self._details = details
        self.readout.setText(details)
        self.readout.set_details(details)

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
        self.opacity_label.setText(percent(value / 100))
        self._schedule_render()

    @Slot(int)
    def _colours_changed(self, _index: int) -> None:
        if self.mode() == "matlab" and self._saliency is not None:
            self.blend_button.setChecked(True)  # the grey-photo look is jet only; renders too
            return
        self._schedule_render()

    @Slot(bool)
    def _photo_only_toggled(self, _checked: bool) -> None:
        self._show()

    @Slot(int, int)
    def _hovered(self, col: int, row: int) -> None:
        if col < 0 or self._photo is None:
            self.readout.setText(self._details)
            return
        text = self.tr("x {x}  y {y}").format(x=col, y=row)
        if self._saliency is not None:
            # Look the value up in the map the engine gave, at the matching position.
            height, width = self._photo.shape[:2]
            s_rows, s_cols = self._saliency.shape
            value = self._saliency[row * s_rows // height, col * s_cols // width]
            text += self.tr("   importance {value} of 1").format(value=number(value, 2))
        self.readout.setText(text)
