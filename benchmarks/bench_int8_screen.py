"""INT8 screening (issue 33): what quantized passes give Score-CAM, and whether screening every map
in INT8 and scoring again only the maps that carry the weight keeps the map and saves time.

For one network (EfficientNet-Lite0's real weights by default; torchvision's architectures with
random weights, seed 0, give the speed but say nothing of the map) and --photos photos:

- **default**: the engine as `scorecam explain` runs it (bf16 where the CPU has it natively);
- **fp32**: the same on OpenVINO in fp32;
- **int8**: the same with every masked pass on the network quantized to INT8 by NNCF's
  post-training quantization (calibrated on the masked inputs of --calibrate other photos: the
  inputs the passes see), OpenVINO's CPU plugin, nothing else changed;
- **screen + rescore, delta d**: the INT8 scores, then the maps whose INT8 logit is within d of
  the highest scored again at the default precision. The map is made from those scores (the
  paper's softmax over the maps' logits, family.softmax_map); its time is estimated as the INT8
  run plus that share of the default run (the rescored passes cost what they cost there).

The rescored share is of the passes (maps that share a masked input, twins and constant maps, are
one pass). Every map is compared with exact torch fp32 (`--backend torch --precision fp32`); the
issue's bar is a correlation of at least 0.999 on every photo. Runs alternate per photo (int8,
default, fp32), so that a change in the machine's load hits all three.

    pip install -e ".[int8]"      # NNCF, the quantizer
    python benchmarks/bench_int8_screen.py [--network resnet18] [--photos 6] [--json FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # the entry points' thread policy

sys.path.insert(0, str(Path(__file__).parent))
import numpy as np
import torch
from _common import Case, cpu_model
from bench_scorecam import Limit, Setup, correlation, engine, explain, make_setup
from bench_seed_networks import photo_set

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods.base import MethodResult
from scorecam_gui.engine.methods.scorecam.family import softmax_map
from scorecam_gui.engine.runtime import device as devices
from scorecam_gui.engine.runtime import openvino as ovr

DELTAS = (2.0, 4.0, 6.0, 8.0)


def with_photo(s: Setup, image: object) -> Setup:
    """The setup on another photo, for the default's predicted class there."""
    ex = Explainer(s.fresh_network(), "cpu", "fp32", backend="torch")
    rgb = ex.prepare(image)  # type: ignore[arg-type]
    return dataclasses.replace(s, rgb=rgb, target=ex.explain(rgb).target.index)


def quantized(s: Setup, calibration: list[Setup]) -> tuple[ovr.CompiledNetwork, float]:
    """The engine's converted network, quantized on the masked inputs of `calibration`, compiled
    as the engine compiles its fp32 network; and the seconds quantizing took."""
    import nncf

    batches = [b.numpy() for c in calibration for b in Limit.record(c).batches]
    runtime = ovr.shared()
    converted, _ = runtime._load_or_convert(s.network)
    t0 = time.perf_counter()
    model = nncf.quantize(converted, nncf.Dataset(batches), subset_size=len(batches))
    seconds = time.perf_counter() - t0
    n = ovr.streams()
    compiled = runtime.core().compile_model(model, "CPU", ovr.compile_options("fp32", n))
    return ovr.CompiledNetwork([compiled], "fp32", None, runtime, streams=n), seconds


def int8_engine(s: Setup, net: ovr.CompiledNetwork) -> Explainer:
    """An engine whose masked passes run on `net` (OpenVINO fp32 asked, the INT8 network given)."""
    runtime = ovr.shared()
    plain = type(runtime).compiled_network

    def compiled_network(network: object, precision: str) -> ovr.CompiledNetwork:
        if network is ex.network and precision == "fp32":
            return net
        return plain(runtime, network, precision)  # type: ignore[arg-type]

    runtime.compiled_network = compiled_network  # type: ignore[method-assign]
    ex = engine(s, "fp32", "openvino")
    return ex


def paper_map(scores: np.ndarray, r: MethodResult) -> np.ndarray:
    assert r.activations is not None
    used = torch.ones(len(scores), dtype=torch.bool)
    _, saliency = softmax_map(
        torch.from_numpy(scores.astype(np.float32)),
        used,
        torch.from_numpy(r.activations),
        r.saliency.shape[0],
    )
    return saliency.numpy()


def bench_photo(s: Setup, engines: dict[str, Explainer], exact: Explainer, name: str) -> dict:
    seconds: dict[str, float] = {}
    results: dict[str, MethodResult] = {}
    for key in ("int8", "default", "fp32"):
        t0 = time.perf_counter()
        results[key] = explain(engines[key], s)
        seconds[key] = time.perf_counter() - t0
    truth = explain(exact, s)
    assert truth.scores is not None
    check = correlation(paper_map(truth.scores, truth), truth.saliency)
    assert check > 0.9999, f"the map made again from the scores differs ({check})"
    s32 = truth.scores.astype(np.float64)
    s8 = results["int8"].scores.astype(np.float64)  # type: ignore[union-attr]
    sd = results["default"].scores.astype(np.float64)  # type: ignore[union-attr]
    # Twin maps and constant maps share one masked input, hence one score: the distinct exact
    # scores stand for the passes (their count is the passes run), and their errors are the
    # passes' errors.
    _, distinct = np.unique(s32, return_index=True)
    err = (s8 - s32)[distinct]
    row: dict = {
        "photo": name,
        "class": truth.target.name,
        "passes": results["default"].maps_evaluated,
        "distinct_scores": len(distinct),
        "maps": truth.maps_total,
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
        "corr": {
            k: round(correlation(results[k].saliency, truth.saliency), 6)
            for k in ("default", "fp32", "int8")
        },
        "int8_logit_error": {
            "max": round(float(np.abs(err).max()), 3),
            "median": round(float(np.median(np.abs(err))), 3),
            # softmax ignores a shift common to every map: the error left without it
            "max_after_shift": round(float(np.abs(err - np.median(err)).max()), 3),
        },
        "screen": [],
    }
    for delta in DELTAS:
        again = s8 >= s8.max() - delta
        mixed = np.where(again, sd, s8)
        # the INT8 logits of the maps not scored again, moved by the shift the scored ones show
        shift = float(np.median(sd[again] - s8[again]))
        shifted = np.where(again, sd, s8 + shift)
        share = len(np.unique(s32[again])) / len(distinct)  # of the passes
        row["screen"].append(
            {
                "delta": delta,
                "rescored": round(share, 3),
                "corr": round(correlation(paper_map(mixed, truth), truth.saliency), 6),
                "corr_shifted": round(correlation(paper_map(shifted, truth), truth.saliency), 6),
                "vs_default": round(
                    (seconds["int8"] + share * seconds["default"]) / seconds["default"], 3
                ),
            }
        )
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", default="efficientnet_lite0")
    parser.add_argument("--photos", type=int, default=6)
    parser.add_argument("--calibrate", type=int, default=3, help="photos to calibrate on")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    try:
        import nncf  # noqa: F401
    except ImportError:
        print('bench_int8_screen needs NNCF: pip install -e ".[int8]"', file=sys.stderr)
        return 2
    if not ovr.installed():
        print("bench_int8_screen needs OpenVINO (installed with the engine)", file=sys.stderr)
        return 2
    seed = None if args.network == "efficientnet_lite0" else 0
    s = make_setup(Case(args.network, args.network, "chelsea", random_seed=seed))
    photos = photo_set(args.photos + args.calibrate)
    calibration = [with_photo(s, image) for _, image in photos[args.photos :]]
    net, quantize_s = quantized(s, calibration)
    engines = {
        "int8": int8_engine(s, net),
        "default": engine(s, "auto"),
        "fp32": engine(s, "fp32", "openvino"),
    }
    exact = engine(s, "fp32", "torch")
    for ex in (*engines.values(), exact):
        explain(ex, s)  # first use: compiling, auto's checks
    weights = "real weights" if seed is None else "random weights, seed 0"
    print(
        f"CPU: {cpu_model('unknown CPU')} ({devices.cpu_class()}), {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}; {args.network} ({weights}); NNCF quantizing: "
        f"{quantize_s:.1f} s on {args.calibrate} photos' masked inputs"
    )
    rows = []
    for name, image in photos[: args.photos]:
        row = bench_photo(with_photo(s, image), engines, exact, name)
        rows.append(row)
        sec, c, e = row["seconds"], row["corr"], row["int8_logit_error"]
        print(
            f"\n{name} ({row['class']}, {row['passes']} passes of {row['maps']} maps): "
            f"int8 {sec['int8']:.2f} s, default {sec['default']:.2f} s, fp32 {sec['fp32']:.2f} s "
            f"-> int8 {sec['default'] / sec['int8']:.2f}x the default, "
            f"{sec['fp32'] / sec['int8']:.2f}x fp32"
        )
        print(
            f"  corr. with torch fp32: default {c['default']:.5f}, fp32 {c['fp32']:.5f}, "
            f"int8 {c['int8']:.5f}; int8 logits off by {e['max']} at most (median "
            f"{e['median']}, {e['max_after_shift']} without their common shift)"
        )
        for sc in row["screen"]:
            print(
                f"  screen, delta {sc['delta']:.0f}: {100 * sc['rescored']:5.1f} % rescored, "
                f"corr. {sc['corr']:.5f} ({sc['corr_shifted']:.5f} shifted), "
                f"{sc['vs_default']:.2f}x the default's time"
            )
    print("\nOver the photos (lowest correlation, median time against the default):")
    ratio = statistics.median(r["seconds"]["default"] / r["seconds"]["int8"] for r in rows)
    low8 = min(r["corr"]["int8"] for r in rows)
    print(f"  int8 alone: {ratio:.2f}x faster than the default, lowest corr. {low8:.5f}")
    for i, delta in enumerate(DELTAS):
        screens = [r["screen"][i] for r in rows]
        print(
            f"  screen, delta {delta:.0f}: lowest corr. {min(x['corr'] for x in screens):.5f} "
            f"({min(x['corr_shifted'] for x in screens):.5f} shifted), time "
            f"{statistics.median(x['vs_default'] for x in screens):.2f}x the default "
            f"(worst {max(x['vs_default'] for x in screens):.2f}x)"
        )
    if args.json:
        report = {
            "cpu": cpu_model(),
            "cpu_class": devices.cpu_class(),
            "network": args.network,
            "weights": weights,
            "quantize_s": round(quantize_s, 1),
            "photos": rows,
        }
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
