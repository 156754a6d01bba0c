"""INT8 passes: the network quantized by NNCF for OpenVINO's CPU plugin (`--precision int8`).

INT8 is an approximation the user names, never a default: Score-CAM ran 1.4-1.9x faster than
the bf16 default on the seed networks, but the map moved (EfficientNet-Lite0: 0.87 at the lowest
on 20 photos; docs/speed.md, "INT8, a named option"), so every INT8 run also says how close its
network's map came to the exact one (the first INT8 run on a network makes the map check of
openvino_backend.MapCheck and keeps it).

The quantization is NNCF's post-training quantization, calibrated on masked copies of the bundled
sample photo (the inputs Score-CAM's passes see: the photo under smooth masks, the rest black):
the same calibration for every run, so that one network gives one quantized network whatever the
photos, kept on disk beside the converted one (openvino.OpenVinoRuntime).

NNCF is an optional extra (`pip install "scorecam-gui[int8]"`): `available()` says whether it can
be imported, and `missing_message()` says in one line how to get it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import logging
from typing import Any

import numpy as np

from ..models.types import Network

__all__ = [
    "CALIBRATION_INPUTS",
    "available",
    "calibration_inputs",
    "missing_message",
    "nncf_version",
    "quantize",
]

# Masked copies of the sample photo to calibrate on, and the grid their masks are drawn on
# (Score-CAM's maps are a layer's activations upsampled: smooth blobs over the photo).
CALIBRATION_INPUTS = 128
MASK_GRID = 7
SEED = 0  # the same calibration every time: one quantized network per network


def available() -> bool:
    """True if NNCF (the quantizer) can be imported."""
    try:
        return importlib.util.find_spec("nncf") is not None
    except (ImportError, ValueError):
        return False


def missing_message() -> str:
    """One line: INT8 needs NNCF, and how to get it."""
    return 'INT8 needs NNCF, which is not installed: pip install "scorecam-gui[int8]"'


def calibration_inputs(network: Network, n: int = CALIBRATION_INPUTS) -> np.ndarray:
    """(n, 3, S, S) float32 normalised inputs: the sample photo, whole and under n - 1 smooth
    random masks (black where masked out, as Score-CAM's default fill), mirrored in turn."""
    import torch
    import torch.nn.functional as F
    from PIL import Image

    from ...appdata import sample_photo_path

    size = network.info.input_size
    with Image.open(sample_photo_path()) as im:
        photo = im.convert("RGB").resize((size, size), Image.Resampling.BILINEAR)
    x = torch.from_numpy(np.asarray(photo, dtype=np.float32) / 255.0).permute(2, 0, 1)
    generator = torch.Generator().manual_seed(SEED)
    grid = torch.rand((n - 1, 1, MASK_GRID, MASK_GRID), generator=generator)
    masks = F.interpolate(grid, size=(size, size), mode="bicubic", align_corners=False)
    low = masks.amin((2, 3), keepdim=True)
    masks = (masks - low) / (masks.amax((2, 3), keepdim=True) - low).clamp_min(1e-6)
    masks = torch.cat([torch.ones((1, 1, size, size)), masks])
    batch = x * masks
    batch[1::2] = batch[1::2].flip(-1)
    mean = torch.tensor(network.info.mean).view(1, 3, 1, 1)
    std = torch.tensor(network.info.std).view(1, 3, 1, 1)
    return ((batch - mean) / std).numpy().astype(np.float32)


def quantize(converted: Any, network: Network) -> Any:
    """The converted OpenVINO model quantized to INT8 (a new model; NNCF must be installed)."""
    import nncf

    inputs = calibration_inputs(network)
    batches = [inputs[i : i + 8] for i in range(0, len(inputs), 8)]
    # NNCF draws progress bars on stdout (rich), which `scorecam explain --json` keeps for its
    # records, and logs at INFO: neither is the user's business.
    nncf.set_log_level(logging.WARNING)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return nncf.quantize(converted, nncf.Dataset(batches), subset_size=len(batches))


def nncf_version() -> str:
    """NNCF's version (the disk cache keeps one quantized network per version)."""
    from importlib.metadata import version

    return version("nncf")
