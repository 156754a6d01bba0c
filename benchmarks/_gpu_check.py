"""The engine on a CUDA GPU: time per explanation by precision and batch size, agreement with
fp32, and the exactness checks of tests/engine/methods/test_scorecam.py run on the GPU. Called
by gpu_check.sh.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scorecam_gui.engine.explainer import Explainer  # noqa: E402
from scorecam_gui.engine.methods.base import MethodResult  # noqa: E402
from scorecam_gui.engine.models.registry import load_network  # noqa: E402


def photo() -> Image.Image:
    return Image.open(ROOT / "scorecam_gui" / "assets" / "sample.png").convert("RGB")  # chelsea


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel().astype(np.float64), b.ravel().astype(np.float64))[0, 1])


DEVICE = "cuda"  # --device cpu: a dry run of this script on a machine without a GPU


def sync() -> None:
    if DEVICE == "cuda":
        torch.cuda.synchronize()


def timed(ex: Explainer, img: Image.Image, repeat: int) -> tuple[float, MethodResult]:
    ex.explain(img)  # warm-up: cuDNN picks its kernels, the folded copy is built
    times = []
    for _ in range(repeat):
        sync()
        t0 = time.perf_counter()
        result = ex.explain(img)
        sync()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def bench(name: str, random: bool, repeat: int, batches: list[int], precisions: list[str]) -> None:
    torch.manual_seed(0)
    try:
        net = load_network(name, random_init=random)
    except (FileNotFoundError, ImportError) as exc:
        print(f"\n{name}: skipped ({exc})")
        return
    img = photo()
    weights = "random weights, seed 0" if random else "real weights"
    print(f"\n### {name} ({weights}), layer {net.default_layer}")
    print("| precision | batch | ms per explanation (median) | maps run | corr. with fp32 |")
    print("|---|---:|---:|---:|---:|")
    ref = None
    for precision in precisions:
        for batch in batches if precision == precisions[1] else batches[:1]:
            ex = Explainer(net, DEVICE, precision, batch)
            seconds, r = timed(ex, img, repeat)
            if ref is None:
                ref = r.saliency
            corr = correlation(r.saliency, ref)
            print(
                f"| {precision} | {batch} | {seconds * 1000:.1f} | {r.maps_evaluated} "
                f"| {corr:.5f} |",
                flush=True,
            )
    # The defaults, as the app runs: device auto, precision auto, batch auto.
    ex = Explainer(net, DEVICE)
    seconds, r = timed(ex, img, repeat)
    print(
        f"| default ({ex.precision}) | {ex.batch_size} | {seconds * 1000:.1f} "
        f"| {r.maps_evaluated} | {correlation(r.saliency, ref):.5f} |"
    )


def exactness() -> int:
    """tests/engine/methods/test_scorecam.py's brute-force reference (CPU) against the engine on
    CUDA in fp32."""
    sys.path.insert(0, str(ROOT))
    from tests.engine.methods import test_scorecam as t

    failures = 0
    for weighting in ("paper", "matlab", "reference"):
        for fill in ("black", "mean"):
            net = t.tiny_network()
            rgb = t.photo()
            want, want_w, _, c = t.reference(net.model, rgb, weighting, fill)
            got = Explainer(net, DEVICE, "fp32", 3).explain(rgb, weighting=weighting, fill=fill)
            err = float(np.abs(got.saliency - want).max())
            err_w = float(np.abs(got.weights - want_w).max())
            ok = got.target.index == c and err <= 1e-4 and err_w <= 1e-4
            failures += not ok
            print(
                f"exactness on {DEVICE}, {weighting}/{fill}: max |map diff| {err:.2e}, "
                f"max |weight diff| {err_w:.2e} {'ok' if ok else 'FAILED'}"
            )
    return failures


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--batches", default="128,32,64,256", help="the first is used for all")
    p.add_argument("--precisions", default="fp32,fp16,bf16", help="fp32 first; batches: 2nd")
    p.add_argument("--device", default="cuda")
    args = p.parse_args()
    global DEVICE
    DEVICE = args.device
    if DEVICE == "cuda" and not torch.cuda.is_available():
        print("torch sees no CUDA GPU: nothing to check")
        return 2
    gpu = torch.cuda.get_device_name() if DEVICE == "cuda" else DEVICE
    print(f"torch {torch.__version__}, {gpu}, Python {sys.version.split()[0]}")
    batches = [int(b) for b in args.batches.split(",")]
    precisions = args.precisions.split(",")
    failures = exactness()
    bench("resnet18", True, args.repeat, batches, precisions)
    bench("efficientnet_lite0", False, args.repeat, batches, precisions)
    bench("mobilenet_v2", True, args.repeat, batches[:1], precisions)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
