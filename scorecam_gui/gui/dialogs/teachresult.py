"""What the teach window shows after teaching (issue 37): how it did on the photos held out
(accuracy overall and per class, the confusion table, the photos it got wrong) and the shortcut
check (each class's average map, the photos least like it, and the warning in plain words).
It draws the prepared pictures of app/teach/teachjob.py; nothing here computes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...app.teach.teachjob import ClassLook, TeachOutcome
from ...app.translation import QT_TRANSLATE_NOOP, translate
from .. import i18n
from ..qimage import rgb_to_qimage
from ..widgets import caption, make_tile_grid, plain_tip, section_title

CONTEXT = "TeachResult"
AVERAGE_SIZE = 168  # pixels a side of a class's average map
ODD_SIZE = 96

# The engine's names of the 3 x 3 grid's cells (engine/teach/regions.py), in the window's words.
REGION_WORDS = {
    "top-left corner": QT_TRANSLATE_NOOP("TeachResult", "top-left corner"),
    "top edge": QT_TRANSLATE_NOOP("TeachResult", "top edge"),
    "top-right corner": QT_TRANSLATE_NOOP("TeachResult", "top-right corner"),
    "left edge": QT_TRANSLATE_NOOP("TeachResult", "left edge"),
    "middle": QT_TRANSLATE_NOOP("TeachResult", "middle"),
    "right edge": QT_TRANSLATE_NOOP("TeachResult", "right edge"),
    "bottom-left corner": QT_TRANSLATE_NOOP("TeachResult", "bottom-left corner"),
    "bottom edge": QT_TRANSLATE_NOOP("TeachResult", "bottom edge"),
    "bottom-right corner": QT_TRANSLATE_NOOP("TeachResult", "bottom-right corner"),
}


def _percent(part: float) -> str:
    return i18n.percent(part)


def _pixmap(rgb: object, size: int) -> QPixmap:
    image = rgb_to_qimage(rgb)  # type: ignore[arg-type]
    return QPixmap.fromImage(image).scaled(
        size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def _scrolled(body: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(body)
    return area


def headline(outcome: TeachOutcome) -> str:
    """The first line: how many of the held-out photos it got right."""
    return translate(
        "TeachResult", "It got {right} of {total} test photos right ({percent})."
    ).format(right=outcome.right, total=outcome.held_out, percent=_percent(outcome.accuracy))


def shortcut_words(look: ClassLook) -> str:
    """One class's verdict in plain words: the warning, too few photos, or no shortcut."""
    if look.flagged and look.region is not None:
        return translate(
            "TeachResult",
            "The network looks at the {region} in {count} of {total} '{name}' photos: check "
            "what is there.",
        ).format(
            region=translate(CONTEXT, REGION_WORDS.get(look.region, look.region)),
            count=look.count,
            total=look.photos,
            name=look.name,
        )
    if not look.judged:
        return translate("TeachResult", "Too few test photos to judge ({count}).").format(
            count=look.photos
        )
    return translate(
        "TeachResult",
        "No shortcut found: its maps do not gather in one corner or edge (in the middle in "
        "{middle} of {total}).",
    ).format(middle=look.middle, total=look.photos)


class AccuracyView(QScrollArea):
    """How the taught network did on the held-out photos."""

    def __init__(self, outcome: TeachOutcome, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.headline = QLabel(headline(outcome))
        self.headline.setObjectName("Heading")
        self.headline.setWordWrap(True)
        learnt = sum(outcome.counts) - outcome.held_out
        self.summary = caption(
            translate(
                "TeachResult",
                "{network} learnt {classes} classes from {learnt} photos; {held} other photos "
                "were held back to test it. It is in the network list as '{name}'.",
            ).format(
                network=outcome.network_title,
                classes=len(outcome.classes),
                learnt=learnt,
                held=outcome.held_out,
                name=outcome.taught.name,
            )
        )
        self.summary.setToolTip(
            plain_tip(
                translate(
                    "TeachResult",
                    "A new last layer was learnt on the network's features (the network itself "
                    "is kept as it was). Reading the photos took {features} s, the fit {fit} s; "
                    "penalty {penalty}. The held-out photos took no part in teaching. Files: "
                    "{file}",
                ).format(
                    features=i18n.number(outcome.seconds_features, 1),
                    fit=i18n.number(outcome.seconds_fit, 1),
                    penalty=f"{outcome.penalty:g}",
                    file=str(outcome.taught.weights),
                )
            )
        )
        layout.addWidget(self.headline)
        layout.addWidget(self.summary)
        tables = QHBoxLayout()
        tables.addLayout(
            self._titled(translate("TeachResult", "Each class"), self._per_class(outcome)), 2
        )
        tables.addLayout(
            self._titled(translate("TeachResult", "What it said"), self._confusion(outcome)), 3
        )
        layout.addLayout(tables)
        layout.addWidget(section_title(translate("TeachResult", "Photos it got wrong")))
        self.wrong = QListWidget()
        self.wrong.setObjectName("WrongPhotos")
        make_tile_grid(self.wrong, ODD_SIZE, QSize(ODD_SIZE + 64, ODD_SIZE + 44))
        for photo in outcome.wrong:
            text = translate("TeachResult", "{name}: said {said}").format(
                name=photo.true_class, said=photo.said
            )
            item = QListWidgetItem(QIcon(_pixmap(photo.thumbnail, ODD_SIZE)), text)
            item.setToolTip(
                plain_tip(
                    translate(
                        "TeachResult", "{file}\na '{name}' photo; it said '{said}' ({percent} sure)"
                    ).format(
                        file=photo.path,
                        name=photo.true_class,
                        said=photo.said,
                        percent=_percent(photo.probability),
                    )
                )
            )
            self.wrong.addItem(item)
        self.wrong.setMinimumHeight(ODD_SIZE + 56)
        if outcome.wrong:
            layout.addWidget(self.wrong, 1)
        else:
            self.wrong.hide()
            layout.addWidget(
                caption(translate("TeachResult", "None: it got every test photo right."))
            )
            layout.addStretch(1)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(body)

    @staticmethod
    def _titled(title: str, table: QTableWidget) -> QVBoxLayout:
        box = QVBoxLayout()
        box.addWidget(section_title(title))
        box.addWidget(table)
        return box

    @staticmethod
    def _table(rows: int, columns: int) -> QTableWidget:
        table = QTableWidget(rows, columns)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.horizontalHeader().setStretchLastSection(True)
        table.setMaximumHeight(36 + 30 * min(rows, 6))
        return table

    def _per_class(self, outcome: TeachOutcome) -> QTableWidget:
        table = self._table(len(outcome.classes), 2)
        self.per_class = table
        table.setObjectName("PerClass")
        table.setHorizontalHeaderLabels(
            [translate("TeachResult", "Right"), translate("TeachResult", "Share")]
        )
        table.setVerticalHeaderLabels(list(outcome.classes))
        for row, (right, total) in enumerate(outcome.per_class):
            share = right / total if total else 0.0
            table.setItem(
                row,
                0,
                QTableWidgetItem(
                    translate("TeachResult", "{right} of {total}").format(right=right, total=total)
                ),
            )
            table.setItem(row, 1, QTableWidgetItem(_percent(share)))
        table.resizeColumnsToContents()
        return table

    def _confusion(self, outcome: TeachOutcome) -> QTableWidget:
        k = len(outcome.classes)
        table = self._table(k, k)
        self.confusion = table
        table.setObjectName("Confusion")
        table.setHorizontalHeaderLabels(
            [translate("TeachResult", "said {name}").format(name=c) for c in outcome.classes]
        )
        table.setVerticalHeaderLabels(list(outcome.classes))
        table.setToolTip(
            translate(
                "TeachResult",
                "The confusion table: a row for the class of the test photos, a column for what "
                "the network said. The diagonal counts the photos it got right.",
            )
        )
        for row in range(k):
            for column in range(k):
                item = QTableWidgetItem(str(int(outcome.confusion[row, column])))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if row == column:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(row, column, item)
        table.resizeColumnsToContents()
        return table


class ShortcutView(QScrollArea):
    """Per class: the average map, the verdict in plain words, the photos least like it."""

    def __init__(self, outcome: TeachOutcome, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        body = QWidget()
        layout = QVBoxLayout(body)
        flagged = [look for look in outcome.looks if look.flagged]
        if not outcome.looks:
            text = translate("TeachResult", "The shortcut check was not run.")
        elif flagged:
            text = translate(
                "TeachResult", "A possible shortcut in {count} of {total} classes: see below."
            ).format(count=len(flagged), total=len(outcome.looks))
        else:
            text = translate("TeachResult", "No shortcut found in any class.")
        self.headline = QLabel(text)
        self.headline.setObjectName("Heading")
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        about = caption(
            translate(
                "TeachResult",
                "Each test photo was explained for its own class. A class is flagged when most "
                "of its maps point at the same small spot near a corner or an edge: objects move "
                "from photo to photo, a watermark, a ruler or a sticker does not.",
            )
        )
        about.setToolTip(
            plain_tip(
                translate(
                    "TeachResult",
                    "Method: {method}, scoring each photo's {maps} strongest maps on the "
                    "network's default layer; {seconds} s. A spot is the part of a map at half "
                    "its peak or more, covering at most 30 % of the photo; flagged when one "
                    "corner or edge holds it in at least 60 % of a class's photos, and in 3 at "
                    "least. The middle never raises a warning. See docs/teaching.md.",
                ).format(
                    method=outcome.check_method,
                    maps=64,
                    seconds=i18n.number(outcome.check_seconds, 0),
                )
            )
        )
        layout.addWidget(about)
        self.rows: list[QFrame] = []
        self.verdicts: list[QLabel] = []
        for look in outcome.looks:
            row = self._class_row(look)
            self.rows.append(row)
            layout.addWidget(row)
        layout.addStretch(1)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(body)

    def _class_row(self, look: ClassLook) -> QFrame:
        frame = QFrame()
        frame.setObjectName("ClassCheck")
        grid = QGridLayout(frame)
        grid.setContentsMargins(0, 8, 0, 8)
        average = QLabel()
        average.setPixmap(_pixmap(look.average, AVERAGE_SIZE))
        average.setToolTip(
            translate(
                "TeachResult",
                "The average map of the {count} test photos of '{name}', over their average "
                "photo: where the network looked, on the whole.",
            ).format(count=look.photos, name=look.name)
        )
        grid.addWidget(average, 0, 0, 3, 1, Qt.AlignmentFlag.AlignTop)
        name = QLabel(look.name)
        name.setTextFormat(Qt.TextFormat.PlainText)
        font = name.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        name.setFont(font)
        grid.addWidget(name, 0, 1)
        verdict = caption(shortcut_words(look), name="Warning" if look.flagged else "Caption")
        self.verdicts.append(verdict)
        grid.addWidget(verdict, 1, 1)
        odd = QHBoxLayout()
        odd.setSpacing(6)
        odd_title = section_title(translate("TeachResult", "Least like the usual map"))
        odd_title.setToolTip(
            translate(
                "TeachResult",
                "The test photos whose map differs most from the class's average map: where "
                "the map and the class disagree most, the photos to look at first.",
            )
        )
        for photo in look.odd:
            tile = QLabel()
            tile.setPixmap(_pixmap(photo.overlay, ODD_SIZE))
            tile.setToolTip(
                plain_tip(
                    translate(
                        "TeachResult", "{file}\nlikeness to the average map: {likeness}"
                    ).format(file=Path(photo.path).name, likeness=i18n.number(photo.likeness, 2))
                )
            )
            odd.addWidget(tile)
        odd.addStretch(1)
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(odd_title)
        box.addLayout(odd)
        grid.addLayout(box, 2, 1)
        grid.setColumnStretch(1, 1)
        return frame
