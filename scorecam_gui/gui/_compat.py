"""Work-arounds for defects of the Qt binding, applied once when the GUI package is imported."""

from __future__ import annotations

import ctypes
import sys

import PySide6
from PySide6.QtCore import QObject, Signal

# Releases known to have the defect below; pyproject.toml excludes them, so the work-around only
# runs where someone installed one by hand.
DEFECTIVE_RELEASES = ("6.12.0",)


class _Probe(QObject):
    ping = Signal()


def emit_drops_a_reference_to_true() -> bool:
    """True where SignalInstance.emit() hands back True without owning a reference to it.

    Found in PySide6 6.12.0: each emit() called from Python then takes one reference away from
    True. On Python 3.11, where True is an ordinary object, its count reaches zero after a few
    thousand emits (a long session; pyqtgraph emits on every mouse move) and the interpreter
    aborts with "bool_dealloc: deallocating True or False". Python 3.12+ makes True immortal.
    """
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(4):
        probe.ping.emit()
    return sys.getrefcount(True) < before


def protect_true() -> bool:
    """Give True a reference count no session can use up, if the binding needs it."""
    if PySide6.__version__ not in DEFECTIVE_RELEASES or sys.implementation.name != "cpython":
        return False
    if not emit_drops_a_reference_to_true():
        return False
    # ob_refcnt is the first field of every CPython object; this does what Python 3.12's
    # immortal objects do for True (one object, never freed).
    ctypes.c_ssize_t.from_address(id(True)).value += 1 << 40
    return True


PROTECTED = protect_true()
