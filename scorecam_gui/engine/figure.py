"""One figure to share: the photo with its map, the class and its probability, the colour bar with
its title, and the network, as one RGB picture (PNG). No Qt: the window's File › Export Figure…
and `scorecam explain --figure` draw the same picture with Pillow.

The words are English unless the caller passes `FigureWords` in another language (the window
does, app/enginewords.py: the engine has no translations). Text with Japanese (or other CJK)
characters is drawn with a CJK font found on the system (CJK_FONTS), since Pillow's own font
has no such glyphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .colormaps import colormap_lut

if TYPE_CHECKING:
    from .trust import TrustWords

COLOUR_BAR_TITLE = "importance: 0 none, 1 most"  # as the window's colour bar says it
BACKGROUND = (255, 255, 255)
TEXT = (20, 20, 20)
MUTED = (90, 90, 90)
WARN = (150, 80, 0)
MAX_SIDE = 1200  # pixels: the photo is scaled to fit this (a shared figure, not a full print)
# Fonts with Japanese glyphs, the first found is used for text that needs one (Debian's
# fonts-noto-cjk, Fedora's google-noto-sans-cjk, macOS's Hiragino, Windows' Yu Gothic / Meiryo).
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "C:/Windows/Fonts/YuGothR.ttc",
    "C:/Windows/Fonts/meiryo.ttc",
)


@dataclass(frozen=True)
class FigureWords:
    """The figure's fixed words, with named placeholders; English by default."""

    subtitle: str = "What {network} looked at for “{name}” ({method}, layer {layer})"
    approximate: str = "APPROXIMATE: {scored} of {total} maps scored"
    bar_title: str = COLOUR_BAR_TITLE
    percent: str = "{value} %"  # the class's probability, {value} with one decimal
    rather: str = "{name} rather than {other}"  # a map of one class against another
    trust: TrustWords | None = None  # the caution's words (engine/trust.py), None: English


@dataclass(frozen=True)
class FigureText:
    """What the figure says: the heading, a line under it, and a caution (may be empty)."""

    title: str  # "Egyptian cat  79.1 %"
    subtitle: str  # "EfficientNet-Lite0 · Score-CAM · layer _head_act"
    note: str = ""  # when not to trust the map (engine/trust.py), "" for none
    bar_title: str = COLOUR_BAR_TITLE  # the colour bar's title, turned on its side


def _needs_cjk(text: str) -> bool:
    return any(ord(c) >= 0x2E80 for c in text)


@cache
def _cjk_font_file() -> str | None:
    return next((path for path in CJK_FONTS if Path(path).is_file()), None)


def _font(size: int, cjk: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's own font, or for CJK text the first of CJK_FONTS on this system."""
    path = _cjk_font_file() if cjk else None
    if path is not None:
        try:
            return ImageFont.truetype(path, size)
        except OSError:  # unreadable: Pillow's own font draws what it can
            pass
    return ImageFont.load_default(size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: object, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=font) <= width or not line:  # type: ignore[arg-type]
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def render_figure(overlay: np.ndarray, text: FigureText, colormap: str = "jet") -> np.ndarray:
    """The figure as (H, W, 3) uint8: `overlay` (the photo with its map, as shown) scaled to at
    most MAX_SIDE, `text` above it, and the colour bar of `colormap` on its right."""
    photo = Image.fromarray(np.ascontiguousarray(overlay, dtype=np.uint8), "RGB")
    photo.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    scale = max(photo.width, photo.height) / 800
    pad = round(16 * scale) + 8
    cjk = _needs_cjk(f"{text.title}{text.subtitle}{text.note}{text.bar_title}")
    title_font = _font(round(26 * scale) + 6, cjk)
    body_font = _font(round(15 * scale) + 5, cjk)
    bar_width = round(22 * scale) + 6
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    tick_room = 8 + round(probe.textlength("0.5", font=body_font)) + 8  # type: ignore[arg-type]
    title_box = probe.textbbox((0, 0), text.bar_title, font=body_font)  # type: ignore[arg-type]
    title_room = round(title_box[3]) + 4 + 8  # the bar's title, turned on its side
    width = pad + photo.width + pad + bar_width + tick_room + title_room + pad
    text_width = width - 2 * pad
    lines: list[tuple[str, object, tuple[int, int, int]]] = [(text.title, title_font, TEXT)]
    lines += [
        (line, body_font, MUTED) for line in _wrap(probe, text.subtitle, body_font, text_width)
    ]
    if text.note:
        lines += [
            (line, body_font, WARN) for line in _wrap(probe, text.note, body_font, text_width)
        ]
    heights = [_line_height(probe, font) for _, font, _ in lines]
    header = round(pad + sum(heights) + pad // 2)
    figure = Image.new("RGB", (width, header + photo.height + pad), BACKGROUND)
    draw = ImageDraw.Draw(figure)
    y = pad
    for (line, font, colour), height in zip(lines, heights, strict=True):
        draw.text((pad, y), line, fill=colour, font=font)  # type: ignore[arg-type]
        y += height
    top = header
    figure.paste(photo, (pad, top))
    bar_left = pad + photo.width + pad
    _colour_bar(
        figure, draw, (bar_left, top, bar_width, photo.height), colormap, body_font, text.bar_title
    )
    return np.asarray(figure)


def _line_height(draw: ImageDraw.ImageDraw, font: object) -> int:
    box = draw.textbbox((0, 0), "Ag", font=font)  # type: ignore[arg-type]
    return round((box[3] - box[1]) * 1.45)


def _colour_bar(
    figure: Image.Image,
    draw: ImageDraw.ImageDraw,
    area: tuple[int, int, int, int],
    colormap: str,
    font: object,
    title: str,
) -> None:
    """The bar in `area` (left, top, width, height), its ticks, and `title` beside them."""
    left, top, width, height = area
    lut = colormap_lut(colormap)
    rows = np.linspace(255, 0, height).round().astype(np.intp)  # 1 at the top
    bar = np.repeat(lut[rows][:, None, :], width, axis=1)
    figure.paste(Image.fromarray(np.ascontiguousarray(bar), "RGB"), (left, top))
    draw.rectangle((left, top, left + width - 1, top + height - 1), outline=MUTED)
    ticks: Sequence[tuple[float, str]] = ((1.0, "1"), (0.5, "0.5"), (0.0, "0"))
    for value, label in ticks:
        y = top + round((1 - value) * (height - 1))
        draw.line((left + width, y, left + width + 5, y), fill=MUTED)
        box = draw.textbbox((0, 0), label, font=font)  # type: ignore[arg-type]
        ty = min(max(top, y - (box[3] - box[1]) // 2 - box[1]), top + height - (box[3] - box[1]))
        draw.text((left + width + 8, ty), label, fill=TEXT, font=font)  # type: ignore[arg-type]
    # The bar's title, turned a quarter to read upwards, beside the tick labels.
    label_left = (
        left
        + width
        + 8
        + max(
            round(draw.textlength(t, font=font))  # type: ignore[arg-type]
            for _, t in ticks
        )
    )
    bounds = draw.textbbox((0, 0), title, font=font)  # type: ignore[arg-type]
    strip = Image.new("RGB", (round(bounds[2]) + 4, round(bounds[3]) + 4), BACKGROUND)
    ImageDraw.Draw(strip).text((2, 2), title, fill=MUTED, font=font)  # type: ignore[arg-type]
    turned = strip.rotate(90, expand=True)
    y = top + max(0, (height - turned.height) // 2)
    figure.paste(turned, (label_left + 8, y))


def figure_text(
    class_name: str,
    probability: float,
    network_title: str,
    layer: str,
    method: str = "Score-CAM",
    approximate: str = "",
    note: str = "",
    words: FigureWords | None = None,
) -> FigureText:
    """The figure's words from a result's facts (window and command line alike)."""
    words = words or FigureWords()
    subtitle = words.subtitle.format(
        network=network_title, name=class_name, method=method, layer=layer
    )
    if approximate:
        subtitle += f". {approximate}"
    value = words.percent.format(value=f"{100 * max(probability, 0.001):.1f}")
    shown = f"< {value}" if probability < 0.001 else value
    return FigureText(f"{class_name}  {shown}", subtitle, note, words.bar_title)


def figure_for_result(
    overlay: np.ndarray,
    result: object,
    network_title: str,
    colormap: str = "jet",
    words: FigureWords | None = None,
) -> np.ndarray:
    """The figure of a MethodResult (class, probability, layer, approximate, the trust note)."""
    from .trust import assess

    words = words or FigureWords()
    r: Any = result
    approximate = ""
    if (r.stopped or r.approximate) and r.maps_evaluated is not None:  # maps it counts
        scored = int(r.maps_evaluated)
        approximate = words.approximate.format(scored=scored, total=r.maps_total)
    note = assess(r.top5, r.target, r.entropy, network_title, words.trust).note
    name = r.target.name
    if getattr(r, "contrast", None) is not None:  # docs/contrast.md
        name = words.rather.format(name=r.target.name, other=r.contrast.name)
    text = figure_text(
        name,
        r.target.probability,
        network_title,
        r.layer,
        approximate=approximate,
        note=note,
        words=words,
    )
    return render_figure(overlay, text, colormap)
