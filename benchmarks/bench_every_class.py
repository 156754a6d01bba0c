"""Every class from one run: several classes against one, in the same process, alternating.

    python benchmarks/bench_every_class.py [--rounds 3] [--cli] [--method NAME]

1. The engine, as `scorecam explain` runs a photo (engine/folders: open_job, explain_photo):
   chelsea with the bundled network and the default backend, exact, for class 285 alone and for
   285, 282 and 281 (the other two re-weighted from the first run's passes). Rounds alternate
   (one, three, one, three...) so that a change in the machine's load hits both; the ratio of the
   medians is printed. The maps of the three are checked against single-class runs of each.
2. With --cli, the same as whole `scorecam explain ... --json` processes (start-up included).

--method runs another catalog method (IS-CAM, SS-CAM and Ablation-CAM keep every class's scores
too; the others run once per class, which the ratio then shows).

Prints JSON with the CPU and the load averages (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # the entry points' thread policy

sys.path.insert(0, str(Path(__file__).parent))
from _common import cpu_model

from scorecam_gui.appdata import sample_photo_path

TARGETS = ("285", "282", "281")  # Egyptian cat, tiger cat, tabby


def engine_rounds(rounds: int, method: str) -> dict[str, object]:
    import numpy as np

    from scorecam_gui.engine.folders.batch import Job, open_job
    from scorecam_gui.engine.folders.photos import load_photo

    one = open_job(Job(target=TARGETS[0], method=method))
    three = open_job(Job(target=TARGETS[0], more_targets=TARGETS[1:], method=method))
    path = str(sample_photo_path())

    def run(opened: object) -> tuple[float, list[np.ndarray]]:
        from scorecam_gui.engine.folders.explain import explain_photo
        from scorecam_gui.engine.progress import run_to_end

        loaded = load_photo(path, opened.prepare)  # type: ignore[attr-defined]
        t0 = time.perf_counter()
        _rows, results = run_to_end(explain_photo(opened, loaded))  # type: ignore[arg-type]
        return time.perf_counter() - t0, [r.saliency for r in results]

    run(one), run(three)  # first use: the network converted and compiled, the checks made
    times: dict[str, list[float]] = {"one": [], "three": []}
    maps: list[np.ndarray] = []
    for _ in range(rounds):
        times["one"].append(run(one)[0])
        seconds, maps = run(three)
        times["three"].append(seconds)
    # each of the three against a run of that class alone
    worst = 0.0
    for target, saliency in zip(TARGETS, maps, strict=True):
        alone = open_job(Job(target=target, method=method))
        worst = max(worst, float(np.abs(run(alone)[1][0] - saliency).max()))
    medians = {k: statistics.median(v) for k, v in times.items()}
    return {
        "engine_seconds": {k: [round(t, 2) for t in v] for k, v in times.items()},
        "engine_median_s": {k: round(v, 2) for k, v in medians.items()},
        "engine_three_vs_one": round(medians["three"] / medians["one"], 3),
        "max_abs_difference_vs_single_runs": worst,
        "backend": f"{one.explainer.backend} {one.explainer.precision}",
    }


def cli_rounds(rounds: int, method: str) -> dict[str, object]:
    photo = str(sample_photo_path())
    out = tempfile.mkdtemp(prefix="bench-classes-")
    base = [sys.executable, "-m", "scorecam_gui.cli.main", "explain", photo, "--json"]
    base += ["--method", method]
    one = [*base, "--out", out, "--target", TARGETS[0]]
    three = [*base, "--out", out, *(a for t in TARGETS for a in ("--target", t))]
    times: dict[str, list[float]] = {"one": [], "three": []}
    subprocess.run(one, check=True, capture_output=True)  # the disk cache warm, as later
    for _ in range(rounds):
        for name, command in (("one", one), ("three", three)):
            t0 = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times[name].append(time.perf_counter() - t0)
    medians = {k: statistics.median(v) for k, v in times.items()}
    return {
        "cli_seconds": {k: [round(t, 2) for t in v] for k, v in times.items()},
        "cli_three_vs_one": round(medians["three"] / medians["one"], 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cli", action="store_true", help="whole scorecam explain processes too")
    parser.add_argument("--method", default="scorecam", help="a catalog method (default scorecam)")
    args = parser.parse_args()
    report: dict[str, object] = {
        "method": args.method,
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "load_before": os.getloadavg(),
    }
    report.update(engine_rounds(args.rounds, args.method))
    if args.cli:
        report.update(cli_rounds(args.rounds, args.method))
    report["load_after"] = os.getloadavg()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
