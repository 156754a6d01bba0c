"""Model files the user opened ("Open Model File…"): the dialog and the network selector's
entries for them, remembered in the settings (engine/models/files.py reads the files)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ...app.translation import QT_TRANSLATE_NOOP, translate
from ...engine.models.catalog import is_model_file  # torch-free: the window starts before torch
from ..panels.sidebar import NetworkEntry
from ..window.settings import Settings

MAX_MODEL_FILES = 10
FILTER = QT_TRANSLATE_NOOP("ModelFile", "ONNX models (*.onnx);;All files (*)")


def ask_model_file(parent: QWidget, settings: Settings) -> str | None:
    """The model file the user picks, or None; the folder is remembered for next time."""
    path, _ = QFileDialog.getOpenFileName(
        parent,
        translate("ModelFile", "Open Model File"),
        settings.folder("models"),
        translate("ModelFile", FILTER),
    )
    if not path:
        return None
    settings.set_folder("models", str(Path(path).parent))
    return str(Path(path).resolve())


def remember(settings: Settings, path: str) -> None:
    """Put `path` first in the remembered model files."""
    others = [p for p in settings.model_files() if p != path]
    settings.set_model_files([path, *others][:MAX_MODEL_FILES])


def forget(settings: Settings, path: str) -> None:
    settings.set_model_files([p for p in settings.model_files() if p != path])


def entries(settings: Settings) -> list[NetworkEntry]:
    """Selector entries for the remembered model files that still exist."""
    return [
        NetworkEntry(path, Path(path).name, "file")
        for path in settings.model_files()
        if Path(path).is_file()
    ]


def is_model_path(network: str) -> bool:
    return is_model_file(network)
