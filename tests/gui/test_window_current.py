"""What the window shows while a new job runs is about that job, and the top-5 list takes keys.

The heading names the class whose map is being made (not the previous one), the status bar's
"Explained …" goes when a new job starts, the class search box starts empty for a new photo;
the top-5 list shows where the keyboard is and explains a class on Enter or Space.
"""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
skimage_data = pytest.importorskip("skimage.data")

from PySide6.QtCore import Qt  # noqa: E402

from scorecam_gui.app.jobs import Classified  # noqa: E402
from tests.helpers import window as window_helpers  # noqa: E402

TIMEOUT_MS = 120_000


photos = window_helpers.photos  # the window tests' photos (tests/helpers/window.py)


def explain(qtbot, window, action) -> None:
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        action()


def test_the_heading_and_status_are_about_the_running_job(qtbot, window, photos):
    explain(qtbot, window, lambda: window.controller.open_paths([str(photos["chelsea"])]))
    first = window.state.shown.result
    assert window.panels.status_text().startswith("Explained")
    second = first.top5[1]
    seen: list[tuple[str, str]] = []

    def look(_job: int, event: object) -> None:  # after the window's own slot
        if isinstance(event, Classified):
            seen.append((window.panels.canvas.heading.text(), window.panels.status_text()))

    window.runner.progressed.connect(look)
    explain(qtbot, window, lambda: window.controller.explain_class(second.index))
    window.runner.progressed.disconnect(look)
    assert seen, "no classification came"
    heading, status = seen[0]
    assert heading.startswith(second.name) and first.target.name not in heading
    assert status == ""  # not "Explained “Egyptian cat” …" while tiger cat's map is made


def test_the_class_search_starts_empty_for_a_new_photo(qtbot, window, photos):
    explain(qtbot, window, lambda: window.controller.open_paths([str(photos["chelsea"])]))
    window.panels.prediction.search.setText("tab")
    explain(qtbot, window, lambda: window.controller.open_paths([str(photos["coffee"])]))
    assert window.panels.prediction.search.text() == ""


def test_the_top_five_take_enter_and_space(qtbot, window, photos):
    explain(qtbot, window, lambda: window.controller.open_paths([str(photos["chelsea"])]))
    listing = window.panels.prediction.list
    listing.setFocus()
    qtbot.waitUntil(listing.hasFocus)
    assert listing.currentRow() == 0  # the focus lands on a class, drawn with a ring
    asked: list[int] = []
    window.panels.prediction.classRequested.disconnect()
    window.panels.prediction.classRequested.connect(asked.append)
    qtbot.keyClick(listing, Qt.Key.Key_Down)
    qtbot.keyClick(listing, Qt.Key.Key_Space)
    qtbot.keyClick(listing, Qt.Key.Key_Down)
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    shown = window.panels.prediction.shown_classes()
    assert asked == [shown[1], shown[2]]


def test_a_class_chosen_by_search_leaves_the_text_field(qtbot, window, photos):
    """So that H then hides the map instead of typing an h into the search box."""
    explain(qtbot, window, lambda: window.controller.open_paths([str(photos["chelsea"])]))
    window.panels.prediction.search.setFocus()
    qtbot.waitUntil(window.panels.prediction.search.hasFocus)
    explain(qtbot, window, lambda: window.panels.prediction._search_chosen("espresso"))
    assert not window.panels.prediction.search.hasFocus()
    assert window.panels.prediction.search.text() == ""
