"""The main path against another source tree, in one run: a change must cost it no speed.

    git worktree add /tmp/base main
    python benchmarks/bench_against_tree.py /tmp/base [--rounds 4] [--repeat 3] [--network NAME]

Runs the same script under this tree and under BASE (PYTHONPATH), in child processes that
alternate (base, this, base, this...) so that a change in the machine's load hits both: each
loads the bundled EfficientNet-Lite0 (or `--network`, a torchvision architecture with random
weights, seed 0) with every default (device, precision, backend), explains
the sample photo (chelsea) once to warm up (conversion, compilation, first-use checks), then
`--repeat` times, and reports its median. Prints both medians, their ratio, the CPU and the load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import cpu_model

HERE = Path(__file__).resolve().parents[1]

_CHILD = r"""
import os, statistics, sys, time
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # the entry points' thread policy
from PIL import Image
from scorecam_gui.appdata import sample_photo_path
from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.models.registry import load_network
photo = Image.open(sample_photo_path()).convert("RGB")
name = sys.argv[2]
if name != "efficientnet_lite0":
    import torch
    torch.manual_seed(0)
explainer = Explainer(load_network(name, random_init=name != "efficientnet_lite0"))
first = explainer.explain(photo)
times = []
for _ in range(int(sys.argv[1])):
    t0 = time.perf_counter()
    result = explainer.explain(photo)
    times.append(time.perf_counter() - t0)
print(statistics.median(times), result.backend, result.precision, result.maps_evaluated,
      float(abs(result.saliency - first.saliency).max()))
"""


def one(tree: Path, repeat: int, network: str = "efficientnet_lite0") -> tuple[float, str]:
    env = os.environ | {"PYTHONPATH": str(tree)}
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(repeat), network],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, *rest = proc.stdout.split()
    return float(seconds), " ".join(rest)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="the other source tree (a git worktree)")
    parser.add_argument("--rounds", type=int, default=4, help="child processes per tree")
    parser.add_argument("--repeat", type=int, default=3, help="explanations per child")
    parser.add_argument("--network", default="efficientnet_lite0", help="a registry name")
    args = parser.parse_args()
    times: dict[str, list[float]] = {"base": [], "this": []}
    seen: dict[str, str] = {}
    load_before = os.getloadavg()
    for _ in range(args.rounds):
        for name, tree in (("base", args.base.resolve()), ("this", HERE)):
            seconds, what = one(tree, args.repeat, args.network)
            times[name].append(seconds)
            seen[name] = what
    medians = {k: statistics.median(v) for k, v in times.items()}
    print(
        json.dumps(
            {
                "cpu": cpu_model(),
                "cores": os.cpu_count(),
                "network": args.network,
                "load_before": load_before,
                "load_after": os.getloadavg(),
                "seconds": {k: [round(t, 3) for t in v] for k, v in times.items()},
                "median_s": {k: round(v, 3) for k, v in medians.items()},
                "this_vs_base": round(medians["this"] / medians["base"], 3),
                "backend precision maps max-diff": seen,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
