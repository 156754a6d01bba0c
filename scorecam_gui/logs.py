"""Logging to a rotating file in the user's log directory (no Qt).

Our users start the app by double-clicking, so there is no terminal to read: what went wrong has to
be in a file the error dialog can name. Windowed builds (PyInstaller) have ``sys.stdout`` and
``sys.stderr`` set to None, so nothing here ever writes to them.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import platform
import sys
import tempfile
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

from platformdirs import user_log_dir

from . import __version__

APP_DIR_NAME = "scorecam-studio"
LOG_FILE_NAME = "scorecam-studio.log"
CRASH_FILE_NAME = "native-crash.log"
# Tests, portable installs and support requests can point the log elsewhere.
LOG_DIR_ENV = "SCORECAM_LOG_DIR"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3

_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"

# The open file faulthandler writes to: it must stay open for as long as the process runs.
_crash_file: IO[str] | None = None


class _AppFileHandler(RotatingFileHandler):
    """Our handler, recognisable so that a second setup_logging() replaces it, not doubles it."""


def log_dir() -> Path:
    """Where the log goes: $SCORECAM_LOG_DIR if set, else the platform's user log directory."""
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    # appauthor=False: no vendor folder on Windows (…\\scorecam-studio\\Logs, not …\\x\\y\\Logs).
    return Path(user_log_dir(APP_DIR_NAME, appauthor=False))


def log_file_path() -> Path:
    """The log file the current process writes to (after setup_logging), or would write to."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _AppFileHandler):
            return Path(handler.baseFilename)
    return log_dir() / LOG_FILE_NAME


def _open_handler(directory: Path) -> _AppFileHandler:
    directory.mkdir(parents=True, exist_ok=True)
    return _AppFileHandler(
        directory / LOG_FILE_NAME, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the root logger to the rotating log file and return that file's path.

    Safe to call again (the handler is replaced). If the user log directory cannot be written
    (read-only home, odd permissions), the log goes to the temporary directory instead: the app
    must start either way.
    """
    global _crash_file
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _AppFileHandler)]:
        root.removeHandler(old)
        old.close()
    try:
        handler = _open_handler(log_dir())
    except OSError:
        handler = _open_handler(Path(tempfile.gettempdir()) / APP_DIR_NAME)
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    path = Path(handler.baseFilename)

    # A crash inside Qt or torch kills the process without a Python traceback; faulthandler
    # writes the Python stacks to a file instead. Left alone when already on (python -X
    # faulthandler, pytest), so we do not take it away from whoever enabled it.
    if not faulthandler.is_enabled():
        try:
            _crash_file = open(path.with_name(CRASH_FILE_NAME), "a", encoding="utf-8")  # noqa: SIM115
            faulthandler.enable(file=_crash_file, all_threads=True)
        except OSError:
            _crash_file = None

    logging.getLogger(__name__).info(
        "Score-CAM Studio %s starting: Python %s on %s%s",
        __version__,
        platform.python_version(),
        platform.platform(),
        " (frozen)" if getattr(sys, "frozen", False) else "",
    )
    return path
