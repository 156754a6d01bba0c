"""Finding classes by a word: whole words of their names, and for ImageNet's 1000 classes
WordNet's hierarchy too ("dog" finds the 118 breeds, "cat" finds tabby;
engine/imagenet_hierarchy.txt), a few everyday words WordNet files elsewhere ("kitty", "puppy")
and their Japanese names (engine/imagenet_classes_ja.txt: 猫 finds 虎猫), with a few Japanese
words for the groups (犬 finds the breeds).

Whole words, so that "cat" finds "Persian cat" but not catamaran or oystercatcher, and "dog" not
hotdog. Japanese is written without spaces, so a word in it is looked for anywhere in a name."""

from __future__ import annotations

import difflib
import re
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

# Everyday words for ImageNet's groups that WordNet puts elsewhere ("kitty" is a young cat there,
# no ancestor of any class) or does not have; each stands for the word it maps to.
SYNONYMS: dict[str, str] = {
    "kitty": "domestic cat",
    "kitten": "domestic cat",
    "pussycat": "domestic cat",
    "puss": "domestic cat",
    "moggy": "domestic cat",
    "puppy": "dog",
    "pup": "dog",
    "doggy": "dog",
    "doggie": "dog",
    "pooch": "dog",
    "bunny": "rabbit",
    "lorry": "truck",
    "bug": "insect",
    "tv": "television",
    "telly": "television",
    "cellphone": "phone",
    "mobile phone": "phone",
    "teddy bear": "teddy",
    "hot dog": "hotdog",
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
def imagenet_names() -> tuple[str, ...]:
    """ImageNet's 1000 class names in torchvision's order."""
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
    if tuple(categories) != imagenet_names():
        return None
    return _imagenet_names_ja()


def _spaceless(word: str) -> bool:
    """Whether `word` is in a script written without spaces (Japanese, Chinese)."""
    return any(ord(ch) >= 0x2E80 for ch in word)


def _forms(word: str) -> list[str]:
    """The word, its singular when it looks like a plural ("cats", "puppies", "boxes"), and the
    word each of those stands for in SYNONYMS."""
    forms = [word]
    if len(word) > 3 and word.endswith("ies"):
        forms.append(word[:-3] + "y")
    elif len(word) > 3 and word.endswith("es"):  # "boxes", "horses": either may be right
        forms += [word[:-2], word[:-1]]
    elif len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    forms += [SYNONYMS[form] for form in forms if form in SYNONYMS]
    return list(dict.fromkeys(forms))


def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", re.IGNORECASE)


def find_classes(categories: Sequence[str], word: str) -> list[int]:
    """The classes with `word` (any case) as a whole word of their name, and, when `categories`
    are ImageNet's, those WordNet puts under it (a breed under "dog"), those under the word an
    everyday one stands for (SYNONYMS: "kitty" for "cat") and those whose Japanese name contains
    it; in index order. A plural finds what its singular finds. "" finds them all."""
    wanted = " ".join(word.lower().split())
    if not wanted:
        return list(range(len(categories)))
    japanese = japanese_names(categories)
    found: set[int] = set()
    for form in _forms(wanted):
        if _spaceless(form):
            found.update(i for i, name in enumerate(categories) if form in name.lower())
        else:
            pattern = _whole_word(form)
            found.update(i for i, name in enumerate(categories) if pattern.search(name))
        if japanese is not None:
            groups = imagenet_groups()
            found.update(groups.get(form, ()))
            for group in JAPANESE_GROUPS.get(form, ()):
                found.update(groups.get(group, ()))
            found.update(i for i, name in enumerate(japanese) if form in name)
    return sorted(found)


def search_word(categories: Sequence[str], text: str) -> str | None:
    """A word to search `categories` by that finds something, for someone who asked for the class
    `text` and got none: the text itself, one of its words, or the closest word of a class name
    (a typing slip: "tabbby" gives "tabby"); None when nothing is close."""
    words = " ".join(str(text).split())
    candidates = [words, *words.split()] if words else []
    for candidate in dict.fromkeys(candidates):
        if not candidate.isdigit() and find_classes(categories, candidate):
            return candidate
    vocabulary = {w for name in categories for w in re.findall(r"[^\W\d_]+", name.lower())}
    if japanese_names(categories) is not None:
        vocabulary.update(imagenet_groups())
    for candidate in candidates:
        if candidate.isdigit():
            continue
        close = difflib.get_close_matches(candidate.lower(), sorted(vocabulary), n=1, cutoff=0.75)
        if close and find_classes(categories, close[0]):
            return close[0]
    return None
