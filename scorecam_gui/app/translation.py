"""Marking texts for translation in the Qt-free application layer (issue 26).

The window translates with Qt (scorecam_gui/gui/i18n.py): `self.tr("…")` in a QObject subclass,
`QCoreApplication.translate("Context", "…")` elsewhere. This layer may not import Qt, so it
marks and translates its texts through two functions whose names pyside6-lupdate knows:

- `QT_TRANSLATE_NOOP("Context", "text")` returns the text unchanged. lupdate extracts it into
  the catalogue under that context; whoever shows the text later translates it with
  `translate("Context", text)` (or Qt's `QCoreApplication.translate`). For module constants.
- `translate("Context", "text")` returns the text in the window's language: the window
  installs Qt's translate here at start-up (`set_translate`); without a window (tests, the
  command line) it returns the English text. lupdate extracts every call `translate("…", "…")`
  whose two first arguments are string literals.

Rules that lupdate imposes (tests/gui/test_translations.py checks the catalogue against them):
- both arguments literal strings (adjacent literals are joined); never an f-string: lupdate
  would extract "{x}" literally and the formatted text would never be found. Put the numbers in
  afterwards: `translate("Words", "{count} photos").format(count=n)`.
- one context per module or class (its name, e.g. "PlainWords"), so a translator sees related
  texts together.
"""

from __future__ import annotations

from collections.abc import Callable

Translate = Callable[[str, str], str]

LANGUAGES: dict[str, str] = {"en": "English", "ja": "日本語"}  # the window's, each in its own words


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark `text` for the catalogue under `context`; returns it unchanged."""
    return text


def _english(context: str, text: str) -> str:
    return text


_translate: Translate = _english
_language = "en"  # the window's language, as set_translate was told


def translate(context: str, text: str) -> str:
    """`text` in the window's language (English until the window installs Qt's translate)."""
    return _translate(context, text)


def set_translate(function: Translate | None, language: str = "en") -> None:
    """Install the function `translate` calls (None: English again) for the window's
    `language`. Called by gui/i18n.py."""
    global _translate, _language
    _translate = function if function is not None else _english
    _language = language if function is not None else "en"


def language() -> str:
    """The window's language code ("en" without a window): for what the catalogue does not
    hold, such as ImageNet's class names (app/classnames.py)."""
    return _language
