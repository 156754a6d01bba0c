"""The exported figure's words in the window's language (engine/figure.py draws them; the
engine has no translations, so the window passes these in: `figure_for_result(..., words=
figure_words())`). Without a window installed language they are the engine's English."""

from __future__ import annotations

from ..engine.figure import FigureWords
from .translation import translate


def figure_words() -> FigureWords:
    """FigureWords translated with app/translation's `translate` (context "Figure")."""
    return FigureWords(
        subtitle=translate(
            "Figure", "What {network} looked at for “{name}” ({method}, layer {layer})"
        ),
        approximate=translate("Figure", "APPROXIMATE: {scored} of {total} maps scored"),
        bar_title=translate("Figure", "importance: 0 none, 1 most"),
        percent=translate("Figure", "{value} %"),
    )
