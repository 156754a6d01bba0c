"""The teach window's screenshots in docs/teaching.md: teaching in progress, the result with its
accuracy, the shortcut check. Run under Xvfb at the screen size wanted, from the repository:

    xvfb-run -a -s "-screen 0 1366x768x24" python resources/make_teach_screenshots.py resources/

The photos are the tests' marked data set (tests/helpers/teach_photos.py: real photos from
scikit-image, a sticker in the bottom-right corner of every photo of one class), 40 a class; the
taught network goes to a data folder of its own and the settings start from the defaults. The
whole screen is grabbed (the main window with the teach window over it) and saved as a
256-colour PNG, small enough for the repository.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _save(path: Path) -> None:
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    from scorecam_gui.gui.qimage import qimage_to_rgb

    shot = QGuiApplication.primaryScreen().grabWindow(0)
    rgb = qimage_to_rgb(shot.toImage())
    Image.fromarray(rgb).quantize(256, dither=Image.Dither.NONE).save(path, optimize=True)
    print(f"{path}: {path.stat().st_size // 1024} KB, {rgb.shape[1]} x {rgb.shape[0]}")


def _wait(app: object, until: object, seconds: float = 600) -> None:
    import time

    start = time.monotonic()
    while not until():  # type: ignore[operator]
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.02)
        if time.monotonic() - start > seconds:
            raise TimeoutError("the window did not get there in time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where the PNGs go")
    parser.add_argument("--suffix", default="", help="added to the file names (other sizes)")
    parser.add_argument("--per-class", type=int, default=40)
    parser.add_argument("--language", default="en", help="the window's language (en, ja)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="teach-shots-"))
    os.environ["SCORECAM_DATA_DIR"] = str(work / "data")

    import torch  # noqa: F401  # before Qt (pytorch#11326)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from scorecam_gui.gui import i18n, theme
    from scorecam_gui.gui.window.settings import Settings
    from scorecam_gui.gui.window.window import MainWindow
    from tests.helpers.teach_photos import make_folder

    photos = make_folder(work / "stickers", per_class=args.per_class)
    app = QApplication([])
    theme.apply(app)
    i18n.install(args.language)
    settings = Settings(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings=settings)
    window.show()
    window.controller.open_paths([str(photos / "marked" / "marked-000.png")])
    _wait(app, lambda: window.state.shown is not None)
    dialog = window.menus.teaching.show([str(photos)])
    dialog.name.setText("stickers")
    dialog.teach_button.click()
    total = args.per_class // 4  # half the check's photos (a quarter a class is held out)
    _wait(app, lambda: dialog.progress.maximum() == 2 * total and dialog.progress.value() >= total)
    _save(args.folder / f"teach-progress{args.suffix}.png")
    _wait(app, lambda: dialog.outcome is not None)
    app.processEvents()
    _save(args.folder / f"teach-result{args.suffix}.png")
    dialog.tabs.setCurrentIndex(1)
    for _ in range(20):
        app.processEvents()
    _save(args.folder / f"teach-shortcuts{args.suffix}.png")
    window.close()
    dialog.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
