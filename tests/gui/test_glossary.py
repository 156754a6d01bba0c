"""The Japanese catalogue keeps to docs/glossary-ja.md (issue 38): one word for each idea.

For every row of the glossary's table: where one of the row's English terms (first column, the
words outside parentheses; "," and "/" separate terms) is in a text, the text's translation uses
one of the row's Japanese words (second column; "、" and "/" separate them), and no translation
uses a word of the third column ("Not"). Placeholders, markup and "Score-CAM" are not words of a
text, and a term kept in English in the translation (a metric's name) counts. Rows whose notes
begin with "(by sense)" are checked for their "Not" words only: their English word has other
senses in the window's texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.helpers.catalogue import CATALOGUE, ROOT, messages

GLOSSARY = ROOT / "docs" / "glossary-ja.md"
KATAKANA = "\u30a0-\u30ff"


@dataclass(frozen=True)
class Row:
    english: tuple[str, ...]
    japanese: tuple[str, ...]
    avoid: tuple[str, ...]
    by_sense: bool


def _split(cell: str, separators: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(f"[{separators}]", cell) if p.strip())


def glossary() -> list[Row]:
    text = GLOSSARY.read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or len(cells) != 4 or cells[0] in ("English", "---"):
            continue
        english, japanese, avoid, notes = cells
        rows.append(
            Row(
                _split(re.sub(r"\([^)]*\)|\"[^\"]*\"", "", english), ",/"),
                _split(japanese, "、/"),
                _split(avoid, "、"),
                notes.startswith("(by sense)"),
            )
        )
    return rows


def translations() -> dict[tuple[str, str], str]:
    return {
        key: (element.text or "")
        for key, element in messages(CATALOGUE).items()
        if element is not None
    }


def uses(translation: str, word: str) -> bool:
    """`word` in `translation`, a katakana word only where it is not part of a longer one
    (セル is not in キャンセル)."""
    if re.fullmatch(f"[{KATAKANA}]+", word):
        return re.search(f"(?<![{KATAKANA}]){word}(?![{KATAKANA}])", translation) is not None
    return word in translation


def test_the_glossary_table_reads() -> None:
    rows = glossary()
    assert len(rows) > 30
    assert any(row.avoid for row in rows)
    assert all(row.english and row.japanese for row in rows)


def test_no_translation_uses_a_word_the_glossary_rules_out() -> None:
    found = [
        f"{context}: “{text}” uses {word}"
        for row in glossary()
        for word in row.avoid
        for (context, _source), text in translations().items()
        if uses(text, word)
    ]
    assert not found, "\n".join(found)


def words_of(source: str) -> str:
    """A source text's own words: without placeholders ({network}), markup and program names
    that hold English words ("Score-CAM")."""
    return re.sub(r"\{\w+\}|<[^>]+>|Score-CAM", " ", source)


def test_each_term_is_translated_by_the_glossarys_word() -> None:
    found = []
    for row in glossary():
        if row.by_sense:
            continue
        for term in row.english:
            pattern = re.compile(rf"\b{re.escape(term)}(s|es|d|ed)?\b", re.IGNORECASE)
            for (context, source), text in translations().items():
                if not pattern.search(words_of(source)) or pattern.search(text):
                    continue  # not the term, or a name kept in English (Deletion)
                if not any(word in text for word in row.japanese):
                    found.append(f"{term} → {'/'.join(row.japanese)}: {context}: “{text}”")
    assert not found, "\n".join(found)


def _translations_matching(pattern: re.Pattern[str]) -> list[str]:
    """“context: translation” of every Japanese translation `pattern` finds something in."""
    return [
        f"{context}: “{text}”"
        for (context, _), text in translations().items()
        if pattern.search(text)
    ]


def test_sentences_are_joined_as_japanese_joins_them() -> None:
    """Issue 38: 23 translations ran a sentence on with an English ": " right after です/ます.
    A colon stays after a label (ログファイル:, 除外: {label}), never after a sentence's end."""
    ending = re.compile(r"(です|ます|ました|ません|でした|ください|[すたんか])[:：]")
    found = _translations_matching(ending)
    assert not found, "\n".join(found)


def test_counters_stand_a_space_after_their_number() -> None:
    """The glossary's style: 1280 枚, 1 つ, {count} 件 (durations excepted: 1分20秒)."""
    tight = re.compile(r"(\d|\})(枚|個|件|回|つ|位)")
    found = _translations_matching(tight)
    assert not found, "\n".join(found)
