"""The Explainer: one network on one device, with its batched inference runner, ready to explain.

It prepares photos as the network sees them, classifies them, and runs any method of the catalog
through the registry (`run`, `run_weightings`, `explain`; Score-CAM by default). Every method
takes an Explainer as its `Runner` (engine/methods/base.py); none imports this module.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence

import numpy as np
import torch
from PIL import Image
from torch import nn

from ..choices import WEIGHTINGS
from .imaging import resize_for_network
from .methods import registry
from .methods.base import MethodRequest, MethodResult
from .models.types import Network
from .prediction import Prediction
from .progress import Progress, run_to_end
from .runtime.inference import InferenceModel

__all__ = ["Explainer", "explain"]


class Explainer:
    """Runs classification and Score-CAM for one network on one device."""

    def __init__(
        self,
        network: Network,
        device: str = "auto",
        precision: str = "auto",
        batch_size: int | None = None,
        channels_last: bool = True,
        fold_batchnorm: bool = True,
        compile_model: bool = False,
        backend: str = "auto",
        defer_check: bool = False,
    ) -> None:
        """compile_model: run the masked passes through torch.compile (Inductor, weights frozen
        into the compiled code). Opt-in: the first batch waits for the compiler (10-30 s on 2
        cores, less with its disk cache warm) and it needs a C++ compiler on the CPU; a network
        that cannot be compiled runs as it is (see compile_error).

        backend: what runs the masked passes (choices.BACKENDS): `auto` (OpenVINO on the CPU
        where it is installed and agrees with torch's fp32, else torch), `torch`, `openvino`.
        The classification and the layer's activations always come from torch in fp32.

        defer_check: the window's choice (engine/runtime/openvino_backend.py): a reduced
        precision `auto` has not checked on this network yet runs in fp32 until
        `inference.deferred_check()` makes its map check, so the first map waits for no check."""
        self.network = network
        self.inference = InferenceModel(
            network,
            device,
            precision,
            batch_size,
            channels_last,
            fold_batchnorm,
            compile_model,
            backend,
            defer_check=defer_check,
        )
        self.device = self.inference.device
        self.memory_format = self.inference.memory_format
        self.compile_model = compile_model
        self.fold_batchnorm = fold_batchnorm

    @property
    def precision(self) -> str:
        """The precision of the masked passes (it may change on the first batch: see backend)."""
        return self.inference.precision

    @property
    def backend(self) -> str:
        """What runs the masked passes: `torch` or `openvino` (`auto` falls back to torch on the
        first batch if OpenVINO cannot compile the network or disagrees with torch's fp32)."""
        return self.inference.backend

    @property
    def batch_size(self) -> int:
        """Masked inputs per forward pass: as given, else chosen for the device and network."""
        return self.inference.batch_size

    @property
    def compile_error(self) -> str | None:
        """Why compiling the masked passes failed, if it did."""
        return self.inference.compile_error

    def inference_model(self) -> nn.Module:
        """The module the masked passes run through (see InferenceModel.model)."""
        return self.inference.model()

    # -- inputs -------------------------------------------------------------------------------
    def prepare(self, image: Image.Image | np.ndarray, center_crop: bool = False) -> np.ndarray:
        """The photo as the network sees it: (S, S, 3) uint8, whole image resized by default."""
        size = self.network.info.input_size
        if isinstance(image, np.ndarray):
            if image.shape == (size, size, 3) and image.dtype == np.uint8:
                return image
            image = Image.fromarray(image)
        return resize_for_network(image, size, center_crop=center_crop)

    def predictions(self, logits: torch.Tensor, k: int = 5) -> tuple[Prediction, ...]:
        """The k most probable classes for one image's logits."""
        probs = logits.softmax(-1)
        top = probs.topk(min(k, probs.numel()))
        names = self.network.categories
        return tuple(
            Prediction(int(i), names[int(i)], float(p), float(logits[int(i)]))
            for p, i in zip(top.values, top.indices, strict=True)
        )

    def prediction(self, logits: torch.Tensor, c: int) -> Prediction:
        """Class c with its probability and logit for one image's logits."""
        probs = logits.softmax(-1)
        return Prediction(c, self.network.categories[c], float(probs[c]), float(logits[c]))

    # -- public API ---------------------------------------------------------------------------
    def classify(self, image: Image.Image | np.ndarray) -> tuple[Prediction, ...]:
        """The top-5 classes of the photo, in fp32."""
        runner = self.inference
        with torch.inference_mode():
            x = runner.normalise(runner.to_tensor(self.prepare(image)))
            logits = runner.exact_logits(x[None])[0]
        return self.predictions(logits)

    def explain(self, image: Image.Image | np.ndarray, **kwargs: object) -> MethodResult:
        """Run a method (Score-CAM by default) to the end and return the result."""
        return run_to_end(self.run(image, **kwargs))  # type: ignore[arg-type]

    def run(
        self,
        image: Image.Image | np.ndarray,
        layer: str | None = None,
        target: int | None = None,
        weighting: str = "paper",
        fill: str = "black",
        approximate: int | None = None,
        center_crop: bool = False,
        running_map: bool = False,
        stop: Callable[[Progress], bool] | None = None,
        method: str | None = None,
        contrast: int | None = None,
    ) -> Generator[Progress, None, MethodResult]:
        """A catalog method as a generator: yields Progress after each batch, returns the
        result. `method` names it (engine/methods/catalog.py); None is Score-CAM with
        `weighting`. `contrast`: explain `target` rather than this class (docs/contrast.md).

        Score-CAM scores its maps largest first (engine/methods/scorecam/progressive.py), so the
        map of the maps scored so far converges fast: `running_map` puts it into every Progress.
        `stop` is asked after each batch but the last; when it returns True, scoring ends there
        and the result is that running map, marked `stopped` (a time budget:
        `stop=lambda p: p.elapsed >= seconds`).

        Arguments are checked before anything is computed. Closing the generator (or simply not
        resuming it) stops the job between two batches. Inference mode is entered inside the
        generator, so it holds in whichever thread drives it.
        """
        request = MethodRequest(
            layer=layer,
            target=target,
            fill=fill,
            approximate=approximate,
            running_map=running_map,
            stop=stop,
            contrast=contrast,
        )
        if method is None and weighting not in WEIGHTINGS:
            raise ValueError(f"unknown weighting '{weighting}': use {', '.join(WEIGHTINGS)}")
        name = method or f"scorecam-{weighting}"
        rgb = self.prepare(image, center_crop=center_crop)
        return registry.run_method(self, rgb, name, request)

    def run_weightings(
        self,
        image: Image.Image | np.ndarray,
        weightings: Sequence[str] = WEIGHTINGS,
        layer: str | None = None,
        target: int | None = None,
        fill: str = "black",
        approximate: int | None = None,
        center_crop: bool = False,
        running_map: bool = False,
        stop: Callable[[Progress], bool] | None = None,
    ) -> Generator[Progress, None, dict[str, MethodResult]]:
        """Several Score-CAM weightings from one set of masked passes: {weighting: result}."""
        request = MethodRequest(
            fill=fill, approximate=approximate, running_map=running_map, stop=stop
        )
        names = [f"scorecam-{w}" for w in weightings]
        for w in weightings:
            if w not in WEIGHTINGS:
                raise ValueError(f"unknown weighting '{w}': use {', '.join(WEIGHTINGS)}")
        rgb = self.prepare(image, center_crop=center_crop)
        made = registry.run_methods(self, rgb, names, target, layer, request=request)
        return _by_weighting(made)


def _by_weighting(
    made: Generator[Progress, None, dict[str, MethodResult]],
) -> Generator[Progress, None, dict[str, MethodResult]]:
    results = yield from made  # closing this generator closes `made` too
    return {r.weighting or name: r for name, r in results.items()}


def explain(
    network: Network,
    image: Image.Image | np.ndarray,
    progress: Callable[[Progress], None] | None = None,
    device: str = "auto",
    precision: str = "auto",
    batch_size: int | None = None,
    **kwargs: object,
) -> MethodResult:
    """One-call Score-CAM for scripts: build an Explainer, run to the end, report progress."""
    gen = Explainer(network, device, precision, batch_size).run(image, **kwargs)  # type: ignore[arg-type]
    return run_to_end(gen, progress)
