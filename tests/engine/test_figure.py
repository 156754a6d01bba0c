"""One figure to share (engine/figure.py): from the window's export and `scorecam explain
--figure`; and a folder run's CSV beside its Parquet manifest (engine/folders/csvtable.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scorecam_gui.appdata import sample_photo_path
from scorecam_gui.cli import main as cli
from scorecam_gui.engine.colormaps import colormap_lut
from scorecam_gui.engine.figure import figure_text, render_figure

SMALL_LAYER = "_blocks.0"


def test_the_figure_holds_the_picture_the_words_and_the_colour_bar():
    overlay = np.full((300, 450, 3), (10, 200, 30), np.uint8)
    text = figure_text("Egyptian cat", 0.791, "EfficientNet-Lite0", "_head_act")
    assert text.title == "Egyptian cat  79.1 %"
    figure = render_figure(overlay, text)
    height, width = figure.shape[:2]
    assert height > 300 + 40 and width > 450 + 40  # words above, the bar beside
    # The picture is there, unscaled (it is smaller than the figure's limit).
    found = np.all(figure == (10, 200, 30), axis=-1)
    rows, cols = np.nonzero(found)
    assert rows.max() - rows.min() + 1 == 300 and cols.max() - cols.min() + 1 == 450
    # The colour bar: jet's dark red at the top, its dark blue at the bottom, right of the photo.
    lut = colormap_lut("jet")
    right = figure[:, cols.max() + 1 :].astype(int)
    for colour, rows_at in (
        (lut[250], slice(rows.min(), rows.min() + 10)),
        (lut[5], slice(rows.max() - 10, rows.max() + 1)),
    ):
        close = np.abs(right[rows_at] - colour.astype(int)).max(axis=-1) <= 3
        assert close.any(), colour
    # Words above the picture: dark pixels in the header.
    assert (figure[: rows.min()] < 100).all(axis=-1).any()


def test_a_caution_makes_the_header_taller():
    overlay = np.zeros((200, 200, 3), np.uint8)
    plain = render_figure(overlay, figure_text("x", 0.5, "Net", "layer"))
    note = "Do not read this map as where a golden retriever is. " * 3
    warned = render_figure(overlay, figure_text("x", 0.5, "Net", "layer", note=note))
    assert warned.shape[0] > plain.shape[0]
    assert figure_text("golden retriever", 0.0004, "Net", "l").title.endswith("< 0.1 %")


def test_explain_figure_and_the_manifest_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    photo = tmp_path / "cat.png"
    Image.open(sample_photo_path()).save(photo)
    manifest = tmp_path / "run.parquet"
    argv = ["explain", str(photo), "--layer", SMALL_LAYER, "--device", "cpu", "--figure"]
    argv += ["--out", str(tmp_path / "out"), "--manifest", str(manifest)]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "Egyptian cat" in out
    with (
        Image.open(tmp_path / "out" / "cat-scorecam-paper-figure.png") as figure,
        Image.open(tmp_path / "out" / "cat-scorecam-paper-overlay.png") as overlay,
    ):
        assert figure.width > overlay.width and figure.height > overlay.height
    with open(tmp_path / "run.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1
    assert rows[0]["path"].endswith("cat.png") and rows[0]["target_name"] == "Egyptian cat"
    assert 0.5 < float(rows[0]["target_probability"]) <= 1 and rows[0]["error"] == ""


def test_japanese_words_are_drawn_with_a_japanese_font():
    from scorecam_gui.engine import figure

    if figure._cjk_font_file() is None:
        pytest.skip("no font with Japanese glyphs here (Debian: fonts-noto-cjk)")
    words = figure.FigureWords(
        subtitle="{network} が「{name}」で見た場所({method}、層 {layer})",
        bar_title="重要度: 0 なし、1 最大",
        percent="{value}%",
    )
    text = figure_text("Egyptian cat", 0.791, "EfficientNet-Lite0", "_head_act", words=words)
    assert text.title == "Egyptian cat  79.1%" and text.bar_title == words.bar_title
    subtitle = "EfficientNet-Lite0 が「Egyptian cat」で見た場所(Score-CAM、層 _head_act)"
    assert text.subtitle == subtitle
    # Pillow's own font has no Japanese glyphs and draws each as the same box; the CJK font
    # draws three different characters three different ways.
    font = figure._font(20, cjk=True)
    assert len({bytes(font.getmask(c)) for c in "重要度"}) == 3
    assert len({bytes(figure._font(20).getmask(c)) for c in "重要度"}) == 1
    shown = render_figure(np.zeros((200, 300, 3), np.uint8), text)
    assert shown.shape[0] > 200 and shown.shape[1] > 300
