"""The OpenVINO check the window puts off past the first map (app/deferredcheck.py, issue 35):
the first map runs OpenVINO in fp32 (no torch pass of the whole map on its way), the bf16 map
check runs once the window is idle, without a word or a busy Cancel button, a request meanwhile
supersedes it (and it stays due), and once it is made the maps run in bf16."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scorecam_gui.engine.runtime import openvino as ovb
from tests.helpers.window import TIMEOUT_MS

_installed = ovb.installed
pytestmark = pytest.mark.skipif(not _installed(), reason="openvino is not installed")


@pytest.fixture
def settings(settings: Any) -> Any:
    """The window's defaults: precision and backend left to `auto` (what defers the check)."""
    from scorecam_gui.app.options import Options

    settings.set_options(Options(batch_size=8, device="cpu"))
    return settings


@pytest.fixture(autouse=True)
def bf16_unchecked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """OpenVINO as installed, bf16 its `auto` precision, and no check made yet (a fresh cache)."""
    monkeypatch.setattr(ovb, "installed", _installed)
    monkeypatch.setattr(ovb.OpenVinoRuntime, "auto_precision", lambda self: "bf16")
    monkeypatch.setenv(ovb.CACHE_ENV, str(tmp_path / "cache"))


def test_the_check_waits_for_an_idle_window(qtbot: Any, window: Any) -> None:
    from scorecam_gui.gui.window import controller

    session, runner = window.controller.session, window.controller.runner
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.controller.start()
    first = window.state.shown.result
    assert (first.backend, first.precision) == ("openvino", "fp32")
    assert session.check_due

    # Idle: the check starts on its own, quietly: no current job, Cancel stays off.
    qtbot.waitUntil(runner.is_busy, timeout=controller.IDLE_CHECK_MS + 5000)
    assert runner.current_job == 0 and not window.menus.cancel_action.isEnabled()
    # A request meanwhile supersedes it; its map is still fp32, and the check is due again.
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.controller.explain_again()
    assert window.state.shown.result.precision == "fp32"

    qtbot.waitUntil(lambda: not session.check_due and not runner.is_busy(), timeout=TIMEOUT_MS)
    network = session.explainer.network
    assert ovb.shared().stored_agreement(network, "bf16") is not None
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.controller.explain_again()
    assert (window.state.shown.result.backend, window.state.shown.result.precision) == (
        "openvino",
        "bf16",
    )


def test_a_screenshot_run_makes_no_check_after_its_map(qtbot: Any, window: Any) -> None:
    window.controller.idle_checks = False  # what run_screenshot sets
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.controller.start()
    qtbot.wait(2500)
    assert not window.controller.runner.is_busy() and window.controller.session.check_due
