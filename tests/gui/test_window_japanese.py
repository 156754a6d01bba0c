"""The window in Japanese after a real explanation: it fits at the sizes people use (the layout
walker of test_window_layout.py), the menus speak Japanese, no text the catalogue translates is
shown in English, and the share of texts still English stays under its ceiling.

Two shares are measured on a first start's page (tests/helpers/language_check.py):
- CEILING, the issue's measure: every visible text, class, layer and file names counting as
  English where no translation exists. ImageNet's class names are shown in Japanese
  (app/classnames.py, docs/classnames-ja.md), so what stays English is the layer's name and
  "cpu · fp32": 2 of about 40 texts.
- UI_CEILING, the window's own words: the texts that are English only because they are such
  names are left out (printed, so that what is left out can be read).
Both ceilings are what this window measures plus a little, so that the shares can only go down.
Fonts: Debian's fonts-noto-cjk (.ci/run installs it).
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
skimage_data = pytest.importorskip("skimage.data")

from PIL import Image  # noqa: E402
from PySide6.QtGui import QFontDatabase  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from scorecam_gui.choices import DEVICES, PRECISIONS  # noqa: E402
from scorecam_gui.engine.faithfulness import metrics as engine_metrics  # noqa: E402
from scorecam_gui.engine.progress import Progress  # noqa: E402
from scorecam_gui.gui import i18n  # noqa: E402
from scorecam_gui.gui.window.layout import FOLD_BELOW_HEIGHT  # noqa: E402
from tests.helpers.catalogue import CATALOGUE, messages  # noqa: E402
from tests.helpers.language_check import (  # noqa: E402
    english_share,
    is_english,
    shown_texts,
    ui_english_share,
)
from tests.helpers.layout_check import find_problems  # noqa: E402

SIZES = [(1024, 680), (1366, 768), (1920, 1080)]
TIMEOUT_MS = 120_000
# Measured 2026-12-02 with every window text wrapped and ImageNet's classes in Japanese (before:
# 70 % at 1024×680 and 1366×768, 61 % at 1920×1080; then 38 %/38 %/33 % with gui/window/ and
# the class names still English).
CEILING = 0.10  # the target; 5 % at 1024×680 and 1366×768, 4 % at 1920×1080
UI_CEILING = 0.05  # 0 % at the three sizes


def untranslatable_names(window, photo_name: str) -> list[str]:
    """What no catalogue translates: the network's class names, its layers' names, the photo's
    file name, the devices and number formats (cpu, fp32)."""
    layers = [
        window.panels.sidebar.layer.itemData(i) for i in range(window.panels.sidebar.layer.count())
    ]
    devices = [n for n in (*DEVICES, *PRECISIONS) if n != "auto"]
    return [*window.panels.prediction.categories(), *map(str, layers), photo_name, *devices]


pytestmark = pytest.mark.usefixtures("styled")


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def fake_metrics(explainer, image, saliency, target=None, **kwargs):
    """The engine's metrics are tested there; here only their texts count."""
    curve = engine_metrics.Curve(np.linspace(0, 1, 3), np.array([0.9, 0.5, 0.1]), 0.5)
    yield Progress(1, 1, 0.1)
    return engine_metrics.MapMetrics(
        target, 0.791, 0.646, 0.183, False, curve, curve, None, 2, "blur", "cpu", "fp32", 0.1
    )


@pytest.fixture
def japanese(qapp):
    assert i18n.install("ja") == "ja"
    try:
        yield
    finally:
        i18n.install("en")


def test_a_japanese_font_is_there(qapp) -> None:
    families = [f for f in QFontDatabase.families(QFontDatabase.WritingSystem.Japanese)]
    assert families, "no font with Japanese glyphs: install fonts-noto-cjk"


def test_explained_window_in_japanese(qtbot, make_window, japanese, tmp_path, monkeypatch):
    photo = tmp_path / "chelsea.png"
    Image.fromarray(skimage_data.chelsea()).save(photo)
    window = make_window()
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.controller.open_paths([str(photo)])
    monkeypatch.setattr(engine_metrics, "run_metrics", fake_metrics)
    window.panels.compare.measure.setChecked(True)
    with qtbot.waitSignal(window.comparisonShown, timeout=TIMEOUT_MS):
        window.panels.compare.button.click()

    sources = {source for (_context, source) in messages(CATALOGUE)}
    sources |= {s.replace("&", "") for s in sources}
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles and not any(is_english(t) for t in titles), titles

    found: dict[str, list[str]] = {}
    shares: dict[tuple[int, int], float] = {}
    ui_shares: dict[tuple[int, int], float] = {}
    names = untranslatable_names(window, photo.name)
    assert "Egyptian cat" in names and "_head_act" in names
    for size in SIZES:
        window.resize(*size)
        window.panels.reset_layout()
        window.panels.show_details(size[1] >= FOLD_BELOW_HEIGHT)
        window.panels.tabs.setCurrentIndex(0)  # the share is measured on a first start's page
        settle()
        assert (window.width(), window.height()) == size
        pages = [None, *range(window.panels.tabs.count())]
        for tab in pages:
            if tab is not None:
                window.panels.show_details(True)
                window.panels.tabs.setCurrentIndex(tab)
                settle()
            where = f"{size} " + ("first start" if tab is None else window.panels.tabs.tabText(tab))
            problems = [str(p) for p in find_problems(window)]
            untranslated = [
                f"{t.widget}: “{t.text}” is in the catalogue but shown in English"
                for t in shown_texts(window)
                if t.text in sources and t.english
            ]
            if problems or untranslated:
                found[where] = problems + untranslated
            if tab is None:
                shares[size], _english = english_share(window)
                ui_shares[size], english, left_out = ui_english_share(window, names)
                print(size, "still English:", [t.text for t in english])
                print(size, "names, left out:", [t.text for t in left_out])
    assert not found, "\n".join(f"{where}: {what}" for where, lst in found.items() for what in lst)
    print("all texts:", {f"{w}x{h}": f"{share:.0%}" for (w, h), share in shares.items()})
    print("own words:", {f"{w}x{h}": f"{share:.0%}" for (w, h), share in ui_shares.items()})
    assert max(shares.values()) <= CEILING, shares
    assert max(ui_shares.values()) <= UI_CEILING, ui_shares
