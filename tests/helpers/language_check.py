"""The texts a window shows, and which of them are still English (issue 26).

Counted, for every widget visible on screen: a label's text (rich text as plain), a button's,
check box's or tab's title, a combo box's shown choice, a line edit's text or placeholder, the
rows a list shows in its viewport (the prediction's class names), and the menu bar's titles.
Tooltips, accessible names and what pyqtgraph paints into its plots are not counted (they are
not widgets' texts on screen). A text is English when it has two Latin letters in a row and no
Japanese character; one with neither (numbers, "·") is not counted. File names, layer names and
class names that nothing translates (another network's labels) count as English; ImageNet's
classes are shown in Japanese (docs/classnames-ja.md).

`english_share` is the issue's measure (names count as English); `ui_english_share` leaves out
the texts that are English only because they are such names, which measures the window's own
words (both are asserted by tests/gui/test_window_japanese.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenuBar,
    QTabBar,
    QWidget,
)

from tests.helpers.layout_check import _plain, _shown, describe

LATIN = re.compile(r"[A-Za-z]{2}")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class ShownText:
    widget: str
    text: str

    @property
    def english(self) -> bool:
        return is_english(self.text)


def is_english(text: str) -> bool:
    return bool(LATIN.search(text)) and not JAPANESE.search(text)


def counts(text: str) -> bool:
    return bool(LATIN.search(text) or JAPANESE.search(text))


def _without_accelerator(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _item_texts(view: QAbstractItemView) -> list[str]:
    """The rows of a list shown in its viewport (the prediction's class names, tiles' labels)."""
    model, area = view.model(), view.viewport().rect()
    texts = []
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if view.visualRect(index).intersects(area):
            value = model.data(index, Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str):
                texts.append(value)
    return texts


def shown_texts(root: QWidget) -> list[ShownText]:
    """Every text shown under `root` (see the module's docstring for what counts)."""
    found: list[ShownText] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not _shown(widget) or widget.window() is not root.window():
            continue
        texts: list[str] = []
        if isinstance(widget, QMenuBar):
            texts = [_without_accelerator(a.text()) for a in widget.actions() if a.isVisible()]
        elif isinstance(widget, QLabel):
            texts = [_plain(widget)]
        elif isinstance(widget, QTabBar):
            texts = [widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i)]
        elif isinstance(widget, QAbstractButton):
            texts = [_without_accelerator(widget.text())]
        elif isinstance(widget, QComboBox):
            texts = [widget.currentText()]
        elif isinstance(widget, QLineEdit) and not isinstance(widget.parentWidget(), QComboBox):
            texts = [widget.text() or widget.placeholderText()]
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts = _item_texts(widget)
        name = describe(widget).split(" “")[0]
        found += [ShownText(name, t.strip()) for t in texts if counts(t)]
    return found


def english_share(root: QWidget) -> tuple[float, list[ShownText]]:
    """The share of shown texts that are English, and those texts."""
    texts = shown_texts(root)
    english = [t for t in texts if t.english]
    return (len(english) / len(texts) if texts else 0.0), english


def without_names(text: str, names: Iterable[str]) -> str:
    """`text` with every whole-word occurrence of `names` taken out (longest first)."""
    for name in sorted(set(names), key=len, reverse=True):
        if name and name in text:
            text = re.sub(rf"(?<![\w.]){re.escape(name)}(?![\w])", " ", text)
    return text


def ui_english_share(
    root: QWidget, names: Iterable[str]
) -> tuple[float, list[ShownText], list[ShownText]]:
    """The share of the window's own words still English: texts that are English only because
    they are names nothing translates (`names`: class, layer and file names, devices and number
    formats; "Egyptian cat  79.1%", "_blocks.0   16×112×112", "cpu · fp32") are left out of
    the count. Returns the share, the English texts, and the texts left out as names."""
    names = list(names)
    texts = shown_texts(root)
    only_names = [t for t in texts if t.english and not counts(without_names(t.text, names))]
    counted = [t for t in texts if t not in only_names]
    english = [t for t in counted if is_english(without_names(t.text, names))]
    return (len(english) / len(counted) if counted else 0.0), english, only_names
