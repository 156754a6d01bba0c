"""The one state object of the main window: what is on screen and what is running.

Every part of the window (the request controller, the presenter of job events, the network
list, the actions) reads and writes this one object, so that what the window "knows" is in one
place and tests read it through a public name (`window.state.shown`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...engine.models.catalog import BUNDLED_NETWORKS, NETWORK_TITLES

if TYPE_CHECKING:
    import numpy as np

    from ...app.jobs import Explanation, NetworkReady, PhotoSource, Request

# (name, title, weights status) of one network in the selector.
NetworkRow = tuple[str, str, str]
# An import not yet loaded: (network, weights file, the import it replaced).
ImportUndo = tuple[str, str, "tuple[str, str | None] | None"]


def first_network_rows() -> list[NetworkRow]:
    """Every catalogued network; until torch is loaded the weights' states of torchvision's
    networks are not known ("checking"), and a NetworkLister fills them in."""
    return [
        (name, title, "bundled" if name in BUNDLED_NETWORKS else "checking")
        for name, title in NETWORK_TITLES.items()
    ]


@dataclass
class WindowState:
    """What the main window shows and runs. Only the window's parts change it."""

    photo: PhotoSource | None = None  # the photo on screen
    network: NetworkReady | None = None  # the network loaded in the session
    target: int | str | None = None  # the class asked for (None: the predicted one)
    request: Request | None = None  # the running (or last) request
    shown: Explanation | None = None  # the explanation on screen
    # A Compare tile whose map the canvas shows instead of Score-CAM's (None: Score-CAM's).
    compared_on_canvas: int | None = None
    refining: bool = False  # a running map is on the canvas, still being refined
    progress_label: tuple[str, str] = ("Score-CAM", "maps")  # what the engine's Progress counts
    # Pasted photos by strip key ("paste:3"), kept while the strip shows them.
    pasted: dict[str, np.ndarray] = field(default_factory=dict)
    paste_serial: int = 0
    network_rows: list[NetworkRow] = field(default_factory=first_network_rows)
    extra_networks: list[str] = field(default_factory=list)  # named on the command line
    states_known: bool = False  # the weights' states, listed once torch is loaded
    start_network: str | None = None  # named at start, its weights' state not known yet
    # So that a file that fails to load is not remembered in place of weights that worked.
    import_undo: ImportUndo | None = None

    def is_pending_import(self, network: str, weights_file: str | None) -> bool:
        """Whether `network` with `weights_file` is the import that has not loaded yet."""
        return self.import_undo is not None and self.import_undo[:2] == (network, weights_file)
