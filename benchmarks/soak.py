"""Soak test: many explanations in one process must not grow its resident memory.

Mixes photos, networks (real EfficientNet-Lite0, random-init torchvision ones), weightings,
targets and cancelled jobs, on layers with few maps so that 100 runs end in minutes. Prints the
resident memory of each run and compares the first 25 runs with the last 25.

    python benchmarks/soak.py [--runs 100]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from dataclasses import dataclass

import numpy as np
from PIL import Image
from skimage import data

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods.scorecam.masks import masked_input
from scorecam_gui.engine.models.registry import load_network

# (network, layer with few maps)
CASES = [
    ("efficientnet_lite0", "_blocks.0._act1"),  # 32 maps
    ("alexnet", "features.1"),  # 64 maps
    ("mobilenet_v2", "features.1.conv.0.2"),  # 32 maps
    ("squeezenet1_1", "features.0"),  # 64 maps (the first conv)
]


def rss_mb() -> float:
    """Resident memory now (not the peak), from /proc."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


@dataclass
class SoakReport:
    rss: list[float]
    cancelled: int
    seconds: float

    @property
    def first(self) -> float:
        return statistics.median(self.rss[:25])

    @property
    def last(self) -> float:
        return statistics.median(self.rss[-25:])

    @property
    def growth(self) -> float:
        return self.last - self.first


def soak(runs: int = 100, verbose: bool = True) -> SoakReport:
    photos = [Image.fromarray(p) for p in (data.chelsea(), data.coffee(), data.astronaut())]
    networks = {
        name: load_network(name, random_init=name != "efficientnet_lite0") for name, _ in CASES
    }
    rng = np.random.default_rng(0)
    rss: list[float] = []
    cancelled = 0
    t0 = time.perf_counter()
    for i in range(runs):
        name, layer = CASES[i % len(CASES)]
        # A fresh Explainer each time, as the GUI makes one per job.
        explainer = Explainer(networks[name], device="cpu", batch_size=16)
        job = explainer.run(
            photos[i % len(photos)],
            layer=layer,
            target=int(rng.integers(0, 1000)) if i % 3 == 0 else None,
            weighting=("paper", "matlab", "reference")[i % 3],
            fill=("black", "mean")[i % 2],
        )
        if i % 5 == 4:  # cancel after the first batch, as the Cancel button does
            next(job)
            job.close()
            cancelled += 1
        else:
            while True:
                try:
                    next(job)
                except StopIteration as stop:
                    result = stop.value
                    break
            masked_input(result, 0)
        del job
        gc.collect()
        rss.append(rss_mb())
        if verbose:
            print(f"run {i + 1:3d} {name:<20} rss {rss[-1]:7.1f} MB", flush=True)
    return SoakReport(rss, cancelled, time.perf_counter() - t0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    report = soak(args.runs)
    print(
        f"\n{args.runs} runs ({report.cancelled} cancelled) in {report.seconds:.0f} s; resident "
        f"memory, median of the first 25: {report.first:.1f} MB, of the last 25: "
        f"{report.last:.1f} MB, growth {report.growth:+.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
