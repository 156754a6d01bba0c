"""Every catalog method on one network, layer and photo: its time (as a ratio to Grad-CAM's, run
in the same process), its passes through the network, and its map's correlation with the peer's
own implementation (pytorch-grad-cam, torch-cam) where one exists.

    python benchmarks/bench_methods.py                        # Lite0 on chelsea, default layer
    python benchmarks/bench_methods.py --methods gradcam,xgradcam,eigencam --repeat 3
    python benchmarks/bench_methods.py --no-peers             # timings only
    python benchmarks/bench_methods.py --iscam-samples 2 --sscam-samples 1   # cheaper peers

Our maps run at the engine's defaults (on this CPU bf16 where measured faster); the peers in fp32,
as they come. IS-CAM and SS-CAM are compared with `fill="mean"` (the peers mask the normalised
input) and the same seed; IS-CAM, SS-CAM and Ablation-CAM take the peers minutes on 2 cores (their
fp32 passes over all 1 280 maps), hence the sample options. Group-CAM has no peer
(tests/test_method_groupcam.py checks it against the paper's steps).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from _common import sample_photo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import peers

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods import catalog, registry
from scorecam_gui.engine.methods.base import MethodRequest, MethodResult
from scorecam_gui.engine.methods.scorecam import iscam, sscam
from scorecam_gui.engine.models.registry import load_network
from scorecam_gui.engine.models.types import Network
from scorecam_gui.engine.progress import run_to_end
from scorecam_gui.engine.runtime import device as devices

BASELINE = "gradcam"


def _run(
    explainer: Explainer, rgb: np.ndarray, name: str, args: argparse.Namespace
) -> MethodResult:
    """Our method's result; IS-CAM and SS-CAM with --*-samples and fill mean (as the peers)."""
    if name == "iscam":
        method = iscam.method(samples=args.iscam_samples)
    elif name == "sscam":
        method = sscam.method(samples=args.sscam_samples)
    else:
        return registry.explain(explainer, rgb, name, layer=args.layer)
    request = MethodRequest(layer=args.layer, fill="mean", seed=0)
    return run_to_end(method.run(explainer, rgb, request))


def _peer(
    net: Network, rgb: np.ndarray, name: str, target: int, args: argparse.Namespace
) -> tuple[str, np.ndarray | None]:
    """(the peer's name, its map) where there is one."""
    try:
        if name in ("iscam", "sscam"):
            n = args.iscam_samples if name == "iscam" else args.sscam_samples
            theirs = peers.torch_cam_map(name, net, rgb, args.layer, target, num_samples=n)
            return f"torch-cam {peers.TORCH_CAM[name]}", theirs
        if name in peers.GRAD_CAM and not name.startswith("scorecam"):
            theirs = peers.grad_cam_map(name, net, rgb, args.layer, target)
            return f"pytorch-grad-cam {peers.GRAD_CAM[name]}", theirs
    except ImportError as exc:
        return f"({exc.name} not installed)", None
    return "", None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="efficientnet_lite0")
    parser.add_argument("--layer", default=None)
    parser.add_argument("--photo", default="chelsea", help="a scikit-image sample")
    parser.add_argument("--methods", default=",".join(m for m in catalog.names() if m != "noise"))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--iscam-samples", type=int, default=iscam.SAMPLES)
    parser.add_argument("--sscam-samples", type=int, default=sscam.SAMPLES)
    parser.add_argument("--no-peers", action="store_true")
    args = parser.parse_args(argv)

    net = load_network(args.model)
    explainer = Explainer(net, "cpu")
    rgb = explainer.prepare(sample_photo(args.photo))
    print(f"CPU: {devices.cpu_description()}; load average at start {os.getloadavg()[0]:.2f}")
    print(
        f"{net.info.title}, layer {args.layer or net.default_layer}, {args.photo}, "
        f"{explainer.precision}, batch {explainer.batch_size}; IS-CAM N={args.iscam_samples}, "
        f"SS-CAM N={args.sscam_samples}"
    )
    names = [catalog.canonical(m) for m in args.methods.split(",")]
    times: dict[str, list[float]] = {n: [] for n in [BASELINE, *names]}
    results: dict[str, MethodResult] = {}
    _run(explainer, rgb, BASELINE, args)  # warm-up: the first gradient pass pays for the graph
    for _ in range(args.repeat):
        for name in times:  # interleaved with the baseline: ratios within one process
            t0 = time.perf_counter()
            results[name] = _run(explainer, rgb, name, args)
            times[name].append(time.perf_counter() - t0)
    base = statistics.median(times[BASELINE])
    print(f"{'method':<20} {'seconds':>8} {'x gradcam':>9} {'fwd':>6} {'bwd':>4}  peer")
    for name in names:
        r = results[name]
        t = statistics.median(times[name])
        peer = ""
        if not args.no_peers:
            label, theirs = _peer(net, rgb, name, r.target.index, args)
            peer = label
            if theirs is not None:
                peer += f": r = {peers.correlation(r.saliency, theirs):.4f}"
        fwd, bwd = r.forward_passes, r.backward_passes
        print(f"{name:<20} {t:8.2f} {t / base:9.1f} {fwd:6d} {bwd:4d}  {peer}", flush=True)
    print(f"load average at end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
