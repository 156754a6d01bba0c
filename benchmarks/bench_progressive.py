"""Progressive Score-CAM: how fast the running map converges to the exact one.

For each case the engine runs at its defaults with running maps on, and every running map is
compared with the exact map (Pearson correlation over the pixels) against the share of time: the
wall time from the call to that map, over the wall time of a plain exact run (`explain`) measured
in the same process, interleaved, median of `--repeat`. Beside it, the same engine scoring in
Faster Score-CAM's order (highest variance first, Wang et al. 2020): its map after n passes is
Faster Score-CAM's fixed selection of that many maps (`--approximate`).

    python benchmarks/bench_progressive.py                 # 3 cases, 3 repeats, plot in resources/
    python benchmarks/bench_progressive.py --cases resnet18 --repeat 1 --no-plot
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from _common import Case, sample_photo
from PIL import Image, ImageDraw

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods.base import MethodResult
from scorecam_gui.engine.methods.scorecam import progressive
from scorecam_gui.engine.models.registry import load_network
from scorecam_gui.engine.progress import Progress, run_to_end
from scorecam_gui.engine.runtime import device as devices

PLOT = Path(__file__).resolve().parents[1] / "resources" / "progressive-convergence.png"
THRESHOLDS = ((0.99, 0.15), (0.999, 0.40))  # (correlation, share of the exact run's time)


CASES = (
    Case("lite0-chelsea", "efficientnet_lite0", "chelsea"),
    Case("lite0-coffee", "efficientnet_lite0", "coffee"),
    Case("resnet18", "resnet18", "chelsea", random_seed=0),
)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    a = np.asarray(a, np.float64).ravel()
    b = np.asarray(b, np.float64).ravel()
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


@dataclass
class Curve:
    shares: list[float] = field(default_factory=list)  # share of the exact run's time
    passes: list[int] = field(default_factory=list)  # masked passes run
    corr: list[float] = field(default_factory=list)

    def reach(self, threshold: float) -> float | None:
        """The first share of time at which the correlation reaches `threshold`."""
        return next(
            (s for s, c in zip(self.shares, self.corr, strict=True) if c >= threshold), None
        )


def progressive_run(
    ex: Explainer, rgb: np.ndarray, fill: str, order: str
) -> tuple[list[tuple[float, Progress]], MethodResult]:
    """Wall time from the call to each running map, and the result."""
    chosen = progressive.scoring_order
    if order == "variance":
        progressive.scoring_order = progressive.variance_order  # type: ignore[assignment]
    try:
        t0 = time.perf_counter()
        steps: list[tuple[float, Progress]] = []
        result = run_to_end(
            ex.run(rgb, fill=fill, running_map=True),
            lambda p: steps.append((time.perf_counter() - t0, p)),
        )
        return steps, result
    finally:
        progressive.scoring_order = chosen  # type: ignore[assignment]


def curve_of(steps: list[tuple[float, Progress]], exact_seconds: float, ref: np.ndarray) -> Curve:
    curve = Curve()
    for seconds, p in steps:
        assert p.saliency is not None
        curve.shares.append(seconds / exact_seconds)
        curve.passes.append(p.evaluated)
        curve.corr.append(correlation(p.saliency, ref))
    return curve


def bench_case(case: Case, repeat: int, fill: str) -> dict[str, object]:
    if case.random_seed is not None:
        torch.manual_seed(case.random_seed)
    net = load_network(case.network, random_init=case.random_seed is not None)
    ex = Explainer(net)
    rgb = ex.prepare(sample_photo(case.photo))
    ex.explain(rgb, approximate=ex.batch_size)  # warm up oneDNN's kernels for these shapes
    load_before = os.getloadavg()[0]
    exact_times: list[float] = []
    runs: dict[str, list[tuple[list[tuple[float, Progress]], MethodResult]]] = {
        "mass": [],
        "variance": [],
    }
    for _ in range(repeat):
        t0 = time.perf_counter()
        exact = ex.explain(rgb, fill=fill)
        exact_times.append(time.perf_counter() - t0)
        for order, done in runs.items():
            done.append(progressive_run(ex, rgb, fill, order))
    exact_seconds = statistics.median(exact_times)
    ref = exact.saliency
    curves = {}
    for order, done in runs.items():
        done.sort(key=lambda r: r[0][-1][0])  # the run whose total time is the median
        curves[order] = curve_of(done[len(done) // 2][0], exact_seconds, ref)
    steps, result = runs["mass"][len(runs["mass"]) // 2]
    last = steps[-1][1].saliency
    assert last is not None
    return {
        "case": case,
        "fill": fill,
        "exact_seconds": exact_seconds,
        "progressive_seconds": steps[-1][0],
        "passes": result.maps_evaluated,
        "maps": result.maps_total,
        "precision": ex.precision,
        "batch": ex.batch_size,
        "load": (load_before, os.getloadavg()[0]),
        "progressive": curves["mass"],
        "faster": curves["variance"],
        "last_err": float(np.abs(last - ref).max()),
    }


def at(curve: Curve, share: float) -> float:
    """The correlation of the last map shown by `share` of the exact run's time."""
    seen = [c for s, c in zip(curve.shares, curve.corr, strict=True) if s <= share]
    return seen[-1] if seen else float("nan")


def report(r: dict[str, object]) -> str:
    case = r["case"]
    prog, faster = r["progressive"], r["faster"]
    assert isinstance(case, Case) and isinstance(prog, Curve) and isinstance(faster, Curve)
    load = r["load"]
    lines = [
        f"### {case.title}, {r['fill']} fill",
        "",
        f"{r['maps']} maps, {r['passes']} masked passes, {r['precision']}, batch {r['batch']}; "
        f"exact run {r['exact_seconds']:.2f} s, progressive run to the end "
        f"{r['progressive_seconds']:.2f} s; last running map vs exact: max difference "
        f"{r['last_err']:.1e}; load average {load[0]:.2f} before, {load[1]:.2f} after",  # type: ignore[index]
        "",
        "| order | corr. at 5 % | 10 % | 15 % | 25 % | 40 % of the time | 0.99 at | 0.999 at |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, curve in (
        ("progressive (mass first)", prog),
        ("Faster Score-CAM (variance)", faster),
    ):
        cells = " | ".join(f"{at(curve, s):.4f}" for s in (0.05, 0.10, 0.15, 0.25, 0.40))
        reach = " | ".join(
            "–" if curve.reach(t) is None else f"{curve.reach(t) * 100:.0f} %"  # type: ignore[operator]
            for t, _ in THRESHOLDS
        )
        lines.append(f"| {name} | {cells} | {reach} |")
    return "\n".join(lines)


def targets(results: list[dict[str, object]]) -> str:
    lines = ["### Targets (issue 17)", ""]
    for r in results:
        prog = r["progressive"]
        assert isinstance(prog, Curve)
        parts = []
        for threshold, share in THRESHOLDS:
            got = prog.reach(threshold)
            ok = got is not None and got <= share
            shown = "never" if got is None else f"{got * 100:.0f} %"
            parts.append(
                f">= {threshold} by {share * 100:.0f} %: {shown} ({'met' if ok else 'NOT met'})"
            )
        lines.append(f"- {r['case'].key}: " + "; ".join(parts))  # type: ignore[attr-defined]
    return "\n".join(lines) + "\n"


def plot(results: list[dict[str, object]], path: Path) -> None:
    """Correlation against the share of time, one panel per case (matplotlib, else Pillow)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        _plot_pillow(results, path)
        return
    fig, axes = plt.subplots(1, len(results), figsize=(4.2 * len(results), 3.4), sharey=True)
    for ax, r in zip(np.atleast_1d(axes), results, strict=True):
        for name, key, style in (
            ("progressive (mass first)", "progressive", "-"),
            ("Faster Score-CAM (variance)", "faster", "--"),
        ):
            curve = r[key]
            assert isinstance(curve, Curve)
            ax.plot(np.array(curve.shares) * 100, curve.corr, style, label=name)
        for threshold, share in THRESHOLDS:
            ax.plot([share * 100], [threshold], "k+", markersize=9)
        ax.set_ylim(0.9, 1.001)
        ax.set_xlim(0, 100)
        ax.set_title(f"{r['case'].key} ({r['fill']} fill)", fontsize=10)  # type: ignore[attr-defined]
        ax.set_xlabel("% of the exact run's time")
        ax.grid(alpha=0.3)
    np.atleast_1d(axes)[0].set_ylabel("correlation with the exact map")
    np.atleast_1d(axes)[0].legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plot_pillow(results: list[dict[str, object]], path: Path) -> None:
    w, h, pad = 360, 260, 40
    img = Image.new("RGB", (w * len(results), h), "white")
    draw = ImageDraw.Draw(img)
    for i, r in enumerate(results):
        x0 = i * w + pad
        draw.rectangle([x0, 10, x0 + w - 2 * pad, h - pad], outline="black")
        draw.text((x0, h - pad + 8), f"{r['case'].key}: corr. 0.9-1 vs % of time", fill="black")  # type: ignore[attr-defined]
        for key, colour in (("progressive", "blue"), ("faster", "orange")):
            curve = r[key]
            assert isinstance(curve, Curve)
            pts = [
                (x0 + s * (w - 2 * pad), 10 + (1.001 - max(c, 0.9)) / 0.101 * (h - pad - 10))
                for s, c in zip(curve.shares, curve.corr, strict=True)
                if s <= 1
            ]
            if len(pts) > 1:
                draw.line(pts, fill=colour, width=2)
    img.save(path)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--cases", nargs="+", choices=[c.key for c in CASES])
    p.add_argument("--fill", choices=("black", "mean"), default="black")
    p.add_argument("--no-plot", action="store_true", help="do not write the plot")
    p.add_argument("--plot", type=Path, default=PLOT, help=f"where the plot goes ({PLOT.name})")
    args = p.parse_args(argv)
    cases = [c for c in CASES if not args.cases or c.key in args.cases]
    print(f"Progressive Score-CAM benchmark, {dt.date.today().isoformat()}")
    print(f"CPU: {devices.cpu_description()}; {torch.get_num_threads()} threads")
    print(f"torch {torch.__version__}; load averages at start {os.getloadavg()}")
    print()
    results = []
    for case in cases:
        r = bench_case(case, max(1, args.repeat), args.fill)
        results.append(r)
        print(report(r) + "\n", flush=True)
    print(targets(results))
    if not args.no_plot:
        plot(results, args.plot)
        print(f"plot: {args.plot}")
    print(f"load average at end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
