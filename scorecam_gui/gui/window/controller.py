"""The request controller: the user's choices become Requests and Requests become jobs on the
JobRunner (what the jobs' events show is presenter.py's)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMainWindow

from ...app import photokeys, plainwords
from ...app.compare.job import compare_job
from ...app.deferredcheck import deferred_check_job
from ...app.faithjobs import grid_job, sanity_job
from ...app.jobs import EngineSession, Explanation, PhotoSource, Request, explain_job
from ...app.teach import taughtnets
from ...app.translation import translate
from ...engine import imaging
from ...engine.models.catalog import DEFAULT_NETWORK
from ..dialogs import modelfile
from ..panels.photostrip import array_thumbnail, file_thumbnail
from ..worker import JobRunner
from .layout import Panels
from .networks import NetworkChoice
from .presenter import Presenter, sample_photo
from .settings import Settings
from .state import WindowState

_KEEP: object = object()  # "as the current request has it"
IDLE_CHECK_MS = 1500  # after a map is shown, this long with nothing asked: the deferred check


def _why_not_opened(path: Path) -> str:
    # "Not an image" would mislead for a folder or a file that is gone.
    if path.is_dir():
        return translate("RequestController", "is a folder")
    if not path.exists():
        return translate("RequestController", "file not found")
    return translate("RequestController", "not an image that Score-CAM Studio can open")


class RequestController(QObject):
    """The flow from a choice to a submitted job: building and submitting requests for the
    photo, class, network, layer and options chosen, comparing, cancelling."""

    jobCancelled = Signal()
    changed = Signal()  # what the actions may do changed (enable, disable them)
    importRequested = Signal()  # "Import weights…" on a download offer

    def __init__(
        self,
        window: QMainWindow,
        panels: Panels,
        state: WindowState,
        settings: Settings,
        session: EngineSession,
        runner: JobRunner,
        networks: NetworkChoice,
        presenter: Presenter,
    ) -> None:
        super().__init__(window)
        self.panels = panels
        self.state = state
        self.settings = settings
        self.session = session
        self.runner = runner
        self.networks = networks
        self.presenter = presenter
        # The OpenVINO check put off past the first map (app/deferredcheck.py); off for a
        # --screenshot run, which ends once its map is shown.
        self.idle_checks = True
        runner.finished.connect(self._job_finished)
        networks.statesKnown.connect(self.networks_known)
        sidebar = panels.sidebar
        sidebar.networkChosen.connect(self._network_chosen)
        sidebar.layerChosen.connect(self._layer_chosen)
        sidebar.explainClicked.connect(self.explain_again)
        sidebar.optionsChanged.connect(self._options_changed)
        sidebar.advanced_section.toggled.connect(settings.set_advanced_open)
        panels.prediction.classRequested.connect(self.explain_class)
        panels.prediction.contrastRequested.connect(self.explain_contrast)
        panels.strip.photoChosen.connect(self._photo_chosen)
        panels.progress.cancelClicked.connect(self.cancel)
        panels.progress.stopHereClicked.connect(self.stop_here)
        panels.montage.channelClicked.connect(self._show_channel)
        panels.compare.compareRequested.connect(self.run_compare)
        panels.compare.sanityRequested.connect(self.run_sanity_check)
        panels.compare.gridRequested.connect(self.run_grid_test)

    def start(
        self,
        photos: Sequence[str] = (),
        network: str | None = None,
        target: str | None = None,
    ) -> None:
        """First request after launch: the given photos (the first is explained, all go to the
        strip), else the bundled sample; `network` and `target` as on the command line."""
        if network and modelfile.is_model_path(network):
            network = str(Path(network).resolve())
            modelfile.remember(self.settings, network)
        if network:
            if self.panels.sidebar.entry(network) is None and not modelfile.is_model_path(network):
                self.state.extra_networks.append(network)  # any torchvision classifier works
            self.networks.refresh(network)
            entry = self.panels.sidebar.entry(network)
            if entry is not None and entry.status == "checking":
                # Whether its weights are here is known once torchvision is loaded: the photo
                # starts with the network that works offline, the check runs as soon as torch
                # is in (EngineReady), and then the network is chosen (superseding that first
                # job, so the photo is not explained twice) or offered for download.
                self.state.start_network = network
                self.networks.refresh(DEFAULT_NETWORK)
            elif self.networks.needs_download(network):
                # As when it is chosen in the window: ask first; meanwhile the photo is
                # explained with the network that works offline.
                self.networks.refresh(DEFAULT_NETWORK)
                self._offer_download(network)
        sample = sample_photo()
        if photos:
            for path in photos:
                self.panels.strip.add(str(Path(path).resolve()))
            self._open(photos[0], target=target)
        elif sample is not None:
            self._open(str(sample), add_to_recent=False, target=target)
        else:
            self.submit(self.make_request(photo=None, target=target))

    def open_paths(self, paths: list[str]) -> None:
        """Photos from a drop, the Open dialog or the recent list: all go to the strip, the
        first is explained. Files that are plainly not images are reported and skipped."""
        accepted: list[str] = []
        skipped: list[tuple[str, str]] = []  # name, why
        for path in paths:
            p = Path(path)
            if p.is_file() and (p.suffix.lower() in imaging.IMAGE_SUFFIXES or file_thumbnail(path)):
                accepted.append(str(p.resolve()))
            else:
                skipped.append((p.name or str(p), _why_not_opened(p)))
        for path in accepted:
            self.panels.strip.add(path)
        if skipped:
            if len(skipped) == 1:
                what = self.tr("{name}: {why}").format(name=skipped[0][0], why=skipped[0][1])
            else:
                what = self.tr(", ").join(
                    self.tr("{name} ({why})").format(name=name, why=why)
                    for name, why in skipped[:3]
                )
                if len(skipped) > 3:
                    what += self.tr(" and {count} more").format(count=len(skipped) - 3)
            photo_stays = not accepted and self.panels.canvas.has_photo()
            self.panels.show_error(plainwords.not_opened(what, photo_stays), level="warning")
        if accepted:
            self._open(accepted[0])

    def _open(self, path: str, add_to_recent: bool = True, target: int | str | None = None) -> None:
        source = PhotoSource(label=Path(path).name, path=str(Path(path).resolve()))
        if add_to_recent:
            self.panels.strip.add(source.path or path)
        self.submit(self.make_request(photo=source, target=target))

    def open_photo_array(self, pixels: np.ndarray, label: str | None = None) -> None:
        """Explain a photo given as (H, W, 3) uint8 pixels (pasted from the clipboard)."""
        label = label or self.tr("Pasted image")
        self.state.paste_serial += 1
        key = photokeys.paste_key(self.state.paste_serial)
        self.state.pasted[key] = pixels
        source = PhotoSource(
            label=f"{label} {self.state.paste_serial}",
            pixels=pixels,
            serial=self.state.paste_serial,
        )
        self.panels.strip.add(key, array_thumbnail(pixels), source.label)
        # Keep the pixels of pasted photos the strip still shows, no more (it holds 30).
        shown = set(self.panels.strip.photo_keys())
        self.state.pasted = {k: v for k, v in self.state.pasted.items() if k in shown}
        self.submit(self.make_request(photo=source, target=None))

    def make_request(
        self, photo: object = _KEEP, target: object = _KEEP, contrast: int | None = None
    ) -> Request:
        """A request for what the window shows, with the given photo or class changed; a
        contrast class only when given (any other change shows the class alone)."""
        network = self.panels.sidebar.current_network() or DEFAULT_NETWORK
        imported = self.settings.imported_weights(network)
        weights_file, labels_file = imported if imported is not None else (None, None)
        taught = taughtnets.find(network)
        if taught is not None:  # its base network with its two files, as imported weights
            weights_file, labels_file = str(taught.weights), str(taught.labels)
        if self.state.network is not None and self.state.network.name == network:
            layer = self.panels.sidebar.current_layer()
        else:
            layer = self.settings.layer(network)
        return Request(
            photo=self.state.photo if photo is _KEEP else photo,  # type: ignore[arg-type]
            network=network,
            weights_file=weights_file,
            labels_file=labels_file,
            layer=layer,
            target=self.state.target if target is _KEEP else target,  # type: ignore[arg-type]
            contrast=contrast,
            options=self.panels.sidebar.advanced.options(),
            render=dict(self.panels.canvas.render_settings()),
        )

    def submit(self, request: Request) -> None:
        """Run `request`; the window's class is the one it asks for (this is that field's only
        writer: every change of class is a request)."""
        self.state.request = request
        self.state.target = request.target
        self._run_job(explain_job(self.session, request))

    @Slot(int, object)
    def _job_finished(self, _job_id: int, outcome: object) -> None:
        if isinstance(outcome, Explanation) and self.idle_checks and self.session.check_due:
            QTimer.singleShot(IDLE_CHECK_MS, self._check_when_idle)

    @Slot()
    def _check_when_idle(self) -> None:
        """The deferred check, if one is due and nothing else runs (the next request supersedes
        it; the next map shown tries again)."""
        if self.idle_checks and self.session.check_due and not self.runner.is_busy():
            shown = self.state.shown
            layer = shown.result.layer if shown is not None else None
            with contextlib.suppress(RuntimeError):  # the window closed: its worker stopped
                self.runner.submit_quietly(deferred_check_job(self.session, layer))

    def _run_job(self, job: object) -> None:
        self.panels.canvas.banner.hide()
        self.panels.show_status("")  # "Explained …" or "Cancelled …" was about the job before
        self.state.progress_label = ("Score-CAM", "maps")
        self.presenter.drop_running_map()
        self.panels.progress.busy(
            self.tr("Starting…") if self.state.network else self.panels.getting_ready_text()
        )
        self.runner.submit(job)  # type: ignore[arg-type]
        self.changed.emit()

    @Slot(tuple, bool)
    def run_compare(self, methods: tuple[str, ...], measure: bool) -> None:
        """Explain the shown photo and class with other methods (Compare tab)."""
        if self.state.shown is not None and methods:
            self.presenter.show_scorecam_map()
            self.panels.compare.clear()
            self._run_job(compare_job(self.session, self.state.shown, methods, measure))

    @Slot(tuple)
    def run_sanity_check(self, methods: tuple[str, ...]) -> None:
        """Cascading randomisation of the shown explanation (Compare tab)."""
        if self.state.shown is not None:
            self.presenter.show_scorecam_map()
            self.panels.compare.faith.clear()  # the compared maps and their faithfulness stay
            self._run_job(sanity_job(self.session, self.state.shown, methods))

    @Slot(tuple)
    def run_grid_test(self, methods: tuple[str, ...]) -> None:
        """The grid pointing game over the photo strip's photos (Compare tab)."""
        if self.state.shown is not None:
            self.presenter.show_scorecam_map()
            self.panels.compare.faith.clear()  # the compared maps and their faithfulness stay
            self._run_job(
                grid_job(self.session, self.state.shown, self.panels.strip.paths(), methods)
            )

    @Slot()
    def explain_again(self) -> None:
        """Explain (F5): compute the map again, even when one is kept from earlier."""
        if self.state.photo is not None:
            self.submit(replace(self.make_request(), fresh=True))

    @Slot(int)
    def explain_contrast(self, index: int) -> None:
        """The shown class rather than class `index` (-1: the shown class alone): from the same
        masked passes, so at once (app/jobs.py)."""
        shown = self.state.shown
        if self.state.photo is None or shown is None:
            return
        target = shown.result.target.index
        self.submit(self.make_request(target=target, contrast=None if index < 0 else index))

    @Slot(int)
    def explain_class(self, index: int) -> None:
        if self.state.photo is None:
            return
        self.panels.prediction.set_target(index)
        self.submit(self.make_request(target=index))

    @Slot(str)
    def _network_chosen(self, name: str) -> None:
        entry = self.panels.sidebar.entry(name)
        if entry is not None and entry.status == "checking" and not self.state.states_known:
            # Whether its weights are here is not known yet: ask (or explain) once it is.
            self.state.start_network = name
            self.networks.restore_choice()
            self.panels.show_status(
                self.tr("Checking whether {network} is on this computer…").format(
                    network=entry.title
                )
            )
            self.networks.list_soon()
            return
        if self.networks.needs_download(name):
            self.networks.restore_choice()
            self._offer_download(name)
            self.changed.emit()
            return
        self.submit(self.make_request(target=None))

    def _offer_download(self, name: str) -> None:
        """Say what must be downloaded, how much and from where; download only when asked."""
        from ...engine.models.registry import network_info  # torch is loaded: the status said so

        info = network_info(name)
        text = plainwords.download_offer(
            info.title,
            plainwords.download_size_mb(name),
            plainwords.download_host(info.weights_url),
            info.weights_url or "",
        )
        self.panels.show_error(
            text,
            level="info",
            actions=[
                (self.tr("Download"), lambda: self.download_network(name)),
                (self.tr("Import weights…"), self.importRequested.emit),
            ],
        )

    def networks_known(self) -> None:
        """The weights' states are known: the network named at start is chosen now (its weights
        are here) or offered for download."""
        name, self.state.start_network = self.state.start_network, None
        if name is None or self.panels.sidebar.entry(name) is None:
            return
        if self.networks.needs_download(name):
            self._offer_download(name)
        else:
            self.panels.sidebar.select_network(name)
            # The first job's photo and class, even before its photo has been read.
            first = self.state.request
            if first is not None and self.state.photo is None:
                self.submit(self.make_request(photo=first.photo, target=first.target))
            else:
                self.submit(self.make_request())

    def download_network(self, name: str) -> None:
        """Fetch a network's weights (with progress in the status bar), then explain with it."""
        self.panels.sidebar.select_network(name)
        self.submit(self.make_request(target=None))

    @Slot(str)
    def _layer_chosen(self, layer: str) -> None:
        self.settings.set_layer(self.panels.sidebar.current_network(), layer)
        if self.state.photo is not None:
            self.submit(self.make_request())

    @Slot()
    def _options_changed(self) -> None:
        self.settings.set_options(self.panels.sidebar.advanced.options())
        if self.state.photo is not None:
            self.submit(self.make_request())

    @Slot(str)
    def _photo_chosen(self, key: str) -> None:
        serial = photokeys.paste_serial(key)
        if serial is not None:
            pixels = self.state.pasted.get(key)
            if pixels is None:
                return
            label = self.tr("Pasted image {number}").format(number=serial)
            source = PhotoSource(label=label, pixels=pixels, serial=serial)
            self.submit(self.make_request(photo=source, target=None))
        else:
            self._open(key, add_to_recent=False)

    @Slot(int)
    def _show_channel(self, channel: int) -> None:
        self.panels.tabs.setCurrentWidget(self.panels.feature_maps)
        self.panels.feature_maps.show_channel(channel)

    @Slot()
    def cancel(self) -> None:
        if self.runner.current_job:
            self.runner.cancel()
            self.panels.progress.idle()
            self.presenter.drop_running_map()
            self.networks.restore_choice()
            self.panels.show_status(self.tr("Cancelled. Press F5 or Explain to run again."))
            self.jobCancelled.emit()
            self.changed.emit()

    @Slot()
    def stop_here(self) -> None:
        """Keep the map refined so far: Score-CAM stops after its batch, marked approximate."""
        if self.runner.current_job and self.state.refining:
            self.runner.stop_here()
            self.panels.show_status(
                self.tr("Stopping: keeping the map refined so far (approximate)…")
            )
