"""The translation catalogues: in step with the sources, complete, and applied by the window.

pyside6-lupdate run over the package must find exactly the texts scorecam_ja.ts holds (a new or
changed text without its entry fails, and so does an entry whose text has gone), none of them
unfinished; each translation keeps its source's {placeholders} and menu accelerator. Then the
language choice (command line, remembered, system) and View › Language switching the menus
without a restart.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings

from scorecam_gui.app import translation
from scorecam_gui.gui import i18n
from scorecam_gui.translations import build
from tests.helpers.catalogue import CATALOGUE, ROOT, messages

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], ET.Element]:
    """The catalogue after pyside6-lupdate has read today's sources (in a copy)."""
    copy = tmp_path_factory.mktemp("ts") / CATALOGUE.name
    shutil.copy2(CATALOGUE, copy)
    build.update_catalogue(copy)
    return messages(copy)


def test_catalogue_has_an_entry_for_every_text_in_the_sources(updated) -> None:
    new = [key for key, tr in updated.items() if tr is not None and tr.get("type") == "unfinished"]
    assert new == [], f"texts without a translation in {CATALOGUE.name} (run build --update): {new}"


def test_catalogue_has_no_entry_whose_text_is_gone(updated) -> None:
    gone = [
        key
        for key, tr in updated.items()
        if tr is not None and tr.get("type") in ("obsolete", "vanished")
    ]
    assert gone == [], f"stale entries (build --update --no-obsolete drops them): {gone}"
    assert set(updated) == set(messages(CATALOGUE)), "the .ts differs from lupdate's view"


def test_every_translation_keeps_placeholders_and_accelerators() -> None:
    wrong = []
    for (context, source), tr in messages(CATALOGUE).items():
        text = (tr.text or "") if tr is not None else ""
        assert text, (context, source)
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            wrong.append((source, text, "placeholders"))
        accelerator = re.search(r"&(?![a-z]+;)\w", source.replace("&&", ""))  # not &ldquo;
        if accelerator and not re.search(r"\(&\w\)", text):
            wrong.append((source, text, "accelerator: Japanese menus write it as (&F)"))
    assert wrong == []


def test_lupdate_extracts_the_markers_of_the_qt_free_layer(tmp_path: Path) -> None:
    # What the mechanism relies on: lupdate reads translate() and QT_TRANSLATE_NOOP() calls by
    # name, with literal arguments only (a context held in a variable is silently skipped).
    source = tmp_path / "marked.py"
    source.write_text(
        "from scorecam_gui.app.translation import QT_TRANSLATE_NOOP, translate\n"
        'A = QT_TRANSLATE_NOOP("Words", "a constant")\n'
        'B = translate("Words", "a text " "in two parts")\n'
        'CONTEXT = "Words"\nC = translate(CONTEXT, "not extracted")\n',
        encoding="utf-8",
    )
    ts = tmp_path / "out_ja.ts"
    report = build.update_catalogue(ts, package=tmp_path / "none", extra=[str(source)])
    found = 2 + len(set(build.catalog_texts()))  # the catalog's words come along
    assert f"Found {found} source text" in report, report
    words = set(messages(ts)) - {(build.CATALOG_CONTEXT, t) for t in build.catalog_texts()}
    assert words == {("Words", "a constant"), ("Words", "a text in two parts")}


def test_no_f_string_goes_to_the_translator() -> None:
    # lupdate would extract "{x}" literally and the formatted text would never be found.
    pattern = re.compile(r"""(\.tr|translate|QT_TRANSLATE_NOOP)\(\s*(\"[^\"]*\",\s*)?f["']""")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in build.sources()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_the_engine_texts_the_window_translates_come_from_the_catalog(qapp) -> None:
    # The engine has no catalogue: the translation tool marks the catalog's family headings and
    # method summaries from the catalog itself (build.catalog_markers), so a method added or a
    # text changed there reaches the catalogue, and this test, without being typed again.
    from scorecam_gui.engine.methods import catalog

    texts = build.catalog_texts()
    assert set(texts) == {*catalog.FAMILIES.values(), *(m.summary for m in catalog.METHODS)}
    in_ts = {source for context, source in messages(CATALOGUE) if context == build.CATALOG_CONTEXT}
    assert set(texts) <= in_ts
    try:
        assert i18n.install("ja") == "ja"
        for text in texts:
            assert translation.translate("MethodCatalog", text) != text
    finally:
        i18n.install("en")


def test_the_option_help_the_window_translates_is_the_command_lines(qapp) -> None:
    # choices.py's help texts (the command line's) are marked again in app/plainwords.py for the
    # Advanced options' tooltips (issue 38): a text changed in one place only would show English.
    from scorecam_gui import choices
    from scorecam_gui.app import plainwords

    assert plainwords.WEIGHTING_HELP == choices.WEIGHTING_HELP
    assert plainwords.FILL_HELP == choices.FILL_HELP
    assert plainwords.BACKEND_HELP == choices.BACKEND_HELP
    assert plainwords.PRECISION_HELP == choices.PRECISION_HELP
    assert set(plainwords.WEIGHTING_NAMES) == set(choices.WEIGHTINGS)
    assert set(plainwords.FILL_NAMES) == set(choices.FILLS)


def test_the_exported_figure_speaks_the_windows_language(qapp) -> None:
    from dataclasses import replace

    from scorecam_gui.app.enginewords import figure_words, trust_words
    from scorecam_gui.engine.figure import FigureWords
    from scorecam_gui.engine.prediction import Prediction
    from scorecam_gui.engine.trust import TrustWords, assess

    # English: the engine's own words.
    assert replace(figure_words(), trust=None) == FigureWords() and trust_words() == TrustWords()
    top5 = [Prediction(457, "bobsled", 0.289, 5.0), Prediction(560, "football helmet", 0.098, 4.0)]
    english = assess(top5, top5[0], 3.1, "EfficientNet-Lite0", trust_words())
    assert english == assess(top5, top5[0], 3.1, "EfficientNet-Lite0")
    try:
        assert i18n.install("ja") == "ja"
        words = figure_words()
        japanese = assess(top5, top5[0], 3.1, "EfficientNet-Lite0", trust_words())
    finally:
        i18n.install("en")
    assert words.bar_title == "重要度: 0 なし、1 最大" and words.percent == "{value}%"
    assert "{network}" in words.subtitle and "見た場所" in words.subtitle
    assert words.trust is not None and words.trust.unfamiliar.startswith("この写真")
    assert japanese.photo_unfamiliar and japanese.note.startswith("この写真")
    assert "28.9%" in japanese.detail and "3.10 ビット" in japanese.detail


def test_the_application_layer_translates_once_the_window_installs_japanese(qapp) -> None:
    assert translation.translate("Duration", "{s} s") == "{s} s"
    try:
        assert i18n.install("ja") == "ja"
        assert translation.translate("Duration", "{s} s") == "{s}秒"
        assert i18n.duration(80) == "1分20秒"
        assert i18n.number(12345.5, 1) == "12,345.5"
    finally:
        i18n.install("en")
    assert translation.translate("Duration", "{s} s") == "{s} s"
    assert i18n.duration(80) == "1 min 20 s"


def test_language_comes_from_the_command_line_then_the_choice_then_the_system(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QLocale

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(QLocale, "system", lambda: QLocale("ja_JP"))
    assert i18n.chosen_language(None, settings) == "ja"  # the system's
    i18n.remember_language("en", settings)
    assert i18n.chosen_language(None, settings) == "en"  # the remembered choice
    assert i18n.chosen_language(None, settings, remembered=False) == "ja"  # screenshot runs
    assert i18n.chosen_language("ja", settings) == "ja"  # the command line
    monkeypatch.setattr(QLocale, "system", lambda: QLocale("de_DE"))
    settings.remove(i18n.SETTINGS_KEY)
    assert i18n.chosen_language(None, settings) == "en"


def test_language_option_is_parsed_and_checked() -> None:
    from scorecam_gui.gui.startup.main import parse_args

    assert parse_args(["--language", "ja"]).language == "ja"
    assert parse_args([]).language is None
    with pytest.raises(SystemExit):
        parse_args(["--language", "fr"])


def test_view_language_switches_the_menus_at_once_and_is_remembered(window) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Run", "&Help"]
    try:
        window.menus.language_actions["ja"].trigger()
        assert [a.text() for a in window.menuBar().actions()] == [
            "ファイル(&F)",
            "編集(&E)",
            "表示(&V)",
            "実行(&R)",
            "ヘルプ(&H)",
        ]
        assert window.menus.open_action.text() == "写真を開く(&O)…"
        # A panel that sets its texts in one method follows at once too (featuremaps.py).
        assert window.panels.feature_maps.map_label.text() == "マップ"
        assert window.panels.feature_maps.on_photo_box.text() == "写真に重ねる"
        assert window.menus.language_actions["ja"].isChecked()
        assert "次に起動したとき" in window.panels.status_label.text()
        assert i18n.remembered_language(window.settings.q) == "ja"
    finally:
        window.menus.language_actions["en"].trigger()
    assert [a.text() for a in window.menuBar().actions()] == titles
    assert window.panels.feature_maps.map_label.text() == "Map"
    assert i18n.remembered_language(window.settings.q) == "en"


def test_without_a_japanese_font_the_window_stays_english(
    qapp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Boxes instead of letters would be worse than English; the log says what to install.
    monkeypatch.setattr(i18n, "has_japanese_font", lambda: False)
    assert i18n.install("ja") == "en"
    assert translation.translate("Duration", "{s} s") == "{s} s"


def test_japanese_puts_the_japanese_fonts_behind_the_window_font(qapp) -> None:
    before = qapp.font().families()
    try:
        i18n.install("ja")
        families = qapp.font().families()
        assert families[: len(before)] == before
        assert "Noto Sans CJK JP" in families[len(before) :]
    finally:
        i18n.install("en")
    assert qapp.font().families() == before
