"""Paths to the files the package ships (icon, sample photo), found through importlib.resources.

No Qt here: the GUI turns these paths into QIcon/QImage. Files are looked up in the package, not
next to a source checkout, so a wheel install and a PyInstaller bundle find them the same way.
"""

from __future__ import annotations

import atexit
import contextlib
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path

ICON_SIZES: tuple[int, ...] = (16, 32, 48, 64, 128, 256, 512)
SAMPLE_PHOTO = "sample.png"
ICON_SVG = "scorecam.svg"

# Resources inside a zip (zipimport) must be extracted to be opened by path; the extracted copies
# live until the interpreter exits, so the paths handed out stay valid.
_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


@cache
def asset_path(name: str) -> Path:
    """The file ``scorecam_gui/assets/<name>`` as a real path; FileNotFoundError if not shipped."""
    resource = files(__package__ or "scorecam_gui").joinpath("assets", name)
    if not resource.is_file():
        raise FileNotFoundError(f"the package's asset {name!r} is missing (broken install?)")
    if isinstance(resource, Path):
        return resource
    return _extracted.enter_context(as_file(resource))


def sample_photo_path() -> Path:
    """The photo shown at first start: scikit-image's ``chelsea`` (CC0)."""
    return asset_path(SAMPLE_PHOTO)


def icon_path(size: int) -> Path:
    """The application icon as a PNG of ``size`` x ``size`` pixels (one of ICON_SIZES)."""
    if size not in ICON_SIZES:
        raise ValueError(f"no {size} px icon; sizes are {', '.join(map(str, ICON_SIZES))}")
    return asset_path(f"scorecam-{size}.png")


def icon_svg_path() -> Path:
    """The application icon as SVG (the source the PNGs are rendered from)."""
    return asset_path(ICON_SVG)
