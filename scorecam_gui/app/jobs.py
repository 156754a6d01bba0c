"""What one explanation request does in the worker thread, as a generator of typed events.

A request names everything the user chose (photo, network, layer, class, options). The job loads
what changed since the last request (photo, network, explainer; cached in an EngineSession that
only the worker thread touches), tells the GUI each step as it happens, and returns everything
the GUI shows. No Qt here (a test checks): the GUI's worker drives this generator.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image

from ..engine import imaging
from .control import JobControl
from .options import Options
from .overlays import MaskedTile, render_overlay
from .resultcache import (
    ResultCache,
    ResultKey,
    file_content,
    file_version,
    pixels_content,
    result_key,
)
from .teach import taughtnets
from .translation import translate

# The engine (torch, torchvision) is imported by the worker thread when a job first needs it,
# never at import time: the window must paint before torch loads (docs/window.md, "Start-up").
if TYPE_CHECKING:
    from ..engine.explainer import Explainer
    from ..engine.methods.base import MethodResult
    from ..engine.models.types import LayerInfo, Network
    from ..engine.prediction import Prediction
    from ..engine.progress import Progress

NetworkLoader = Callable[..., "Network"]

TOP_TILES = 12
RANDOM_TILES = 12


@dataclass(frozen=True)
class PhotoSource:
    """A photo from a file, or from pixels that were pasted (then `path` is None)."""

    label: str
    path: str | None = None
    pixels: np.ndarray | None = field(default=None, compare=False)
    serial: int = 0  # tells two pastes apart

    @property
    def key(self) -> tuple[str | None, int]:
        return (self.path, self.serial)


@dataclass(frozen=True)
class Request:
    photo: PhotoSource | None  # None: only load the network (nothing to explain yet)
    network: str
    weights_file: str | None = None
    labels_file: str | None = None
    layer: str | None = None
    target: int | str | None = None  # a class index or name; None: the predicted class
    options: Options = field(default_factory=Options)
    render: dict[str, Any] = field(default_factory=dict, compare=False)
    fresh: bool = field(default=False, compare=False)  # compute again, even if a result is kept
    contrast: int | str | None = None  # explain the target rather than this class (or None)


# -- events the job yields ---------------------------------------------------------------------
@dataclass(frozen=True)
class Stage:
    """A step begins. `label` and `unit` name what the engine's Progress counts from here on."""

    text: str
    label: str = ""
    unit: str = "maps"


@dataclass(frozen=True)
class Download:
    title: str
    done: int
    total: int | None


@dataclass(frozen=True)
class EngineReady:
    """torch is loaded (once per session): what this machine can run on."""

    devices: tuple[str, ...]
    # (precision, why this machine cannot run it in one line): INT8 without OpenVINO or NNCF
    unavailable_precisions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class NetworkReady:
    name: str
    title: str
    weights_file: str | None
    weights_source: str
    categories: tuple[str, ...]
    layers: tuple[LayerInfo, ...]
    default_layer: str
    input_size: int


@dataclass(frozen=True)
class PhotoReady:
    source: PhotoSource
    photo: np.ndarray  # (H, W, 3) uint8, upright


@dataclass(frozen=True)
class Classified:
    top5: tuple[Prediction, ...]
    device: str
    precision: str


@dataclass(frozen=True)
class Refining:
    """The map of the masked inputs scored so far, while Score-CAM goes on (at most a few a
    second: see REFINE_INTERVAL)."""

    saliency: np.ndarray  # (S, S) float32 in [0, 1]
    overlay: np.ndarray  # rendered with the request's settings, at the photo's resolution
    done: int  # maps scored so far (of total)
    total: int
    settled: float | None = None  # the engine's Progress.settled: how close to its final form


# Seconds between two Refining events at least, and at least this many times the time one
# overlay took to render, so that neither the window nor the engine spends long on previews.
REFINE_INTERVAL = 0.25
REFINE_RENDER_SHARE = 5


@dataclass(frozen=True)
class Explanation:
    """Everything the GUI shows for one finished request; the numbers are the engine's."""

    request: Request
    result: MethodResult
    photo: np.ndarray
    overlay: np.ndarray  # rendered with request.render, at the photo's resolution
    top_tiles: tuple[MaskedTile, ...]
    random_tiles: tuple[MaskedTile, ...]
    from_earlier: bool = False  # kept from an earlier run (gui/resultcache.py), not computed now
    # Made from another class's passes (every class's scores kept: no pass through the network).
    reweighted_from: Prediction | None = None


def load_network(*args: Any, **kwargs: Any) -> Network:
    """The engine's load_network, imported on first use (in the worker thread)."""
    from ..engine.models.registry import load_network as load

    return load(*args, **kwargs)


def available_devices() -> tuple[str, ...]:
    """The device choices this machine has; imports torch, so only the worker calls it."""
    import torch

    from ..engine.runtime.device import mps_available

    names = ["auto", "cpu"]
    if torch.cuda.is_available():
        names.append("cuda")
    if mps_available():
        names.append("mps")
    return tuple(names)


def unavailable_precisions() -> tuple[tuple[str, str], ...]:
    """The precisions this machine cannot run, each with the one-line reason (the worker's)."""
    from ..engine.runtime.backends import unavailable_precisions as unavailable

    return tuple(unavailable().items())


def engine_loaded() -> bool:
    """Whether torch has been imported in this process (by a job or by the caller)."""
    return "torch" in sys.modules


def engine_class(module: str, name: str) -> type | None:
    """scorecam_gui.engine.<module>.<name> if that module is loaded, else None: an object of a
    class whose module was never imported cannot exist, and the GUI thread must not import the
    engine itself (it would load torch there, or wait for the worker thread's import)."""
    loaded = sys.modules.get(f"scorecam_gui.engine.{module}")
    found = getattr(loaded, name, None) if loaded is not None else None
    return found if isinstance(found, type) else None


class EngineSession:
    """Network, photo and explainer of the last request, and the results computed so far;
    touched only by the worker thread (the result cache also by the Folder view's)."""

    def __init__(
        self, loader: NetworkLoader = load_network, results: ResultCache | None = None
    ) -> None:
        self.loader = loader
        self.results = results if results is not None else ResultCache()
        self.engine_announced = False  # EngineReady was sent
        self.network: Network | None = None
        self.network_key: tuple[str, str | None, str | None] | None = None
        self.layers: tuple[LayerInfo, ...] = ()
        self.photo_key: tuple[str | None, int] | None = None
        self.image: Image.Image | None = None
        self.photo: np.ndarray | None = None
        self.photo_content = ""  # the photo named by content (resultcache.file_content)
        self.explainer: Explainer | None = None
        self.explainer_key: tuple[object, ...] | None = None
        # A map check the explainer put off may be due (engine/runtime/openvino_backend.py):
        # written here, read by the window to know whether to run deferred_check_job when idle.
        self.check_due = True


def explain_job(
    session: EngineSession, request: Request
) -> Callable[[Any], Generator[object, None, Explanation | None]]:
    """A worker job (takes a JobControl) that runs `request` to an Explanation."""

    def job(control: JobControl) -> Generator[object, None, Explanation | None]:
        return _explain(session, request, control)

    return job


def load_photo(source: PhotoSource) -> Image.Image:
    if source.path is not None:
        return imaging.load_image(source.path)
    assert source.pixels is not None
    return Image.fromarray(np.ascontiguousarray(source.pixels, dtype=np.uint8), "RGB")


def photo_content(source: PhotoSource, pixels: np.ndarray) -> str:
    """The photo named by content: its file's bytes, or a paste's pixels."""
    if source.path is not None:
        try:
            return file_content(source.path)
        except OSError:
            pass  # read a moment ago, gone now: its pixels name it
    return pixels_content(pixels)


def _prepare(
    session: EngineSession, request: Request, control: JobControl
) -> Generator[object, None, Explainer | None]:
    """Photo, network and explainer of the request, loading only what changed."""
    # 1. The photo first: a file that is not an image fails before anything slow starts.
    if request.photo is not None:
        if session.photo_key != request.photo.key or session.image is None:
            image = load_photo(request.photo)
            session.image, session.photo = image, np.asarray(image, dtype=np.uint8)
            session.photo_key = request.photo.key
            session.photo_content = photo_content(request.photo, session.photo)
        assert session.photo is not None
        yield PhotoReady(request.photo, session.photo)

    # 2. The network (downloading its weights if needed), and its layers for the selector.
    weights, labels = file_version(request.weights_file), file_version(request.labels_file)
    network_key = (request.network, weights, labels)  # a file replaced since: loaded again
    if session.network_key != network_key or session.network is None:
        # Plain words while torch and the network load (the first time, several seconds).
        yield Stage(
            translate("Jobs", "Getting {network} ready…").format(
                network=taughtnets.title(request.network)
            )
        )
        from ..engine.models.layers import list_layers
        from ..engine.models.registry import network_info

        # A taught network (app/teach/taughtnets.py) is its base network with its two files.
        base = taughtnets.base_network(request.network)
        taught = base != request.network
        title = taughtnets.title(request.network) if taught else network_info(base).title

        def progress(done: int, total: int | None) -> None:
            control.report(Download(title, done, total))

        # Weights and labels files positionally: ENGINE_API and the engine name them differently.
        network = session.loader(
            base,
            request.weights_file,
            request.labels_file,
            progress=progress,
            cancel=control.cancelled,
        )
        if taught:
            network = taughtnets.loaded_as(network, request.network)
        yield Stage(translate("Jobs", "Reading the layers of {network}…").format(network=title))
        layers = tuple(list_layers(network))
        session.network, session.network_key, session.layers = network, network_key, layers
        session.explainer, session.explainer_key = None, None
    if not session.engine_announced:
        session.engine_announced = True
        yield EngineReady(available_devices(), unavailable_precisions())
    network = session.network
    assert network is not None
    yield NetworkReady(
        name=network.info.name,
        title=network.info.title,
        weights_file=request.weights_file,
        weights_source=network.weights_source,
        categories=tuple(network.categories),
        layers=session.layers,
        default_layer=network.default_layer,
        input_size=network.info.input_size,
    )
    if request.photo is None:
        return None

    # 3. The explainer for the chosen device, precision and batch size.
    # "auto" batch size (None) is the engine's per-device choice: small batches on the CPU, so
    # a job stops (between batches) soon after Cancel or closing the window.
    opts = request.options
    explainer_key = (network_key, opts.device, opts.precision, opts.batch_size, opts.backend)
    if session.explainer_key != explainer_key or session.explainer is None:
        from ..engine.explainer import Explainer

        # defer_check: the first map waits for no check of a faster precision (the window runs
        # it when idle: deferred_check_job), so the first start is as quick as a later one.
        session.explainer = Explainer(
            network,
            opts.device,
            opts.precision,
            opts.batch_size,
            backend=opts.backend,
            defer_check=True,
        )
        session.check_due = True
        session.explainer_key = explainer_key
    return session.explainer


def _layer(session: EngineSession, request: Request) -> str:
    """The request's layer; a remembered layer the network no longer has falls back."""
    assert session.network is not None
    known = {layer.name for layer in session.layers}
    return request.layer if request.layer in known else session.network.default_layer


def _explain(
    session: EngineSession, request: Request, control: JobControl
) -> Generator[object, None, Explanation | None]:
    explainer = yield from _prepare(session, request, control)
    if explainer is None:
        return None
    assert session.image is not None and session.photo is not None
    network = explainer.network

    from ..engine.models.layers import resolve_target

    layer = _layer(session, request)
    target = None if request.target is None else resolve_target(network, request.target)
    contrast = None if request.contrast is None else resolve_target(network, request.contrast)
    key = _result_key(session, request, layer, target)
    kept = None if request.fresh else session.results.get(key)
    if kept is not None and contrast is None:
        # Shown before: its map at once, nothing computed again.
        yield Classified(kept.top5, kept.device, kept.precision)
        yield Stage(translate("Jobs", "Shown from earlier…"))
        return _explanation(request, kept, session.photo, from_earlier=True)
    source = None if request.fresh else kept or session.results.with_every_class(key)
    if source is not None:
        # Another class of a photo explained before: the same passes, weighted for this class.
        yield Classified(source.top5, source.device, source.precision)
        made = _for_class(source, target, contrast)
        return _explanation(request, made, session.photo, reweighted_from=source.target)

    # 4. Classify (fast) so the prediction shows at once, then Score-CAM batch by batch.
    yield Stage(translate("Jobs", "Classifying…"))
    top5 = explainer.classify(session.image)
    yield Classified(top5, explainer.device.type, explainer.precision)
    yield Stage(translate("Jobs", "Score-CAM…"), label="Score-CAM", unit="maps")
    job = explainer.run(
        session.image,
        layer=layer,
        target=target,
        weighting=request.options.weighting,
        fill=request.options.fill,
        running_map=True,
        stop=lambda _progress: bool(control.stop_requested()),
    )
    result: MethodResult = yield from _refining(job, session.photo, request.render)
    session.results.put(key, result)
    if contrast is not None:
        result = _for_class(result, target, contrast)

    # 5. What the GUI shows next to the map, made here so the GUI thread stays free.
    yield Stage(translate("Jobs", "Rendering…"))
    return _explanation(request, result, session.photo)


def _for_class(source: MethodResult, target: int | None, contrast: int | None) -> MethodResult:
    """`source`'s map made again for class `target` (the predicted one if None), against
    `contrast` if given: a re-weighting of the passes it kept (engine/methods/registry)."""
    from ..engine.methods.registry import for_class

    c = source.top5[0].index if target is None else target
    return for_class(source, c, contrast)


def _result_key(
    session: EngineSession,
    request: Request,
    layer: str,
    target: int | None,
    method: str | None = None,
) -> ResultKey:
    return result_key(
        session.photo_content,
        request.network,
        request.weights_file,
        request.labels_file,
        layer,
        target,
        request.options,
        method,
    )


def _explanation(
    request: Request,
    result: MethodResult,
    photo: np.ndarray,
    from_earlier: bool = False,
    reweighted_from: Prediction | None = None,
) -> Explanation:
    """What the GUI shows for `result`: the overlay and the tiles, made in the worker."""
    overlay = render_overlay(photo, result.saliency, **_render_args(request.render))
    top, rand = pick_tiles(result)
    return Explanation(
        request=request,
        result=result,
        photo=photo,
        overlay=overlay,
        top_tiles=top,
        random_tiles=rand,
        from_earlier=from_earlier,
        reweighted_from=reweighted_from,
    )


def _refining(
    job: Generator[Progress, None, MethodResult], photo: np.ndarray, render: dict[str, Any]
) -> Generator[object, None, MethodResult]:
    """The engine's progress without its running maps, and a Refining event with the running
    map and its overlay now and then (the window shows the map refining as it goes)."""
    next_at = 0.0
    while True:
        try:
            progress = next(job)
        except StopIteration as stop:
            return stop.value
        saliency = progress.saliency
        if saliency is not None and progress.done < progress.total:
            now = time.perf_counter()
            if now >= next_at:
                overlay = render_overlay(photo, saliency, **_render_args(render))
                took = time.perf_counter() - now
                next_at = now + max(REFINE_INTERVAL, REFINE_RENDER_SHARE * took)
                yield Refining(saliency, overlay, progress.done, progress.total, progress.settled)
        yield replace(progress, saliency=None)


def _render_args(render: dict[str, Any]) -> dict[str, Any]:
    args = {"mode": "matlab", "colormap": "jet", "opacity": 0.5}
    args.update(render)
    return args


def pick_tiles(
    result: MethodResult, seed: int | None = None
) -> tuple[tuple[MaskedTile, ...], tuple[MaskedTile, ...]]:
    """The highest-weighted masked inputs and a random dozen, as the engine builds them (none
    for a method without masked inputs)."""
    weights, scores = result.weights, result.scores
    if weights is None or scores is None or result.activations is None:
        return (), ()
    count = len(weights)
    order = np.argsort(-weights, kind="stable")[:TOP_TILES]
    rng = random.Random(seed)
    others = rng.sample(range(count), min(RANDOM_TILES, count))

    from ..engine.methods.scorecam.masks import masked_input

    def tile(k: int) -> MaskedTile:
        return MaskedTile(int(k), masked_input(result, int(k)), float(scores[k]), float(weights[k]))

    return tuple(tile(k) for k in order), tuple(tile(k) for k in sorted(others))


def score_kind(weighting: str | None) -> str:
    """What the per-map score is under each weighting (ENGINE_API: logit or probability)."""
    from ..engine.methods.scorecam.scorecam import WEIGHTING_SPECS  # loaded: a result exists

    spec = WEIGHTING_SPECS.get(weighting or "")
    return spec.score if spec is not None else "probability"


def describe_download(event: Download) -> str:
    mb = 1024 * 1024
    if event.total:
        return translate("Jobs", "Downloading {network}: {done} of {total} MB").format(
            network=event.title, done=f"{event.done / mb:.1f}", total=f"{event.total / mb:.1f}"
        )
    return translate("Jobs", "Downloading {network}: {done} MB").format(
        network=event.title, done=f"{event.done / mb:.1f}"
    )
