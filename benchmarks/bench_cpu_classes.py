"""The three CPU classes on one machine: torch's passes in fp32 and bf16, and what `auto` picks.

    python benchmarks/bench_cpu_classes.py [--passes 64] [--repeat 3] [--networks ...]

Each class runs in a child process with the caps oneDNN and ATen honour, so that one CPU with
native bf16 stands for all three (device.cpu_class reads the same caps):
- native bf16 (AVX512_BF16 or AMX): no cap;
- AVX-512 without bf16 (Ice Lake, Tiger Lake): ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI, where oneDNN
  still says bf16 is "supported" and emulates it;
- AVX2 only: ONEDNN_MAX_CPU_ISA=AVX2, ATEN_CPU_CAPABILITY=avx2.
In each, the same masked passes (the highest-variance maps on chelsea) run on the torch backend in
fp32 and in bf16, interleaved, wall time per pass, median of --repeat; the faster one is what the
class's default should be, and the line says whether `auto` picks it. Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

CLASSES = {
    "native bf16 (no cap)": {},
    "AVX-512 without bf16 (ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI)": {
        "ONEDNN_MAX_CPU_ISA": "AVX512_CORE_VNNI"
    },
    "AVX2 only (ONEDNN_MAX_CPU_ISA=AVX2, ATEN_CPU_CAPABILITY=avx2)": {
        "ONEDNN_MAX_CPU_ISA": "AVX2",
        "ATEN_CPU_CAPABILITY": "avx2",
    },
}

_CHILD = r"""
import json, os, statistics, sys, time, copy
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch
from PIL import Image
from skimage import data
from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.models.registry import load_network
from scorecam_gui.engine.runtime import device as devices
passes, repeat, networks = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].split(",")
out = {"class": devices.cpu_class(), "auto": devices.resolve_precision("auto", torch.device("cpu")),
       "aten": devices.cpu_capability(), "networks": {}}
for name in networks:
    torch.manual_seed(0)
    net = load_network(name, random_init=name != "efficientnet_lite0")
    rgb = Explainer(copy.copy(net), "cpu", "fp32", backend="torch").prepare(
        Image.fromarray(data.chelsea()))
    runners = {}
    for precision in ("fp32", "bf16"):
        own = copy.copy(net)
        own.model = copy.deepcopy(net.model)
        runners[precision] = Explainer(own, "cpu", precision, backend="torch")
        runners[precision].explain(rgb, approximate=8)  # oneDNN builds its kernels once
    times = {p: [] for p in runners}
    for _ in range(repeat):
        for p, ex in runners.items():
            t0 = time.perf_counter()
            r = ex.explain(rgb, approximate=passes)
            times[p].append((time.perf_counter() - t0) / r.maps_evaluated * 1000)
    out["networks"][name] = {p: round(statistics.median(v), 2) for p, v in times.items()}
print(json.dumps(out))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--networks", default="efficientnet_lite0,resnet18")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from _common import cpu_model

    print(f"CPU: {cpu_model()}, {os.cpu_count()} cores; load averages {os.getloadavg()}")
    print("\n| class | network | fp32 ms/pass | bf16 ms/pass | faster | auto picks | right |")
    print("|---|---|---:|---:|---|---|---|")
    for label, caps in CLASSES.items():
        env = {k: v for k, v in os.environ.items() if k not in ("ONEDNN_MAX_CPU_ISA",)}
        env.pop("ATEN_CPU_CAPABILITY", None)
        env.update(caps)
        command = [sys.executable, "-c", _CHILD, str(args.passes), str(args.repeat), args.networks]
        proc = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        got = json.loads(proc.stdout.strip().splitlines()[-1])
        for name, ms in got["networks"].items():
            faster = "bf16" if ms["bf16"] < ms["fp32"] else "fp32"
            right = "yes" if got["auto"] == faster else "NO"
            print(
                f"| {label} ({got['class']}, ATen {got['aten']}) | {name} | {ms['fp32']} | "
                f"{ms['bf16']} | {faster} | {got['auto']} | {right} |"
            )
    print(f"\nload averages at end {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
