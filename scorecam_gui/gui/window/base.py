"""What the window's parts (actions.py, controller.py, dropping.py) may use of the MainWindow
they are mixed into, for the type checker only.

The parts are mixins: at run time they derive from `object` and MainWindow composes them with
QMainWindow. For mypy they derive from `WindowBase`, a QMainWindow that declares the attributes
MainWindow sets and the methods one part calls on another, so each part is checked against the
window's real members instead of failing on every `self.sidebar`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import numpy as np
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QLabel, QMainWindow

    from ...app.jobs import EngineSession, Explanation, NetworkReady, PhotoSource, Request
    from ...app.overlays import RenderSettings
    from ..compare.panel import ComparePanel
    from ..panels.canvas import OverlayCanvas
    from ..panels.details import DetailsPanel
    from ..panels.featuremaps import FeatureMapViewer
    from ..panels.montage import MaskedInputsMontage
    from ..panels.photostrip import PhotoStrip
    from ..panels.prediction import PredictionPanel
    from ..panels.sidebar import Sidebar
    from ..panels.weightsplot import WeightsPlot
    from ..startup.networklist import NetworkLister
    from ..worker import JobRunner
    from .progress import JobProgress
    from .settings import Settings

    class WindowBase(QMainWindow):
        # signals (declared as Signal() on MainWindow)
        explanationShown: SignalInstance
        jobFailed: SignalInstance
        jobCancelled: SignalInstance
        comparisonShown: SignalInstance

        # state
        settings: Settings
        session: EngineSession
        runner: JobRunner
        _photo: PhotoSource | None
        _network: NetworkReady | None
        _target: int | str | None
        _request: Request | None
        _shown: Explanation | None
        _compared_on_canvas: int | None
        _pasted: dict[str, np.ndarray]
        _paste_serial: int
        _extra_networks: list[str]
        _network_rows: list[tuple[str, str, str]]
        _lister: NetworkLister | None
        _import_undo: tuple[str, str, tuple[str, str | None] | None] | None
        _states_known: bool
        _start_network: str | None
        _progress_label: tuple[str, str]
        _refining: bool

        # panels
        sidebar: Sidebar
        canvas: OverlayCanvas
        prediction: PredictionPanel
        weights_plot: WeightsPlot
        strip: PhotoStrip
        feature_maps: FeatureMapViewer
        montage: MaskedInputsMontage
        compare: ComparePanel
        tabs: DetailsPanel
        progress: JobProgress
        device_label: QLabel
        status_label: QLabel

        # what MainWindow itself defines and the parts call
        def refresh_networks(self, current: str | None = None) -> None: ...
        def show_status(self, text: str) -> None: ...
        def show_error(
            self,
            text: str,
            level: str = "error",
            actions: Sequence[tuple[str, Callable[[], object]]] = (),
        ) -> None: ...
        def show_details(self, shown: bool = True) -> None: ...
        def reset_layout(self) -> None: ...
        def _make_room_below(self, height: int) -> None: ...
        def getting_ready_text(self) -> str: ...
        def _list_networks_soon(self) -> None: ...
        def _remember_recent(self, path: str) -> None: ...

        # what one part defines and another calls
        def _make_request(self, photo: object = ..., target: object = ...) -> Request: ...
        def _submit(self, request: Request) -> None: ...
        def _render_settings(self) -> RenderSettings: ...
        def _update_actions(self) -> None: ...
        def cancel(self) -> None: ...
        def explain_again(self) -> None: ...
        def open_paths(self, paths: list[str]) -> None: ...
        def open_photo_array(self, pixels: np.ndarray, label: str = "Pasted image") -> None: ...
        def paste(self) -> None: ...
        def import_weights(self) -> None: ...
        def _network_usable(self) -> bool: ...

else:
    WindowBase = object
