"""Score-CAM's three weightings from one set of masked passes (Explainer.run_weightings) against
three runs of their own, as the faithfulness protocols used to make them (grid pointing game,
sanity check, `scorecam evaluate` with all three weightings).

    python benchmarks/bench_weightings.py                  # Lite0 on chelsea, default layer
    python benchmarks/bench_weightings.py --layer _blocks.15 --repeat 5

The two ways take turns, in this process, median of --repeat; the maps must agree (printed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
from _common import sample_photo

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.models.registry import load_network
from scorecam_gui.engine.progress import run_to_end
from scorecam_gui.engine.runtime import device as devices

WEIGHTINGS = ("paper", "matlab", "reference")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="efficientnet_lite0")
    parser.add_argument("--layer", default=None)
    parser.add_argument("--photo", default="chelsea", help="a scikit-image sample")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    net = load_network(args.model)
    explainer = Explainer(net, "cpu")
    rgb = explainer.prepare(sample_photo(args.photo))
    print(f"CPU: {devices.cpu_description()}; load average at start {os.getloadavg()[0]:.2f}")
    print(
        f"{net.info.title}, layer {args.layer or net.default_layer}, {args.photo}, "
        f"{explainer.precision}, batch {explainer.batch_size}"
    )
    separate_s, shared_s = [], []
    separate: dict[str, np.ndarray] = {}
    shared: dict[str, np.ndarray] = {}
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for w in WEIGHTINGS:
            separate[w] = explainer.explain(rgb, layer=args.layer, weighting=w).saliency
        separate_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        results = run_to_end(explainer.run_weightings(rgb, WEIGHTINGS, layer=args.layer))
        shared_s.append(time.perf_counter() - t0)
        shared = {w: r.saliency for w, r in results.items()}
    a, b = statistics.median(separate_s), statistics.median(shared_s)
    print(f"three runs of their own   {a:7.2f} s  1.00x")
    print(f"one run_weightings         {b:7.2f} s  {a / b:.2f}x faster")
    for w in WEIGHTINGS:
        diff = float(np.abs(separate[w] - shared[w]).max())
        print(f"  {w:<10} largest difference between the two maps: {diff:.1e}")
    print(f"load average at end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
