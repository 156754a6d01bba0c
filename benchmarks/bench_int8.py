"""INT8, the named option (`--precision int8`, issue 33): how much faster it is than the default,
and how close its map comes to the exact one.

For each --network, in one process, alternating per photo:
- **default**: the engine as `scorecam explain` runs it (bf16 where the CPU has it natively);
- **int8**: `--precision int8` as shipped (NNCF's INT8 network, calibrated on the bundled sample
  photo, then the heaviest inputs scored again in fp32, as every reduced precision is);
- **int8, no rescore**: the same without scoring any input again (the rescore's worth).

Every map is compared with exact torch fp32 (`--backend torch --precision fp32`, the issue's
reference), the lowest and the median over the photos printed. The photos are scikit-image's and
seeded crops of them (bench_seed_networks.photo_set); chelsea is the bundled sample photo, the one
INT8 was calibrated on, so the rows of the others are printed apart. EfficientNet-Lite0 has real
weights, so its correlations say something; the torchvision networks have random weights
(seed 0): their times hold, their correlations say little.

    pip install -e ".[int8]"
    python benchmarks/bench_int8.py [--network efficientnet_lite0 resnet18 ...] [--photos 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # the entry points' thread policy

sys.path.insert(0, str(Path(__file__).parent))
from _common import Case, cpu_model
from bench_int8_screen import with_photo
from bench_scorecam import correlation, engine, explain, make_setup
from bench_seed_networks import photo_set

from scorecam_gui.engine.methods.scorecam import rescore
from scorecam_gui.engine.runtime import device as devices
from scorecam_gui.engine.runtime import int8
from scorecam_gui.engine.runtime import openvino as ovr


def no_rescore(plan: object, target: object) -> list[int]:
    return []


def bench(network: str, photos: list, random: bool) -> None:
    s = make_setup(Case(network, network, "chelsea", random_seed=0 if random else None))
    runtime = ovr.shared()
    before = runtime.quantizations
    t0 = time.perf_counter()
    engines = {"int8": engine(s, "int8"), "default": engine(s, "auto")}
    explain(engines["int8"], s)  # quantizing (or reading it from the disk cache), the map check
    first = time.perf_counter() - t0
    quantized = runtime.quantizations > before
    explain(engines["default"], s)
    exact = engine(s, "fp32", "torch")
    seconds: dict[str, list[float]] = {"int8": [], "default": []}
    corr: dict[str, list[tuple[str, float]]] = {"int8": [], "int8, no rescore": [], "default": []}
    agreement = None
    for name, image in photos:
        p = with_photo(s, image)
        truth = explain(exact, p).saliency
        for key in ("int8", "default"):
            t = time.perf_counter()
            r = explain(engines[key], p)
            seconds[key].append(time.perf_counter() - t)
            corr[key].append((name, correlation(r.saliency, truth)))
            if key == "int8":
                agreement = r.precision_agreement
        plain = rescore.heaviest
        rescore.heaviest = no_rescore  # type: ignore[assignment]
        try:
            r = explain(engines["int8"], p)
        finally:
            rescore.heaviest = plain
        corr["int8, no rescore"].append((name, correlation(r.saliency, truth)))
    ratio = statistics.median(
        d / i for d, i in zip(seconds["default"], seconds["int8"], strict=True)
    )
    weights = "random weights, seed 0" if random else "real weights"
    print(
        f"\n{network} ({weights}), {len(photos)} photos: int8 "
        f"{statistics.median(seconds['int8']):.2f} s, default "
        f"{statistics.median(seconds['default']):.2f} s (medians) -> int8 "
        f"{ratio:.2f}x faster; first int8 run {first:.1f} s "
        f"({'quantized' if quantized else 'from the disk cache'}, with its map check: "
        f"{agreement})"
    )
    for key, rows in corr.items():
        values = [c for _, c in rows]
        unseen = [c for n, c in rows if not n.startswith("chelsea")]
        low_name, low = min(rows, key=lambda row: row[1])
        print(
            f"  {key:17s} corr. with torch fp32: lowest {low:.5f} ({low_name}), median "
            f"{statistics.median(values):.5f}; without chelsea's: lowest "
            f"{min(unseen, default=float('nan')):.5f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", nargs="+", default=["efficientnet_lite0"])
    parser.add_argument("--photos", type=int, default=20)
    args = parser.parse_args()
    if not int8.available():
        print(int8.missing_message(), file=sys.stderr)
        return 2
    print(
        f"CPU: {cpu_model('unknown CPU')} ({devices.cpu_class()}), {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}; NNCF {int8.nncf_version()}"
    )
    photos = photo_set(args.photos)
    for network in args.network:
        bench(network, photos, random=network != "efficientnet_lite0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
