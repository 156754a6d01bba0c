"""The Score-CAM family's masked-input machinery: the per-map statistics of the upsampled
activation maps, the normalised masks, and the exact shortcuts (twin maps).

Bilinear upsampling and min-max normalisation are affine per map, so every mask is formed on the
small activation map and upsampled once, and its range is found without upsampling it
(docs/scorecam.md). SS-CAM, IS-CAM and Group-CAM build their masked inputs from these too.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import torch
import torch.nn.functional as F

from ..maps import minmax, upsample

__all__ = [
    "MaskedSource",
    "masked_input",
    "normalised_masks",
    "twin_maps",
    "upsampled_range",
]


def upsampled_range(acts: torch.Tensor, size: int, chunk: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Min and max of every bilinearly upsampled map, mostly without upsampling it.

    Along each axis, every output position between the same two source samples interpolates
    linearly between them, so a map's extremes lie where such a run of positions starts or ends:
    the maps are evaluated there only (16 x 16 points for 7 x 7 maps instead of 224 x 224; equal
    to F.interpolate's values up to float rounding). Maps near the output size are upsampled in
    chunks instead.
    """
    n, h, w = acts.shape
    ry, rx = _axis_weights(h, size, acts), _axis_weights(w, size, acts)
    ry, rx = ry[_run_ends(ry)], rx[_run_ends(rx)]
    lo = torch.empty(n, device=acts.device)
    hi = torch.empty_like(lo)
    sparse = 4 * len(ry) * len(rx) <= size * size
    step = 1024 if sparse else max(chunk, 64)
    for start in range(0, n, step):
        part = acts[start : start + step]
        if sparse:
            values = torch.einsum("yi,kij,xj->kyx", ry, part, rx).flatten(1)
        else:
            values = upsample(part, size).flatten(1)
        lo[start : start + len(part)] = values.amin(1)
        hi[start : start + len(part)] = values.amax(1)
    return lo, hi


def _axis_weights(n: int, size: int, like: torch.Tensor) -> torch.Tensor:
    """(size, n): the weights with which bilinear upsampling mixes source samples along one axis."""
    eye = torch.eye(n, dtype=like.dtype, device=like.device)[:, None, :]
    return F.interpolate(eye, size=size, mode="linear", align_corners=False)[:, 0].T


def _run_ends(weights: torch.Tensor) -> torch.Tensor:
    """Output positions that start or end a run interpolating between the same source samples."""
    support = weights != 0
    change = (support[1:] != support[:-1]).any(1)
    ends = torch.zeros(len(weights), dtype=torch.bool, device=weights.device)
    ends[0] = ends[-1] = True
    ends[1:] |= change
    ends[:-1] |= change
    return torch.nonzero(ends).flatten()


# Twins are looked for only among maps of at most this many pixels (late layers, where they
# occur): the search compares every pair of maps.
_TWIN_MAX_PIXELS = 4096
_TWIN_TOLERANCE = 1e-6  # on normalised maps in [0, 1]: float rounding, no more


def twin_maps(acts: torch.Tensor, lo: torch.Tensor, span: torch.Tensor) -> torch.Tensor:
    """For each map, the index of the first map with the same normalised mask (itself if none).

    M_k = (U(A_k) - lo_k) / span_k = U((A_k - lo_k) / span_k) as bilinear weights sum to 1, so
    maps whose normalised small maps agree (to float rounding) give the same mask.
    """
    n = acts.shape[0]
    first = list(range(n))
    if n < 2 or acts[0].numel() > _TWIN_MAX_PIXELS:
        return torch.tensor(first, dtype=torch.long, device=acts.device)
    norm = ((acts - lo[:, None, None]) / span[:, None, None]).flatten(1)
    sq = (norm * norm).sum(1)
    # Candidates by squared distance (one matrix product, loose for its rounding), then checked.
    d2 = sq[:, None] + sq[None, :] - 2.0 * (norm @ norm.T)
    a, b = torch.nonzero(torch.triu(d2 <= 1e-5 * norm.shape[1], diagonal=1), as_tuple=True)
    same = torch.zeros(len(a), dtype=torch.bool, device=acts.device)
    for i in range(0, len(a), 4096):
        diff = (norm[a[i : i + 4096]] - norm[b[i : i + 4096]]).abs().amax(1)
        same[i : i + 4096] = diff <= _TWIN_TOLERANCE
    for i, j in zip(a[same].tolist(), b[same].tolist(), strict=True):  # i < j, i ascending
        if first[i] == i and first[j] == j:
            first[j] = i
    return torch.tensor(first, dtype=torch.long, device=acts.device)


def normalised_masks(
    acts: torch.Tensor, lo: torch.Tensor, span: torch.Tensor, size: int
) -> torch.Tensor:
    """M_k = (U(A_k) - min) / (max - min), shape (n, 1, size, size).

    Formed as U((A_k - min) / (max - min)), equal as bilinear weights sum to 1: the small maps
    are normalised, so the full-size ones are written once. On the CPU the upsampling is the two
    matrix products it amounts to (Ry @ A @ Rx^T, the axis weights of upsampled_range): equal to
    F.interpolate up to float rounding and about 7x faster there (8 maps of 7 x 7 to 224 x 224:
    0.13 against 0.96 ms), which counts now that each masked pass takes a few milliseconds.
    """
    small = (acts - lo[:, None, None]) / span[:, None, None]
    if acts.device.type != "cpu":
        return upsample(small, size)[:, None]
    ry = _axis_weights(acts.shape[1], size, small)
    rx = ry if acts.shape[2] == acts.shape[1] else _axis_weights(acts.shape[2], size, small)
    return torch.matmul(torch.matmul(ry, small), rx.T)[:, None]


class MaskedSource(Protocol):
    """What masked_input reads of a Score-CAM result (methods/scorecam/scorecam.py)."""

    @property
    def activations(self) -> np.ndarray | None: ...
    @property
    def image_rgb(self) -> np.ndarray: ...
    @property
    def fill(self) -> str | None: ...
    @property
    def mean(self) -> tuple[float, float, float]: ...


def masked_input(result: MaskedSource, k: int) -> np.ndarray:
    """Masked input k as an RGB image (S, S, 3) uint8, as the network saw it."""
    acts = result.activations
    if acts is None:
        raise ValueError("this method scores no masked inputs")
    if not 0 <= k < len(acts):
        raise IndexError(f"map {k} out of range 0..{len(acts) - 1}")
    size = result.image_rgb.shape[0]
    a = torch.from_numpy(acts[k : k + 1])
    up = upsample(a, size)[0]
    mask = minmax(up).numpy()[..., None]  # constant maps give all zeros, as in the engine
    rgb = result.image_rgb.astype(np.float32) / 255.0
    if result.fill == "black":
        out = mask * rgb
    else:  # masked-out pixels become the dataset mean
        mean = np.asarray(result.mean, np.float32)
        out = mean + mask * (rgb - mean)
    return np.clip(out * 255.0 + 0.5, 0, 255).astype(np.uint8)
