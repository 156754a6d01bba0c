"""One figure to share: the photo with its map, the class and its probability, the colour bar with
its title, and the network, as one RGB picture (PNG). No Qt: the window's File › Export Figure…
and `scorecam explain --figure` draw the same picture with Pillow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .colormaps import colormap_lut

COLOUR_BAR_TITLE = "importance: 0 none, 1 most"  # as the window's colour bar says it
BACKGROUND = (255, 255, 255)
TEXT = (20, 20, 20)
MUTED = (90, 90, 90)
WARN = (150, 80, 0)
MAX_SIDE = 1200  # pixels: the photo is scaled to fit this (a shared figure, not a full print)


@dataclass(frozen=True)
class FigureText:
    """What the figure says: the heading, a line under it, and a caution (may be empty)."""

    title: str  # "Egyptian cat  79.1 %"
    subtitle: str  # "EfficientNet-Lite0 · Score-CAM · layer _head_act"
    note: str = ""  # when not to trust the map (engine/trust.py), "" for none


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
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
    title_font, body_font = _font(round(26 * scale) + 6), _font(round(15 * scale) + 5)
    bar_width = round(22 * scale) + 6
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    tick_room = 8 + round(probe.textlength("0.5", font=body_font)) + 8  # type: ignore[arg-type]
    title_box = probe.textbbox((0, 0), COLOUR_BAR_TITLE, font=body_font)  # type: ignore[arg-type]
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
    _colour_bar(
        figure, draw, pad + photo.width + pad, top, bar_width, photo.height, colormap, body_font
    )
    return np.asarray(figure)


def _line_height(draw: ImageDraw.ImageDraw, font: object) -> int:
    box = draw.textbbox((0, 0), "Ag", font=font)  # type: ignore[arg-type]
    return round((box[3] - box[1]) * 1.45)


def _colour_bar(
    figure: Image.Image,
    draw: ImageDraw.ImageDraw,
    left: int,
    top: int,
    width: int,
    height: int,
    colormap: str,
    font: object,
) -> None:
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
    box = draw.textbbox((0, 0), COLOUR_BAR_TITLE, font=font)  # type: ignore[arg-type]
    strip = Image.new("RGB", (round(box[2]) + 4, round(box[3]) + 4), BACKGROUND)
    ImageDraw.Draw(strip).text((2, 2), COLOUR_BAR_TITLE, fill=MUTED, font=font)  # type: ignore[arg-type]
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
) -> FigureText:
    """The figure's words from a result's facts (window and command line alike)."""
    subtitle = f"What {network_title} looked at for “{class_name}” ({method}, layer {layer})"
    if approximate:
        subtitle += f". {approximate}"
    shown = "< 0.1 %" if probability < 0.001 else f"{100 * probability:.1f} %"
    return FigureText(f"{class_name}  {shown}", subtitle, note)


def figure_for_result(
    overlay: np.ndarray, result: object, network_title: str, colormap: str = "jet"
) -> np.ndarray:
    """The figure of a ScoreCamResult (class, probability, layer, approximate, the trust note)."""
    from .trust import assess

    r: Any = result
    approximate = ""
    if r.stopped or r.approximate:
        scored = int(r.maps_evaluated)
        approximate = f"APPROXIMATE: {scored} of {r.maps_total} maps scored"
    note = assess(r.top5, r.target, r.entropy, network_title).note
    text = figure_text(
        r.target.name,
        r.target.probability,
        network_title,
        r.layer,
        approximate=approximate,
        note=note,
    )
    return render_figure(overlay, text, colormap)
