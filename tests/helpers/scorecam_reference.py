"""Score-CAM written the obvious way on `tiny_network` (tests/helpers/networks.py): every map at
full size, no batching, no shortcuts. The engine's Score-CAM is tested against it (fp32, 1e-5),
and so are the speed settings that must not change the map."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from tests.helpers.networks import MEAN, SIZE, STD

__all__ = ["reference"]


def reference(
    model: nn.Module,
    rgb: np.ndarray,
    weighting: str,
    fill: str,
    target: int | None = None,
    contrast: int | None = None,
) -> tuple:
    """Score-CAM written the obvious way, every map at full size (docs/scorecam.md's table);
    with `contrast`, each masked input scored by the target's score minus the contrast class's
    (docs/contrast.md)."""
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    x = torch.from_numpy(rgb.copy()).permute(2, 0, 1)[None].float() / 255

    acts = []
    handle = model.act2.register_forward_hook(lambda m, i, o: acts.append(o))
    with torch.no_grad():
        logits = model((x - mean) / std)[0]
    handle.remove()
    c = int(logits.argmax()) if target is None else target
    a = acts[0][0]
    up = F.interpolate(a[None], size=(SIZE, SIZE), mode="bilinear", align_corners=False)[0]
    masks = []
    for u in up:
        lo, hi = u.min(), u.max()
        masks.append((u - lo) / (hi - lo) if hi > lo else torch.zeros_like(u))
    m = torch.stack(masks)[:, None]  # K, 1, S, S
    xm = (m * x - mean) / std if fill == "black" else m * ((x - mean) / std)
    with torch.no_grad():
        out = model(xm)
    if contrast is not None:  # class c rather than class `contrast`: the scores' difference
        p = out.softmax(1)
        if weighting == "paper":
            w = torch.softmax(out[:, c] - out[:, contrast], 0)
            cam = (w[:, None, None] * up).sum(0)
        elif weighting == "matlab":
            w = torch.softmax(p[:, c] - p[:, contrast], 0)
            cam = (w[:, None, None] * m[:, 0]).sum(0)
        else:
            varying = torch.tensor([bool(u.max() > u.min()) for u in up])
            w = torch.where(varying, p[:, c] - p[:, contrast], 0.0)
            cam = (w[:, None, None] * up).sum(0)
    elif weighting == "paper":
        w = torch.softmax(out[:, c] - logits[c], 0)
        cam = (w[:, None, None] * up).sum(0)
    elif weighting == "matlab":
        p = out.softmax(1)[:, c]
        w = torch.softmax(p - logits.softmax(0)[c], 0)
        cam = (w[:, None, None] * m[:, 0]).sum(0)
    else:  # constant maps are skipped (see authors_loop)
        varying = torch.tensor([bool(u.max() > u.min()) for u in up])
        w = torch.where(varying, out.softmax(1)[:, c], 0.0)
        cam = (w[:, None, None] * up).sum(0)
    cam = cam.clamp_min(0)
    cam = (cam - cam.min()) / (cam.max() - cam.min())
    return cam.numpy(), w.numpy(), xm, c
