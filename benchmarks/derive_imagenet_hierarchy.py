"""Writes scorecam_gui/engine/imagenet_hierarchy.txt: for each word of WordNet 3.0's noun hierarchy
that is an ancestor of some of ImageNet's 1000 classes, the classes below it.

`python benchmarks/derive_imagenet_hierarchy.py DATA_NOUN` with DATA_NOUN the data.noun file of
WordNet 3.0 (Debian: `apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb wn`, then
wn/usr/share/wordnet/data.noun). ImageNet's classes are in ascending order of their WordNet noun
offsets, so each class name is matched to the first synset with that lemma after the previous
class's: 998 of the 1000 match (torchvision renamed 'crane bird' and 'maillot tank suit').
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "scorecam_gui" / "engine" / "imagenet_hierarchy.txt"
CLASSES = ROOT / "scorecam_gui" / "engine" / "imagenet_classes.txt"

LICENCE = """\
WordNet 3.0 licence (the table is derived from the WordNet 3.0 database):

This software and database is being provided to you, the LICENSEE, by Princeton University under
the following license. By obtaining, using and/or copying this software and database, you agree
that you have read, understood, and will comply with these terms and conditions.:

Permission to use, copy, modify and distribute this software and database and its documentation
for any purpose and without fee or royalty is hereby granted, provided that you agree to comply
with the following copyright notice and statements, including the disclaimer, and that the same
appear on ALL copies of the software, database and documentation, including modifications that
you make for internal use or for distribution.

WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.

THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS
OR WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON UNIVERSITY
MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT- ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE
OR THAT THE USE OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY THIRD
PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS.

The name of Princeton University or Princeton may not be used in advertising or publicity
pertaining to distribution of the software and/or database. Title to copyright in this software,
database and any associated documentation shall at all times remain with Princeton University and
LICENSEE agrees to preserve same."""

HEADER = """\
Words for groups of ImageNet's 1000 classes, from WordNet 3.0's noun hierarchy: each line is a word
(a lemma of a synset that is an ancestor of some classes), a tab, and the indices of the classes
below it, so that `scorecam classes MODEL dog` lists the breeds. Written by
benchmarks/derive_imagenet_hierarchy.py (see there how).
"""


def read_nouns(path: Path) -> tuple[dict[int, list[str]], dict[int, list[int]]]:
    """Lemmas and hypernyms (also of instances) of every noun synset, by offset."""
    lemmas: dict[int, list[str]] = {}
    hypernyms: dict[int, list[int]] = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue  # the licence at the top of the file
        fields = line.split(" | ")[0].split()
        offset, count = int(fields[0]), int(fields[3], 16)
        words = [fields[4 + 2 * i] for i in range(count)]
        lemmas[offset] = [re.sub(r"\(.*\)$", "", w).replace("_", " ").lower() for w in words]
        k = 4 + 2 * count
        pointers = fields[k + 1 : k + 1 + 4 * int(fields[k])]
        hypernyms[offset] = [
            int(pointers[j + 1])
            for j in range(0, len(pointers), 4)
            if pointers[j] in ("@", "@i") and pointers[j + 2] == "n"
        ]
    return lemmas, hypernyms


def main(data_noun: str) -> None:
    lemmas, hypernyms = read_nouns(Path(data_noun))
    by_word: dict[str, list[int]] = defaultdict(list)
    for offset, words in lemmas.items():
        for word in words:
            by_word[word].append(offset)
    names = CLASSES.read_text(encoding="utf-8").splitlines()
    previous, synset = -1, {}
    for index, name in enumerate(names):
        later = sorted(o for o in by_word.get(name.lower(), ()) if o > previous)
        if later:
            synset[index] = previous = later[0]
    assert synset[0] == 1440764 and synset[285] == 2124075 and synset[999] == 15075141

    def ancestors(offset: int, seen: set[int]) -> set[int]:
        for up in hypernyms.get(offset, ()):
            if up not in seen:
                seen.add(up)
                ancestors(up, seen)
        return seen

    table: dict[str, set[int]] = defaultdict(set)
    for index, offset in synset.items():
        for up in ancestors(offset, set()):
            for word in lemmas[up]:
                table[word].add(index)
    lines = [f"# {line}".rstrip() for line in (HEADER + "\n" + LICENCE).splitlines()]
    lines += [f"{word}\t{' '.join(map(str, sorted(table[word])))}" for word in sorted(table)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(table)} words, {len(synset)} of {len(names)} classes matched")


if __name__ == "__main__":
    main(sys.argv[1])
