"""What the window shows of a job: its progress, the photo, the network's layers, the class,
the refining map, the finished explanation (the map first, the panels below in later turns of
the event loop), comparisons, and the one message when a job fails."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMainWindow

from ...app import photokeys, plainwords
from ...app.classnames import shown_name
from ...app.compare.job import Comparison
from ...app.enginewords import trust_words
from ...app.faithjobs import GridOutcome, SanityOutcome
from ...app.jobs import (
    Classified,
    Download,
    EngineReady,
    Explanation,
    NetworkReady,
    PhotoReady,
    PhotoSource,
    Refining,
    Request,
    Stage,
    describe_download,
    engine_class,
    score_kind,
)
from ...app.records import window_record
from ...app.translation import translate
from ...appdata import sample_photo_path
from ...engine import imaging
from ...engine.models.catalog import network_title
from ...engine.prediction import Prediction
from ...engine.trust import assess
from .. import i18n
from ..dialogs import modelfile
from ..dialogs.about import APP_NAME
from ..panels.photostrip import array_thumbnail
from ..panels.prediction import percent
from ..worker import JobError, JobRunner
from .layout import Panels
from .networks import NetworkChoice
from .settings import MAX_RECENT, Settings
from .state import WindowState

log = logging.getLogger(__name__)


def sample_photo() -> Path | None:
    """The bundled sample photo, if the package has it."""
    try:
        return sample_photo_path()
    except FileNotFoundError:
        return None


class Presenter(QObject):
    """Turns the JobRunner's events into what the panels show."""

    explanationShown = Signal()  # a finished explanation is on screen
    jobFailed = Signal(str)  # a job failed; the message was shown to the user
    comparisonShown = Signal()  # the Compare tab shows a finished comparison
    changed = Signal()  # what the actions may do changed (enable, disable them)

    def __init__(
        self,
        window: QMainWindow,
        panels: Panels,
        state: WindowState,
        settings: Settings,
        networks: NetworkChoice,
        runner: JobRunner,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.panels = panels
        self.state = state
        self.settings = settings
        self.networks = networks
        runner.progressed.connect(self.job_progressed)
        runner.finished.connect(self.job_finished)
        runner.failed.connect(self.job_failed)
        runner.busyChanged.connect(self.busy_changed)
        panels.compare.view.entryClicked.connect(self.show_compared_map)

    def _remember_recent(self, path: str) -> None:
        recent = [p for p in self.settings.recent_files() if p != path]
        self.settings.set_recent_files([path, *recent][:MAX_RECENT])

    @Slot(int, object)
    def job_progressed(self, _job_id: int, event: object) -> None:
        progress = engine_class("progress", "Progress")
        if isinstance(event, Refining):
            self._show_refining(event)
        elif isinstance(event, (Stage, Download)) or (progress and isinstance(event, progress)):
            self._show_progress(event)
        elif isinstance(event, EngineReady):
            self.panels.sidebar.advanced.set_devices(event.devices)
            self.panels.sidebar.advanced.set_unavailable_precisions(
                dict(event.unavailable_precisions)
            )
            if self.state.start_network is not None:  # named at start: find out now (start())
                self.networks.list_soon()
        elif isinstance(event, PhotoReady):
            self._photo_ready(event)
        elif isinstance(event, NetworkReady):
            self._network_ready(event)
        elif isinstance(event, Classified):
            self._classified(event)

    def _show_progress(self, event: object) -> None:
        if isinstance(event, Stage):
            self.state.progress_label = (event.label or "Score-CAM", event.unit)
            self.panels.progress.busy(event.text)
        elif isinstance(event, Download):
            self.panels.progress.bytes(describe_download(event), event.done, event.total)
        else:  # the engine's Progress (its class is the engine's, known once torch is loaded)
            done: Any = event
            label, unit = self.state.progress_label
            work = (done.evaluated, done.work_total) if done.work_total is not None else None
            self.panels.progress.maps(
                done.done, done.total, done.rate, done.eta, label, unit, work, self.state.refining
            )

    def _show_refining(self, event: Refining) -> None:
        """The map of the masked inputs scored so far (a few times a second at most: jobs.py)."""
        request = self.state.request
        same = request is not None and request.render == self.panels.canvas.render_settings()
        self.panels.canvas.set_saliency(event.saliency, event.overlay if same else None)
        self._show_trust(None)  # said again when this map is done
        settled = (
            self.tr("{settled} ({done} of {total} maps scored)").format(
                settled=plainwords.settled_words(event.settled), done=event.done, total=event.total
            )
            if event.settled is not None
            else self.tr("{done} of {total} maps scored so far").format(
                done=event.done, total=event.total
            )
        )
        self.panels.canvas.subheading.setText(
            self.tr(
                "Refining the map: {settled}. “Stop here” keeps this map (approximate)."
            ).format(settled=settled)
        )
        self.state.refining = True

    def drop_running_map(self) -> None:
        """A job that ends without a result leaves no half-refined map on the canvas: the map
        shown before it comes back (if it is of this photo), with its heading."""
        shown = self.state.shown
        if not self.state.refining:
            if shown is not None and self.state.compared_on_canvas is None:
                self.panels.canvas.heading.setText(
                    self._heading(shown.result.target, shown.result.top5)
                )
                self.panels.canvas.subheading.setText(self._subheading(shown))
            return
        self.state.refining = False
        if (
            shown is not None
            and self.state.photo is not None
            and shown.request.photo == self.state.photo
        ):
            same = shown.request.render == self.panels.canvas.render_settings()
            self.panels.canvas.set_saliency(shown.result.saliency, shown.overlay if same else None)
            self.panels.canvas.heading.setText(
                self._heading(shown.result.target, shown.result.top5)
            )
            self.panels.canvas.subheading.setText(self._subheading(shown))
            self._show_trust(shown)
        else:
            self._show_trust(None)
            self.panels.canvas.clear_saliency()
            self.panels.canvas.subheading.setText("")

    def _photo_ready(self, event: PhotoReady) -> None:
        key = photokeys.photo_key(event.source)
        if (
            self.state.photo is not None
            and self.state.photo.key == event.source.key
            and self.panels.canvas.has_photo()
        ):
            return
        self.state.photo = event.source
        self.state.shown = None
        self.panels.canvas.set_photo(event.photo)
        self.panels.canvas.heading.setText(event.source.label)
        self.panels.canvas.subheading.setText(
            self.tr("Looking at the photo…")
            if self.state.network
            else self.panels.getting_ready_text()
        )
        self.panels.canvas.set_details("")
        self._show_trust(None)
        self.panels.clear_results()
        self.panels.compare.clear()
        self.panels.strip.add(key, array_thumbnail(event.photo), event.source.label)
        self.panels.strip.set_current(key)
        if event.source.path is not None and Path(event.source.path) != sample_photo():
            self._remember_recent(event.source.path)
            self.settings.set_folder("open", str(Path(event.source.path).parent))
        height, width = event.photo.shape[:2]
        self.panels.sidebar.set_photo_caption(
            self.tr("{label}\n{width} × {height} pixels").format(
                label=event.source.label, width=width, height=height
            )
        )
        self.window.setWindowTitle(f"{event.source.label} — {APP_NAME}")
        self.changed.emit()

    def _network_ready(self, event: NetworkReady) -> None:
        if self.state.is_pending_import(event.name, event.weights_file):
            self.state.import_undo = None  # the imported weights loaded: keep them
        known = self.state.network
        if (
            known is not None
            and (known.name, known.weights_file) == (event.name, event.weights_file)
            and known.layers == event.layers
            and known.categories == event.categories  # a network taught again: new classes
        ):
            return
        changed = known is not None and known.name != event.name
        self.state.network = event
        self.panels.sidebar.select_network(event.name)
        self.panels.sidebar.set_layers(
            event.layers,
            event.default_layer,
            self.state.request.layer if self.state.request else None,
        )
        self.panels.prediction.set_categories(event.categories)
        self.settings.set_network(event.name)
        self.networks.refresh(event.name)
        if changed:
            self.state.shown = None
            self.panels.canvas.clear_saliency()
            self._show_trust(None)
            self.panels.clear_results()

    def _classified(self, event: Classified) -> None:
        target = self.state.target if isinstance(self.state.target, int) else None
        shown = (
            next((p for p in event.top5 if p.index == target), None)
            if target is not None
            else event.top5[0]
        )
        self.panels.prediction.set_predictions(event.top5, shown)
        self.panels.device_label.setText(f"{event.device} · {event.precision}")
        if not event.top5:
            return
        # The heading names the class whose map is being made now, never the one before.
        if shown is not None:
            heading = self._heading(shown, event.top5)
        elif target is not None and self.state.network is not None:
            categories = self.state.network.categories
            heading = shown_name(categories[target], target, categories)
        else:
            heading = self._heading(event.top5[0], event.top5)
        self.panels.canvas.heading.setText(heading)
        if self.state.shown is None:
            self.panels.canvas.subheading.setText(
                self.tr(
                    "Making the map: each feature map of the network's layer is laid over the "
                    "photo, and the network scores what it still sees…"
                )
            )
        else:
            self.panels.canvas.subheading.setText(
                self.tr(
                    "Making the map of this class: until it appears, the map below is still the "
                    "one of “{name}”."
                ).format(name=self._name(self.state.shown.result.target))
            )

    @Slot(int, object)
    def job_finished(self, _job_id: int, outcome: object) -> None:
        self.panels.progress.idle()
        self.state.refining = False
        if isinstance(outcome, Explanation):
            self._show_explanation(outcome)
        elif isinstance(outcome, Comparison) and outcome.explanation is self.state.shown:
            self.panels.compare.show_comparison(outcome)
            self.panels.make_room_below(self.panels.compare.view.sizeHint().height() + 90)
            self.panels.show_status(
                self.tr("Compared {count} methods.").format(count=len(outcome.maps))
            )
            self.comparisonShown.emit()
        elif isinstance(outcome, SanityOutcome) and outcome.explanation is self.state.shown:
            self.panels.compare.show_sanity(outcome)
            self.panels.make_room_below(self.panels.compare.faith.sizeHint().height() + 90)
            self.panels.show_status(self.tr("Sanity check done."))
        elif isinstance(outcome, GridOutcome):
            self.panels.compare.show_grid(outcome)
            self.panels.make_room_below(self.panels.compare.faith.sizeHint().height() + 90)
            self.panels.show_status(self.tr("Grid test done.") if outcome.game else outcome.message)
        self.changed.emit()

    def _show_explanation(self, explanation: Explanation) -> None:
        """The map and prediction now; the panels below in later event-loop turns, so that no
        single turn paints everything (the event loop then never stalls for long)."""
        result = explanation.result
        request = explanation.request
        self.state.shown = explanation
        self.state.compared_on_canvas = None
        overlay = (
            explanation.overlay if request.render == self.panels.canvas.render_settings() else None
        )
        self.panels.canvas.set_saliency(result.saliency, overlay)
        target = result.target
        heading = self._heading(target, result.top5)
        if result.contrast is not None:
            heading = plainwords.contrast_heading(self._name(target), self._name(result.contrast))
        self.panels.canvas.heading.setText(heading)
        self.panels.canvas.subheading.setText(self._subheading(explanation))
        self.panels.canvas.set_details(self._details(explanation))
        self._show_trust(explanation)
        self.panels.prediction.set_predictions(result.top5, target)
        self.panels.prediction.set_contrast_choices(result.top5, target, result.contrast)
        self.panels.compare.set_timings(result.timings.map, result.timings.classify)
        self.panels.sidebar.select_layer(result.layer)
        engine = " · OpenVINO" if result.backend == "openvino" else ""
        precision = plainwords.precision_shown(result.precision)  # int8 says "approximate"
        self.panels.device_label.setText(f"{result.device} · {precision}{engine}")
        if explanation.reweighted_from is not None:
            other = None if result.contrast is None else self._name(result.contrast)
            earlier = self._name(explanation.reweighted_from)
            self.panels.show_status(
                plainwords.shown_from_same_passes(self._name(target), earlier, other)
            )
        elif explanation.from_earlier:
            self.panels.show_status(
                plainwords.shown_from_earlier(self._name(target), result.timings.total)
            )
        elif self._is_sample(request.photo):
            # The first start shows the sample: say where the user's own photos go.
            self.panels.show_status(
                self.tr(
                    "Explained “{name}” in {time}. This is the sample photo: drop your own "
                    "photos anywhere on this window, or open them with Ctrl+O."
                ).format(name=self._name(target), time=i18n.duration(result.timings.total))
            )
        else:
            self.panels.show_status(
                self.tr("Explained “{name}” in {time}.").format(
                    name=self._name(target), time=i18n.duration(result.timings.total)
                )
            )
        log.info(
            "explanation shown: %s, layer %s%s",
            target.name,
            result.layer,
            " (from earlier)" if explanation.from_earlier else "",
        )
        self.changed.emit()
        QTimer.singleShot(0, lambda: self._show_feature_maps(explanation))

    @staticmethod
    def _is_sample(photo: PhotoSource | None) -> bool:
        sample = sample_photo()
        if photo is None or photo.path is None or sample is None:
            return False
        return Path(photo.path).resolve() == sample.resolve()

    def _show_trust(self, explanation: Explanation | None) -> None:
        """Beside the map: when not to trust it (engine/trust.py); nothing for no map."""
        if explanation is None:
            self.panels.canvas.set_trust_note("")
            return
        result = explanation.result
        title = self.state.network.title if self.state.network else self.tr("the network")
        trust = assess(result.top5, result.target, result.entropy, title, trust_words())
        self.panels.canvas.set_trust_note(trust.note, trust.detail)

    def _name(self, prediction: Prediction) -> str:
        """A class's name in the window's language (ImageNet's in Japanese: app/classnames.py)."""
        categories = self.state.network.categories if self.state.network else None
        return shown_name(prediction.name, prediction.index, categories)

    def _heading(self, target: Prediction, top5: Sequence[Prediction]) -> str:
        """The class and its probability, marked when the network is unsure about the photo."""
        text = f"{self._name(target)}  {percent(target.probability)}"
        if plainwords.is_unsure(top5):
            text += translate("Presenter", "  (unsure)")
        return text

    def _subheading(self, explanation: Explanation) -> str:
        """How to read the map, in plain words."""
        network_title = (
            self.state.network.title if self.state.network else explanation.request.network
        )
        result = explanation.result
        text = plainwords.map_reading(self._name(result.target), network_title)
        if result.contrast is not None:
            name, other = self._name(result.target), self._name(result.contrast)
            text = plainwords.contrast_reading(name, other, network_title)
        if result.stopped:  # "Stop here": the map of the masked inputs scored until then
            scored = 0 if result.evaluated is None else int(result.evaluated.sum())
            text += (
                self.tr(" APPROXIMATE: stopped after {scored} of {total} maps, {settled}.")
            ).format(
                scored=scored,
                total=result.maps_total,
                settled=plainwords.settled_words(result.settled),
            )
        return text

    @staticmethod
    def _details(explanation: Explanation) -> str:
        """The technical line, from the record that the export and `--json` write too."""
        photo = explanation.request.photo
        path = (photo.path or photo.label) if photo is not None else ""
        record = window_record(explanation.result, path, explanation.request.network)
        return plainwords.map_details(record)

    @Slot(int)
    def show_compared_map(self, index: int) -> None:
        """A Compare tile's map on the canvas; clicking that tile again, or Score-CAM's, goes
        back to the explanation's own map."""
        shown = self.state.shown
        entries = self.panels.compare.view.entries()
        if shown is None or not 0 <= index < len(entries):
            return
        entry = entries[index]
        if index == self.state.compared_on_canvas or entry.saliency is shown.result.saliency:
            self.show_scorecam_map()
            return
        self.state.compared_on_canvas = index
        self.panels.compare.view.set_selected(index)
        self.panels.canvas.set_saliency(entry.saliency)
        self.panels.canvas.subheading.setText(
            plainwords.compared_map_reading(entry.label, self._name(shown.result.target))
        )
        self.panels.show_status(
            self.tr("Showing the {method} map. Export still saves Score-CAM's.").format(
                method=entry.label
            )
        )

    def show_scorecam_map(self) -> None:
        if self.state.compared_on_canvas is None or self.state.shown is None:
            return
        self.state.compared_on_canvas = None
        self.panels.compare.view.set_selected(None)
        self.panels.canvas.set_saliency(self.state.shown.result.saliency)
        self.panels.canvas.subheading.setText(self._subheading(self.state.shown))
        self.panels.show_status(self.tr("Showing the Score-CAM map again."))

    def _show_feature_maps(self, explanation: Explanation) -> None:
        if self.state.shown is not explanation:
            return  # a newer explanation took its place
        result = explanation.result
        kind = score_kind(result.weighting)
        self.panels.feature_maps.set_layer_title(
            self.state.network is None or result.layer == self.state.network.default_layer
        )
        acts, weights, scores = result.activations, result.weights, result.scores
        if acts is not None and weights is not None and scores is not None:
            self.panels.feature_maps.set_maps(acts, weights, scores, kind, photo=result.image_rgb)
        QTimer.singleShot(0, lambda: self._show_the_rest(explanation))

    def _show_the_rest(self, explanation: Explanation) -> None:
        if self.state.shown is not explanation:
            return
        result = explanation.result
        kind = score_kind(result.weighting)
        self.panels.montage.set_tiles(
            list(explanation.top_tiles),
            list(explanation.random_tiles),
            kind,
            self._name(result.target),
        )
        if result.weights is not None:
            self.panels.weights_plot.set_weights(result.weights, result.maps_evaluated or 0)
        if self.panels.compare.view.entries():
            self.panels.compare.clear()  # it compared the previous explanation
        self.explanationShown.emit()

    @Slot(int, object)
    def job_failed(self, _job_id: int, error: object) -> None:
        self.panels.progress.idle()
        self.drop_running_map()
        assert isinstance(error, JobError)
        request = self.state.request
        if issubclass(error.error_type, imaging.ImageLoadError):
            # The photo could not be read: take it out of the strip, keep what is on screen.
            if request is not None and request.photo is not None and request.photo.path:
                self.panels.strip.remove(request.photo.path)
            if self.state.photo is not None:
                self.panels.strip.set_current(photokeys.photo_key(self.state.photo))
            text = plainwords.not_opened(error.message, self.panels.canvas.has_photo())
        elif (weights_error := engine_class("models.types", "WeightsError")) and issubclass(
            error.error_type, weights_error
        ):
            log.info("weights: %s", error.message)
            title = (
                network_title(request.network) if request is not None else self.tr("the network")
            )
            text = plainwords.weights_problem(error.message, title, self._weights_url(request))
        else:
            text = f"{error.message}"
        undo = self.state.import_undo
        if (
            undo is not None
            and request
            and self.state.is_pending_import(request.network, request.weights_file)
        ):
            # The imported file did not load: forget it, so the weights that worked stay in use.
            self.state.import_undo = None
            self.settings.set_imported_weights(undo[0], *(undo[2] or (None, None)))
            self.networks.refresh()
        loaded = self.state.network.name if self.state.network is not None else None
        if (
            request is not None
            and request.network != loaded
            and modelfile.is_model_path(request.network)
        ):
            modelfile.forget(self.settings, request.network)  # it did not open: off the list
            self.networks.refresh()
        self.networks.restore_choice()
        if self.state.shown is None and self.panels.canvas.has_photo():
            # No map came: say so where "Looking at the photo…" stood.
            self.panels.canvas.subheading.setText(self.tr("No map yet: see the message above."))
        self.panels.show_error(text)
        self.jobFailed.emit(text)
        self.changed.emit()

    @Slot(bool)
    def busy_changed(self, busy: bool) -> None:
        if not busy:
            self.panels.progress.idle()
            self.networks.list_soon()
        self.changed.emit()

    @staticmethod
    def _weights_url(request: Request | None) -> str:
        """Where the request's network's weights come from ("" when not known)."""
        if request is None:
            return ""
        from ...engine.models.registry import network_info  # loaded: a job just ran
        from ...engine.models.types import NetworkError

        try:
            return network_info(request.network).weights_url or ""
        except NetworkError:
            return ""
