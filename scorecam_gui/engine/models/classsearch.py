"""Finding classes by a word: in their names, and for ImageNet's 1000 classes in WordNet's
hierarchy too ("dog" finds the 118 breeds, "cat" finds tabby; engine/imagenet_hierarchy.txt)
and in their Japanese names (engine/imagenet_classes_ja.txt: 猫 finds 虎猫), with a few Japanese
words for the groups (犬 finds the breeds)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files

# Japanese words for the groups a Japanese speaker searches by: breeds' names rarely say 犬
# (ゴールデンレトリーバー), so 犬 finds the groups WordNet puts under "dog", as "dog" does.
JAPANESE_GROUPS = {
    "犬": ("dog",),
    "イヌ": ("dog",),
    "猫": ("cat",),
    "ネコ": ("cat",),
    "鳥": ("bird",),
    "魚": ("fish",),
    "ヘビ": ("snake",),
    "蛇": ("snake",),
    "トカゲ": ("lizard",),
    "カメ": ("turtle",),
    "カエル": ("frog",),
    "サル": ("monkey", "ape"),
    "猿": ("monkey", "ape"),
    "クモ": ("spider",),
    "虫": ("insect",),
    "昆虫": ("insect",),
    "チョウ": ("butterfly",),
    "蝶": ("butterfly",),
    "キノコ": ("fungus",),
    "きのこ": ("fungus",),
    "車": ("car",),
    "船": ("boat", "ship"),
}


@lru_cache(maxsize=1)
def imagenet_groups() -> dict[str, tuple[int, ...]]:
    """word -> the ImageNet classes below it in WordNet (the shipped table)."""
    text = files("scorecam_gui.engine").joinpath("imagenet_hierarchy.txt")
    groups = {}
    for line in text.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, indices = line.partition("\t")
            groups[word] = tuple(int(i) for i in indices.split())
    return groups


@lru_cache(maxsize=1)
def _imagenet_names() -> tuple[str, ...]:
    text = files("scorecam_gui.engine").joinpath("imagenet_classes.txt")
    return tuple(text.read_text(encoding="utf-8").splitlines())


@lru_cache(maxsize=1)
def _imagenet_names_ja() -> tuple[str, ...]:
    text = files("scorecam_gui.engine").joinpath("imagenet_classes_ja.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    return tuple(line for line in lines if line and not line.startswith("#"))


def japanese_names(categories: Sequence[str]) -> tuple[str, ...] | None:
    """ImageNet's 1000 class names in Japanese, index for index, when `categories` are
    ImageNet's (English) names; None for any other list of classes."""
    if tuple(categories) != _imagenet_names():
        return None
    return _imagenet_names_ja()


def find_classes(categories: Sequence[str], word: str) -> list[int]:
    """The classes whose name contains `word` (any case), and, when `categories` are ImageNet's,
    those WordNet puts under it (a breed under "dog") and those whose Japanese name contains it;
    in index order. "" finds them all."""
    wanted = word.strip().lower()
    found = {i for i, name in enumerate(categories) if wanted in name.lower()}
    japanese = japanese_names(categories) if wanted else None
    if japanese is not None:
        groups = imagenet_groups()
        found.update(groups.get(wanted, ()))
        for group in JAPANESE_GROUPS.get(wanted, ()):
            found.update(groups.get(group, ()))
        found.update(i for i, name in enumerate(japanese) if wanted in name)
    return sorted(found)
