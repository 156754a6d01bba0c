"""Shared test setup: offscreen Qt, torch before Qt, and no QThread may outlive its test."""

from __future__ import annotations

import os

# Before anything imports Qt: no display needed, and pyqtgraph must pick PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
# OpenVINO's converted networks go to a folder of this run's own, not the user's cache.
if not os.environ.get("SCORECAM_CACHE_DIR"):
    import atexit
    import tempfile

    _cache = tempfile.mkdtemp(prefix="scorecam-test-cache-")
    os.environ["SCORECAM_CACHE_DIR"] = _cache
    atexit.register(lambda: __import__("shutil").rmtree(_cache, ignore_errors=True))

import shutil
import subprocess
import sys
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import torch  # noqa: F401 - torch before the QApplication (pytorch#11326)

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from scorecam_gui.engine.models.types import Network
    from scorecam_gui.gui.window.settings import Settings
    from scorecam_gui.gui.window.window import MainWindow

try:  # the engine-only test runs must work without Qt installed at all
    from PySide6.QtCore import QThread
except ImportError:  # pragma: no cover
    QThread = None  # type: ignore[assignment,misc]

_started: weakref.WeakSet = weakref.WeakSet()

if QThread is not None:
    _original_start = QThread.start

    def _tracking_start(self: QThread, *args: object) -> None:
        _started.add(self)
        _original_start(self, *args)

    # Record every QThread any code starts, so the check below sees them all.
    QThread.start = _tracking_start  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def torch_backend_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """`auto` takes torch in this process: the tests check torch's fast path (folded BatchNorm,
    halving on out-of-memory, ...) on small random networks. tests/test_backends.py checks
    OpenVINO and `auto` (its own fixture undoes this); commands run in subprocesses use it."""
    from scorecam_gui.engine.runtime import openvino as openvino_backend

    monkeypatch.setattr(openvino_backend, "installed", lambda: False)


@pytest.fixture(autouse=True)
def no_qthread_left_running(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves a QThread running (checked after its widgets are closed)."""
    yield
    if QThread is None:
        return
    running = [t for t in list(_started) if _alive(t)]
    if running:
        names = ", ".join(t.objectName() or type(t).__name__ for t in running)
        for thread in running:  # do not let one test's thread break the next ones
            thread.quit()
            thread.wait(5000)
        pytest.fail(f"{request.node.nodeid} left QThread(s) running: {names}", pytrace=False)


def _alive(thread: QThread) -> bool:
    try:
        return thread.isRunning()
    except RuntimeError:  # the C++ object is gone: it cannot be running
        return False


@pytest.fixture
def make_window(qtbot: QtBot, settings: Settings) -> Iterator[Callable[..., MainWindow]]:
    """Builds shown MainWindows on the test module's `settings` fixture; closes them after."""
    from scorecam_gui.gui.window.window import MainWindow

    windows: list[MainWindow] = []  # strong references: qtbot keeps only weak ones

    def make(loader: Callable[..., Network] | None = None) -> MainWindow:
        window = MainWindow(settings=settings, loader=loader)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


@pytest.fixture
def window(make_window: Callable[..., MainWindow]) -> MainWindow:
    """One shown MainWindow (see make_window)."""
    return make_window()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The one settings fixture of the window tests (a module extends it by asking for it): fp32
    on the CPU, 16 maps a batch, and EfficientNet-Lite0's first block (16 maps: seconds on a
    2-core CPU, the same panels), in a file of the test's own."""
    from PySide6.QtCore import QSettings

    from scorecam_gui.app.options import Options
    from scorecam_gui.gui.window.settings import Settings

    s = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    s.set_options(Options(precision="fp32", batch_size=16, device="cpu"))
    s.set_layer("efficientnet_lite0", "_blocks.0")
    return s


@pytest.fixture
def styled(qapp: object) -> Iterator[None]:
    """The window's own look (stylesheet, font), as scorecam-gui starts it; a module asks for it
    with `pytestmark = pytest.mark.usefixtures("styled")`."""
    from tests.helpers.layout_check import styled_application

    with styled_application():
        yield


# -- permission checks under root ----------------------------------------------------------------
# CI runs as root, for whom permission bits do not apply (CAP_DAC_OVERRIDE). Tests marked
# `file_permissions` then run again in a child pytest whose root has lost the capabilities that
# bypass file permissions (setpriv's bounding set), so they check what a normal user meets.
_PERMISSION_CHILD = "SCORECAM_TEST_WITHOUT_DAC_OVERRIDE"
_DROPPED = "-dac_override,-dac_read_search"


def _without_dac_override(nodeid: str) -> subprocess.CompletedProcess[str]:
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and util-linux's setpriv is missing: cannot drop privileges")
    env = {**os.environ, _PERMISSION_CHILD: "1"}
    command = [setpriv, f"--bounding-set={_DROPPED}", sys.executable, "-m", "pytest", nodeid]
    command += ["-q", "-p", "no:cacheprovider", "-rs", "--no-header"]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if (
        pyfuncitem.get_closest_marker("file_permissions") is None
        or not hasattr(os, "geteuid")
        or os.geteuid() != 0
        or os.environ.get(_PERMISSION_CHILD)
    ):
        return None  # run the test here, as usual
    result = _without_dac_override(pyfuncitem.nodeid)
    out = result.stdout + result.stderr
    assert result.returncode == 0 and " passed" in out and "skipped" not in out, (
        f"{pyfuncitem.nodeid} without CAP_DAC_OVERRIDE:\n{out[-3000:]}"
    )
    return True
