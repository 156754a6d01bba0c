"""Finds text that does not fit its widget and sibling controls on top of each other.

Used by tests/gui/test_window_layout.py (offscreen) and, for real screenshots under Xvfb with
QT_SCALE_FACTOR, by running this file as a script on a window.

What counts as a problem, for every widget visible on screen:
- a one-line QLabel whose text is wider than the label, unless it elides with a tooltip holding
  the whole text (widgets.ElidedLabel); a word-wrapped QLabel whose text needs more height than
  the label has;
- a button, check box or tool button narrower than its text needs;
- a combo box whose shown choice is wider than its text field, unless it elides with a tooltip
  (widgets.ElidedComboBox); a line edit whose placeholder does not fit;
- a tab whose title does not fit its tab;
- two visible sibling widgets whose rectangles overlap;
- a widget sticking out of its parent (cut off at the parent's edge), except inside a scroll
  area's viewport, where scrolling shows the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtGui
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenuBar,
    QRadioButton,
    QStyle,
    QStyleOptionComboBox,
    QTabBar,
    QToolButton,
    QWidget,
)

SLACK = 1  # px of rounding forgiven


@dataclass(frozen=True)
class Problem:
    widget: str
    what: str

    def __str__(self) -> str:
        return f"{self.widget}: {self.what}"


def describe(widget: QWidget) -> str:
    names = []
    w: QWidget | None = widget
    while w is not None and len(names) < 4:
        name = w.objectName() or type(w).__name__
        names.append(name)
        w = w.parentWidget()
    text = ""
    for attr in ("text", "currentText", "placeholderText"):
        getter = getattr(widget, attr, None)
        if callable(getter):
            value = getter()
            if isinstance(value, str) and value:
                text = value.replace("\n", " ")[:60]
                break
    return " < ".join(names) + (f" “{text}”" if text else "")


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _plain(label: QLabel) -> str:
    text = label.text()
    if label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)
    ):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def _label_problem(label: QLabel) -> str | None:
    if not label.text() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    if hasattr(label, "is_elided") and hasattr(label, "full_text"):
        # widgets.ElidedLabel: cut text ends in "…" and the whole text is its tooltip.
        if label.is_elided() and label.full_text() not in label.toolTip():
            return "elided without the whole text in its tooltip"
        return None
    rect = label.contentsRect()
    margin = label.margin() * 2 + (label.indent() if label.indent() > 0 else 0)
    width = rect.width() - margin
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(label.text())
    )
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + SLACK:
            return f"wrapped text needs {needed} px of height, has {label.height()}"
        return None
    if rich:
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setDocumentMargin(0)
        doc.setHtml(label.text())
        needed_w = int(doc.idealWidth())
        needed_h = int(doc.size().height())
    else:
        metrics = QFontMetrics(label.font())
        lines = label.text().split("\n")
        needed_w = max(metrics.horizontalAdvance(line) for line in lines)
        needed_h = metrics.height() * len(lines)
    if needed_w > width + SLACK:
        return f"text needs {needed_w} px, has {width}"
    if needed_h > rect.height() + 2 + SLACK:
        return f"text needs {needed_h} px of height, has {rect.height()}"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text:
        return None
    if isinstance(button, (QCheckBox, QRadioButton)):
        needed = button.sizeHint().width()  # indicator, gap and text, as the style lays them out
    else:
        metrics = QFontMetrics(button.font())
        needed = max(metrics.horizontalAdvance(line) for line in text.split("\n")) + 2
        if not button.icon().isNull():
            needed += button.iconSize().width() + 4
        if isinstance(button, QToolButton) and button.arrowType() != Qt.ArrowType.NoArrow:
            needed += 16
    if button.width() + SLACK < needed:
        return f"text needs {needed} px, has {button.width()}"
    return None


def _combo_problem(combo: QComboBox) -> str | None:
    text = combo.currentText()
    if not text:
        return None
    if hasattr(combo, "is_elided"):
        if combo.is_elided() and text not in combo.toolTip():
            return "elided without the whole choice in its tooltip"
        return None
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    icon = 0 if combo.itemIcon(combo.currentIndex()).isNull() else combo.iconSize().width() + 4
    needed = QFontMetrics(combo.font()).horizontalAdvance(text) + icon
    if needed > field.width() + SLACK:
        return f"choice needs {needed} px, has {field.width()}"
    return None


def _line_edit_problem(edit: QLineEdit) -> str | None:
    text = edit.placeholderText() if not edit.text() else ""
    if not text:
        return None
    needed = QFontMetrics(edit.font()).horizontalAdvance(text)
    if needed > edit.width() - 12:
        return f"placeholder needs {needed} px, has {edit.width() - 12}"
    return None


def _tab_problems(bar: QTabBar) -> list[str]:
    problems = []
    if bar.elideMode() != Qt.TextElideMode.ElideNone:
        return problems
    metrics = QFontMetrics(bar.font())
    for i in range(bar.count()):
        needed = metrics.horizontalAdvance(bar.tabText(i))
        if needed > bar.tabRect(i).width() + SLACK:
            problems.append(f"tab “{bar.tabText(i)}” needs {needed} px")
    return problems


def _in_scroll_viewport(widget: QWidget) -> bool:
    w = widget.parentWidget()
    while w is not None:
        parent = w.parentWidget()
        if isinstance(parent, QAbstractScrollArea) and parent.viewport() is w:
            return True
        w = parent
    return False


def _overlaps(parent: QWidget) -> list[tuple[QWidget, QWidget]]:
    children = [
        c
        for c in parent.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        if _shown(c) and not c.isWindow()
    ]
    if isinstance(parent, QAbstractScrollArea):
        return []  # the viewport and scroll bars are placed by the scroll area itself
    pairs = []
    for i, a in enumerate(children):
        for b in children[i + 1 :]:
            inter: QRect = a.geometry().intersected(b.geometry())
            if inter.width() > SLACK and inter.height() > SLACK:
                pairs.append((a, b))
    return pairs


def find_problems(root: QWidget) -> list[Problem]:
    """Every cut-off text and overlap among the widgets shown under `root`."""
    problems: list[Problem] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not _shown(widget) or (widget.window() is not root.window()):
            continue
        if isinstance(widget, QMenuBar):
            continue
        what: str | None = None
        if isinstance(widget, QLabel):
            what = _label_problem(widget)
        elif isinstance(widget, QAbstractButton) and not isinstance(widget.parentWidget(), QTabBar):
            what = _button_problem(widget)
        elif isinstance(widget, QComboBox):
            what = _combo_problem(widget)
        elif isinstance(widget, QLineEdit) and not isinstance(widget.parentWidget(), QComboBox):
            what = _line_edit_problem(widget)
        elif isinstance(widget, QTabBar):
            for text in _tab_problems(widget):
                problems.append(Problem(describe(widget), text))
        if what:
            problems.append(Problem(describe(widget), what))
        for a, b in _overlaps(widget):
            problems.append(Problem(describe(a), f"overlaps {describe(b)}"))
        parent = widget.parentWidget()
        if (
            parent is not None
            and widget is not root
            and not widget.isWindow()
            and not _in_scroll_viewport(widget)
            and not isinstance(parent, QAbstractScrollArea)
        ):
            outside = widget.geometry().united(parent.rect()) != parent.rect()
            if outside and widget.geometry().intersected(parent.rect()) != widget.geometry():
                g = widget.geometry()
                if (
                    g.right() > parent.width() - 1 + SLACK
                    or g.bottom() > parent.height() - 1 + SLACK
                    or g.left() < -SLACK
                    or g.top() < -SLACK
                ):
                    problems.append(
                        Problem(describe(widget), f"cut off by its parent ({g} in {parent.size()})")
                    )
    return problems


def styled_application():
    """A context manager: the app styled as scorecam-gui styles it (theme.apply), then as it was
    (tests otherwise run with Qt's plain look, not the window's)."""
    from contextlib import contextmanager

    from PySide6.QtWidgets import QApplication

    from scorecam_gui.gui import theme

    @contextmanager
    def styled():
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        before = (app.style().name(), app.palette(), app.font(), app.styleSheet())
        theme.apply(app)
        try:
            yield app
        finally:
            app.setStyleSheet(before[3])
            app.setStyle(before[0])
            app.setPalette(before[1])
            app.setFont(before[2])

    return styled()
