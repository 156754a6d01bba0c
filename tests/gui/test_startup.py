"""Start-up: the window paints before torch loads, and one Score-CAM Studio per user.

Launches that must not share this process (no torch imported yet, a second program) run in
subprocesses; each test has a single-instance name of its own ($SCORECAM_INSTANCE_NAME), so
tests never reach each other or a Score-CAM Studio someone is running.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QMainWindow

from scorecam_gui.appdata import sample_photo_path
from scorecam_gui.engine.models import catalog
from scorecam_gui.gui.startup import instance
from scorecam_gui.gui.startup.startwindow import StartWindow
from scorecam_gui.gui.window.fileopen import bring_forward

ROOT = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT_S = 240  # a loaded 2-core machine needs many seconds to import torch


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(ROOT),
        XDG_CONFIG_HOME=str(tmp_path / "config"),  # fresh settings, never the user's
        SCORECAM_LOG_DIR=str(tmp_path / "logs"),
        SCORECAM_INSTANCE_NAME=str(tmp_path / "instance"),
    )
    env.update(extra)
    return env


def _run(script: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=CHILD_TIMEOUT_S,
    )


# -- the window before torch --------------------------------------------------------------------
def test_gui_modules_do_not_import_torch(tmp_path):
    script = (
        "import sys\n"
        "import scorecam_gui.gui.startup.main, scorecam_gui.gui.window.window\n"
        "import scorecam_gui.gui.startup.startwindow, scorecam_gui.gui.startup.instance\n"
        "import scorecam_gui.gui.window.fileopen, scorecam_gui.gui.dialogs.about\n"
        "print(sorted(m for m in ('torch', 'torchvision') if m in sys.modules))\n"
    )
    done = _run(script, _env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# Runs the real entry point; at each window's first paint it notes whether torch was loaded,
# and once the worker has loaded the network (torch imported behind the window) it says READY
# and waits for the photos of a second launch.
_FIRST_PAINTS = r"""
import json, os, sys
from scorecam_gui.gui.startup import main as m

report = {}
original = m.after_first_paint

def spy(widget, action, latest_ms=1000):
    from PySide6.QtCore import QEvent, QObject, QTimer

    name = type(widget).__name__

    class Painted(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                report.setdefault(name + " painted", True)
            return False

    widget.installEventFilter(Painted(widget))

    def checked():
        report[name + " torch at first paint"] = "torch" in sys.modules
        action()
        if name == "MainWindow":
            report["MainWindow title"] = widget.windowTitle()
            timer = QTimer(widget)
            timer.timeout.connect(lambda: ready(widget, timer))
            timer.start(50)

    original(widget, checked, latest_ms)

def ready(window, timer):
    from PySide6.QtCore import QTimer

    if window.state.network is not None and window.panels.canvas.has_photo():
        timer.stop()
        report["torch once the network is ready"] = "torch" in sys.modules
        print("REPORT " + json.dumps(report), flush=True)

        def opened(paths):
            print("OPENED " + json.dumps(paths), flush=True)
            QTimer.singleShot(200, lambda: os._exit(0))

        window.controller.open_paths = opened

m.after_first_paint = spy
sys.exit(m.main(sys.argv[1:]))
"""


@pytest.mark.timeout(2 * CHILD_TIMEOUT_S)
def test_first_paint_before_torch_then_a_second_launch_reaches_the_window(tmp_path):
    photo, other = str(sample_photo_path()), tmp_path / "other.png"
    other.write_bytes(sample_photo_path().read_bytes())
    env = _env(tmp_path)
    first = subprocess.Popen(
        [sys.executable, "-c", _FIRST_PAINTS, photo],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )
    watchdog = threading.Timer(CHILD_TIMEOUT_S, first.kill)  # a hung child ends the reads below
    watchdog.start()
    try:
        assert first.stdout is not None
        line = first.stdout.readline()  # blocks until the network is ready (or the child ends)
        assert line.startswith("REPORT "), f"the first program ended: {first.wait()}"
        report = json.loads(line[len("REPORT ") :])
        assert report["StartWindow painted"] and report["MainWindow painted"]
        assert report["StartWindow torch at first paint"] is False
        assert report["MainWindow torch at first paint"] is False
        assert report["torch once the network is ready"] is True
        assert report["MainWindow title"] == f"{Path(photo).name} — Score-CAM Studio"

        # Double-clicking another photo: a second program hands it over and exits 0.
        second = _run(
            "from scorecam_gui.gui.startup.main import main; raise SystemExit(main())", env
        )
        assert second.returncode == 0  # no photo: the window comes to the front
        second = _run(
            "import sys; from scorecam_gui.gui.startup.main import main; "
            "sys.exit(main(sys.argv[1:]))",
            env,
            str(other),
        )
        assert second.returncode == 0, second.stderr[-3000:]
        assert json.loads(first.stdout.readline()[len("OPENED ") :]) == [str(other.resolve())]
        assert first.wait(CHILD_TIMEOUT_S) == 0
    finally:
        watchdog.cancel()
        if first.poll() is None:
            first.kill()
        first.wait()
        if first.stdout is not None:
            first.stdout.close()


def test_torch_loads_after_the_qapplication_in_a_thread(tmp_path):
    """pytorch#11326 (2018) crashed when torch was imported after the QApplication; the app now
    does exactly that, in the worker thread, so the order is checked on this platform, under a
    locale Qt cannot know too."""
    script = (
        "import threading\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "def load():\n"
        "    import torch\n"
        "    from scorecam_gui.engine.models.registry import load_network\n"
        "    with torch.inference_mode():\n"
        "        out = load_network('efficientnet_lite0').model(torch.zeros(1, 3, 224, 224))\n"
        "    print('forward', tuple(out.shape), flush=True)\n"
        "thread = threading.Thread(target=load)\n"
        "thread.start()\n"
        "while thread.is_alive():\n"
        "    app.processEvents()\n"
        "    thread.join(0.01)\n"
    )
    for locale in ("C.UTF-8", "xx_XX.UTF-8"):
        done = _run(script, _env(tmp_path, LANG=locale, LC_ALL=locale))
        assert done.returncode == 0, done.stderr[-3000:]
        assert "forward (1, 1000)" in done.stdout


def test_catalog_titles_are_the_engines():
    from scorecam_gui.engine.models import registry, torchvision_models

    assert catalog.DEFAULT_NETWORK == registry.DEFAULT_NETWORK
    # Every network of the table has its explained layer, and its title is the window's.
    assert set(catalog.NETWORK_TITLES) == {"efficientnet_lite0", *torchvision_models.DEFAULT_LAYERS}
    for name in catalog.NETWORK_TITLES:
        assert registry.network_info(name).title == catalog.network_title(name)
    for name in catalog.BUNDLED_NETWORKS:
        assert registry.network_info(name).bundled


def test_start_window_shows_the_photo_with_pillow(qtbot, tmp_path):
    window = StartWindow("Getting EfficientNet-Lite0 ready…")
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "Score-CAM Studio"
    assert window.message.text() == "Getting EfficientNet-Lite0 ready…"
    assert window.show_photo(str(sample_photo_path()))
    assert window.picture.pixmap() is not None and not window.picture.pixmap().isNull()
    assert window.heading.text() == "sample.png"
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a photo")
    assert not window.show_photo(str(broken))
    assert window.heading.text() == "sample.png"  # the shown photo stays


# -- one instance per user ----------------------------------------------------------------------
class _Running(QMainWindow):
    """The running program's window, as far as bring_forward needs it."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[list[str]] = []
        self.controller = SimpleNamespace(open_paths=self.opened.append)


@pytest.fixture
def running(qtbot, tmp_path):
    """A listening InstanceServer whose photos reach a _Running window."""
    window = _Running()
    qtbot.addWidget(window)
    window.show()
    server = instance.InstanceServer(str(tmp_path / "instance"))
    assert server.listen()
    server.photosReceived.connect(lambda paths: bring_forward(window, paths))
    yield window
    server.close()


# A second launch that reports whether it started its own window (create_application called),
# and which heavy modules it loaded before deciding.
_SECOND = r"""
import sys
from scorecam_gui.gui.startup import main as m

def own_window(*args, **kwargs):
    heavy = [n for n in ("torch", "pyqtgraph", "numpy") if n in sys.modules]
    print("OWN WINDOW", heavy, flush=True)
    sys.exit(3)

m.create_application = own_window
code = m.main(sys.argv[1:])
print("HANDED OVER", [n for n in ("torch", "pyqtgraph", "numpy") if n in sys.modules], flush=True)
sys.exit(code)
"""


def _second_launch(qtbot, tmp_path, *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of a second launch with `args`."""
    process = subprocess.Popen(
        [sys.executable, "-c", _SECOND, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(tmp_path),
        cwd=ROOT,
    )
    # This process runs the first program's event loop while the second one talks to it.
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=CHILD_TIMEOUT_S * 1000)
    out, err = process.communicate()
    return process.returncode, out, err


def test_a_second_launch_hands_its_photos_to_the_running_window(qtbot, tmp_path, running):
    photo = tmp_path / "cat.png"
    photo.write_bytes(sample_photo_path().read_bytes())
    running.showMinimized()
    code, out, err = _second_launch(qtbot, tmp_path, str(photo))
    assert code == 0, err
    assert "HANDED OVER []" in out  # decided before torch, pyqtgraph or numpy were imported
    assert "already running; handed 1 photo(s) to its window" in err  # said on the terminal
    assert running.opened == [[str(photo.resolve())]]
    assert not running.isMinimized()  # it came to the front


def test_a_second_launch_without_photos_brings_the_window_forward(qtbot, tmp_path, running):
    running.showMinimized()
    code, _out, err = _second_launch(qtbot, tmp_path)
    assert code == 0, err
    assert running.opened == []
    assert not running.isMinimized()


@pytest.mark.parametrize("flag", [["--new-window"], ["--screenshot", "shot.png"]])
def test_new_window_and_screenshot_start_a_program_of_their_own(qtbot, tmp_path, running, flag):
    args = [arg if arg != "shot.png" else str(tmp_path / arg) for arg in flag]
    code, out, err = _second_launch(qtbot, tmp_path, *args, str(sample_photo_path()))
    assert code == 3, err
    assert "OWN WINDOW" in out
    assert running.opened == []


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no file behind")
def test_a_socket_left_by_a_crash_does_not_stop_the_next_start(qtbot, tmp_path):
    name = str(tmp_path / "instance")
    # What a crashed program leaves: a socket file nobody listens on.
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(name)
    stale.close()
    assert Path(name).exists()

    single = instance.SingleInstance(name)
    assert not single.claim(["photo.png"])  # nobody answered: this one starts
    server = single.serve()
    assert server is not None  # it removed the stale file and listens
    received: list[list[str]] = []
    server.photosReceived.connect(received.append)
    try:
        code, _out, err = _second_launch(qtbot, tmp_path, str(sample_photo_path()))
        assert code == 0, err
        assert received == [[str(sample_photo_path().resolve())]]
    finally:
        server.close()


def test_messages_that_are_not_ours_are_ignored():
    assert instance.decode(instance.encode(["a.png"]).strip()) == [str(Path("a.png").resolve())]
    assert instance.decode(b"\xff\xfe") is None
    assert instance.decode(b'{"open": "a.png"}') is None
    assert instance.decode(b"[1, 2]") is None


def test_the_server_name_is_per_user(monkeypatch, tmp_path):
    monkeypatch.delenv(instance.NAME_ENV, raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the private folder is made here
    monkeypatch.setattr(instance.getpass, "getuser", lambda: "ada")
    ada = instance.server_name()
    monkeypatch.setattr(instance.getpass, "getuser", lambda: "grace")
    assert instance.server_name() != ada
    assert Path(ada).name.startswith("scorecam-studio-") and "ada" not in ada
    monkeypatch.setenv(instance.NAME_ENV, "/tmp/elsewhere")
    assert instance.server_name() == "/tmp/elsewhere"
