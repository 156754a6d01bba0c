"""Eigen-CAM (Muhammad & Yeasin, 2020, "Eigen-CAM: Class Activation Map using Principal
Components"): the layer's maps projected on their first principal component, with no gradient and
no class: the map shows what the layer sees most, whatever the class.

As pytorch-grad-cam's EigenCAM: the activations as an (h * w, K) matrix, each channel's mean
taken off, the projection on the first right singular vector, ReLU, upsampled and min-max
normalised. A principal component's sign is arbitrary; pytorch-grad-cam keeps the one its SVD
returns (numpy's LAPACK, float32), and so does this module, with the same call, so the two maps
agree; a map that comes out as the photo's background is that sign (docs/methods.md).
"""

from __future__ import annotations

import time
from collections.abc import Generator

import numpy as np
import torch

from ...progress import Progress
from ..base import LayerMethod, MethodRequest, MethodResult, Runner, finish
from ..capture import capture
from ..catalog import info
from ..maps import to_input_size

__all__ = ["EigenCam", "first_component", "method"]


def first_component(acts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(projection (h, w), component (K,)) of (K, h, w) activations, pytorch-grad-cam's way."""
    k = acts.shape[0]
    rows = np.nan_to_num(acts.reshape(k, -1).T.astype(np.float32))
    rows = rows - rows.mean(axis=0)
    _, _, vt = np.linalg.svd(rows, full_matrices=True)
    return (rows @ vt[0, :]).reshape(acts.shape[1:]), vt[0, :]


class EigenCam(LayerMethod):
    def run(
        self, runner: Runner, rgb: np.ndarray, request: MethodRequest
    ) -> Generator[Progress, None, MethodResult]:
        """One step (the classifying pass and an SVD): yields Progress(1, 1) and returns."""
        self.check(runner, request)
        t0 = time.perf_counter()
        module, layer = self.layer(runner, request)
        with torch.inference_mode():
            cap = capture(runner, rgb, module, layer, request.target)
            low, component = first_component(cap.acts.cpu().numpy())
            saliency = to_input_size(torch.from_numpy(low), rgb.shape[0]).numpy()
        yield Progress(1, 1, time.perf_counter() - t0)
        return finish(
            self.info, runner, rgb, layer, saliency, cap.target, cap.top5, t0, 1, component
        )


def method() -> EigenCam:
    return EigenCam(info("eigencam"))
