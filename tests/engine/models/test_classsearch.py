"""`scorecam classes MODEL WORD` finds classes by WordNet's hierarchy, not only by substring."""

from __future__ import annotations

import pytest

from scorecam_gui.cli import main as cli
from scorecam_gui.engine.models.classsearch import (
    SYNONYMS,
    find_classes,
    imagenet_groups,
    search_word,
)
from scorecam_gui.engine.models.registry import load_network


@pytest.fixture(scope="module")
def names() -> list[str]:
    return list(load_network("efficientnet_lite0").categories)


def test_dog_finds_the_breeds_and_cat_finds_tabby(names):
    dogs = [names[i] for i in find_classes(names, "dog")]
    assert {"Chihuahua", "golden retriever", "Siberian husky", "pug"} <= set(dogs)
    assert "Maltese dog" in dogs  # the name counts too
    assert len(dogs) == 119  # the 118 breeds, and the African hunting dog by its name
    cats = [names[i] for i in find_classes(names, "cat")]
    assert {"tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat"} <= set(cats)
    assert "golden retriever" not in cats


def test_whole_words_only(names):
    """Issue 35: "cat" found catamaran and oystercatcher, "dog" hotdog."""
    cats = {names[i] for i in find_classes(names, "cat")}
    assert not {"catamaran", "oystercatcher", "polecat"} & cats
    assert "hotdog" not in {names[i] for i in find_classes(names, "dog")}
    assert [names[i] for i in find_classes(names, "retriever")][:2] == [
        "flat-coated retriever",
        "curly-coated retriever",
    ]
    assert [names[i] for i in find_classes(names, "Golden Retriever")] == ["golden retriever"]
    assert find_classes(names, "hotdog") == find_classes(names, "hot dog") == [934]


def test_everyday_words_and_plurals(names):
    house_cats = {"tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat"}
    for word in ("kitty", "kitten", "Kitties", "pussycat"):
        assert {names[i] for i in find_classes(names, word)} == house_cats, word
    assert find_classes(names, "cats") == find_classes(names, "cat")
    assert find_classes(names, "puppies") == find_classes(names, "dog")
    assert [names[i] for i in find_classes(names, "tv")] == ["television"]
    assert "sunglasses" in {names[i] for i in find_classes(names, "glasses")}


def test_synonyms_stand_for_words_that_find_classes(names):
    for word, meaning in SYNONYMS.items():
        assert find_classes(names, meaning), (word, meaning)


def test_a_search_word_that_finds_something(names):
    assert search_word(names, "kitty") == "kitty"
    assert search_word(names, "tabbby") == "tabby"  # a typing slip
    assert search_word(names, "Egyptian moggie") == "Egyptian"
    assert search_word(names, "xyzzy") is None
    assert search_word(names, "1234") is None
    assert search_word(["apple", "pear"], "aple") == "apple"


def test_the_table_covers_the_classes():
    groups = imagenet_groups()
    covered = {i for indices in groups.values() for i in indices}
    assert len(covered) >= 998  # two renamed classes are matched by name only
    assert len(groups["dog"]) == 118  # ImageNet's dog breeds (WordNet: dog, domestic dog)


def test_other_class_lists_use_names_only():
    assert find_classes(["a dog", "tabby"], "cat") == []
    assert find_classes(["a dog", "tabby"], "dog") == [0]


def test_the_classes_command(capsys):
    assert cli.main(["classes", "efficientnet_lite0", "dog"]) == 0
    out = capsys.readouterr().out
    assert "golden retriever" in out and "hotdog" not in out
    assert cli.main(["classes", "efficientnet_lite0", "cat"]) == 0
    out = capsys.readouterr().out
    assert "tabby" in out and "catamaran" not in out and "oystercatcher" not in out
    assert cli.main(["classes", "efficientnet_lite0", "kitty"]) == 0
    assert "tabby" in capsys.readouterr().out


def test_a_word_that_finds_nothing_says_what_would(capsys):
    assert cli.main(["classes", "efficientnet_lite0", "tabbby"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.endswith("list the class names with: scorecam classes efficientnet_lite0 tabby")
    assert len(err.splitlines()) == 1


def test_a_failed_target_suggests_a_search_that_finds_something(tmp_path, capsys):
    """`--target kitty` once suggested `scorecam classes efficientnet_lite0 kitty`, which found
    nothing; every suggested command must list at least one class."""
    from scorecam_gui.cli.common import classes_hint

    for target in ("kitty", "tabbby", "Egyptian moggie", "xyzzy", "1234"):
        hint = classes_hint("efficientnet_lite0", target)
        assert hint.startswith("list the class names with: scorecam classes efficientnet_lite0")
        argv = hint.split(": ", 1)[1].split()[1:]
        assert cli.main(argv) == 0, (target, hint)
        assert "  name" in capsys.readouterr().out
    labels = tmp_path / "names.txt"
    labels.write_text("apple\npear\n", encoding="utf-8")
    hint = classes_hint("mine.onnx", "aple", labels=labels)
    assert hint.endswith(f"scorecam classes mine.onnx --labels {labels} apple")


def test_japanese_names_are_imagenets_index_for_index_and_searchable(names):
    from scorecam_gui.engine.models.classsearch import japanese_names

    japanese = japanese_names(names)
    assert japanese is not None and len(japanese) == 1000
    # Spot checks that the list is aligned with the English one, not shifted by a line.
    spots = (japanese[0], japanese[282], japanese[207])
    assert spots == ("テンチ", "虎猫", "ゴールデンレトリーバー")
    assert japanese_names(names[:999]) is None  # another network's labels: no translation
    assert japanese_names(["cat", "dog"]) is None
    assert {282, 283, 284, 285} <= set(find_classes(names, "猫"))  # tiger cat … Egyptian cat
    assert names[954] == "banana" and 954 in find_classes(names, "バナナ")
    # Breeds' Japanese names rarely say 犬: 犬 finds what "dog" finds (and the breeds).
    from scorecam_gui.engine.models.classsearch import imagenet_groups

    assert set(imagenet_groups()["dog"]) <= set(find_classes(names, "犬"))
    assert {153, 207, 256} <= set(find_classes(names, "犬"))  # マルチーズ, ゴールデン…
    assert find_classes(["猫 one", "dog"], "猫") == [0]  # any labels match by substring
