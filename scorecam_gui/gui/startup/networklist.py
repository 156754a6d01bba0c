"""The weights' state of every network (bundled, downloaded, to download), found off the GUI
thread: it needs torchvision's weights tables, an import of several seconds."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)

POLL_MS = 100

Row = tuple[str, str, str]  # name, title, weights status


def network_rows(extra: Sequence[str] = ()) -> list[Row]:
    """(name, title, weights status) of the table's networks and of `extra` ones; imports the
    engine (torch, torchvision)."""
    from ...engine.models.registry import list_networks, network_info, weights_status

    infos = list_networks()
    listed = {info.name for info in infos}
    infos += [network_info(name) for name in extra if name not in listed]
    return [(info.name, info.title, weights_status(info.name)) for info in infos]


class NetworkLister(QObject):
    """Runs network_rows() in a plain thread and emits `listed` in the GUI thread.

    The thread touches no Qt object (it may outlive the window): it leaves its answer in an
    attribute, which a timer of this object collects.
    """

    listed = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] | None = None
        self._done = threading.Event()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._collect)

    def start(self, extra: Sequence[str] = ()) -> None:
        names = tuple(extra)
        thread = threading.Thread(
            target=self._run, args=(names,), name="scorecam-network-list", daemon=True
        )
        thread.start()
        self._timer.start()

    def _run(self, extra: tuple[str, ...]) -> None:
        try:
            self._rows = network_rows(extra)
        except Exception:  # the list keeps "checking"; nothing the user must act on
            log.exception("could not find the state of the networks' weights")
        finally:
            self._done.set()

    @Slot()
    def _collect(self) -> None:
        if not self._done.is_set():
            return
        self._timer.stop()
        if self._rows is not None:
            self.listed.emit(self._rows)
