"""Class names as the window shows them: ImageNet's 1000 classes in Japanese when the window
speaks Japanese (engine/imagenet_classes_ja.txt: clip_benchmark's list, MIT, checked name by name
and corrected, docs/classnames-ja.md), else as the network's labels give them. Results, exports
and the command line keep the labels' (English) names."""

from __future__ import annotations

from collections.abc import Sequence

from ..engine.models.classsearch import japanese_names
from .translation import language


def shown_names(categories: Sequence[str]) -> list[str]:
    """`categories` in the window's language (unchanged where no translation exists)."""
    if language() == "ja":
        japanese = japanese_names(categories)
        if japanese is not None:
            return list(japanese)
    return list(categories)


def shown_name(name: str, index: int | None, categories: Sequence[str] | None) -> str:
    """One class's name in the window's language: `name` is the label of class `index` among
    `categories` (the network's labels); unchanged where no translation exists."""
    if language() != "ja" or index is None or categories is None:
        return name
    if not 0 <= index < len(categories) or categories[index] != name:
        return name
    japanese = japanese_names(categories)
    return japanese[index] if japanese is not None else name
