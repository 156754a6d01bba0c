"""Score-CAM with the CPU shared: quiet, and with one and two other busy processes.

Each setting runs in fresh processes, because OpenMP reads its thread settings when torch loads:

- `engine`: a script that loads EfficientNet-Lite0, explains the sample photo (chelsea) once to
  warm up, then times `Explainer.explain` (the engine's own time, no start-up);
- `cli`: the wall time of `scorecam explain` on the same photo (start-up and writing included).

Thread settings: `openmp default` (OMP_WAIT_POLICY left to OpenMP: spinning waits), `passive`
(what the entry points now choose where the user has not: OMP_WAIT_POLICY=PASSIVE), and each with
one thread (OMP_NUM_THREADS=1). The busy processes are `python -c "while True: pass"`, started by
this script, killed by their process id after every measurement; each run is bounded by
--timeout (a collapsed run shows as "> N s").

    python benchmarks/bench_busy_cpu.py                       # engine and cli, 0/1/2 busy
    python benchmarks/bench_busy_cpu.py --what engine --busy 0 1 --backend torch
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time

from _common import cpu_model, spinners

# OMP_WAIT_POLICY set to "" counts as set for the entry points (they leave it alone) and as unset
# for OpenMP (it ignores an empty value): OpenMP's own default.
SETTINGS = {
    "openmp default": {"OMP_WAIT_POLICY": ""},
    "openmp default, 1 thread": {"OMP_WAIT_POLICY": "", "OMP_NUM_THREADS": "1"},
    "passive": {"OMP_WAIT_POLICY": "PASSIVE"},
    "passive, 1 thread": {"OMP_WAIT_POLICY": "PASSIVE", "OMP_NUM_THREADS": "1"},
}

ENGINE = """
import sys, time, warnings
warnings.filterwarnings("ignore")
from scorecam_gui import appdata
from scorecam_gui.engine.models.registry import load_network
from scorecam_gui.engine.explainer import Explainer
from PIL import Image
kw = {} if sys.argv[2] == "auto" else {"backend": sys.argv[2]}
ex = Explainer(load_network("efficientnet_lite0"), "cpu", **kw)
photo = Image.open(appdata.sample_photo_path()).convert("RGB")
ex.explain(photo)
for _ in range(int(sys.argv[1])):
    t = time.perf_counter()
    r = ex.explain(photo)
    print(time.perf_counter() - t, getattr(r, "backend", "torch"), r.precision, flush=True)
"""


def run_engine(env: dict[str, str], repeat: int, timeout: float, backend: str) -> list[float]:
    proc = subprocess.run(
        [sys.executable, "-c", ENGINE, str(repeat), backend],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return [float(line.split()[0]) for line in proc.stdout.split("\n") if line.strip()]


def run_cli(env: dict[str, str], repeat: int, timeout: float, backend: str) -> list[float]:
    from scorecam_gui import appdata

    times = []
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "scorecam_gui.cli.main", "explain"]
        command += [str(appdata.sample_photo_path()), "--out", out]
        command += [] if backend == "auto" else ["--backend", backend]
        for _ in range(repeat):
            t = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, timeout=timeout, check=True)
            times.append(time.perf_counter() - t)
    return times


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--what", nargs="+", default=["engine", "cli"], choices=["engine", "cli"])
    p.add_argument("--busy", nargs="+", type=int, default=[0, 1, 2], help="busy processes")
    p.add_argument("--settings", nargs="+", choices=list(SETTINGS), default=list(SETTINGS))
    p.add_argument("--backend", default="auto", help="the engine's --backend (auto)")
    p.add_argument("--repeat", type=int, default=2, help="timed runs per setting (median)")
    p.add_argument("--timeout", type=float, default=90.0, help="seconds before giving up a run")
    args = p.parse_args()
    print(f"busy-CPU benchmark, {dt.date.today()}, {cpu_model()}, {os.cpu_count()} CPUs")
    print(f"load average at start: {os.getloadavg()[0]:.2f}; backend {args.backend}\n")
    print("| what | threads | busy processes | seconds (median) | vs quiet | load before |")
    print("|---|---|---:|---:|---:|---:|")
    runner = {"engine": run_engine, "cli": run_cli}
    for what in args.what:
        for name in args.settings:
            env = os.environ | SETTINGS[name]
            quiet = None
            for busy in args.busy:
                load = os.getloadavg()[0]
                with spinners(busy):
                    try:
                        times = runner[what](env, args.repeat, args.timeout, args.backend)
                        seconds = statistics.median(times)
                        text = f"{seconds:.2f}"
                    except subprocess.TimeoutExpired:
                        seconds, text = float("inf"), f"> {args.timeout:.0f}"
                if busy == 0:
                    quiet = seconds
                ratio = f"{seconds / quiet:.2f}x" if quiet and seconds != float("inf") else "–"
                print(f"| {what} | {name} | {busy} | {text} | {ratio} | {load:.2f} |", flush=True)
    print(f"\nload average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
