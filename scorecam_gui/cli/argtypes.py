"""argparse `type` functions for the command line's numbers: a leaf every command module may
import (it imports none of them)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeVar

__all__ = ["bounded", "positive_int"]

N = TypeVar("N", int, float)


def bounded(
    kind: type[N],
    low: N | None = None,
    high: N | None = None,
    *,
    low_open: bool = False,
    not_a_number: str | None = None,
    out_of_range: str | None = None,
) -> Callable[[str], N]:
    """An argparse `type` for a number of `kind` in [low, high] (low excluded with low_open).

    The messages are templates of the text given, {text}: not_a_number defaults to "'{text}' is
    not a whole number" (int) or "'{text}' is not a number" (float), out_of_range to "'{text}'
    must be at least {low}" or "... between {low} and {high}". nan is never in range."""
    if not_a_number is None:
        word = "a whole number" if kind is int else "a number"
        not_a_number = f"'{{text}}' is not {word}"
    if out_of_range is None:
        if high is None:
            out_of_range = f"'{{text}}' must be at least {low}"
        else:
            out_of_range = f"'{{text}}' must be between {low} and {high}"

    def parse(text: str) -> N:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(not_a_number.format(text=text)) from None
        # Written as "not in range" so that nan (every comparison false) is out of range.
        above = low is None or (value > low if low_open else value >= low)
        below = high is None or value <= high
        if not (above and below):
            raise argparse.ArgumentTypeError(out_of_range.format(text=text))
        return value

    parse.__name__ = kind.__name__  # what argparse names the type in its own messages
    return parse


positive_int = bounded(int, 1)
