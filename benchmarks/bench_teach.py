"""Teaching time: the feature pass and the fit timed apart, for 100 and 500 photos.

    python benchmarks/bench_teach.py                  # 100 and 500 photos, 4 classes
    python benchmarks/bench_teach.py --counts 40      # a quick run
    python benchmarks/bench_teach.py --check 20 --approximate 64   # and the shortcut check

The photos are the benchmarks' usual JPEGs (crops and mirror images of scikit-image's chelsea,
coffee, astronaut and rocket, quality 90), one class a source photo, in a temporary folder. The
feature pass runs on an empty feature cache (what a first teaching costs); teaching again with
the cache filled is the fit alone (what a second split or another class costs). The network is
loaded once, before the clock starts. The OpenMP policy is the command line's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scorecam_gui.engine.runtime.threads import choose_thread_policy

choose_thread_policy()  # before torch loads, as `scorecam teach` does

from _common import cpu_model, make_photos  # noqa: E402

from scorecam_gui.engine.models.registry import load_network  # noqa: E402
from scorecam_gui.engine.progress import run_to_end  # noqa: E402
from scorecam_gui.engine.teach import dataset, features, shortcuts, teaching  # noqa: E402

CLASSES = 4


def make_classes(root: Path, count: int) -> Path:
    """`count` photos dealt into CLASSES folders, one a source photo."""
    flat = root / "all"
    flat.mkdir()
    for path in make_photos(flat, count):
        index = int(Path(path).stem.split("-")[1])
        folder = root / "classes" / f"class-{index % CLASSES}"
        folder.mkdir(parents=True, exist_ok=True)
        os.replace(path, folder / Path(path).name)
    return root / "classes"


def one_count(count: int, network_name: str, check: int, approximate: int | None) -> None:
    network = load_network(network_name)
    with tempfile.TemporaryDirectory() as tmp:
        data = dataset.read_folder(make_classes(Path(tmp), count))
        cache = features.FeatureCache()
        t0 = time.perf_counter()
        first = run_to_end(teaching.teach(data, network, cache=cache))
        whole = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = run_to_end(teaching.teach(data, network, seed=1, cache=cache))
        cached = time.perf_counter() - t0
        print(
            f"{count:>6} {first.seconds_features:>12.1f} {count / first.seconds_features:>9.1f} "
            f"{first.seconds_fit:>8.2f} {whole:>8.1f} {cached:>13.2f} "
            f"{first.accuracy:>8.0%} {again.accuracy:>8.0%} {first.layer.penalty:>8g}"
        )
        if check:
            test = first.split.test[:check]
            t0 = time.perf_counter()
            run_to_end(
                shortcuts.check_shortcuts(
                    first.taught,
                    [data.paths[i] for i in test],
                    data.labels[test],
                    approximate=approximate,
                )
            )
            seconds = time.perf_counter() - t0
            maps = f"{approximate} maps" if approximate else "all maps"
            print(f"       shortcut check: {seconds:.1f} s for {len(test)} photos ({maps})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--model", default="efficientnet_lite0")
    parser.add_argument("--check", type=int, default=0, help="time the check on N photos")
    parser.add_argument("--approximate", type=int, default=None)
    args = parser.parse_args()
    import torch

    print(f"CPU: {cpu_model()}; torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"load average at the start: {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print(f"{args.model}, {CLASSES} classes, a quarter held out; seconds")
    print(
        f"{'photos':>6} {'feature pass':>12} {'photos/s':>9} {'fit':>8} {'teach':>8} "
        f"{'teach again':>13} {'accuracy':>8} {'again':>8} {'penalty':>8}"
    )
    for count in args.counts:
        one_count(count, args.model, args.check, args.approximate)
    print(f"load average at the end: {', '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
