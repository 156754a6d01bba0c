"""The engine's words in the window's language. The engine has no translations, so where it
writes what a person reads, the window passes these in:

- `figure_for_result(..., words=figure_words())` (engine/figure.py: File › Export Figure…);
- `assess(..., words=trust_words())` (engine/trust.py: the caution above the map).

Without a language installed by the window they are the engine's English (app/translation.py).
"""

from __future__ import annotations

from ..engine.figure import FigureWords
from ..engine.trust import TrustWords
from .translation import translate


def trust_words() -> TrustWords:
    """TrustWords translated with app/translation's `translate` (context "Trust")."""
    return TrustWords(
        not_seen=translate(
            "Trust",
            "Do not read this map as where a “{name}” is: {network} gives that class only "
            "{share} (it sees “{top}”, {top_share}). The red parts only raised that small score "
            "the most.",
        ),
        unfamiliar=translate(
            "Trust",
            "This photo looks unlike the photos the network learnt from: its answer is a guess, "
            "so the map shows what it looked at, not what the photo shows.",
        ),
        top_class=translate("Trust", "top class {share} (unfamiliar below {below})"),
        spread=translate(
            "Trust",
            "; spread of the answer {bits} bits, as if {classes} classes were equally likely "
            "(unfamiliar above {limit} bits)",
        ),
        this_class=translate("Trust", "; this class {share} (not seen below 5 %)"),
        percent=translate("Trust", "{value} %"),
        separator=translate("Trust", " "),
    )


def figure_words() -> FigureWords:
    """FigureWords translated with app/translation's `translate` (context "Figure")."""
    return FigureWords(
        subtitle=translate(
            "Figure", "What {network} looked at for “{name}” ({method}, layer {layer})"
        ),
        approximate=translate("Figure", "APPROXIMATE: {scored} of {total} maps scored"),
        bar_title=translate("Figure", "importance: 0 none, 1 most"),
        percent=translate("Figure", "{value} %"),
        rather=translate("Figure", "{name} rather than {other}"),
        trust=trust_words(),
    )
