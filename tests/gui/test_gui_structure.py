"""Import contracts inside the GUI package: the worker's job code is Qt-free."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

GUI = Path(__file__).resolve().parents[2] / "scorecam_gui" / "gui"


def test_jobs_import_no_qt_widgets() -> None:
    # The package's __init__ applies Qt binding work-arounds (QtCore); nothing more may load.
    code = (
        "import sys, scorecam_gui.app.jobs, scorecam_gui.app.options, scorecam_gui.app.overlays,"
        " scorecam_gui.app.faithjobs, scorecam_gui.app.resultcache;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'pyqtgraph' or m in "
        "('PySide6.QtGui', 'PySide6.QtWidgets'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level
    }


def test_settings_and_sidebar_do_not_need_jobs() -> None:
    app = GUI.parent / "app"
    for path in (GUI / "window/settings.py", GUI / "panels/sidebar.py", app / "options.py",
                 app / "overlays.py"):  # fmt: skip
        assert not any(m.endswith("jobs") for m in _imports(path)), path
