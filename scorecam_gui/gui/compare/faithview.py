"""What the Compare tab shows for its two ranking protocols (the numbers are the engine's):

- the sanity check: one row per method, one column per depth of randomisation (the intact
  network first), each map over the photo with its Spearman and SSIM against the intact one;
- the grid test: the grid once per method and cell, that cell framed, with the share of the
  map's mass inside it, and the method's mean (chance: 1/N²).

    FaithView(parent=None)                  a QWidget, empty (hidden) until given something
        show_sanity(outcome: SanityOutcome)
        show_grid(outcome: GridOutcome)
        clear()
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from ...app.faithjobs import GridOutcome, SanityOutcome
from ...engine.imaging import render_matlab_overlay
from ...engine.methods import catalog
from .. import theme
from ..i18n import percent
from ..qimage import rgb_to_qimage
from ..widgets import caption, section_title

TILE = 112  # px


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _frame(rgb: np.ndarray, box: tuple[int, int, int, int], width: int = 2) -> np.ndarray:
    """The image with a white frame around box (y0, y1, x0, x1)."""
    out = rgb.copy()
    y0, y1, x0, x1 = box
    out[y0 : y0 + width, x0:x1] = out[y1 - width : y1, x0:x1] = 255
    out[y0:y1, x0 : x0 + width] = out[y0:y1, x1 - width : x1] = 255
    return out


def _image(rgb: np.ndarray) -> QLabel:
    label = QLabel()
    label.setFixedSize(TILE, TILE)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet(f"background: {theme.CANVAS};")
    pixmap = QPixmap.fromImage(rgb_to_qimage(np.ascontiguousarray(rgb)))
    label.setPixmap(
        pixmap.scaled(
            TILE,
            TILE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    )
    return label


def _tile(rgb: np.ndarray, text: str, tip: str = "") -> QWidget:
    tile = QWidget()
    layout = QVBoxLayout(tile)
    layout.setContentsMargins(2, 2, 2, 2)
    layout.setSpacing(2)
    layout.addWidget(_image(rgb))
    note = caption(text)
    note.setFixedWidth(TILE)
    layout.addWidget(note)
    tile.setToolTip(tip)
    tile.setFixedSize(TILE + 4, TILE + 40)  # room for two lines of caption under the map
    return tile


class FaithView(QWidget):
    """The latest sanity check or grid test, as tiles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = section_title("")
        self.summary = caption("", rich=True)  # names escaped (_escape)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._grid_widget = QWidget()
        self.grid = QGridLayout(self._grid_widget)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self._grid_widget, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.clear()

    def clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.tiles: list[QWidget] = []  # the map tiles shown
        self.title.setText("")
        self.summary.setText("")
        self.setVisible(False)

    def _add_tile(self, tile: QWidget, row: int, col: int) -> None:
        self.tiles.append(tile)
        self.grid.addWidget(tile, row, col)

    # -- sanity check --------------------------------------------------------------------------
    def show_sanity(self, outcome: SanityOutcome) -> None:
        self.clear()
        r = outcome.result
        self.title.setText(
            self.tr("Sanity check: “{name}” as the network is destroyed").format(name=r.target.name)
        )
        self.summary.setText(
            self.tr(
                "Each column re-initialises more of the network's layers, from the top (the "
                "class scores) down; the maps are compared with the intact network's (ρ: rank "
                "correlation, SSIM: structural similarity, both 1 for the same map). A method "
                "that depends on what the network learnt loses similarity; the noise map ignores "
                "the network and keeps it (Adebayo et al., 2018)."
            )
        )
        for col, step in enumerate(r.steps, start=1):
            head = (
                self.tr("intact")
                if not step.randomised
                else self.tr("down to {group}").format(group=step.group)
            )
            of = self.tr("{done} of {count}").format(done=step.randomised, count=len(r.groups))
            label = caption(f"<b>{_escape(head)}</b><br>{of}", rich=True)
            label.setFixedWidth(TILE)
            self.grid.addWidget(label, 0, col)
        for row, method in enumerate(r.methods, start=1):
            self.grid.addWidget(caption(f"<b>{_escape(_title(method))}</b>", rich=True), row, 0)
            for col, step in enumerate(r.steps, start=1):
                overlay = render_matlab_overlay(r.image_rgb, step.maps[method])
                rho, sim = step.spearman[method], step.ssim[method]
                rho_text = self.tr("flat") if np.isnan(rho) else f"{rho:.2f}"
                text = f"ρ {rho_text} · SSIM {sim:.2f}"
                self._add_tile(_tile(overlay, text, f"{_title(method)}: {text}"), row, col)
        self.setVisible(True)

    # -- grid test -----------------------------------------------------------------------------
    def show_grid(self, outcome: GridOutcome) -> None:
        self.clear()
        game = outcome.game
        skipped = "".join(
            "<br>"
            + self.tr("Left out: {label}: {reason}").format(
                label=_escape(s.label), reason=_escape(s.reason)
            )
            for s in outcome.skipped
        )
        if game is None:
            self.title.setText(self.tr("Grid test"))
            self.summary.setText(_escape(outcome.message) + skipped)
            self.setVisible(True)
            return
        n, image = game.n, game.images[0]
        self.title.setText(
            self.tr("Grid test: {n} × {n} photos, each cell explained for its own class").format(
                n=n
            )
        )
        self.summary.setText(
            _escape(outcome.message)
            + " "
            + self.tr(
                "The grid is resized whole to the network's input, so each cell is {pixels} "
                "pixels of its view. The number under each map is the share of the map inside "
                "the framed cell: higher is better, chance is {chance} (Rao et al., 2022)."
            ).format(pixels=f"{image.shape[0] / n:g}", chance=percent(game.chance))
            + skipped
        )
        for cell in range(n * n):
            photo = game.photos[game.arrangements[0][cell]]
            head = caption(f"<b>{_escape(photo.prediction.name)}</b>", rich=True)
            head.setFixedWidth(TILE)
            self.grid.addWidget(head, 0, cell + 1)
        for row, method in enumerate(game.methods, start=1):
            mean = game.summary(method).mean
            self.grid.addWidget(
                caption(
                    f"<b>{_escape(_title(method))}</b><br>"
                    + self.tr("mean {share}").format(share=percent(mean)),
                    rich=True,
                ),
                row,
                0,
            )
            for cell in range(n * n):
                saliency = game.maps[(method, 0, cell)]
                box = _cell_box(image.shape[0], n, cell)
                overlay = _frame(render_matlab_overlay(image, saliency), box)
                score = next(
                    s.localisation
                    for s in game.scores
                    if s.method == method and s.grid == 0 and s.cell == cell
                )
                text = self.tr("in cell {share}").format(share=percent(score))
                self._add_tile(_tile(overlay, text), row, cell + 1)
        self.setVisible(True)


def _title(method: str) -> str:
    return catalog.info(method).title


def _cell_box(size: int, n: int, cell: int) -> tuple[int, int, int, int]:
    from ...engine.faithfulness.pointing_game import cell_box

    return cell_box(size, n, cell)
