"""The engine, the command line and the GUI offer and accept the same option values."""

from __future__ import annotations

import argparse
import subprocess
import sys

from scorecam_gui import choices
from scorecam_gui.cli import main as cli


def _choices(parser: argparse.ArgumentParser, command: str) -> dict[str, object]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {a.dest: a.choices for a in sub.choices[command]._actions if a.choices is not None}


def test_engine_accepts_exactly_the_choices() -> None:
    from scorecam_gui.engine.faithfulness import metrics
    from scorecam_gui.engine.methods.scorecam import scorecam
    from scorecam_gui.engine.runtime import device

    assert tuple(scorecam.WEIGHTING_SPECS) == choices.WEIGHTINGS
    assert device.DEVICES is choices.DEVICES and device.PRECISIONS is choices.PRECISIONS
    assert metrics.INSERTION_STARTS is choices.INSERTION_STARTS
    assert metrics.DEFAULT_STEPS == choices.DEFAULT_STEPS
    assert set(choices.WEIGHTING_HELP) == set(choices.WEIGHTINGS)
    assert set(choices.FILL_HELP) == set(choices.FILLS)


def test_command_line_offers_the_choices() -> None:
    parser = cli.build_parser()
    explain = _choices(parser, "explain")
    assert tuple(explain["weighting"]) == choices.WEIGHTINGS  # type: ignore[arg-type]
    assert tuple(explain["fill"]) == choices.FILLS  # type: ignore[arg-type]
    assert tuple(explain["device"]) == choices.DEVICES  # type: ignore[arg-type]
    assert tuple(explain["precision"]) == choices.PRECISIONS  # type: ignore[arg-type]
    evaluate = _choices(parser, "evaluate")
    assert tuple(evaluate["insertion_start"]) == choices.INSERTION_STARTS  # type: ignore[arg-type]
    assert tuple(evaluate["device"]) == choices.DEVICES  # type: ignore[arg-type]
    assert tuple(evaluate["precision"]) == choices.PRECISIONS  # type: ignore[arg-type]


def test_help_imports_no_torch() -> None:
    code = (
        "import sys\n"
        "from scorecam_gui.cli import main as cli\n"
        "for argv in (['--help'], ['explain', '--help'], ['evaluate', '--help']):\n"
        "    try:\n"
        "        cli.main(argv)\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code == 0, exc.code\n"
        "sys.exit(3 if 'torch' in sys.modules else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "--weighting" in proc.stdout and "--insertion-start" in proc.stdout
