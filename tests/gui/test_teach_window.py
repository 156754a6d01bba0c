"""The teach window (issue 37) end to end, offscreen, with the real engine and the bundled
EfficientNet-Lite0: teaching from folders of real photos (tests/helpers/teach_photos.py: two
classes, a mark in the corner of one), progress and Cancel, the result and the shortcut check
on screen, the taught network in the network list, kept across a restart, explained with, and
removed. Few photos a class (6: 2 held out), so each teaching takes seconds."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
pytest.importorskip("skimage")

from PySide6.QtWidgets import QApplication

from scorecam_gui.app.teach import taughtnets
from scorecam_gui.app.teach.teachjob import TeachOutcome
from scorecam_gui.gui.dialogs.teach import TeachDialog, are_class_folders
from tests.helpers.teach_photos import make_folder
from tests.helpers.window import SMALL_LAYER, TIMEOUT_MS, drop

PER_CLASS = 6
NAME = "marks"
ROW = taughtnets.row_name(NAME)


@pytest.fixture(scope="module")
def classes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_folder(tmp_path_factory.mktemp("classes"), per_class=PER_CLASS)


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder a test: the taught networks go there, not into the user's."""
    folder = tmp_path / "data"
    monkeypatch.setenv(taughtnets.DATA_ENV, str(folder))
    return folder


@pytest.fixture
def small_layer(settings):
    # Explaining with the taught network on its first block, as the other window tests do.
    settings.set_layer(ROW, SMALL_LAYER)
    return settings


def teach(qtbot, dialog: TeachDialog, folders: list[Path], check: bool = True) -> TeachOutcome:
    dialog.set_folders([str(f) for f in folders])
    dialog.name.setText(NAME)
    dialog.check.setChecked(check)
    with qtbot.waitSignal(dialog.taught, timeout=TIMEOUT_MS) as signal:
        dialog.teach_button.click()
    assert signal.args == [ROW]
    assert isinstance(dialog.outcome, TeachOutcome)
    return dialog.outcome


def test_teaching_from_a_folder_shows_the_result_and_lists_the_network(
    qtbot, make_window, small_layer, classes: Path, data_folder: Path
) -> None:
    window = make_window()
    dialog = window.menus.teaching.show()
    steps: list[str] = []
    dialog.runner.progressed.connect(lambda _id, step: steps.append(step.stage))
    outcome = teach(qtbot, dialog, [classes])
    # Progress came from each step, and the window stayed the owner of its own thread.
    assert {"load", "features", "fit", "check", "save"} <= set(steps)
    assert outcome.classes == ("marked", "plain") and outcome.held_out == 4
    assert sum(outcome.counts) == 2 * PER_CLASS
    # The result: the accuracy in words, per class, the confusion table, the wrong photos.
    view = dialog.accuracy_view
    right = outcome.right
    assert f"{right} of 4" in view.headline.text()
    assert view.per_class.rowCount() == 2 and view.confusion.columnCount() == 2
    table = [[int(view.confusion.item(r, c).text()) for c in range(2)] for r in range(2)]
    assert table == outcome.confusion.tolist() and table[0][0] + table[1][1] == right
    assert view.wrong.count() == 4 - right
    # The shortcut check: a row a class, with its average map and its verdict in words.
    check = dialog.shortcut_view
    assert len(check.rows) == 2 and [look.name for look in outcome.looks] == ["marked", "plain"]
    assert all(look.average.shape == (224, 224, 3) for look in outcome.looks)
    assert "Too few test photos to judge (2)" in check.verdicts[0].text()  # 2 is below 3
    # Kept in the data folder and listed in the main window.
    assert (data_folder / "taught" / f"{NAME}.pth").is_file()
    assert (data_folder / "taught" / f"{NAME}.txt").read_text() == "marked\nplain\n"
    entry = window.panels.sidebar.entry(ROW)
    assert entry is not None and entry.title == NAME and entry.status == "taught"


def test_explain_with_it_then_restart_then_remove(
    qtbot,
    make_window,
    small_layer,
    classes: Path,
    data_folder: Path,
    photos_for_check: Path,
    tmp_path: Path,
) -> None:
    window = make_window()
    dialog = window.menus.teaching.show()
    teach(qtbot, dialog, [classes / "marked", classes / "plain"], check=False)
    assert dialog.shortcut_view.headline.text() == "The shortcut check was not run."
    # Explain With It: the main window explains its photo with the taught network.
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.controller.open_paths([str(photos_for_check)])
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        dialog.use_button.click()
    qtbot.waitUntil(lambda: window.state.network.name == ROW, timeout=TIMEOUT_MS)
    assert window.state.network.categories == ("marked", "plain")
    assert window.state.network.title == NAME
    shown = window.state.shown
    assert shown is not None and shown.request.network == ROW
    assert shown.result.target.name in ("marked", "plain")
    assert window.panels.sidebar.current_network() == ROW
    # Compare runs on it; a folder run loads the base network with the two files; an export
    # names the taught one.
    from scorecam_gui.gui.folder.view import job_for_window

    job = job_for_window(window)
    assert (job.model, job.weights) == (
        "efficientnet_lite0",
        str(data_folder / "taught" / f"{NAME}.pth"),
    )
    with qtbot.waitSignal(window.comparisonShown, timeout=TIMEOUT_MS):  # Compare, Grad-CAM
        window.controller.run_compare(("gradcam",), False)
    data = window.menus.export_data()
    assert data is not None and (data.network, data.network_title) == (ROW, NAME)
    # Taught again under its name, with other classes: the window explains with the new one.
    again_classes = tmp_path / "again"
    for old_name, new_name in (("marked", "sticker"), ("plain", "none")):
        shutil.copytree(classes / old_name, again_classes / new_name)
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        teach(qtbot, dialog, [again_classes], check=False)
    assert window.state.network.categories == ("none", "sticker")
    window.close()
    # A restart: a new window on the same settings and data folder chooses it again.
    again = make_window()
    assert again.panels.sidebar.current_network() == ROW
    assert again.menus.remove_taught_action.isEnabled()
    # Removed: off the list and off the disk; the bundled network takes its place.
    assert again.menus.teaching.remove_current(ask=False)
    assert again.panels.sidebar.entry(ROW) is None
    assert not (data_folder / "taught" / f"{NAME}.pth").exists()
    assert again.panels.sidebar.current_network() == "efficientnet_lite0"
    assert not again.menus.remove_taught_action.isEnabled()


@pytest.fixture
def photos_for_check(classes: Path) -> Path:
    return classes / "marked" / "marked-000.png"


def test_cancel_keeps_nothing_and_the_window_stays_responsive(
    qtbot, make_window, small_layer, tmp_path: Path, data_folder: Path
) -> None:
    window = make_window()
    dialog = window.menus.teaching.show()
    fresh = make_folder(tmp_path / "fresh", per_class=PER_CLASS, seed=5)
    dialog.set_folders([str(fresh)])
    dialog.name.setText(NAME)
    dialog.teach_button.click()
    assert dialog.cancel_button.isEnabled() and not dialog.teach_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.progress.maximum() > 0, timeout=TIMEOUT_MS)  # a count known
    QApplication.processEvents()  # the window answers while the worker reads photos
    with qtbot.waitSignal(dialog.runner.cancelled, timeout=TIMEOUT_MS):
        dialog.cancel_button.click()
    assert "nothing was kept" in dialog.status.text()
    qtbot.waitUntil(lambda: not dialog.runner.is_busy(), timeout=TIMEOUT_MS)
    assert dialog.teach_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert taughtnets.list_taught() == []
    assert window.panels.sidebar.entry(ROW) is None


def test_bad_data_is_one_line_naming_the_folder(
    qtbot, make_window, tmp_path: Path, classes: Path
) -> None:
    window = make_window()
    dialog = window.menus.teaching.show()
    few = tmp_path / "few"
    (few / "cats").mkdir(parents=True)
    (few / "dogs").mkdir()
    for i, name in enumerate(sorted((classes / "plain").iterdir())[:5]):
        (few / "cats" / f"{i}.png").write_bytes(name.read_bytes())
    (few / "dogs" / "0.png").write_bytes(name.read_bytes())
    dialog.set_folders([str(few)])
    assert "cats (5 photos), dogs (1 photos)" in dialog.classes.text()
    dialog.name.setText("pets")
    with qtbot.waitSignal(dialog.runner.failed, timeout=TIMEOUT_MS):
        dialog.teach_button.click()
    text = dialog.message.text()
    assert dialog.message.isVisible() and "\n" not in text
    assert str(few / "dogs") in text and "holds 1 photo" in text
    assert taughtnets.list_taught() == []


def test_folders_dropped_on_the_window_open_the_teach_window(
    qtbot, make_window, classes: Path, tmp_path: Path
) -> None:
    assert are_class_folders([str(classes)])  # one folder with a sub-folder a class
    assert are_class_folders([str(classes / "marked"), str(classes / "plain")])
    assert not are_class_folders([str(classes / "marked")])  # photos, no classes
    window = make_window()
    drop(window, [classes / "marked", classes / "plain"])
    dialog = window.menus.teaching.dialog
    assert isinstance(dialog, TeachDialog) and dialog.isVisible()
    assert dialog.folder_paths() == [str(classes / "marked"), str(classes / "plain")]
    assert dialog.name.text() == classes.name
    assert "2 classes" in dialog.classes.text()


def test_a_taught_network_in_the_list_loads_with_its_files(
    data_folder: Path, settings, classes: Path
) -> None:
    """The row maps to the base network with the two files, as imported weights do."""
    from scorecam_gui.engine.models.registry import load_network
    from scorecam_gui.engine.progress import run_to_end
    from scorecam_gui.engine.teach import dataset, teaching

    net = load_network("efficientnet_lite0")
    result = run_to_end(teaching.teach(dataset.read_folder(classes), net))
    saved = taughtnets.save(NAME, "efficientnet_lite0", result.taught, result.accuracy)
    assert taughtnets.find(ROW) == saved and taughtnets.base_network(ROW) == "efficientnet_lite0"
    assert taughtnets.base_network("resnet18") == "resnet18"
    loaded = taughtnets.loaded_as(
        load_network("efficientnet_lite0", saved.weights, saved.labels), ROW
    )
    assert loaded.info.name == ROW and loaded.info.title == NAME
    assert loaded.categories == ["marked", "plain"]
    assert taughtnets.name_problem("a/b") and taughtnets.name_problem("  ")
    assert taughtnets.name_problem("鳥たち") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG folders are Linux's")
def test_the_data_folder_is_the_apps_own(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without SCORECAM_DATA_DIR: platformdirs' user data folder, the app's own name."""
    monkeypatch.delenv(taughtnets.DATA_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert taughtnets.folder() == tmp_path / "share" / "scorecam-studio" / "taught"
