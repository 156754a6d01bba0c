"""The network selector's list: every network with the state of its weights (bundled, here,
missing, imported, a model file), found in a thread once torch is loaded."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ...app.jobs import engine_loaded
from ...app.teach import taughtnets
from ...engine.models.catalog import DEFAULT_NETWORK, network_title
from ..dialogs import modelfile
from ..panels.sidebar import NetworkEntry, Sidebar
from ..startup.networklist import NetworkLister
from .settings import Settings
from .state import WindowState


class NetworkChoice(QObject):
    """Fills the sidebar's network selector and says which networks need a download."""

    statesKnown = Signal()  # the weights' states were listed (once, after the first job)

    def __init__(self, sidebar: Sidebar, state: WindowState, settings: Settings) -> None:
        super().__init__(sidebar)
        self.sidebar = sidebar
        self.state = state
        self.settings = settings
        self._lister: NetworkLister | None = None

    def refresh(self, current: str | None = None) -> None:
        """Fill the network selector with every network and the state of its weights."""
        entries = []
        rows = self.state.network_rows
        listed = {row[0] for row in rows}
        extra = [
            (n, network_title(n), "checking") for n in self.state.extra_networks if n not in listed
        ]
        for name, title, status in [*rows, *extra]:
            if self.settings.imported_weights(name) is not None:
                status = "imported"
            entries.append(NetworkEntry(name, title, status))
        entries += modelfile.entries(self.settings)  # opened with "Open Model File…"
        # Taught in the window (File › Teach It Your Own Classes…), kept in the data folder.
        entries += [NetworkEntry(t.row, t.name, "taught") for t in taughtnets.list_taught()]
        self.sidebar.set_networks(entries, current or self.sidebar.current_network())

    def list_soon(self) -> None:
        """After the first job: the weights' states, found in a thread (torchvision loads there,
        which takes seconds and must neither hold up the first map nor freeze the window)."""
        if self._lister is None and engine_loaded():
            self._lister = NetworkLister(self)
            self._lister.listed.connect(self._listed)
            self._lister.start(self.state.extra_networks)

    def _listed(self, rows: list[tuple[str, str, str]]) -> None:
        self.state.network_rows = rows
        self.state.states_known = True
        self.refresh()
        self.statesKnown.emit()

    def teachable(self) -> list[tuple[str, str]]:
        """(name, title) of the networks whose weights are here, the bundled one first: the
        ones the teach window offers (nothing is downloaded there)."""
        here = [(n, t) for n, t, s in self.state.network_rows if s in ("bundled", "downloaded")]
        return here or [(DEFAULT_NETWORK, network_title(DEFAULT_NETWORK))]

    def needs_download(self, name: str) -> bool:
        entry = self.sidebar.entry(name)
        return entry is not None and entry.status == "missing"

    def usable(self) -> bool:
        """Whether Explain can run: the chosen network is loaded or its weights are here."""
        name = self.sidebar.current_network()
        return bool(name) and not self.needs_download(name)

    def restore_choice(self) -> None:
        """After a failed or cancelled network switch, show the network that is loaded (at
        start, with none loaded yet: the bundled one, which works offline)."""
        loaded = self.state.network.name if self.state.network is not None else DEFAULT_NETWORK
        if self.sidebar.current_network() != loaded:
            self.sidebar.select_network(loaded)
