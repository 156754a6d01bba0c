"""Class names in the window's language (app/classnames.py): ImageNet's in Japanese when the
window speaks Japanese, the labels' own names otherwise and wherever no translation exists."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scorecam_gui.app import translation
from scorecam_gui.app.classnames import shown_name, shown_names
from scorecam_gui.engine.models.weights import imagenet_categories


@pytest.fixture
def japanese() -> Iterator[None]:
    translation.set_translate(lambda _context, text: text, "ja")
    yield
    translation.set_translate(None)


def test_english_window_shows_the_labels_names() -> None:
    names = imagenet_categories()
    assert translation.language() == "en"
    assert shown_names(names) == names
    assert shown_name("tiger cat", 282, names) == "tiger cat"


def test_japanese_window_shows_imagenets_japanese_names(japanese: None) -> None:
    names = imagenet_categories()
    assert translation.language() == "ja"
    shown = shown_names(names)
    assert shown[282] == "虎猫" and len(shown) == 1000
    assert shown_name("tiger cat", 282, names) == "虎猫"
    # Where no translation applies, the name stays: another network's labels, an index that
    # does not match the name, no labels at all.
    assert shown_names(["tench", "goldfish"]) == ["tench", "goldfish"]
    assert shown_name("tiger cat", 281, names) == "tiger cat"
    assert shown_name("tiger cat", 282, None) == "tiger cat"


def test_leaving_japanese_goes_back_to_english(japanese: None) -> None:
    translation.set_translate(None)
    assert translation.language() == "en"
    assert shown_name("tiger cat", 282, imagenet_categories()) == "tiger cat"


def test_the_prediction_panel_shows_and_finds_japanese_names(qtbot, japanese: None) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pytestqt")
    from scorecam_gui.engine.prediction import Prediction
    from scorecam_gui.gui.panels.prediction import PredictionPanel

    panel = PredictionPanel()
    qtbot.addWidget(panel)
    panel.set_categories(imagenet_categories())
    top = [Prediction(282, "tiger cat", 0.6, 3.0), Prediction(281, "tabby", 0.3, 2.0)]
    panel.set_predictions(top, top[0])
    first = panel.list.item(0)
    assert first.text() == "虎猫"
    assert "tiger cat" in first.toolTip()  # the labels' own name one step away
    for typed in ("虎猫", "tiger cat"):  # the search box takes either language
        with qtbot.waitSignal(panel.classRequested) as asked:
            panel.search.setText(typed)
            panel.search.returnPressed.emit()
        assert asked.args == [282]


def _japanese_list() -> list[str]:
    from scorecam_gui.engine.models.classsearch import japanese_names

    names = japanese_names(imagenet_categories())
    assert names is not None and len(names) == 1000
    return list(names)


def test_no_japanese_name_stands_for_two_classes() -> None:
    """Issue 38: crane bird and crane were both クレーン, Pekinese and Japanese spaniel both 狆.
    A Japanese name may be shared only by classes whose English names are the same too."""
    english = imagenet_categories()
    classes: dict[str, set[str]] = {}
    for japanese, name in zip(_japanese_list(), english, strict=True):
        classes.setdefault(japanese, set()).add(name)
    shared = {japanese: sorted(names) for japanese, names in classes.items() if len(names) > 1}
    assert not shared, shared


def test_the_changes_listed_in_the_docs_are_the_files() -> None:
    """docs/classnames-ja.md lists each name changed from clip_benchmark's: every row must say
    what the file holds (its index, English name and Japanese name) and give a reason."""
    from tests.helpers.catalogue import ROOT

    english, japanese = imagenet_categories(), _japanese_list()
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in (ROOT / "docs" / "classnames-ja.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and line.split("|")[1].strip().isdigit()
    ]
    assert len(rows) > 300  # the issue's sample: about one name in four was wrong
    for index, name, before, now, why in rows:
        i = int(index)
        assert (english[i], japanese[i]) == (name, now), (index, name, now)
        assert before != now and why, index
    assert len({row[0] for row in rows}) == len(rows)


def test_the_names_the_issue_found_wrong() -> None:
    names = dict(zip(imagenet_categories(), _japanese_list(), strict=True))
    assert names["pickup"] == "ピックアップトラック"
    assert names["washer"] == "洗濯機"
    assert names["Newfoundland"] == "ニューファンドランド"
    assert (names["crane bird"], names["crane"]) == ("ツル", "クレーン")
    assert (names["Pekinese"], names["Japanese spaniel"]) == ("ペキニーズ", "狆")
