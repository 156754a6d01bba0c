"""The Folder view on a real small folder: gallery, cancel and resume, sort, filter, exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot
from skimage import data

from scorecam_gui.engine.folders.batch import Job
from scorecam_gui.engine.folders.gallery import GalleryItem, is_unsure
from scorecam_gui.gui.folder.view import FolderView

pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "holiday"
    (root / "day 2").mkdir(parents=True)
    Image.fromarray(data.chelsea()).save(root / "chelsea.png")
    Image.fromarray(data.coffee()).save(root / "day 2" / "coffee.jpg")
    Image.fromarray(data.rocket()).save(root / "day 2" / "rocket.jpg")
    (root / "broken.jpg").write_bytes(b"\xff\xd8 not a photo")
    (root / "notes.txt").write_text("ignored")
    return root


def test_unsure_rule() -> None:
    assert is_unsure(0.45, 0.1) and is_unsure(0.6, 0.55) and not is_unsure(0.8, 0.1)
    assert not is_unsure(None, None)


def test_folder_view_fills_cancels_resumes_sorts_and_exports(
    qtbot: QtBot, folder: Path, tmp_path: Path
) -> None:
    view = FolderView(tmp_path / "manifests", job=lambda: Job(approximate=4))
    qtbot.addWidget(view)
    opened: list[str] = []
    view.openRequested.connect(opened.append)
    try:
        # Cancel as soon as the first photo is in; the gallery keeps what was done
        def is_item(_job: int, event: object) -> bool:
            return isinstance(event, GalleryItem)

        with qtbot.waitSignal(view.runner.progressed, timeout=300_000, check_params_cb=is_item):
            view.start([str(folder)])
        view.cancel()
        assert "Cancelled" in view.status.text() and view.resume_button.isEnabled() is False
        qtbot.waitUntil(lambda: not view.runner.is_busy(), timeout=300_000)
        assert view.resume_button.isEnabled()
        first = len(view.items)
        assert 1 <= first < 4
        parts = len(list(view.manifest.glob("part-*.parquet")))  # type: ignore[union-attr]
        assert parts >= 1  # what was finished is on disk

        with qtbot.waitSignal(view.runner.finished, timeout=600_000):
            view.resume()
        names = sorted(Path(item.path).name for item in view.items)
        assert names == ["broken.jpg", "chelsea.png", "coffee.jpg", "rocket.jpg"]
        assert view.gallery.count() == 4
        by_name = {Path(i.path).name: i for i in view.items}
        assert by_name["broken.jpg"].error == "not an image file (cannot identify image)"
        assert by_name["coffee.jpg"].target_name == "espresso"
        assert by_name["chelsea.png"].thumbnail.shape[0] == 128
        assert "Done: 4 photos" in view.status.text()

        view.sort_box.setCurrentText("Confidence")
        scores = [by_name[Path(p).name].target_score or -1 for p in view.visible_paths()]
        assert scores == sorted(scores, reverse=True)
        view.sort_box.setCurrentText("Class")
        classes = [by_name[Path(p).name].target_name or "~" for p in view.visible_paths()]
        assert classes == sorted(classes)
        view.unsure_box.setChecked(True)
        assert view.gallery.count() == sum(i.unsure for i in view.items)
        view.unsure_box.setChecked(False)

        view.gallery.itemClicked.emit(view.gallery.item(0))
        assert opened == [view.visible_paths()[0]]

        report = tmp_path / "report.html"
        view.export_html(str(report))
        text = report.read_text()
        assert text.count('src="data:image/png;base64,') == 4 and "espresso" in text
        assert "http://" not in text and "https://" not in text  # nothing to fetch: mailable
        exported = tmp_path / "export.parquet"
        assert view.export_manifest(str(exported)) == 4
        assert pq.read_table(exported).num_rows == 4 and exported.is_file()
    finally:
        view.shutdown()


def test_add_folder_adds_to_the_photos_shown(qtbot: QtBot, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    Image.fromarray(data.chelsea()).save(first / "chelsea.png")
    Image.fromarray(data.coffee()).save(second / "coffee.jpg")
    view = FolderView(tmp_path / "manifests", job=lambda: Job(approximate=4, layer="_blocks.0"))
    qtbot.addWidget(view)
    try:
        with qtbot.waitSignal(view.runner.finished, timeout=300_000):
            view.start([str(first)])
        manifest = view.manifest
        with qtbot.waitSignal(view.runner.finished, timeout=300_000):
            view.start([str(second)], add=True)  # what Add Folder… does
        names = sorted(Path(item.path).name for item in view.items)
        assert names == ["chelsea.png", "coffee.jpg"]  # added, not replaced
        assert view.manifest == manifest  # the first photo came from it, not computed again
        assert (tmp_path / "manifests" / f"{manifest.stem}.csv").is_file()  # for spreadsheets
    finally:
        view.shutdown()


def test_the_report_is_written_in_the_windows_language(qapp) -> None:
    import numpy as np

    from scorecam_gui.engine.folders.gallery import html_report
    from scorecam_gui.gui import i18n
    from scorecam_gui.gui.folder.view import report_words

    item = GalleryItem(
        "/photos/cat.png", "tabby", 0.42, 0.4, None, np.zeros((4, 4, 3), np.uint8), b""
    )
    english = html_report([item], "Report", report_words())
    assert '<html lang="en">' in english and "1 photos, 1 where the network is unsure" in english
    assert '"unsure">unsure</span>' in english and "42.0 %" in english
    try:
        assert i18n.install("ja") == "ja"
        japanese = html_report([item], "Report", report_words())
    finally:
        i18n.install("en")
    assert '<html lang="ja">' in japanese and "写真 1 枚" in japanese
    assert '"unsure">確信なし</span>' in japanese and "42.0%" in japanese
    assert "unsure" not in japanese.replace('class="unsure"', "").replace(".unsure", "")
