"""The networks people pick (issue 33): Score-CAM on SqueezeNet, GoogLeNet, ResNet-18, MobileNet-v2
(the MATLAB example's four), VGG-16 and AlexNet, against pytorch-grad-cam and against the bare
passes, in one process.

For each network (torchvision's architecture, random weights with seed 0: no download here; or
`--networks efficientnet_lite0`, the bundled network with its real weights), on
chelsea, the default layer and the predicted class, with the masks on the normalised tensor
(`fill mean`, as the peer masks) and the paper's weighting:

- **default**: the engine as `scorecam explain` runs it (device, precision and backend `auto`);
- **limit**: the bare forward passes of the same masked inputs on the runtime the default settled
  on, the inputs made beforehand (bench_scorecam.Limit): what the engine cannot go below without
  fewer or cheaper passes;
- **pytorch-grad-cam**: its ScoreCAM, batch 32, on the same weights, layer, input and class.

Rows alternate --repeat times (the medians are printed), so that a change in the machine's load
hits all three. Then the map of the default against `--backend torch --precision fp32` on
--photos real photos (scikit-image's colour photos, then seeded crops and mirrors of them), the
lowest correlation printed: a faster path counts only if it keeps the map.

    python benchmarks/bench_seed_networks.py [--networks resnet18 ...] [--repeat 3] [--photos 20]
        [--cap avx512|avx2]

--cap runs as another CPU class on this one, with the caps oneDNN and ATen honour (set before torch
loads; bench_cpu_classes.py): avx512 is AVX-512 without bf16 (Ice Lake-like), avx2 a laptop's.
OpenVINO's own kernels may not honour them: the table names the backend and precision `auto`
chose, which do follow them (device.cpu_class).

Prints a table and JSON with the CPU, its class (engine/runtime/device.cpu_class) and the load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

# --cap: set before torch or OpenVINO loads (the same caps as bench_cpu_classes.py)
os.environ.update(
    {
        "avx512": {"ONEDNN_MAX_CPU_ISA": "AVX512_CORE_VNNI"},
        "avx2": {"ONEDNN_MAX_CPU_ISA": "AVX2", "ATEN_CPU_CAPABILITY": "avx2"},
    }.get(sys.argv[sys.argv.index("--cap") + 1] if "--cap" in sys.argv[:-1] else "", {})
)
os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # the entry points' thread policy

sys.path.insert(0, str(Path(__file__).parent))
import numpy as np
from _common import Case, cpu_model
from bench_scorecam import Limit, correlation, engine, explain, make_setup, run_grad_cam
from PIL import Image

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.runtime import device as devices

NETWORKS = ("squeezenet1_1", "googlenet", "resnet18", "mobilenet_v2", "vgg16", "alexnet")
BUNDLED = "efficientnet_lite0"  # --networks may name it: real weights, so its maps say something
# scikit-image's colour photos that load offline (stereo_motorcycle: its left view)
PHOTO_NAMES = (
    "chelsea",
    "coffee",
    "astronaut",
    "rocket",
    "hubble_deep_field",
    "immunohistochemistry",
    "retina",
    "stereo_motorcycle",
    "colorwheel",
)


def photo_set(count: int) -> list[tuple[str, Image.Image]]:
    """`count` photos: the scikit-image colour photos, then seeded crops (60-100 % a side) of
    them in turn, every other one mirrored."""
    from skimage import data

    base = []
    for name in PHOTO_NAMES:
        pixels = getattr(data, name)()
        if isinstance(pixels, tuple):
            pixels = pixels[0]
        base.append((name, Image.fromarray(np.asarray(pixels)[..., :3])))
    photos = base[:count]
    rng = np.random.default_rng(0)
    i = 0
    while len(photos) < count:
        name, image = base[i % len(base)]
        w, h = image.size
        cw, ch = int(w * rng.uniform(0.6, 1.0)), int(h * rng.uniform(0.6, 1.0))
        x, y = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
        crop = image.crop((x, y, x + cw, y + ch))
        if i % 2:
            crop = crop.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        photos.append((f"{name}-crop{i}", crop))
        i += 1
    return photos


def weights_entropy(weights: np.ndarray | None) -> float:
    """Bits of the map weights' distribution (the paper's softmax): 0 when one map has all."""
    if weights is None or weights.sum() <= 0:
        return float("nan")
    w = weights[weights > 0].astype(np.float64) / weights.sum()
    return float(-(w * np.log2(w)).sum())


def timed(call, cpu: list[float]) -> float:  # type: ignore[no-untyped-def]
    """Wall seconds of call(); its CPU seconds (every thread of this process) go into `cpu`: on
    a shared machine a steadier measure of the work than the wall clock."""
    c0, t0 = time.process_time(), time.perf_counter()
    call()
    cpu.append(time.process_time() - c0)
    return time.perf_counter() - t0


def bench_network(name: str, repeat: int, photos: list[tuple[str, Image.Image]]) -> dict:
    s = make_setup(Case(name, name, "chelsea", random_seed=None if name == BUNDLED else 0))
    ex = engine(s, "auto")
    first = explain(ex, s)  # first use: conversion, compiling, auto's checks
    limit = Limit.record(s)
    times: dict[str, list[float]] = {"default": [], "limit": [], "pytorch-grad-cam": []}
    cpu: dict[str, list[float]] = {k: [] for k in times}
    for _ in range(repeat):
        times["pytorch-grad-cam"].append(timed(lambda: run_grad_cam(s), cpu["pytorch-grad-cam"]))
        times["default"].append(timed(lambda: explain(ex, s), cpu["default"]))
        times["limit"].append(timed(limit.run, cpu["limit"]))
    med = {k: statistics.median(v) for k, v in times.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items()}

    # The map kept: the default (its own fill and weighting) against exact torch fp32, per photo.
    exact = Explainer(s.fresh_network(), device="cpu", precision="fp32", backend="torch")
    default = Explainer(s.fresh_network(), device="cpu", precision="auto")
    corrs, entropies, backends = [], [], set()
    for photo_name, image in photos:
        a, b = default.explain(image), exact.explain(image)
        corrs.append((correlation(a.saliency, b.saliency), photo_name))
        entropies.append(weights_entropy(b.weights))
        backends.add(f"{a.backend} {a.precision}")
    worst = min(corrs) if corrs else (float("nan"), "")
    return {
        "network": name,
        "layer": s.network.default_layer,
        "maps": first.maps_total,
        "passes": first.maps_evaluated,
        "backend": f"{first.backend} {first.precision}",
        "seconds": {k: [round(t, 3) for t in v] for k, v in times.items()},
        "median_s": {k: round(v, 3) for k, v in med.items()},
        "cpu_s": {k: round(v, 3) for k, v in med_cpu.items()},
        "vs_grad_cam": round(med["pytorch-grad-cam"] / med["default"], 2),
        "vs_limit": round(med["default"] / med["limit"], 3),
        "cpu_vs_grad_cam": round(med_cpu["pytorch-grad-cam"] / med_cpu["default"], 2),
        "cpu_vs_limit": round(med_cpu["default"] / med_cpu["limit"], 3),
        "ms_per_pass_limit": round(1000 * med["limit"] / max(1, first.maps_evaluated or 1), 2),
        "photos": len(corrs),
        "lowest_correlation": None if not corrs else round(worst[0], 6),
        "lowest_on": worst[1],
        # Random weights can put all the softmax's weight on one map (entropy near 0 bits): the
        # map is then that map whatever the precision, and the correlation says little.
        "weights_entropy_bits": [round(e, 2) for e in entropies],
        "photo_backends": sorted(backends),
    }


def table(rows: list[dict]) -> str:
    lines = [
        "| network | passes (of maps) | default | limit | pytorch-grad-cam | vs peer | vs limit "
        "| CPU s: vs peer, vs limit | backend | lowest corr. (photos) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        m = r["median_s"]
        corr = "-" if r["lowest_correlation"] is None else f"{r['lowest_correlation']:.6f}"
        lines.append(
            f"| {r['network']} | {r['passes']} / {r['maps']} | {m['default']:.2f} s "
            f"| {m['limit']:.2f} s | {m['pytorch-grad-cam']:.2f} s | **{r['vs_grad_cam']}x** "
            f"| {r['vs_limit']}x | {r['cpu_vs_grad_cam']}x, {r['cpu_vs_limit']}x "
            f"| {r['backend']} | {corr} ({r['photos']}) |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--networks", nargs="+", default=list(NETWORKS), choices=(*NETWORKS, BUNDLED)
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--photos", type=int, default=20, help="the correlation set (0: none)")
    parser.add_argument("--json", metavar="FILE", help="also write the numbers as JSON")
    parser.add_argument("--cap", choices=("avx512", "avx2"), help="run as another CPU class")
    args = parser.parse_args()
    photos = photo_set(args.photos)
    report: dict = {
        "cpu": cpu_model(),
        "cpu_class": devices.cpu_class(),
        "cap": {
            k: os.environ[k]
            for k in ("ONEDNN_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY")
            if k in os.environ
        },
        "cores": os.cpu_count(),
        "load_before": os.getloadavg(),
        "networks": [],
    }
    for name in args.networks:
        row = bench_network(name, args.repeat, photos)
        report["networks"].append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    report["load_after"] = os.getloadavg()
    print(
        f"{report['cpu']} ({report['cpu_class']}), {report['cores']} cores, load "
        f"{report['load_before'][0]:.1f} -> {report['load_after'][0]:.1f}"
    )
    print(table(report["networks"]))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
