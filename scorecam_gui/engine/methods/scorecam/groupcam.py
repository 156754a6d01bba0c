"""Group-CAM (Zhang et al., 2021, "Group-CAM: Group Score-Weighted Visual Explanations for Deep
Convolutional Networks"): Score-CAM on G group masks instead of K maps.

1. One forward and one backward pass give the layer's maps A_k and Grad-CAM's weights
   a_k = mean of d logit_c / d A_k.
2. The K weighted maps a_k A_k are split into G groups of consecutive channels (torch.chunk: G
   groups of ceil(K / G), fewer when K is small); group l's map is ReLU(sum_k a_k A_k).
3. Denoising: values at or below the group map's 70th percentile become 0 (on the layer's grid).
4. Each group map is upsampled (bilinear) and min-max normalised to M_l; groups whose map is
   constant are left out.
5. The masked input keeps the photo where M_l is 1 and the blurred photo where it is 0:
   I_l = I * M_l + B * (1 - M_l), B the photo under a Gaussian blur (51 x 51, sigma 50,
   reflected at the borders), as in the paper's code.
6. The group's score is the gain in the class's probability over the blurred photo,
   s_l = p_c(I_l) - p_c(B); the map is min-max(ReLU(sum_l s_l M_l)).

So 1 forward and 1 backward pass, then 1 + G masked passes (33 with G = 32) through the engine's
batched runner. The blurred photo is this method's own baseline: `--fill` does not apply. No peer
implements it; tests/test_method_groupcam.py checks it against a direct transcription of the steps.
"""

from __future__ import annotations

import time
from collections.abc import Generator

import numpy as np
import torch
import torch.nn.functional as F

from ...models.layers import resolve_layer
from ...progress import Progress
from ...trust import softmax_entropy_bits
from ..base import LayerMethod, MethodRequest, MethodResult, Runner
from ..catalog import MethodInfo, info
from ..gradient.common import layer_gradients
from ..maps import minmax, upsample
from . import family

__all__ = ["GroupCam", "blur", "group_masks", "method"]

GROUPS = 32  # the paper's
PERCENTILE = 70.0
BLUR_SIZE, BLUR_SIGMA = 51, 50.0


def blur(x: torch.Tensor, size: int = BLUR_SIZE, sigma: float = BLUR_SIGMA) -> torch.Tensor:
    """A Gaussian blur of (3, H, W), separable, reflected at the borders (the kernel shrinks to
    fit photos smaller than it)."""
    size = min(size, 2 * ((min(x.shape[-2:]) - 1) // 2) + 1)
    r = size // 2
    t = torch.arange(size, dtype=torch.float32, device=x.device) - r
    k = torch.exp(-(t * t) / (2 * sigma * sigma))
    k = (k / k.sum()).to(x.dtype)
    y = F.pad(x[None], (r, r, r, r), mode="reflect")
    y = F.conv2d(y, k.view(1, 1, 1, -1).expand(3, 1, 1, size), groups=3)
    y = F.conv2d(y, k.view(1, 1, -1, 1).expand(3, 1, size, 1), groups=3)
    return y[0]


def group_masks(
    acts: torch.Tensor, grads: torch.Tensor, groups: int, size: int, percentile: float
) -> torch.Tensor:
    """Steps 1-4: the normalised group masks M_l, (G', size, size), constant ones left out."""
    weighted = grads.mean((1, 2))[:, None, None] * acts
    maps = torch.stack([part.sum(0) for part in weighted.chunk(groups, 0)]).clamp_min(0)
    flat = maps.flatten(1).double()
    cut = torch.quantile(flat, percentile / 100.0, dim=1).to(maps.dtype)  # numpy's "linear"
    maps = torch.where(maps > cut[:, None, None], maps, torch.zeros_like(maps))
    up = upsample(maps, size)
    lo, hi = up.flatten(1).amin(1), up.flatten(1).amax(1)
    keep = hi > lo
    up, lo, hi = up[keep], lo[keep], hi[keep]
    return (up - lo[:, None, None]) / (hi - lo)[:, None, None]


class GroupCam:
    def __init__(
        self, row: MethodInfo, groups: int = GROUPS, percentile: float = PERCENTILE
    ) -> None:
        self.info = row
        self.groups = groups
        self.percentile = percentile

    def check(self, runner: Runner, request: MethodRequest) -> None:
        if self.groups < 1:
            raise ValueError("Group-CAM needs at least 1 group")
        runner.network.check_target(request.target)
        resolve_layer(runner.network, request.layer)

    def run(
        self, runner: Runner, rgb: np.ndarray, request: MethodRequest
    ) -> Generator[Progress, None, MethodResult]:
        self.check(runner, request)
        t0 = time.perf_counter()
        module, layer = LayerMethod.layer(runner, request)
        got = layer_gradients(runner, rgb, module, layer, request.target)
        inference = runner.inference
        with torch.inference_mode():
            x = inference.to_tensor(rgb)
            size = x.shape[-1]
            masks = group_masks(got.activations, got.gradients, self.groups, size, self.percentile)
            blurred = blur(x)
            base = inference.normalise(blurred)
            diff = inference.normalise(x) - base
            cap = family.Captured(
                x,
                inference.normalise(x),
                got.activations,
                runner.predictions(got.logits),
                runner.prediction(got.logits, got.target),
                softmax_entropy_bits(got.logits.float().cpu().numpy()),
                got.logits,
                time.perf_counter() - t0,  # the classifying pass, its backward and the masks
            )
        g = len(masks)

        def fill(out: torch.Tensor, start: int, stop: int) -> None:
            # Input 0 is the blurred photo; input l + 1 is B + M_l * (I - B).
            lo = max(start, 1)
            if start == 0:
                out[0].copy_(base)
            if stop > lo:
                torch.addcmul(base, masks[lo - 1 : stop - 1, None], diff, out=out[lo - start :])

        def combine(scored: family.Scored) -> tuple[torch.Tensor, torch.Tensor]:
            n = max(0, scored.done - 1)
            s = (scored.prob[1 : 1 + n] - scored.prob[0]).to(masks.dtype)
            cam = (s[:, None, None] * masks[:n]).sum(0) if n else torch.zeros_like(x[0])
            return s, minmax(cam.clamp_min(0))

        scored = yield from family.score_inputs(
            runner,
            1 + g,
            fill,
            got.target,
            request,
            lambda sc: combine(sc)[1],
            needs=self.info.needs,
        )
        with torch.inference_mode():
            s, saliency = combine(scored)
        # The group scores are no channel weights: MethodResult.weights stays None.
        del s
        return family.result(
            self.info, runner, cap, rgb, layer, saliency, None, t0, scored, backward_passes=1
        )


def method(groups: int = GROUPS, percentile: float = PERCENTILE) -> GroupCam:
    return GroupCam(info("groupcam"), groups, percentile)
