"""Draw Score-CAM Studio's icon: write the SVG, then render the PNGs, .ico and .icns from it.

The icon is a photo in a light frame whose picture is a heat map: a dark-blue field with a hot spot
in jet colours, the picture the app itself shows. Shapes are few and large so that it still reads
at 16 px. Run from anywhere (needs PySide6 with QtSvg and Pillow, both in the app's dependencies):

    python resources/make_icons.py

Outputs: resources/scorecam.svg, resources/icons/scorecam-<size>.png, resources/scorecam.ico,
resources/scorecam.icns, and copies of the SVG and PNGs in scorecam_gui/assets/ (what the running
app loads through importlib.resources).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

SIZES: tuple[int, ...] = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES: tuple[int, ...] = (16, 24, 32, 48, 64, 128, 256)  # what Windows asks an .ico for
ICNS_SIZES: tuple[int, ...] = (16, 32, 64, 128, 256, 512)

HERE = Path(__file__).resolve().parent
ASSETS = HERE.parent / "scorecam_gui" / "assets"

# jet from the hot centre outwards; the last stop equals the field so the blob has no edge.
_FIELD = "#00008f"
_HEAT_STOPS: tuple[tuple[float, str], ...] = (
    (0.00, "#a00000"),
    (0.16, "#ff1a00"),
    (0.36, "#ffd000"),
    (0.56, "#40ffc0"),
    (0.76, "#0070ff"),
    (1.00, _FIELD),
)


def svg_text() -> str:
    """The icon as SVG 1.1 using only what QtSvg renders (no clip paths, no filters)."""
    stops = "\n".join(
        f'      <stop offset="{offset:.2f}" stop-color="{colour}"/>'
        for offset, colour in _HEAT_STOPS
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Score-CAM Studio's icon, written by resources/make_icons.py: edit that, not this. -->
<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <title>Score-CAM Studio</title>
  <defs>
    <radialGradient id="heat" gradientUnits="userSpaceOnUse" cx="114" cy="114" r="80"
                    fx="106" fy="106">
{stops}
    </radialGradient>
    <radialGradient id="warm" gradientUnits="userSpaceOnUse" cx="182" cy="182" r="38">
      <stop offset="0.00" stop-color="#80ff80"/>
      <stop offset="0.45" stop-color="#0090ff"/>
      <stop offset="1.00" stop-color="{_FIELD}"/>
    </radialGradient>
  </defs>
  <!-- the frame: light, with a dark rim so it stands out on light and dark panels alike -->
  <rect x="10" y="10" width="236" height="236" rx="36" fill="#f2f4f8"
        stroke="#2b3342" stroke-width="8"/>
  <!-- the picture: jet's cold end, with the hot spot the network looked at -->
  <rect x="34" y="34" width="188" height="188" rx="16" fill="{_FIELD}"/>
  <!-- a second, weaker spot: heat maps are rarely a single disc -->
  <circle cx="182" cy="182" r="38" fill="url(#warm)"/>
  <circle cx="114" cy="114" r="80" fill="url(#heat)"/>
</svg>
"""


def render_pngs(svg: Path, out_dir: Path) -> list[Path]:
    # Offscreen so the script runs on machines without a display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"QtSvg could not read {svg}")
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        path = out_dir / f"scorecam-{size}.png"
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"could not write {path}")
        written.append(path)
    return written


def write_ico_icns(png_dir: Path) -> None:
    """Windows and macOS icon files for PyInstaller, built from the 512 px rendering."""
    from PIL import Image

    with Image.open(png_dir / "scorecam-512.png") as big:
        big = big.convert("RGBA")
        big.save(HERE / "scorecam.ico", sizes=[(s, s) for s in ICO_SIZES])
        # Pillow's ICNS writer is pure Python, so macOS' iconutil is not needed.
        big.save(HERE / "scorecam.icns", sizes=[(s, s) for s in ICNS_SIZES])


def main() -> None:
    svg = HERE / "scorecam.svg"
    svg.write_text(svg_text(), encoding="utf-8")
    pngs = render_pngs(svg, HERE / "icons")
    write_ico_icns(HERE / "icons")
    ASSETS.mkdir(parents=True, exist_ok=True)
    for path in [svg, *pngs]:
        shutil.copy2(path, ASSETS / path.name)
    print(f"wrote {svg.name}, {len(pngs)} PNGs, scorecam.ico, scorecam.icns; copied to {ASSETS}")


if __name__ == "__main__":
    main()
