"""The window in Japanese after a real explanation: it fits at the sizes people use (the layout
walker of test_window_layout.py), the menus speak Japanese, no text the catalogue translates is
shown in English, and the share of texts still English stays under its ceiling.

The issue's target is 10 % of the visible texts. The window's own files (canvas, prediction,
window, plainwords, …) were being rewritten while the catalogue was made and are wrapped after
that merge (docs/translating.md); until then CEILING is what this window measures, so that the
share can only go down. Fonts: Debian's fonts-noto-cjk (.ci/run installs it).
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

from scorecam_gui.engine.faithfulness import metrics as engine_metrics  # noqa: E402
from scorecam_gui.engine.progress import Progress  # noqa: E402
from scorecam_gui.gui import i18n  # noqa: E402
from scorecam_gui.gui.window.window import FOLD_BELOW_HEIGHT  # noqa: E402
from tests.helpers.catalogue import CATALOGUE, messages  # noqa: E402
from tests.helpers.language_check import english_share, is_english, shown_texts  # noqa: E402
from tests.helpers.layout_check import find_problems  # noqa: E402

SIZES = [(1024, 680), (1366, 768), (1920, 1080)]
TIMEOUT_MS = 120_000
# Measured 2026-12-02 before the window's own files were wrapped; the target is 0.10.
CEILING = 0.71  # 70 % at 1024×680 and 1366×768, 61 % at 1920×1080

# Shown by files not wrapped yet (canvas.py's link, compare/panel.py's button) with the same
# English as a text of the catalogue; remove once those files are wrapped.
NOT_WRAPPED_YET = {"How to read the map", "Grid test", "Sanity check"}

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
        window.open_paths([str(photo)])
    monkeypatch.setattr(engine_metrics, "run_metrics", fake_metrics)
    window.compare.measure.setChecked(True)
    with qtbot.waitSignal(window.comparisonShown, timeout=TIMEOUT_MS):
        window.compare.button.click()

    sources = {source for (_context, source) in messages(CATALOGUE)}
    sources |= {s.replace("&", "") for s in sources}
    sources -= NOT_WRAPPED_YET
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles and not any(is_english(t) for t in titles), titles

    found: dict[str, list[str]] = {}
    shares: dict[tuple[int, int], float] = {}
    for size in SIZES:
        window.resize(*size)
        window.reset_layout()
        window.show_details(size[1] >= FOLD_BELOW_HEIGHT)
        window.tabs.setCurrentIndex(0)  # the share is measured on a first start's page
        settle()
        assert (window.width(), window.height()) == size
        pages = [None, *range(window.tabs.count())]
        for tab in pages:
            if tab is not None:
                window.show_details(True)
                window.tabs.setCurrentIndex(tab)
                settle()
            where = f"{size} " + ("first start" if tab is None else window.tabs.tabText(tab))
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
    assert not found, "\n".join(f"{where}: {what}" for where, lst in found.items() for what in lst)
    print({f"{w}x{h}": f"{share:.0%}" for (w, h), share in shares.items()})
    assert max(shares.values()) <= CEILING, shares
