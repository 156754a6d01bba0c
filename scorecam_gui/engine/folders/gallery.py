"""A batch's results as a gallery: thumbnails, the "network is unsure" rule, the HTML report.

No Qt: the window's Folder view shows these items, and the report is plain HTML whose
thumbnails are PNG data: URIs inside the one file, so it can be mailed as it is.
"""

from __future__ import annotations

import base64
import html
import io
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from scorecam_gui import __version__
from scorecam_gui.engine import atomicio, imaging
from scorecam_gui.engine.folders import manifest as mf

__all__ = [
    "GalleryItem",
    "ReportWords",
    "export_manifest",
    "gallery_item",
    "html_report",
    "is_unsure",
]

UNSURE_BELOW = 0.5  # the top class's probability under this: unsure
CLOSE_WITHIN = 0.1  # the first two classes closer than this: unsure
THUMB_HEIGHT = 128


@dataclass(frozen=True)
class GalleryItem:
    """One photo of a batch, as plain data (it crosses from the worker thread to the GUI)."""

    path: str
    target_name: str | None
    target_score: float | None
    second_score: float | None
    error: str | None
    thumbnail: np.ndarray  # (h, w, 3) uint8: the photo and its overlay side by side
    png: bytes  # the thumbnail as PNG, for the report

    @property
    def unsure(self) -> bool:
        return is_unsure(self.target_score, self.second_score)


def is_unsure(top: float | None, second: float | None) -> bool:
    """The network is unsure: its top class is below 50 %, or the first two are within 10 points."""
    if top is None:
        return False
    return top < UNSURE_BELOW or (second is not None and top - second < CLOSE_WITHIN)


def _thumb(rgb: np.ndarray, height: int) -> np.ndarray:
    img = Image.fromarray(rgb)
    width = max(1, round(img.width * height / img.height))
    return np.asarray(img.resize((width, height), Image.Resampling.BILINEAR))


def gallery_item(
    row: dict[str, Any], photo: Image.Image | None = None, height: int = THUMB_HEIGHT
) -> GalleryItem:
    """The gallery entry of a manifest row; the photo is read from row["path"] when not given."""
    error = row["error"]
    if photo is None and error is None:
        try:
            photo = imaging.load_image(row["path"])
        except imaging.ImageLoadError as exc:
            error = f"explained, but cannot be shown now: {exc.reason}"
    if photo is not None and error is None:
        small = photo.copy()
        small.thumbnail((height * 4, height))  # before the overlay: cheap for big photos
        rgb = np.asarray(small.convert("RGB"))
        saliency = mf.map_from_row(row)
        overlay = imaging.render_matlab_overlay(rgb, saliency)
        thumb = np.concatenate([_thumb(rgb, height), _thumb(overlay, height)], axis=1)
    else:
        thumb = np.full((height, height, 3), 200, np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(thumb).save(buffer, format="PNG")
    top5 = row["top5"] or []
    return GalleryItem(
        path=row["path"],
        target_name=row["target_name"],
        target_score=row["target_probability"],
        second_score=top5[1]["probability"] if len(top5) > 1 else None,
        error=error,
        thumbnail=thumb,
        png=buffer.getvalue(),
    )


@dataclass(frozen=True)
class ReportWords:
    """The report's fixed words, English by default. The window passes them in its own language
    (gui/folder/view.py): the engine has no translations. `summary` is HTML with the
    placeholders {photos}, {unsure}, {below}, {points}, {failed}, {when} and {version}."""

    language: str = "en"  # the page's lang attribute
    unsure: str = "unsure"
    percent: str = "{value} %"  # a confidence, {value} with one decimal
    summary: str = (
        "{photos} photos, {unsure} where the network is unsure (top class below\n"
        "{below} or the first two within {points} points), {failed} failed.\n"
        "Left: the photo; right: the Score-CAM map over it (red: what the class depends on most).\n"
        "Made {when} by Score-CAM Studio {version}."
    )


def html_report(
    items: list[GalleryItem], title: str = "Score-CAM report", words: ReportWords | None = None
) -> str:
    """One self-contained HTML page: each photo with its map, class and confidence."""
    words = words or ReportWords()
    cards = []
    for item in items:
        name = html.escape(Path(item.path).name)
        uri = "data:image/png;base64," + base64.b64encode(item.png).decode("ascii")
        if item.error is not None:
            caption = f'<span class="error">{html.escape(item.error)}</span>'
        else:
            score = words.percent.format(value=f"{(item.target_score or 0) * 100:.1f}")
            flag = (
                f' <span class="unsure">{html.escape(words.unsure)}</span>' if item.unsure else ""
            )
            caption = f"<b>{html.escape(item.target_name or '')}</b> {score}{flag}"
        cards.append(
            f'<figure><img src="{uri}" alt="{name}"><figcaption>{caption}<br>'
            f'<small title="{html.escape(item.path)}">{name}</small></figcaption></figure>'
        )
    unsure = sum(item.unsure for item in items)
    failed = sum(item.error is not None for item in items)
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime())
    summary = words.summary.format(
        photos=len(items),
        unsure=unsure,
        below=f"{UNSURE_BELOW:.0%}",
        points=f"{CLOSE_WITHIN * 100:.0f}",
        failed=failed,
        when=when,
        version=html.escape(__version__),
    )
    lang = html.escape(words.language)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }}
main {{ display: flex; flex-wrap: wrap; gap: 1em; }}
figure {{ margin: 0; padding: .5em; border: 1px solid #ddd; border-radius: 6px; }}
figcaption {{ margin-top: .3em; font-size: 90%; }}
.unsure {{ background: #fde68a; padding: 0 .3em; border-radius: 3px; }}
.error {{ color: #b91c1c; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{summary}</p>
<main>
{chr(10).join(cards)}
</main></body></html>
"""


def export_manifest(
    source: str | os.PathLike[str], dest: str | os.PathLike[str], paths: list[str] | None = None
) -> int:
    """Write the newest rows of a manifest (those of `paths` when given) as one Parquet file,
    atomically; returns the number of rows."""
    mf.require_pyarrow()
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = mf.read_manifest(source)
    if paths is not None:
        table = table.filter(pc.is_in(table.column("path"), value_set=_string_array(paths)))
    atomicio.atomic_write(dest, lambda f: pq.write_table(table, f))
    return table.num_rows


def _string_array(values: list[str]) -> Any:
    import pyarrow as pa

    return pa.array(values, pa.string())
