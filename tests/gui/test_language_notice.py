"""Japanese asked for and not available: the window says so and why (issue 35), where the reason
went only to the log and the terminal, which a double-click user never sees."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from scorecam_gui.gui import i18n


@pytest.fixture
def no_japanese_font(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(i18n, "has_japanese_font", lambda: False)
    yield
    i18n.install("en")


def test_install_says_why_japanese_is_not_shown(qapp, no_japanese_font) -> None:
    assert i18n.install("ja") == "en"
    assert i18n.unavailable() is i18n.NO_JAPANESE_FONT
    assert "fonts-noto-cjk" in i18n.NO_JAPANESE_FONT.detail
    assert i18n.install("en") == "en" and i18n.unavailable() is None


def test_the_window_shows_the_reason_in_its_status_bar(qapp, no_japanese_font, make_window):
    i18n.install("ja")  # as start-up does with --language ja or a Japanese system
    window = make_window()
    notice = window.panels.language_notice
    assert not notice.isHidden()
    assert notice.text() == "Japanese is not available: no Japanese font is installed"
    assert "fonts-noto-cjk" in notice.toolTip()
    # It stays while jobs come and go: the status label is the jobs'; this one is not.
    window.panels.show_status("")
    assert not notice.isHidden()


def test_view_language_says_why_instead_of_now_english(qapp, no_japanese_font, window) -> None:
    assert window.panels.language_notice.isHidden()
    window.menus.language_actions["ja"].trigger()
    assert window.panels.status_text() == i18n.NO_JAPANESE_FONT.detail
    assert not window.panels.language_notice.isHidden()
    assert window.menus.language_actions["en"].isChecked()
    window.menus.language_actions["en"].trigger()  # English chosen: nothing left to explain
    assert window.panels.language_notice.isHidden()
    assert i18n.unavailable() is None


def test_with_the_font_there_is_no_notice(qapp, window) -> None:
    if not i18n.has_japanese_font():
        pytest.skip("no Japanese font here (Debian/Ubuntu: fonts-noto-cjk)")
    try:
        window.menus.language_actions["ja"].trigger()
        assert i18n.unavailable() is None
        assert window.panels.language_notice.isHidden()
    finally:
        window.menus.language_actions["en"].trigger()


def test_the_notice_fits_the_smallest_window(qapp, no_japanese_font, make_window) -> None:
    from PySide6.QtWidgets import QApplication

    from tests.helpers.layout_check import find_problems

    i18n.install("ja")
    window = make_window()
    window.panels.show_status("Explained “Egyptian cat” in 4 s.")
    window.resize(1024, 680)  # the window's minimum size
    for _ in range(3):
        QApplication.processEvents()
    notice = window.panels.language_notice
    assert notice.width() >= notice.sizeHint().width()  # not cut off
    assert [str(p) for p in find_problems(window)] == []
