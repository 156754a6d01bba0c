"""`scorecam-gui [IMAGE] [--model NAME] [--target CLASS] [--screenshot PATH]`: start the app.

Arguments are parsed before torch and Qt are imported, so --help is instant. torch is imported
before the QApplication exists (pytorch#11326: the other order can crash at start).
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from .window import MainWindow

SCREENSHOT_TIMEOUT_S = 900  # a slow CPU may need minutes for 1280 masked inputs


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scorecam-gui",
        description="Score-CAM Studio: see why an image classifier decided what it decided.",
    )
    parser.add_argument(
        "images",
        nargs="*",
        metavar="IMAGE",
        help="photos to explain: the first is shown, all go to the photo strip "
        "(default: the sample photo)",
    )
    parser.add_argument(
        "--model",
        metavar="NAME",
        help="network, e.g. efficientnet_lite0 (bundled), resnet18, squeezenet1_1",
    )
    parser.add_argument(
        "--target", metavar="CLASS", help="class to explain, by name or index (default: predicted)"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--screenshot",
        metavar="PATH",
        help="run the explanation to the end, save a PNG of the window to PATH and quit",
    )
    return parser.parse_args(argv)


def _say(text: str) -> None:
    # Windowed builds (PyInstaller) have no stderr at all.
    if sys.stderr is not None:
        print(text, file=sys.stderr)


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, styled; torch is imported first."""
    import torch  # noqa: F401 - must be loaded before the QApplication is created

    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from . import theme
    from .settings import APPLICATION, ORGANIZATION

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        QCoreApplication.setOrganizationName(ORGANIZATION)
        QCoreApplication.setApplicationName(APPLICATION)
        app = QApplication(list(argv) if argv is not None else [sys.argv[0]])
        app.setApplicationDisplayName(APPLICATION)
        app.setDesktopFileName("scorecam-gui")
    theme.apply(app)  # type: ignore[arg-type]
    from .about import app_icon

    app.setWindowIcon(app_icon())  # type: ignore[union-attr]
    return app  # type: ignore[return-value]


def build_window(args: argparse.Namespace, isolated_settings: bool = False) -> MainWindow:
    """The window for these arguments. isolated_settings: start from defaults, remember nothing
    (screenshots must look the same on every machine)."""
    from PySide6.QtCore import QSettings

    from .settings import Settings
    from .window import MainWindow

    settings = None
    if isolated_settings:
        folder = tempfile.mkdtemp(prefix="scorecam-gui-")
        atexit.register(shutil.rmtree, folder, True)  # fastexit.exit_now runs atexit callbacks
        settings = Settings(
            QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        )
    return MainWindow(settings=settings)


def _validate(args: argparse.Namespace) -> str | None:
    """A message for arguments that cannot work, before any window opens."""
    for image in args.images:
        if not Path(image).is_file():
            return f"scorecam-gui: {image}: no such file"
    if args.model is not None:
        from ..engine.networks import NetworkError, network_info

        try:
            network_info(args.model)
        except NetworkError as exc:
            return f"scorecam-gui: {exc}"
    if args.screenshot is not None:
        folder = Path(args.screenshot).resolve().parent
        if not folder.is_dir():
            return f"scorecam-gui: cannot save the screenshot: {folder} is not a folder"
    return None


def window_png(window: MainWindow) -> bytes:
    """The whole window, menus and status bar included, encoded as PNG."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    image = window.grab().toImage()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = image.save(buffer, "PNG")
    buffer.close()
    if not ok or image.isNull():
        raise RuntimeError("could not encode the window as PNG")
    return bytes(data.data())


def run_screenshot(window: MainWindow, path: str, timeout_s: float = SCREENSHOT_TIMEOUT_S) -> int:
    """Wait for the explanation, save the whole window as PNG; 0 on success, else 1.

    Runs its own event loop, so it works inside another one (tests) as well as at start-up.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    from ..engine.atomicio import ExportError, atomic_write

    outcome: dict[str, str] = {}
    loop = QEventLoop()

    def shown() -> None:
        # Give layouts and pyqtgraph a moment to paint the last changes before the grab.
        QTimer.singleShot(400, grab)

    def grab() -> None:
        try:
            atomic_write(path, lambda f: f.write(window_png(window)))
        except (ExportError, RuntimeError) as exc:
            outcome["error"] = str(exc)
        loop.quit()

    def failed(message: str) -> None:
        outcome["error"] = message
        loop.quit()

    def cancelled() -> None:
        failed("the explanation was cancelled")

    def too_slow() -> None:
        failed(f"no explanation after {timeout_s:g} s")

    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(too_slow)
    timer.start(int(timeout_s * 1000))
    window.explanationShown.connect(shown)
    window.jobFailed.connect(failed)
    window.jobCancelled.connect(cancelled)
    try:
        loop.exec()
    finally:
        timer.stop()
        window.explanationShown.disconnect(shown)
        window.jobFailed.disconnect(failed)
        window.jobCancelled.disconnect(cancelled)
    if "error" in outcome:
        _say(f"scorecam-gui: screenshot failed: {outcome['error']}")
        return 1
    _say(f"scorecam-gui: saved {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The `scorecam-gui` entry point."""
    args = parse_args(argv)
    started = time.perf_counter()
    message = _validate(args)
    if message is not None:
        _say(message)
        return 2
    app = create_application()
    from ..logs import setup_logging

    setup_logging()
    from ..fastexit import tune_process_memory

    tune_process_memory()  # the library leaves the process alone; the application may not
    window = build_window(args, isolated_settings=args.screenshot is not None)
    if args.screenshot is None:
        # A screenshot run must fail with a message and an exit code, not wait on a dialog.
        from .errors import install_excepthook

        install_excepthook(lambda: window)
    from .fileopen import FileOpenHandler

    FileOpenHandler(app, window)  # kept alive as the window's child
    window.show()
    window.start(photos=args.images, network=args.model, target=args.target)
    import logging

    logging.getLogger(__name__).info("window shown after %.2f s", time.perf_counter() - started)
    if args.screenshot is not None:
        code = run_screenshot(window, args.screenshot)
        window.close()
    else:
        code = app.exec()
    window.shutdown()
    from .worker import running_threads

    if running_threads():
        # A job stuck inside one long batch: nothing is left to save, do not hang on exit.
        from ..fastexit import exit_now

        exit_now(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
