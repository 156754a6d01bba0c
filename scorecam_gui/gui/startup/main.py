"""`scorecam-gui [IMAGE] [--model NAME] [--target CLASS] [--new-window] [--screenshot PATH]`.

Start-up is ordered so that the window is on screen in about the time a bare Qt window takes:

1. Arguments are parsed before Qt is imported, so --help is instant.
2. A program already running for this user gets the photos and comes to the front; this one
   exits (gui/instance.py). Only QtCore and QtNetwork are loaded for that.
3. A first window (gui/startwindow.py) says "Getting EfficientNet-Lite0 ready…"; right after
   its first paint it shows the photo, read with Pillow alone. It needs neither pyqtgraph nor
   numpy to appear, so it is on screen in about the time of a bare Qt window.
4. The main window is built (pyqtgraph, no torch: no GUI module imports torch at import time)
   and takes the first one's place. After its first paint the first job starts in the worker
   thread: the photo again, then torch and the network load there, then the explanation.

torch is imported after the QApplication exists, in the worker thread. pytorch#11326 (2018,
conda's pytorch-cpu 0.4.1 with PyQt5) crashed on that order, in libstdc++'s locale start-up
inside torch's shared libraries once Qt had set the process locale; today's wheels do not: a test
(tests/gui/test_startup.py) imports torch after the QApplication, in a thread, under the C, an
unknown and a German locale, and runs a forward pass.
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import __version__
from ...engine.models.catalog import NETWORK_TITLES

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from ...engine.models.types import Network
    from ..window.window import MainWindow
    from .instance import SingleInstance
    from .startwindow import StartWindow

MAX_WINDOW_SIDE = 8192  # pixels: an 8K screen; Qt aborts on pixmaps far larger
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
        "--new-window",
        action="store_true",
        help="open a window of its own even when Score-CAM Studio is running (by default the "
        "running window gets the photos and comes to the front)",
    )
    parser.add_argument(
        "--screenshot",
        metavar="PATH",
        help="run the explanation to the end, save a PNG of the window to PATH and quit "
        "(always a window of its own)",
    )
    parser.add_argument(
        "--window-size",
        metavar="WxH",
        type=_window_size,
        help="start the window at this size in pixels, e.g. 1366x768 (at least 1024x680, at "
        "most 8192x8192)",
    )
    from .language import add_language_option  # issue 26: --language ja|en (language.py)

    add_language_option(parser)
    return parser.parse_args(argv)


def _window_size(text: str) -> tuple[int, int]:
    """'1366x768' -> (1366, 768); argparse turns the ValueError into a usage error (exit 2)."""
    width, sep, height = text.lower().replace("×", "x").partition("x")
    if not sep or not width.strip().isdigit() or not height.strip().isdigit():
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, e.g. 1366x768, not {text!r}")
    size = int(width), int(height)
    if max(size) > MAX_WINDOW_SIDE:  # a screenshot that size would not fit in memory
        raise argparse.ArgumentTypeError(
            f"{text!r} is too large: at most {MAX_WINDOW_SIDE} pixels a side"
        )
    return size


def _say(text: str) -> None:
    # Windowed builds (PyInstaller) have no stderr at all.
    if sys.stderr is not None:
        print(text, file=sys.stderr)


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, styled. torch is not imported (see the module's docstring)."""
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from .. import theme
    from ..window.settings import APPLICATION, ORGANIZATION

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
        from .. import screenfit

        screenfit.install(app)  # every window opens inside the screen (gui/screenfit.py)
    theme.apply(app)  # type: ignore[arg-type]
    from ..dialogs.about import app_icon

    app.setWindowIcon(app_icon())  # type: ignore[attr-defined]  # a QApplication (made above)
    return app  # type: ignore[return-value]


def build_window(args: argparse.Namespace, isolated_settings: bool = False) -> MainWindow:
    """The window for these arguments. isolated_settings: start from defaults, remember nothing
    (screenshots must look the same on every machine)."""
    from PySide6.QtCore import QSettings

    from ..window.settings import Settings
    from ..window.window import MainWindow

    settings = None
    if isolated_settings:
        folder = tempfile.mkdtemp(prefix="scorecam-gui-")
        atexit.register(shutil.rmtree, folder, True)  # fastexit.exit_now runs atexit callbacks
        settings = Settings(
            QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        )
    return MainWindow(settings=settings, loader=load_network_tuned)


def load_network_tuned(*args: Any, **kwargs: Any) -> Network:
    """The engine's load_network for the application, in the worker thread. The entry point's
    process-wide memory setup (fastexit.tune_process_memory: the library leaves the process
    alone, the application may not) imports torch, so it runs here, after the first paint."""
    from ...engine.models.registry import load_network
    from ...fastexit import tune_process_memory

    tune_process_memory()  # once per process; later calls change nothing
    return load_network(*args, **kwargs)


def _validate(args: argparse.Namespace) -> str | None:
    """A message for arguments that cannot work, before any window opens."""
    for image in args.images:
        if not Path(image).is_file():
            return f"scorecam-gui: {image}: no such file"
    if args.model is not None and args.model not in NETWORK_TITLES:
        # Only a name outside the app's table needs torchvision to be checked.
        from ...engine.models.registry import network_info
        from ...engine.models.types import NetworkError

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
    ok = image.save(buffer, "PNG")  # type: ignore[call-overload]  # QIODevice overload, missing in the stubs
    buffer.close()
    if not ok or image.isNull():
        raise RuntimeError("could not encode the window as PNG")
    return bytes(data.data())


def run_screenshot(window: MainWindow, path: str, timeout_s: float = SCREENSHOT_TIMEOUT_S) -> int:
    """Wait for the explanation, save the whole window as PNG; 0 on success, else 1.

    Runs its own event loop, so it works inside another one (tests) as well as at start-up.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    from ...engine.atomicio import ExportError, atomic_write

    outcome: dict[str, str] = {}
    loop = QEventLoop()
    window.controller.idle_checks = False  # it ends at its map: no work after it

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


def after_first_paint(widget: QWidget, action: Callable[[], None], latest_ms: int = 3000) -> None:
    """Run `action` once, just after `widget` first paints (or after `latest_ms`, for a platform
    that does not paint a window it cannot show)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    done: list[bool] = []

    def run() -> None:
        if not done:
            done.append(True)
            widget.removeEventFilter(watcher)
            action()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, run)  # once this paint is on screen
            return False

    watcher = FirstPaint(widget)
    widget.installEventFilter(watcher)
    QTimer.singleShot(latest_ms, run)


def _start_window(args: argparse.Namespace) -> StartWindow:
    """The first window: where the main window will be, saying what is being got ready."""
    from ...app.translation import translate
    from ...engine.models.catalog import DEFAULT_NETWORK, network_title
    from ..window.settings import Settings
    from .startwindow import StartWindow

    settings = Settings()
    network = args.model or settings.network(DEFAULT_NETWORK)
    return StartWindow(
        translate("StartWindow", "Getting {network} ready…").format(network=network_title(network)),
        settings.window_state("geometry"),
        size=args.window_size,
    )


def _hand_over(args: argparse.Namespace) -> tuple[bool, SingleInstance | None]:
    """Whether another Score-CAM Studio took the photos (then this one stops), and the single
    instance this one holds otherwise (None with --new-window or --screenshot)."""
    if args.screenshot is not None or args.new_window:
        return False, None
    from .instance import SingleInstance

    single = SingleInstance()
    if not single.claim(args.images):
        return False, single
    single.release()
    done = (
        f"handed {len(args.images)} photo(s) to its window"
        if args.images
        else "its window comes to the front"
    )
    _say(
        f"scorecam-gui: Score-CAM Studio is already running; {done} (--new-window opens "
        "a window of its own)"
    )
    return True, None


class _Launch:
    """One start of the window: the first window, then the main window on its place, and the
    photos handed over meanwhile (by another launch, or by macOS)."""

    def __init__(self, app: QApplication, args: argparse.Namespace, started: float) -> None:
        self.app = app
        self.args = args
        self.started = started
        self.photos = list(args.images)
        self.handed: list[list[str]] = []  # photos handed over before the main window started
        self.window: MainWindow | None = None  # built
        self.running: MainWindow | None = None  # built and started
        self.log = logging.getLogger(__name__)

    def received(self, paths: list[str]) -> None:
        from ..window.fileopen import bring_forward

        if self.running is None:  # not started yet: start() opens them
            self.handed.append(paths)
        else:
            bring_forward(self.running, paths)

    def run(self) -> int:
        """The window's life: the exit code, and the main window if it was built."""
        if self.args.screenshot is not None:
            window = self.build_and_start(None)
            code = run_screenshot(window, self.args.screenshot)
            window.close()
            return code
        first = _start_window(self.args)
        first.show()
        after_first_paint(first, lambda: self._first_painted(first), latest_ms=3000)
        return self.app.exec()

    def _first_painted(self, first: StartWindow) -> None:
        self.log.info("first window painted after %.2f s", time.perf_counter() - self.started)
        if self.photos and first.show_photo(self.photos[0]):  # Pillow alone, at once
            self.app.processEvents()  # paint it before the main window is built
            self.log.info("photo shown after %.2f s", time.perf_counter() - self.started)
        try:
            self.build_and_start(first)
        except Exception:  # no excepthook yet: never leave the first window up alone
            self.log.exception("the main window could not be built")
            _say("scorecam-gui: the main window could not be built (see the log file)")
            self.app.exit(1)

    def build_and_start(self, first: QWidget | None) -> MainWindow:
        args = self.args
        window = build_window(args, isolated_settings=args.screenshot is not None)
        self.window = window
        if args.screenshot is None:
            # A screenshot run must fail with a message and an exit code, not wait on a dialog.
            from ..window.errors import install_excepthook

            install_excepthook(lambda: window)
        window.show_getting_ready()
        if first is not None:
            # Exactly where the user sees the first one (which was fitted to the screen, at
            # --window-size if given), and as large: not the size the main window remembers.
            window.setGeometry(first.geometry())
            window.setWindowState(first.windowState())
            window.setWindowTitle(first.windowTitle())  # the photo's name, until it is shown
        elif args.window_size is not None:
            window.resize(*args.window_size)  # the minimum size still applies
            # A screenshot is of the size asked for, even larger than this screen.
            from ..screenfit import EXACT_SIZE

            window.setProperty(EXACT_SIZE, args.screenshot is not None)
        window.show()
        if first is not None:
            first.close()
            first.deleteLater()
        after_first_paint(window, lambda: self._start(window))
        return window

    def _start(self, window: MainWindow) -> None:
        self.log.info("main window painted after %.2f s", time.perf_counter() - self.started)
        later = [path for paths in self.handed for path in paths]
        self.running = window
        # Photos handed over while starting (macOS sends a double-clicked photo so) are the
        # ones to explain when the command line named none.
        photos = self.photos
        window.controller.start(
            photos=photos or later, network=self.args.model, target=self.args.target
        )
        if photos and later:
            window.controller.open_paths(later)


def main(argv: Sequence[str] | None = None) -> int:
    """The `scorecam-gui` entry point (and `python -m scorecam_gui`)."""
    from ...engine.runtime.threads import choose_thread_policy

    choose_thread_policy()  # before torch loads (engine/runtime/threads.py)
    from ...privacy import keep_private

    keep_private()  # no telemetry, nothing outside the app's folders (privacy.py)
    args = parse_args(argv)
    started = time.perf_counter()
    message = _validate(args)
    if message is not None:
        _say(message)
        return 2
    handed_over, single = _hand_over(args)
    if handed_over:
        return 0  # the running window has the photos (handing over needs no display)
    from .display import missing_display

    no_display = missing_display()
    if no_display is not None:  # Qt would abort, blaming a library (display.py)
        if single is not None:
            single.release()
        _say(no_display)
        return 1
    app = create_application()
    from .language import start_language  # issue 26: the window's language (language.py)

    start_language(args.language, remembered=args.screenshot is None)
    server = single.serve(app) if single is not None else None
    from ...logs import setup_logging

    setup_logging()
    launch = _Launch(app, args, started)
    if server is not None:
        server.photosReceived.connect(launch.received)
    from ..window.fileopen import FileOpenHandler

    FileOpenHandler(app, opener=launch.received)  # macOS: "Open With", Finder, the Dock
    code = launch.run()
    if server is not None:
        server.close()
    if launch.window is None:  # closed, or failed, before the main window was built
        return code
    launch.window.shutdown()
    from ..worker import running_threads

    if running_threads():
        # A job stuck inside one long batch: nothing is left to save, do not hang on exit.
        from ...fastexit import exit_now

        exit_now(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
