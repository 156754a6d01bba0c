"""The request controller: the user's choices become Requests, Requests become jobs on the
JobRunner, and the jobs' events become what the window shows."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QTimer, Slot

from ...app import plainwords
from ...app.faithjobs import GridOutcome, SanityOutcome, grid_job, sanity_job
from ...app.jobs import (
    Classified,
    Comparison,
    Download,
    EngineReady,
    Explanation,
    NetworkReady,
    PhotoReady,
    PhotoSource,
    Refining,
    Request,
    Stage,
    compare_job,
    describe_download,
    engine_class,
    explain_job,
    score_kind,
)
from ...appdata import sample_photo_path
from ...engine import imaging
from ...engine.models.catalog import DEFAULT_NETWORK, network_title
from ..dialogs import modelfile
from ..dialogs.about import APP_NAME
from ..panels.photostrip import array_thumbnail, file_thumbnail
from ..panels.prediction import percent
from .base import WindowBase

if TYPE_CHECKING:
    from ...app.overlays import RenderSettings
from ..worker import JobError

log = logging.getLogger(__name__)

APP_TITLE = APP_NAME
PASTE_PREFIX = "paste:"
_KEEP: object = object()  # "as the current request has it"


def sample_photo() -> Path | None:
    """The bundled sample photo, if the package has it."""
    try:
        return sample_photo_path()
    except FileNotFoundError:
        return None


def _why_not_opened(path: Path) -> str:
    # "Not an image" would mislead for a folder or a file that is gone.
    if path.is_dir():
        return "is a folder"
    if not path.exists():
        return "file not found"
    return "not an image that Score-CAM Studio can open"


class RequestController(WindowBase):
    """MainWindow's flow from a choice to a shown explanation: building and submitting
    requests, cancelling, and reacting to job events. A mixin: MainWindow holds the state."""

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
            if self.sidebar.entry(network) is None and not modelfile.is_model_path(network):
                self._extra_networks.append(network)  # any torchvision classifier works
            self.refresh_networks(network)
            entry = self.sidebar.entry(network)
            if entry is not None and entry.status == "checking":
                # Whether its weights are here is known once torchvision is loaded: the photo
                # starts with the network that works offline, the check runs as soon as torch
                # is in (EngineReady), and then the network is chosen (superseding that first
                # job, so the photo is not explained twice) or offered for download.
                self._start_network = network
                self.refresh_networks(DEFAULT_NETWORK)
            elif self._needs_download(network):
                # As when it is chosen in the window: ask first; meanwhile the photo is
                # explained with the network that works offline.
                self.refresh_networks(DEFAULT_NETWORK)
                self._offer_download(network)
        sample = sample_photo()
        if photos:
            for path in photos:
                self.strip.add(str(Path(path).resolve()))
            self._open(photos[0], target=target)
        elif sample is not None:
            self._open(str(sample), add_to_recent=False, target=target)
        else:
            self._target = target
            self._submit(self._make_request(photo=None))

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
            self.strip.add(path)
        if skipped:
            if len(skipped) == 1:
                what = "{}: {}".format(*skipped[0])
            else:
                what = ", ".join(f"{name} ({why})" for name, why in skipped[:3]) + (
                    f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
                )
            text = f"Could not open {what}."
            if not accepted and self.canvas.has_photo():
                text += " The current photo stays."
            self.show_error(text, level="warning")
        if accepted:
            self._open(accepted[0])

    def _open(self, path: str, add_to_recent: bool = True, target: int | str | None = None) -> None:
        source = PhotoSource(label=Path(path).name, path=str(Path(path).resolve()))
        if add_to_recent:
            self.strip.add(source.path or path)
        self._target = target
        self._submit(self._make_request(photo=source, target=target))

    def open_photo_array(self, pixels: np.ndarray, label: str = "Pasted image") -> None:
        """Explain a photo given as (H, W, 3) uint8 pixels (pasted from the clipboard)."""
        self._paste_serial += 1
        key = f"{PASTE_PREFIX}{self._paste_serial}"
        self._pasted[key] = pixels
        source = PhotoSource(
            label=f"{label} {self._paste_serial}", pixels=pixels, serial=self._paste_serial
        )
        self.strip.add(key, array_thumbnail(pixels), source.label)
        # Keep the pixels of pasted photos the strip still shows, no more (it holds 30).
        shown = set(self.strip.photo_keys())
        self._pasted = {k: v for k, v in self._pasted.items() if k in shown}
        self._target = None
        self._submit(self._make_request(photo=source))

    def _make_request(self, photo: object = _KEEP, target: object = _KEEP) -> Request:
        """A request for what the window shows, with the given photo or class changed."""
        network = self.sidebar.current_network() or DEFAULT_NETWORK
        imported = self.settings.imported_weights(network)
        weights_file, labels_file = imported if imported is not None else (None, None)
        if self._network is not None and self._network.name == network:
            layer = self.sidebar.current_layer()
        else:
            layer = self.settings.layer(network)
        return Request(
            photo=self._photo if photo is _KEEP else photo,  # type: ignore[arg-type]
            network=network,
            weights_file=weights_file,
            labels_file=labels_file,
            layer=layer,
            target=self._target if target is _KEEP else target,  # type: ignore[arg-type]
            options=self.sidebar.advanced.options(),
            render=dict(self._render_settings()),
        )

    def _render_settings(self) -> RenderSettings:
        return self.canvas.render_settings()

    def _submit(self, request: Request) -> None:
        self._request = request
        self._run_job(explain_job(self.session, request))

    def _run_job(self, job: object) -> None:
        self.canvas.banner.hide()
        self._progress_label = ("Score-CAM", "maps")
        self._drop_running_map()
        self.progress.busy("Starting…" if self._network else self.getting_ready_text())
        self.runner.submit(job)  # type: ignore[arg-type]
        self._update_actions()

    @Slot(tuple, bool)
    def run_compare(self, methods: tuple[str, ...], measure: bool) -> None:
        """Explain the shown photo and class with other methods (Compare tab)."""
        if self._shown is not None and methods:
            self._show_scorecam_map()
            self.compare.clear()
            self._run_job(compare_job(self.session, self._shown, methods, measure))

    @Slot(tuple)
    def run_sanity_check(self, methods: tuple[str, ...]) -> None:
        """Cascading randomisation of the shown explanation (Compare tab)."""
        if self._shown is not None:
            self._show_scorecam_map()
            self.compare.clear()
            self._run_job(sanity_job(self.session, self._shown, methods))

    @Slot(tuple)
    def run_grid_test(self, methods: tuple[str, ...]) -> None:
        """The grid pointing game over the photo strip's photos (Compare tab)."""
        if self._shown is not None:
            self._show_scorecam_map()
            self.compare.clear()
            self._run_job(grid_job(self.session, self._shown, self.strip.paths(), methods))

    @Slot()
    def explain_again(self) -> None:
        if self._photo is not None:
            self._submit(self._make_request())

    @Slot(int)
    def explain_class(self, index: int) -> None:
        if self._photo is None:
            return
        self._target = index
        self.prediction.set_target(index)
        self._submit(self._make_request(target=index))

    @Slot(str)
    def _network_chosen(self, name: str) -> None:
        entry = self.sidebar.entry(name)
        if entry is not None and entry.status == "checking" and not self._states_known:
            # Whether its weights are here is not known yet: ask (or explain) once it is.
            self._start_network = name
            self._restore_network_choice()
            self.show_status(f"Checking whether {entry.title} is on this computer…")
            self._list_networks_soon()
            return
        if self._needs_download(name):
            self._restore_network_choice()
            self._offer_download(name)
            self._update_actions()
            return
        self._target = None
        self._submit(self._make_request(target=None))

    def _needs_download(self, name: str) -> bool:
        entry = self.sidebar.entry(name)
        return entry is not None and entry.status == "missing"

    def _network_usable(self) -> bool:
        """Whether Explain can run: the chosen network is loaded or its weights are here."""
        name = self.sidebar.current_network()
        return bool(name) and not self._needs_download(name)

    def _offer_download(self, name: str) -> None:
        """Say what must be downloaded, how much and from where; download only when asked."""
        from ...engine.models.registry import network_info  # torch is loaded: the status said so

        info = network_info(name)
        text = plainwords.download_offer(
            info.title,
            plainwords.download_size_mb(name),
            plainwords.download_host(info.weights_url),
        )
        self.show_error(
            text,
            level="info",
            actions=[
                ("Download", lambda: self.download_network(name)),
                ("Import weights…", self.import_weights),
            ],
        )

    def _networks_known(self) -> None:
        """The weights' states are known: the network named at start is chosen now (its weights
        are here) or offered for download."""
        name, self._start_network = self._start_network, None
        if name is None or self.sidebar.entry(name) is None:
            return
        if self._needs_download(name):
            self._offer_download(name)
        else:
            self.sidebar.select_network(name)
            # The first job's photo and class, even before its photo has been read.
            first = self._request
            if first is not None and self._photo is None:
                self._submit(self._make_request(photo=first.photo, target=first.target))
            else:
                self._submit(self._make_request())

    def download_network(self, name: str) -> None:
        """Fetch a network's weights (with progress in the status bar), then explain with it."""
        self.sidebar.select_network(name)
        self._target = None
        self._submit(self._make_request(target=None))

    @Slot(str)
    def _layer_chosen(self, layer: str) -> None:
        self.settings.set_layer(self.sidebar.current_network(), layer)
        if self._photo is not None:
            self._submit(self._make_request())

    @Slot()
    def _options_changed(self) -> None:
        self.settings.set_options(self.sidebar.advanced.options())
        if self._photo is not None:
            self._submit(self._make_request())

    @Slot(str)
    def _photo_chosen(self, key: str) -> None:
        if key.startswith(PASTE_PREFIX):
            pixels = self._pasted.get(key)
            if pixels is None:
                return
            serial = int(key[len(PASTE_PREFIX) :])
            source = PhotoSource(label=f"Pasted image {serial}", pixels=pixels, serial=serial)
            self._target = None
            self._submit(self._make_request(photo=source, target=None))
        else:
            self._open(key, add_to_recent=False)

    @Slot(int)
    def _show_channel(self, channel: int) -> None:
        self.tabs.setCurrentWidget(self.feature_maps)
        self.feature_maps.show_channel(channel)

    @Slot()
    def cancel(self) -> None:
        if self.runner.current_job:
            self.runner.cancel()
            self.progress.idle()
            self._drop_running_map()
            self._restore_network_choice()
            self.show_status("Cancelled. Press F5 or Explain to run again.")
            self.jobCancelled.emit()
            self._update_actions()

    @Slot()
    def stop_here(self) -> None:
        """Keep the map refined so far: Score-CAM stops after its batch, marked approximate."""
        if self.runner.current_job and self._refining:
            self.runner.stop_here()
            self.show_status("Stopping: keeping the map refined so far (approximate)…")

    @Slot(int, object)
    def _job_progressed(self, _job_id: int, event: object) -> None:
        progress = engine_class("scorecam", "Progress")
        if isinstance(event, Refining):
            self._show_refining(event)
        elif isinstance(event, (Stage, Download)) or (progress and isinstance(event, progress)):
            self._show_progress(event)
        elif isinstance(event, EngineReady):
            self.sidebar.advanced.set_devices(event.devices)
            if self._start_network is not None:  # named at start: find out now (start())
                self._list_networks_soon()
        elif isinstance(event, PhotoReady):
            self._photo_ready(event)
        elif isinstance(event, NetworkReady):
            self._network_ready(event)
        elif isinstance(event, Classified):
            self._classified(event)

    def _show_progress(self, event: object) -> None:
        if isinstance(event, Stage):
            self._progress_label = (event.label or "Score-CAM", event.unit)
            self.progress.busy(event.text)
        elif isinstance(event, Download):
            self.progress.bytes(describe_download(event), event.done, event.total)
        else:  # the engine's Progress (its class is the engine's, known once torch is loaded)
            done: Any = event
            label, unit = self._progress_label
            work = (done.evaluated, done.work_total) if done.work_total is not None else None
            self.progress.maps(
                done.done, done.total, done.rate, done.eta, label, unit, work, self._refining
            )

    def _show_refining(self, event: Refining) -> None:
        """The map of the masked inputs scored so far (a few times a second at most: jobs.py)."""
        request = self._request
        same = request is not None and request.render == self._render_settings()
        self.canvas.set_saliency(event.saliency, event.overlay if same else None)
        self.canvas.subheading.setText(
            f"Refining the map: {event.done} of {event.total} maps scored so far. "
            "“Stop here” keeps this map (approximate)."
        )
        self._refining = True

    def _drop_running_map(self) -> None:
        """A job that ends without a result leaves no half-refined map on the canvas: the map
        shown before it comes back (if it is of this photo)."""
        if not self._refining:
            return
        self._refining = False
        shown = self._shown
        if shown is not None and self._photo is not None and shown.request.photo == self._photo:
            same = shown.request.render == self._render_settings()
            self.canvas.set_saliency(shown.result.saliency, shown.overlay if same else None)
            self.canvas.subheading.setText(self._subheading(shown))
        else:
            self.canvas.clear_saliency()
            self.canvas.subheading.setText("")

    def _photo_ready(self, event: PhotoReady) -> None:
        key = self._photo_key(event.source)
        if (
            self._photo is not None
            and self._photo.key == event.source.key
            and self.canvas.has_photo()
        ):
            return
        self._photo = event.source
        self._shown = None
        self.canvas.set_photo(event.photo)
        self.canvas.heading.setText(event.source.label)
        self.canvas.subheading.setText(
            "Looking at the photo…" if self._network else self.getting_ready_text()
        )
        self.canvas.set_details("")
        self.prediction.clear()
        self.feature_maps.clear()
        self.montage.clear()
        self.compare.clear()
        self.weights_plot.clear()
        self.strip.add(key, array_thumbnail(event.photo), event.source.label)
        self.strip.set_current(key)
        if event.source.path is not None and Path(event.source.path) != sample_photo():
            self._remember_recent(event.source.path)
            self.settings.set_folder("open", str(Path(event.source.path).parent))
        height, width = event.photo.shape[:2]
        self.sidebar.set_photo_caption(f"{event.source.label}\n{width} × {height} pixels")
        self.setWindowTitle(f"{event.source.label} — {APP_TITLE}")
        self._update_actions()

    def _network_ready(self, event: NetworkReady) -> None:
        if self._is_pending_import(event.name, event.weights_file):
            self._import_undo = None  # the imported weights loaded: keep them
        known = self._network
        if (
            known is not None
            and (known.name, known.weights_file) == (event.name, event.weights_file)
            and known.layers == event.layers
        ):
            return
        changed = known is not None and known.name != event.name
        self._network = event
        self.sidebar.select_network(event.name)
        self.sidebar.set_layers(
            event.layers, event.default_layer, self._request.layer if self._request else None
        )
        self.prediction.set_categories(event.categories)
        self.settings.set_network(event.name)
        self.refresh_networks(event.name)
        if changed:
            self._shown = None
            self.canvas.clear_saliency()
            self.prediction.clear()
            self.feature_maps.clear()
            self.montage.clear()
            self.weights_plot.clear()

    def _classified(self, event: Classified) -> None:
        target = self._target if isinstance(self._target, int) else None
        shown = (
            next((p for p in event.top5 if p.index == target), None)
            if target is not None
            else event.top5[0]
        )
        self.prediction.set_predictions(event.top5, shown)
        self.device_label.setText(f"{event.device} · {event.precision}")
        if self._shown is None and event.top5:
            self.canvas.heading.setText(self._heading(event.top5[0], event.top5))
            self.canvas.subheading.setText(
                "Making the map: each feature map of the network's layer is laid over the "
                "photo, and the network scores what it still sees…"
            )

    @Slot(int, object)
    def _job_finished(self, _job_id: int, outcome: object) -> None:
        self.progress.idle()
        self._refining = False
        if isinstance(outcome, Explanation):
            self._show_explanation(outcome)
        elif isinstance(outcome, Comparison) and outcome.explanation is self._shown:
            self.compare.show_comparison(outcome)
            self._make_room_below(self.compare.view.sizeHint().height() + 90)
            self.show_status(f"Compared {len(outcome.maps)} methods.")
            self.comparisonShown.emit()
        elif isinstance(outcome, SanityOutcome) and outcome.explanation is self._shown:
            self.compare.show_sanity(outcome)
            self._make_room_below(self.compare.faith.sizeHint().height() + 90)
            self.show_status("Sanity check done.")
        elif isinstance(outcome, GridOutcome):
            self.compare.show_grid(outcome)
            self._make_room_below(self.compare.faith.sizeHint().height() + 90)
            self.show_status("Grid test done." if outcome.game else outcome.message)
        self._update_actions()

    def _show_explanation(self, explanation: Explanation) -> None:
        """The map and prediction now; the panels below in later event-loop turns, so that no
        single turn paints everything (the event loop then never stalls for long)."""
        result = explanation.result
        request = explanation.request
        self._shown = explanation
        self._compared_on_canvas = None
        overlay = explanation.overlay if request.render == self._render_settings() else None
        self.canvas.set_saliency(result.saliency, overlay)
        target = result.target
        self.canvas.heading.setText(self._heading(target, result.top5))
        self.canvas.subheading.setText(self._subheading(explanation))
        self.canvas.set_details(self._details(explanation))
        self.prediction.set_predictions(result.top5, target)
        self.sidebar.select_layer(result.layer)
        self.device_label.setText(f"{result.device} · {result.precision}")
        self.show_status(f"Explained “{target.name}” in {result.timings.total:.0f} s.")
        self._update_actions()
        QTimer.singleShot(0, lambda: self._show_feature_maps(explanation))

    @staticmethod
    def _heading(target: object, top5: Sequence[object]) -> str:
        """The class and its probability, marked when the network is unsure about the photo."""
        text = f"{target.name}  {percent(target.probability)}"  # type: ignore[attr-defined]
        if plainwords.is_unsure(top5):  # type: ignore[arg-type]
            text += "  (unsure)"
        return text

    def _subheading(self, explanation: Explanation) -> str:
        """How to read the map, in plain words."""
        network_title = self._network.title if self._network else explanation.request.network
        result = explanation.result
        text = plainwords.map_reading(result.target.name, network_title)
        if result.stopped:  # "Stop here": the map of the masked inputs scored until then
            scored = int(result.evaluated.sum())
            text += f" APPROXIMATE: stopped after {scored} of {result.maps_total} maps."
        return text

    @staticmethod
    def _details(explanation: Explanation) -> str:
        r = explanation.result
        return plainwords.map_details(
            r.layer,
            r.maps_total,
            r.maps_evaluated,
            r.weighting,
            r.fill,
            r.device,
            r.precision,
            r.timings.total,
        )

    @Slot(int)
    def _show_compared_map(self, index: int) -> None:
        """A Compare tile's map on the canvas; clicking that tile again, or Score-CAM's, goes
        back to the explanation's own map."""
        shown = self._shown
        entries = self.compare.view.entries()
        if shown is None or not 0 <= index < len(entries):
            return
        entry = entries[index]
        if index == self._compared_on_canvas or entry.saliency is shown.result.saliency:
            self._show_scorecam_map()
            return
        self._compared_on_canvas = index
        self.compare.view.set_selected(index)
        self.canvas.set_saliency(entry.saliency)
        self.canvas.subheading.setText(
            plainwords.compared_map_reading(entry.label, shown.result.target.name)
        )
        self.show_status(f"Showing the {entry.label} map. Export still saves Score-CAM's.")

    def _show_scorecam_map(self) -> None:
        if self._compared_on_canvas is None or self._shown is None:
            return
        self._compared_on_canvas = None
        self.compare.view.set_selected(None)
        self.canvas.set_saliency(self._shown.result.saliency)
        self.canvas.subheading.setText(self._subheading(self._shown))
        self.show_status("Showing the Score-CAM map again.")

    def _show_feature_maps(self, explanation: Explanation) -> None:
        if self._shown is not explanation:
            return  # a newer explanation took its place
        result = explanation.result
        kind = score_kind(result.weighting)
        self.feature_maps.set_layer_title(
            self._network is None or result.layer == self._network.default_layer
        )
        self.feature_maps.set_maps(
            result.activations, result.weights, result.scores, kind, photo=result.image_rgb
        )
        QTimer.singleShot(0, lambda: self._show_the_rest(explanation))

    def _show_the_rest(self, explanation: Explanation) -> None:
        if self._shown is not explanation:
            return
        result = explanation.result
        kind = score_kind(result.weighting)
        self.montage.set_tiles(
            list(explanation.top_tiles),
            list(explanation.random_tiles),
            kind,
            result.target.name,
        )
        self.weights_plot.set_weights(result.weights, result.maps_evaluated)
        if self.compare.view.entries():
            self.compare.clear()  # it compared the previous explanation
        self.explanationShown.emit()

    @Slot(int, object)
    def _job_failed(self, _job_id: int, error: object) -> None:
        self.progress.idle()
        self._drop_running_map()
        assert isinstance(error, JobError)
        request = self._request
        if issubclass(error.error_type, imaging.ImageLoadError):
            # The photo could not be read: take it out of the strip, keep what is on screen.
            if request is not None and request.photo is not None and request.photo.path:
                self.strip.remove(request.photo.path)
            if self._photo is not None:
                self.strip.set_current(self._photo_key(self._photo))
            text = f"Could not open {error.message}."
            if self.canvas.has_photo():
                text += " The current photo stays."
        elif (weights_error := engine_class("weights", "WeightsError")) and issubclass(
            error.error_type, weights_error
        ):
            log.info("weights: %s", error.message)
            title = network_title(request.network) if request is not None else "the network"
            text = plainwords.weights_problem(error.message, title)
        else:
            text = f"{error.message}"
        undo = self._import_undo
        if (
            undo is not None
            and request
            and self._is_pending_import(request.network, request.weights_file)
        ):
            # The imported file did not load: forget it, so the weights that worked stay in use.
            self._import_undo = None
            self.settings.set_imported_weights(undo[0], *(undo[2] or (None, None)))
            self.refresh_networks()
        loaded = self._network.name if self._network is not None else None
        if (
            request is not None
            and request.network != loaded
            and modelfile.is_model_path(request.network)
        ):
            modelfile.forget(self.settings, request.network)  # it did not open: off the list
            self.refresh_networks()
        self._restore_network_choice()
        if self._shown is None and self.canvas.has_photo():
            # No map came: say so where "Looking at the photo…" stood.
            self.canvas.subheading.setText("No map yet: see the message above.")
        self.show_error(text)
        self.jobFailed.emit(text)
        self._update_actions()

    @Slot(bool)
    def _busy_changed(self, busy: bool) -> None:
        if not busy:
            self.progress.idle()
            self._list_networks_soon()
        self._update_actions()

    def _is_pending_import(self, network: str, weights_file: str | None) -> bool:
        return self._import_undo is not None and self._import_undo[:2] == (network, weights_file)

    def _restore_network_choice(self) -> None:
        """After a failed or cancelled network switch, show the network that is loaded (at
        start, with none loaded yet: the bundled one, which works offline)."""
        loaded = self._network.name if self._network is not None else DEFAULT_NETWORK
        if self.sidebar.current_network() != loaded:
            self.sidebar.select_network(loaded)

    @staticmethod
    def _photo_key(source: PhotoSource) -> str:
        return source.path if source.path is not None else f"{PASTE_PREFIX}{source.serial}"
