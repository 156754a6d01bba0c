"""`scorecam-gui --language ja|en`: the option, and the start-up hook that installs the language.

Qt-free at import (arguments are parsed before Qt loads, so --help stays instant); gui/i18n.py
does the work once the QApplication exists.
"""

from __future__ import annotations

import argparse

from ...app.translation import LANGUAGES


def add_language_option(parser: argparse.ArgumentParser) -> None:
    """`--language ja|en` for scorecam-gui's argument parser."""
    parser.add_argument(
        "--language",
        choices=sorted(LANGUAGES),
        help="the window's language (default: the one chosen in View > Language, else the "
        "system's)",
    )


def start_language(command_line: str | None, remembered: bool = True) -> str:
    """After the QApplication exists, before any window: install the chosen language."""
    from .. import i18n

    return i18n.start_language(command_line, remembered=remembered)
