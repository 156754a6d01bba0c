"""The runtime keeps no module-level mutable state: what a process remembers (OpenVINO's Core,
its compiled networks, a stuck pass) lives in objects (openvino.OpenVinoRuntime), so that two
engines, or a test, can each have their own."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import weakref
from pathlib import Path

import pytest

import scorecam_gui.engine.runtime as runtime

MUTABLE = (list, dict, set, bytearray, weakref.WeakKeyDictionary, weakref.WeakValueDictionary)
MODULES = [m.name for m in pkgutil.iter_modules(runtime.__path__)]


@pytest.mark.parametrize("name", MODULES)
def test_no_module_level_mutable_state(name: str) -> None:
    module = importlib.import_module(f"{runtime.__name__}.{name}")
    source = Path(module.__file__ or "").read_text()
    assert "global " not in source
    mutable = {
        key: type(value).__name__
        for key, value in vars(module).items()
        if isinstance(value, MUTABLE) and not key.startswith("__")
    }
    assert mutable == {}
    tree = ast.parse(source)
    top_level_augmented = [node for node in tree.body if isinstance(node, ast.AugAssign)]
    assert top_level_augmented == []


def test_inference_names_no_backend_by_string() -> None:
    source = (Path(runtime.__file__).parent / "inference.py").read_text()
    assert source.count('"openvino"') == 0


def test_two_runtimes_keep_their_own_state() -> None:
    from scorecam_gui.engine.runtime import openvino

    a, b = openvino.OpenVinoRuntime(), openvino.OpenVinoRuntime()
    a.stuck_reason = "stuck"
    assert b.stuck_reason is None and openvino.shared() is openvino.shared()
