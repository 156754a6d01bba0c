"""Whether the window has a screen to open on, asked before Qt is: on Linux without a display
server Qt aborts the process (SIGABRT, exit 134) with a message that blames a missing
libxcb-cursor0, even when that library is installed (issue 35). Qt-free, like the rest of what
runs before the QApplication."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

# The variables through which a Linux program finds its display, and the one that picks Qt's
# platform itself (offscreen, vnc, eglfs, ...): any of them set, Qt is left to decide.
DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")

NO_DISPLAY = (
    "scorecam-gui: no display found (DISPLAY and WAYLAND_DISPLAY are not set): run it on a "
    "desktop or through ssh -X; for a --screenshot without a screen, set QT_QPA_PLATFORM=offscreen"
)


def missing_display(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """The one-line message to print when there is no display to open a window on, else None.

    Only Linux (and the other systems that use X11 or Wayland) is checked: Windows and macOS
    always have their own window system."""
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if system.startswith(("win", "darwin", "cygwin")):
        return None
    if any(env.get(name) for name in DISPLAY_VARIABLES):
        return None
    return NO_DISPLAY
