"""The `scorecam` command line: the parser of its commands (each in its module: explain.py,
evaluate.py, teach.py, networks.py for models, layers and classes, sample.py), the dispatch and
the fast exit."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from .. import __version__
from ..engine.runtime.threads import choose_thread_policy
from ..fastexit import exit_now, tune_process_memory
from ..privacy import keep_private
from . import evaluate as cli_evaluate
from . import explain as cli_explain
from . import networks, sample
from . import teach as cli_teach
from .common import EXIT_FAILED, Parser, fail


def build_parser() -> argparse.ArgumentParser:
    """`scorecam` and its subcommands, one module each (explain, evaluate, teach, networks)."""
    # Choices come from the torch-free choices module, so `--help` does not need torch.
    parser = Parser(prog="scorecam", description="Score-CAM explanations of image classifiers.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    cli_explain.add_parser(sub)
    cli_evaluate.add_parser(sub)
    cli_teach.add_parser(sub)
    networks.add_parsers(sub)
    sample.add_parser(sub)
    return parser


class _EngineWarnings(logging.Handler):
    """The engine's warnings (a slower fall-back taken, say) as 'scorecam: ...' lines on stderr,
    looked up at each line so that a replaced sys.stderr is honoured."""

    def emit(self, record: logging.LogRecord) -> None:
        fail(record.getMessage())


def _show_engine_warnings() -> None:
    logger = logging.getLogger("scorecam_gui")
    if not any(isinstance(h, _EngineWarnings) for h in logger.handlers):
        logger.addHandler(_EngineWarnings(logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _show_engine_warnings()
    if args.command in ("explain", "evaluate", "teach"):
        tune_process_memory()  # the library leaves the process alone; the command may not
    try:
        code = _dispatch(args)
        if sys.stdout is not None:
            sys.stdout.flush()  # a reader that left is found here, not in the flush at exit
        return code
    except KeyboardInterrupt:
        fail("interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (`scorecam layers MODEL | head`, `scorecam explain ... --json |
        # head -1`): it asked for no more. As Python's documentation advises (signal module,
        # "Note on SIGPIPE"), stdout goes to devnull so that the flush at exit cannot fail
        # again, and the command ends quietly, as `yes | head` does.
        _stdout_to_devnull()
        return EXIT_FAILED
    except OSError as exc:  # whatever else the system refuses: one line, never a traceback
        reason = (exc.strerror or str(exc)).rstrip(".").lower()
        fail(reason, exc.filename)
        return EXIT_FAILED


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "explain":
        return cli_explain.run(args)
    if args.command == "evaluate":
        return cli_evaluate.run(args)
    if args.command == "sample":
        return sample.run(args)
    if args.command == "teach":
        return cli_teach.run(args)
    return networks.COMMANDS[args.command](args)


def _stdout_to_devnull() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a windowed build): nothing to silence
        pass


def run(argv: Sequence[str] | None = None) -> NoReturn:
    """The `scorecam` command: main(), then exit without tearing torch down.

    Once torch is imported, interpreter shutdown runs libtorch's static destructors, which page in
    about 125 MB of library code and take 0.3-0.5 s here, only to free memory that the process
    gives back anyway: most of the peak resident memory of a short run. By the time main() returns
    every output file is written and closed; fastexit.exit_now still runs the atexit callbacks.
    The OpenMP thread policy is chosen first, before anything imports torch
    (engine/runtime/threads.py), and the libraries' telemetry is switched off (privacy.py).
    """
    choose_thread_policy()
    keep_private()  # no telemetry, nothing outside the app's folders (privacy.py)
    try:
        code = main(argv)
    except SystemExit as exc:  # usage errors, --help, --version
        if not isinstance(exc.code, int | None):
            raise
        code = exc.code or 0
    if "torch" not in sys.modules:
        sys.exit(code)
    exit_now(code)


if __name__ == "__main__":  # pragma: no cover
    run()
