"""CPU settings of the masked passes, per instruction set: precision, batch size, memory layout.

Each setting runs the same N masked passes (EfficientNet-Lite0's highest-variance maps on
chelsea, or another network with random weights), settings interleaved, median of `--repeat`.
The figure is **CPU time per pass at one thread**: on a shared machine wall time measures the
neighbours, while CPU time at one thread moves much less with them (compare settings only within
one run). To see another instruction set on a newer CPU, cap it:

    python benchmarks/bench_cpu_settings.py
    ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 python benchmarks/bench_cpu_settings.py

The header names the CPU, its flags (AVX2 / AVX-512 / AVX-512-BF16 / AMX), the cap and the load.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import time

import torch
from PIL import Image

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.models.registry import load_network
from scorecam_gui.engine.runtime import device as devices


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--network", default="efficientnet_lite0")
    p.add_argument("--passes", type=int, default=48, help="masked passes per setting and run")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    from skimage import data

    print(f"CPU: {devices.cpu_description()}; ATen {devices.cpu_capability()}")
    print(f"torch {torch.__version__}; load averages at start {os.getloadavg()}")
    torch.manual_seed(0)
    net = load_network(args.network, random_init=args.network != "efficientnet_lite0")
    rgb = Explainer(copy.copy(net), "cpu", "fp32").prepare(Image.fromarray(data.chelsea()))
    precisions = ["fp32", "bf16"] if devices.cpu_has_fast_bf16() else ["fp32"]
    settings: dict[str, dict[str, object]] = {}
    for precision in precisions:
        for batch in (8, 16, 32):
            settings[f"{precision}, batch {batch}"] = {"precision": precision, "batch_size": batch}
        settings[f"{precision}, batch 16, NCHW"] = {
            "precision": precision,
            "batch_size": 16,
            "channels_last": False,
        }
    explainers = {}
    for name, kwargs in settings.items():
        own = copy.copy(net)
        own.model = copy.deepcopy(net.model)  # each moves its model to its own layout
        explainers[name] = Explainer(own, "cpu", **kwargs)  # type: ignore[arg-type]
        explainers[name].explain(rgb, approximate=16)  # oneDNN builds its kernels once
    times: dict[str, list[float]] = {name: [] for name in settings}
    for _ in range(args.repeat):
        for name, ex in explainers.items():
            t0 = time.process_time()
            result = ex.explain(rgb, approximate=args.passes)
            times[name].append((time.process_time() - t0) / result.maps_evaluated * 1000)
    base = statistics.median(times[next(iter(times))])
    print("\n| setting | ms CPU per pass | vs the first | runs |\n|---|---:|---:|---|")
    for name, values in times.items():
        m = statistics.median(values)
        runs = ", ".join(f"{v:.1f}" for v in values)
        print(f"| {name} | {m:.1f} | {m / base:.2f}x | {runs} |")
    print(f"\nload averages at end {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
