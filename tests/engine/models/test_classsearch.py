"""`scorecam classes MODEL WORD` finds classes by WordNet's hierarchy, not only by substring."""

from __future__ import annotations

import pytest

from scorecam_gui.cli import main as cli
from scorecam_gui.engine.models.classsearch import find_classes, imagenet_groups
from scorecam_gui.engine.models.registry import load_network


@pytest.fixture(scope="module")
def names() -> list[str]:
    return list(load_network("efficientnet_lite0").categories)


def test_dog_finds_the_breeds_and_cat_finds_tabby(names):
    dogs = [names[i] for i in find_classes(names, "dog")]
    assert {"Chihuahua", "golden retriever", "Siberian husky", "pug"} <= set(dogs)
    assert "hotdog" in dogs  # the name still counts
    assert len(dogs) > 118
    cats = [names[i] for i in find_classes(names, "cat")]
    assert {"tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat"} <= set(cats)
    assert "golden retriever" not in cats


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
    assert "golden retriever" in out and "hotdog" in out


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
