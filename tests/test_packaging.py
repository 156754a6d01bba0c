"""Packaging and first run: the wheel's assets, the .desktop file, --version, the log and the
error dialog, the About dialog."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import scorecam_gui
from scorecam_gui import appdata, logs

if TYPE_CHECKING:
    from scorecam_gui.gui.window.errors import ExceptionDialogs

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"
DESKTOP_FILE = RESOURCES / "scorecam-gui.desktop"


# -- the wheel and the package's assets -------------------------------------------------------


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Build the wheel from a clean copy of the sources and list its files.

    A copy, because setuptools reuses build/ in the source tree: a stale build/lib could hide a
    missing package-data rule, and parallel runs would race on it.
    """
    src = tmp_path_factory.mktemp("src")
    out = tmp_path_factory.mktemp("wheel")
    shutil.copy2(ROOT / "pyproject.toml", src)
    shutil.copy2(ROOT / "setup.py", src)
    if (ROOT / "README.md").exists():
        shutil.copy2(ROOT / "README.md", src)
    shutil.copytree(
        ROOT / "scorecam_gui",
        src / "scorecam_gui",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.qm"),  # the build makes .qm
    )
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
    result = subprocess.run(
        [*pip, "-q", "-w", str(out), str(src)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("scorecam_gui-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_wheel_contains_runtime_assets(wheel_names: list[str]) -> None:
    names = set(wheel_names)
    expected = {"scorecam_gui/assets/sample.png", "scorecam_gui/assets/scorecam.svg"}
    expected |= {f"scorecam_gui/assets/scorecam-{size}.png" for size in appdata.ICON_SIZES}
    assert expected <= names, sorted(expected - names)
    assert "scorecam_gui/appdata.py" in names


def test_wheel_carries_the_compiled_catalogues(wheel_names: list[str]) -> None:
    # setup.py compiles scorecam_gui/translations/*.ts with pyside6-lrelease; .qm files are not
    # in git, so the only way into the wheel is that build step.
    sources = sorted((ROOT / "scorecam_gui" / "translations").glob("*.ts"))
    assert sources
    for ts in sources:
        assert f"scorecam_gui/translations/{ts.stem}.qm" in wheel_names, sorted(wheel_names)


def test_wheel_has_no_tests_or_build_files(wheel_names: list[str]) -> None:
    stray = [
        n
        for n in wheel_names
        if n.startswith(("tests/", "resources/", "packaging/", "benchmarks/")) or "__pycache__" in n
    ]
    assert stray == []


def test_installed_package_declares_both_commands() -> None:
    from importlib.metadata import entry_points

    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    gui_scripts = {ep.name: ep.value for ep in entry_points(group="gui_scripts")}
    assert scripts.get("scorecam") == "scorecam_gui.cli.main:run"
    assert gui_scripts.get("scorecam-gui") == "scorecam_gui.gui.startup.main:main"


def test_assets_load_through_importlib_resources() -> None:
    from PIL import Image

    photo = appdata.sample_photo_path()
    assert photo.is_file()
    with Image.open(photo) as image:
        assert image.size == (451, 300)  # scikit-image's chelsea
    for size in appdata.ICON_SIZES:
        with Image.open(appdata.icon_path(size)) as icon:
            assert icon.size == (size, size)
            assert icon.mode == "RGBA"
    assert appdata.icon_svg_path().read_text(encoding="utf-8").lstrip().startswith("<?xml")
    with pytest.raises(ValueError, match="no 17 px icon"):
        appdata.icon_path(17)
    with pytest.raises(FileNotFoundError, match="missing"):
        appdata.asset_path("no-such-file.png")


def test_resources_and_package_icons_are_the_same_files() -> None:
    # make_icons.py writes both; a hand-edited copy on one side only would drift.
    assert (RESOURCES / "scorecam.svg").read_bytes() == appdata.icon_svg_path().read_bytes()
    for size in appdata.ICON_SIZES:
        source = RESOURCES / "icons" / f"scorecam-{size}.png"
        assert source.read_bytes() == appdata.icon_path(size).read_bytes(), source.name


def test_pyinstaller_spec_is_valid_python() -> None:
    spec = ROOT / "packaging" / "scorecam.spec"
    compile(spec.read_text(encoding="utf-8"), str(spec), "exec")


# -- the .desktop file ----------------------------------------------------------------------


def test_desktop_file_passes_desktop_file_validate() -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (Debian/Ubuntu: desktop-file-utils)")
    result = subprocess.run([tool, str(DESKTOP_FILE)], capture_output=True, text=True, timeout=30)
    # It prints errors, warnings and hints; a clean file prints nothing.
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout + result.stderr == ""


def test_desktop_file_opens_photos_with_the_gui() -> None:
    entries = dict(
        line.split("=", 1)
        for line in DESKTOP_FILE.read_text(encoding="utf-8").splitlines()
        if "=" in line
    )
    assert entries["Exec"] == "scorecam-gui %F"
    assert entries["Icon"] == "scorecam-gui"
    mime = entries["MimeType"].rstrip(";").split(";")
    assert {"image/png", "image/jpeg"} <= set(mime)
    assert all(m.startswith("image/") for m in mime)


# -- --version ------------------------------------------------------------------------------


def test_scorecam_version_prints_the_package_version() -> None:
    assert scorecam_gui.__version__ == version("scorecam-gui")
    script = Path(sys.executable).with_name("scorecam")
    command = (
        [str(script)]
        if script.exists()
        else [
            sys.executable,
            "-c",
            "from scorecam_gui.cli.main import run; run()",
        ]
    )
    result = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == f"scorecam {scorecam_gui.__version__}"


def test_scorecam_gui_version_prints_the_package_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scorecam_gui", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"scorecam-gui {scorecam_gui.__version__}"


# -- logging --------------------------------------------------------------------------------


def test_logs_and_appdata_import_no_qt() -> None:
    # The engine and the command line use them; Qt must stay inside scorecam_gui.gui.
    code = (
        "import sys, scorecam_gui.logs, scorecam_gui.appdata; "
        "sys.exit(any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """setup_logging() into a temporary folder; the root logger is put back afterwards."""
    folder = tmp_path / "logs"
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(folder))
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield folder
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def _log_text() -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return logs.log_file_path().read_text(encoding="utf-8")


def test_setup_logging_writes_to_the_log_dir(log_dir: Path) -> None:
    path = logs.setup_logging()
    assert path == log_dir / logs.LOG_FILE_NAME == logs.log_file_path()
    logging.getLogger("scorecam_gui.test").warning("hello from the test")
    text = _log_text()
    assert f"Score-CAM Studio {scorecam_gui.__version__} starting" in text
    assert "hello from the test" in text


def test_setup_logging_twice_does_not_double_lines(log_dir: Path) -> None:
    logs.setup_logging()
    logs.setup_logging()
    logging.getLogger("scorecam_gui.test").warning("once")
    assert _log_text().count("once") == 1


def test_setup_logging_falls_back_to_temp_dir(
    log_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_dir.parent.mkdir(parents=True, exist_ok=True)
    log_dir.write_text("a file where the folder should be")  # the folder cannot be made
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    path = logs.setup_logging()
    assert path.parent == tmp_path / "temp" / logs.APP_DIR_NAME
    logging.getLogger("scorecam_gui.test").warning("still logged")
    assert "still logged" in _log_text()


def test_logging_without_stdout_or_stderr(log_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What a windowed PyInstaller build looks like.
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    logs.setup_logging()
    logging.getLogger("scorecam_gui.test").error("no console here")
    monkeypatch.undo()
    assert "no console here" in _log_text()


# -- the exception hook and its dialog ------------------------------------------------------


@pytest.fixture
def hooks(qtbot, log_dir: Path) -> Iterator[ExceptionDialogs]:
    from scorecam_gui.gui.window.errors import install_excepthook

    logs.setup_logging()
    installed = install_excepthook()
    yield installed
    installed.uninstall()
    if installed.dialog is not None:
        installed.dialog.close()
    installed.deleteLater()


def _exc_info(message: str) -> tuple[type[BaseException], BaseException, object]:
    try:
        raise ValueError(message)
    except ValueError:
        kind, value, tb = sys.exc_info()
        assert kind is not None and value is not None
        return kind, value, tb


def test_excepthook_logs_and_shows_a_dialog_naming_the_log(qtbot, hooks) -> None:
    from PySide6.QtWidgets import QMessageBox

    sys.excepthook(*_exc_info("the answer was not 42"))
    qtbot.waitUntil(lambda: hooks.dialog is not None and hooks.dialog.isVisible())
    box = hooks.dialog
    assert isinstance(box, QMessageBox)
    assert "ValueError: the answer was not 42" in box.text()
    assert str(logs.log_file_path()) in box.informativeText()
    assert "Traceback (most recent call last)" in box.detailedText()

    text = _log_text()
    assert "Unexpected error" in text
    assert "Traceback (most recent call last)" in text
    assert "ValueError: the answer was not 42" in text

    box.close()
    qtbot.waitUntil(lambda: hooks.dialog is None)


def test_exception_in_a_slot_reaches_the_dialog(qtbot, hooks) -> None:
    from PySide6.QtCore import QTimer

    def broken_slot() -> None:
        raise RuntimeError("a slot broke")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: hooks.dialog is not None, timeout=5000)
    assert "RuntimeError: a slot broke" in hooks.dialog.text()
    assert "a slot broke" in _log_text()


def test_exception_in_a_worker_thread_is_shown_by_the_gui_thread(qtbot, hooks) -> None:
    from PySide6.QtCore import QThread

    def work() -> None:
        raise OSError("the disk went away")

    worker = threading.Thread(target=work, name="worker-under-test")
    worker.start()
    worker.join(10)
    qtbot.waitUntil(lambda: hooks.dialog is not None, timeout=5000)
    # Made by the queued slot in the GUI thread, not by the worker.
    assert hooks.dialog.thread() is QThread.currentThread()
    assert "OSError: the disk went away" in hooks.dialog.text()
    text = _log_text()
    assert "worker-under-test" in text
    assert "OSError: the disk went away" in text


def test_repeated_errors_open_one_dialog(qtbot, hooks) -> None:
    sys.excepthook(*_exc_info("first"))
    qtbot.waitUntil(lambda: hooks.dialog is not None)
    first = hooks.dialog
    sys.excepthook(*_exc_info("second"))
    sys.excepthook(*_exc_info("third"))
    assert hooks.dialog is first
    assert "2 more errors happened" in first.informativeText()
    assert _log_text().count("Unexpected error") == 3


def test_excepthook_without_stderr(qtbot, hooks, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    sys.excepthook(*_exc_info("windowed build"))
    monkeypatch.undo()
    qtbot.waitUntil(lambda: hooks.dialog is not None)
    assert "windowed build" in _log_text()


def test_dialog_sits_over_the_window_and_survives_a_broken_getter(qtbot, log_dir: Path) -> None:
    from PySide6.QtWidgets import QWidget

    from scorecam_gui.gui.window.errors import install_excepthook

    logs.setup_logging()
    window = QWidget()
    qtbot.addWidget(window)
    installed = install_excepthook(lambda: window)
    try:
        sys.excepthook(*_exc_info("with a parent"))
        assert installed.dialog is not None and installed.dialog.parent() is window
        installed.dialog.close()
        installed.uninstall()

        def broken() -> QWidget:
            raise NameError("window is not defined yet")

        installed = install_excepthook(broken)
        sys.excepthook(*_exc_info("before the window exists"))
        assert installed.dialog is not None and installed.dialog.parent() is None
        assert "parent_getter failed" in _log_text()
    finally:
        installed.uninstall()
        if installed.dialog is not None:
            installed.dialog.close()


def test_uninstall_restores_the_previous_hooks(qtbot, log_dir: Path) -> None:
    from scorecam_gui.gui.window.errors import install_excepthook

    before_sys, before_threading = sys.excepthook, threading.excepthook
    installed = install_excepthook()
    assert sys.excepthook == installed.excepthook
    installed.uninstall()
    assert sys.excepthook is before_sys
    assert threading.excepthook is before_threading
    installed.deleteLater()


# -- the About dialog -----------------------------------------------------------------------


def test_about_dialog_names_version_networks_licences_and_paper(qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    from scorecam_gui.engine.models.registry import list_networks
    from scorecam_gui.gui.dialogs.about import AboutDialog, app_icon

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert "Score-CAM: Score-Weighted Visual Explanations" in text
    assert "1910.01279" in text
    assert "CVPRW" in text
    for info in list_networks():
        assert info.title in text
        assert info.license in text
    labels = dialog.findChildren(QLabel)
    assert any(f"Version {scorecam_gui.__version__}" in label.text() for label in labels)
    assert not app_icon().isNull()
    assert len(app_icon().availableSizes()) == len(appdata.ICON_SIZES)
