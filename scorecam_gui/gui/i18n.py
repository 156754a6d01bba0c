"""The window's language: English or Japanese, through Qt's translation system (issue 26).

Which language: `scorecam-gui --language ja|en`, else the one chosen in View › Language
(remembered in QSettings, key "window/language"), else the system's (QLocale.system(): Japanese
gives "ja", anything else "en").

The catalogues are Qt Linguist sources in scorecam_gui/translations/scorecam_<lang>.ts,
compiled to .qm by pyside6-lrelease when the package is built (setup.py; see
scorecam_gui/translations/build.py). A source checkout without a built .qm compiles one into
the user's cache folder on first use. Qt's own catalogue (qtbase_<lang>.qm, shipped by PySide6)
is installed too, so standard buttons and dialogs (OK, Cancel, the file dialog) follow.

How to make a text translatable (docs/translating.md says the same, with the workflow):

- In a QObject subclass: `self.tr("Explain")`. The context is the class's name.
- Anywhere else in the window: `QCoreApplication.translate("Context", "Explain")`, or this
  module's `tr("Context", "Explain")` (same thing, shorter).
- In the Qt-free application layer (scorecam_gui/app): `translate("Context", "…")` from
  scorecam_gui/app/translation.py, or `QT_TRANSLATE_NOOP("Context", "…")` for constants, which
  the window translates when it shows them.
- Literal strings only, never an f-string: numbers go in with `.format()` after translating,
  `self.tr("{n} photos").format(n=count)`; numbers themselves through `number()` and
  `duration()` below, which follow the language's conventions.
- Then `python -m scorecam_gui.translations.build --update` (runs pyside6-lupdate over the
  package), write the Japanese in scorecam_gui/translations/scorecam_ja.ts (docs/glossary-ja.md
  for the terms), and tests/gui/test_translations.py checks that nothing is missing or stale.

Switching language while running: `switch(language)` replaces the installed translators; Qt
then sends every widget a QEvent.LanguageChange. A widget that sets its texts in one method
follows at once: `watch_language(widget, widget.retranslate)` (or a `changeEvent` override)
calls it again. Texts set once in a constructor keep their language until the next start, and
the Language menu says so.
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QTranslator,
)

from ..app import translation
from ..app.translation import LANGUAGES, QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

DEFAULT = "en"  # the language of the source texts
SETTINGS_KEY = "window/language"
CATALOGUE_FOLDER = Path(__file__).resolve().parent.parent / "translations"

# Words the application layer hands over untranslated (jobs.score_kind), marked for the catalogue.
SCORE_KINDS = (
    QT_TRANSLATE_NOOP("ScoreKind", "probability"),
    QT_TRANSLATE_NOOP("ScoreKind", "logit"),
    QT_TRANSLATE_NOOP("ScoreKind", "score"),
)

# Fonts with Japanese glyphs, tried in this order after the window's own font: Debian/Ubuntu's
# fonts-noto-cjk, macOS (Hiragino Sans ships with every macOS), Windows (Yu Gothic UI and Meiryo
# UI ship with Windows 10 and 11), then other Linux fonts. Naming them picks Japanese glyph forms
# rather than the Chinese ones a script-only fallback may choose for the same characters.
JAPANESE_FONTS = (
    "Noto Sans CJK JP",
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "Yu Gothic UI",
    "Meiryo UI",
    "Source Han Sans JP",
    "IPAexGothic",
    "IPAGothic",
    "TakaoPGothic",
    "VL PGothic",
)

_installed: list[QTranslator] = []
_base_families: list[list[str]] = []  # the application font's families before any language
_current: list[str] = [DEFAULT]


@dataclass(frozen=True)
class Unavailable:
    """Why the language asked for is not the window's: `short` for the status bar, `detail`
    for its tooltip and for the message after View › Language. English, on purpose: the window
    is English whenever one is shown."""

    language: str
    short: str
    detail: str


NO_JAPANESE_FONT = Unavailable(
    "ja",
    "Japanese is not available: no Japanese font is installed",
    "The window is in English because no font on this computer can draw Japanese characters. "
    "Install one (on Debian or Ubuntu: sudo apt install fonts-noto-cjk) and start Score-CAM "
    "Studio again.",
)
NO_CATALOGUE = Unavailable(
    "ja",
    "Japanese is not available: its translation could not be loaded",
    "The window is in English because the Japanese translation could not be loaded; "
    "Help › Open Log Folder shows why.",
)
_unavailable: list[Unavailable | None] = [None]  # why the last language asked for is not shown


def system_language() -> str:
    """'ja' on a Japanese system (QLocale.system(), which reads LANG/LC_* on Linux), else 'en'."""
    return "ja" if QLocale.system().language() == QLocale.Language.Japanese else DEFAULT


def remembered_language(settings: QSettings | None = None) -> str | None:
    value = (settings or QSettings()).value(SETTINGS_KEY)
    return value if isinstance(value, str) and value in LANGUAGES else None


def remember_language(language: str, settings: QSettings | None = None) -> None:
    (settings or QSettings()).setValue(SETTINGS_KEY, language)


def chosen_language(
    command_line: str | None = None, settings: QSettings | None = None, remembered: bool = True
) -> str:
    """The command line's language, else the remembered one, else the system's."""
    if command_line in LANGUAGES:
        return command_line  # type: ignore[return-value]
    stored = remembered_language(settings) if remembered else None
    return stored if stored is not None else system_language()


def current_language() -> str:
    return _current[0]


def unavailable() -> Unavailable | None:
    """Why the language last asked for (at start-up or in View › Language) is not the window's,
    in plain words; None when it is. The log alone reaches no one who started the app with a
    double-click (issue 35)."""
    return _unavailable[0]


def locale() -> QLocale:
    """The QLocale of the window's language (numbers, dates)."""
    return QLocale("ja_JP" if _current[0] == "ja" else "en_US")


def catalogue(language: str) -> Path | None:
    """The compiled catalogue for `language`: the package's .qm when it is there and not older
    than its .ts, else one compiled now into the cache folder; None for English or when it
    cannot be had (logged)."""
    if language == DEFAULT:
        return None
    source = CATALOGUE_FOLDER / f"scorecam_{language}.ts"
    built = source.with_suffix(".qm")
    if built.is_file() and (
        not source.is_file() or built.stat().st_mtime >= source.stat().st_mtime
    ):
        return built
    if not source.is_file():
        log.warning("no catalogue for %s: %s is missing", language, built)
        return None
    from platformdirs import user_cache_dir

    from ..logs import APP_DIR_NAME  # the app's one folder name, as its other folders
    from ..translations.build import compile_catalogue

    cached = Path(user_cache_dir(APP_DIR_NAME, appauthor=False)) / "translations" / built.name
    if cached.is_file() and cached.stat().st_mtime >= source.stat().st_mtime:
        return cached
    try:
        compile_catalogue(source, cached)
    except (OSError, subprocess.SubprocessError, RuntimeError) as exc:
        log.warning("could not compile %s: %s", source, exc)
        return None
    return cached


def _qt_translator(language: str) -> QTranslator | None:
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator()
    if translator.load(f"qtbase_{language}", folder):
        return translator
    log.info("Qt's own %s catalogue not found in %s", language, folder)
    return None


def install(language: str) -> str:
    """Make `language` the window's: replace the installed translators, set the default QLocale,
    let the application layer translate. Qt sends LanguageChange to every widget. Returns the
    language in effect ('en' when the catalogue cannot be loaded)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; known: {', '.join(sorted(LANGUAGES))}")
    for old in _installed:
        QCoreApplication.removeTranslator(old)
    _installed.clear()
    _unavailable[0] = None
    if language == "ja" and not has_japanese_font():
        log.warning("no font with Japanese glyphs (install fonts-noto-cjk): staying in English")
        _unavailable[0] = NO_JAPANESE_FONT
        language = DEFAULT
    if language != DEFAULT:
        path = catalogue(language)
        ours = QTranslator()
        if path is None or not ours.load(str(path)):
            log.warning("the %s catalogue did not load; the window stays in English", language)
            _unavailable[0] = NO_CATALOGUE if language == "ja" else None
            language = DEFAULT
        else:
            qt = _qt_translator(language)
            for translator in (qt, ours):
                if translator is not None and QCoreApplication.installTranslator(translator):
                    _installed.append(translator)
    _current[0] = language
    _set_font_fallbacks(language)
    QLocale.setDefault(locale())
    translation.set_translate(QCoreApplication.translate if language != DEFAULT else None, language)
    # Qt posts LanguageChange to every widget; deliver it now, so the caller sees the new texts.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    return language


def has_japanese_font() -> bool:
    """Whether any installed font draws Japanese (fontconfig, CoreText or DirectWrite)."""
    from PySide6.QtGui import QFontDatabase

    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.Japanese))


def _set_font_fallbacks(language: str) -> None:
    """The application font, followed by the Japanese fonts for Japanese (see JAPANESE_FONTS).

    The first family is the one the window's font really resolves to (QFontInfo): a generic
    name such as "Sans Serif" is no family of its own, and Qt would draw Latin text with the
    first Japanese font instead, a little wider than the layout measured."""
    from PySide6.QtGui import QFontInfo, QGuiApplication

    app = QCoreApplication.instance()
    if not isinstance(app, QGuiApplication):
        return
    font = app.font()
    if not _base_families:
        _base_families.append(list(font.families()))
    base = _base_families[0]
    if language == "ja":
        real = QFontInfo(font).family()
        families = [*(base or [font.family()]), real, *JAPANESE_FONTS]
        families = list(dict.fromkeys(f for f in families if f))
    else:
        families = list(base)
    if families != font.families():
        font.setFamilies(families)
        QGuiApplication.setFont(font)


def start_language(command_line: str | None = None, remembered: bool = True) -> str:
    """At start-up, after the QApplication exists: install the chosen language (see the module's
    docstring). remembered=False ignores View › Language's choice (screenshot runs)."""
    return install(chosen_language(command_line, remembered=remembered))


def switch(language: str, settings: QSettings | None = None) -> str:
    """View › Language: install `language` now and remember it for the next start."""
    remember_language(language, settings)
    return install(language)


def tr(context: str, text: str) -> str:
    """QCoreApplication.translate, shorter (pyside6-lupdate does not see this name: use it only
    for texts marked elsewhere with QT_TRANSLATE_NOOP or already in the catalogue)."""
    return QCoreApplication.translate(context, text)


class _LanguageWatcher(QObject):
    def __init__(self, widget: QObject, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self._callback()
        return False


def watch_language(widget: QObject, callback: Callable[[], None]) -> None:
    """Call `callback` whenever the language changes (QEvent.LanguageChange reaches `widget`);
    the watcher is the widget's child, so it goes with it."""
    _LanguageWatcher(widget, callback)


def number(value: float, decimals: int = 0) -> str:
    """`value` with the window language's digit grouping and decimal mark."""
    return locale().toString(float(value), "f", decimals)


def percent(fraction: float, decimals: int = 0) -> str:
    """0.423 -> '42 %' as the English window writes it, '42%' in Japanese."""
    space = "" if _current[0] == "ja" else " "
    return f"{number(fraction * 100, decimals)}{space}%"


def duration(seconds: float) -> str:
    """A short time for people: '45 s', '3 min 20 s'; in Japanese '45秒', '3分20秒'."""
    seconds = max(0, round(seconds))
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return QCoreApplication.translate("Duration", "{s} s").format(s=rest)
    if rest == 0:
        return QCoreApplication.translate("Duration", "{m} min").format(m=number(minutes))
    return QCoreApplication.translate("Duration", "{m} min {s} s").format(m=number(minutes), s=rest)
