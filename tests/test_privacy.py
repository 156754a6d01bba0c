"""No telemetry, and no files outside the app's own folders (issue 35): OpenVINO's converter
wrote ~/intel/openvino_ga_cid and ~/intel/stats on the first run and would have reported to
Google Analytics. The commands run here from a fresh home folder, as a new user's first run."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scorecam_gui.appdata import sample_photo_path
from scorecam_gui.logs import APP_DIR_NAME
from scorecam_gui.privacy import PRIVATE_ENVIRONMENT, TELEMETRY_MODULES, keep_private

ROOT = Path(__file__).resolve().parents[1]
CHILD_TIMEOUT_S = 600  # a first run converts the network for OpenVINO on a busy 2-core machine
HAS_OPENVINO = importlib.util.find_spec("openvino") is not None


def test_keep_private_sets_only_what_the_user_has_not():
    env = {"RAY_USAGE_STATS_ENABLED": "1"}
    modules: dict[str, object] = {}
    chosen = keep_private(env, modules)
    assert env["RAY_USAGE_STATS_ENABLED"] == "1"  # the user's own choice stays
    assert env["HF_HUB_DISABLE_TELEMETRY"] == "1" and "RAY_USAGE_STATS_ENABLED" not in chosen
    assert all(modules[name] is None for name in TELEMETRY_MODULES)
    loaded = object()
    modules = {"openvino_telemetry": loaded}
    keep_private({}, modules)
    assert modules["openvino_telemetry"] is loaded  # imported already: too late, left alone
    assert set(PRIVATE_ENVIRONMENT) <= set(keep_private({}, {}))


@pytest.mark.skipif(not HAS_OPENVINO, reason="OpenVINO is not installed")
def test_openvinos_converter_gets_its_silent_stub():
    script = (
        "from scorecam_gui.privacy import keep_private\n"
        "keep_private()\n"
        "from openvino.tools.ovc import convert_impl\n"
        "print(convert_impl.tm.__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=CHILD_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "openvino.tools.ovc.telemetry_stub"


def _fresh_home(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("XDG_", "SCORECAM_")) and k not in PRIVATE_ENVIRONMENT
    }
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        PYTHONPATH=str(ROOT),
        SCORECAM_INSTANCE_NAME=str(tmp_path / "instance"),
    )
    return home, env


def _outside_the_apps_folders(home: Path) -> list[str]:
    """Files and folders under `home` that are none of the app's own folders, nor a folder on
    the way to one."""
    own = [
        home / ".cache" / APP_DIR_NAME,
        home / ".local" / "state" / APP_DIR_NAME,
        home / ".local" / "share" / APP_DIR_NAME,
        home / ".config" / "ScoreCAM Studio",  # Qt's settings (gui/window/settings.py)
    ]
    strays = []
    for path in home.rglob("*"):
        if any(path == folder or folder in path.parents for folder in own):
            continue
        if path.is_dir() and any(path in folder.parents for folder in own):
            continue
        strays.append(str(path.relative_to(home)))
    return sorted(strays)


def _run_in_fresh_home(module_args: list[str], env: dict[str, str], cwd: Path) -> None:
    """`python -m MODULE ARGS...` with the fresh home's environment; it must succeed."""
    done = subprocess.run(
        [sys.executable, "-m", *module_args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=CHILD_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr


def test_explain_from_a_fresh_home_writes_only_the_apps_folders(tmp_path):
    home, env = _fresh_home(tmp_path)
    out = tmp_path / "out"
    command = ["explain", str(sample_photo_path()), "--approximate", "16", "--out", str(out)]
    _run_in_fresh_home(["scorecam_gui.cli.main", *command], env, tmp_path)
    assert (out / "sample-scorecam-paper-overlay.png").is_file()
    if HAS_OPENVINO:  # the first run converted the network: the step that wrote ~/intel
        assert list((home / ".cache" / APP_DIR_NAME / "openvino").glob("*/model.xml"))
    assert not (home / "intel").exists()
    assert _outside_the_apps_folders(home) == []


@pytest.mark.slow
def test_the_window_from_a_fresh_home_writes_only_the_apps_folders(tmp_path):
    home, env = _fresh_home(tmp_path)
    env["QT_QPA_PLATFORM"] = "offscreen"
    shot = tmp_path / "shot.png"
    _run_in_fresh_home(["scorecam_gui", "--screenshot", str(shot)], env, tmp_path)
    assert shot.is_file()
    assert not (home / "intel").exists()
    assert _outside_the_apps_folders(home) == []
