"""Batch throughput: images per second locally with and without the reader thread, and on Ray;
against the engine alone on photos decoded beforehand (`--local ... -1`).

    python benchmarks/bench_folders.py                 # 200 photos, 32 maps each
    python benchmarks/bench_folders.py --count 12      # a quick run
    python benchmarks/bench_folders.py --maps 0        # exact Score-CAM (all maps; slow on CPU)
    python benchmarks/bench_folders.py --no-ray
    python benchmarks/bench_folders.py --count 50 --maps 0 --local 2 -1 --random-weights \
        --models squeezenet1_1 googlenet resnet18 mobilenet_v2 alexnet   # issue 33's rows

The photos are crops and flips of scikit-image's chelsea, coffee, astronaut and rocket, saved as
JPEG (quality 90) in a temporary folder, so decoding costs what a camera folder costs. Each
configuration runs in this process after one warm-up photo; the local ones take turns on chunks
of the photos (so a busy machine weighs on all alike); the ratios are against the first local row
(reading inline, prefetch 0, unless --local says otherwise). Ray's figure includes starting the
cluster and its actors (once per run, as a user pays it) and is also given without that start.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import cpu_model, make_photos

from scorecam_gui.engine.folders.batch import Job, PhotoDone, open_job, run_local
from scorecam_gui.engine.progress import run_to_end

DEFAULT_PREFETCH = 2  # run_local's, which `scorecam batch` and the window's folder view use
ENGINE_ALONE = -1  # --local -1: the engine alone on the photos decoded beforehand (no reading,
# no rows): what a folder run cannot beat on one machine


def timed_local(
    job: Job, photos: list[str], prefetches: tuple[int, ...], rounds: int
) -> list[float]:
    """Images/s for each prefetch; the photos are split into `rounds` chunks and the settings
    take turns on each chunk (A B, B A, ...), so that a change of the machine's load during the
    run (other processes) weighs on every setting alike."""
    opened = open_job(job)
    run_to_end(run_local(opened, photos[:1], prefetch=0))  # warm-up: first-batch setup
    seconds = dict.fromkeys(prefetches, 0.0)
    decoded = {}
    if ENGINE_ALONE in prefetches:
        from PIL import Image

        decoded = {p: opened.prepare(Image.open(p).convert("RGB")) for p in photos}
    chunks = [photos[i::rounds] for i in range(rounds)]
    for r, chunk in enumerate(chunks):
        order = prefetches if r % 2 == 0 else tuple(reversed(prefetches))
        for prefetch in order:
            t0 = time.perf_counter()
            if prefetch == ENGINE_ALONE:  # the job's method on photos decoded beforehand
                for path in chunk:
                    opened.explainer.explain(decoded[path], method=job.method_name)
                seconds[prefetch] += time.perf_counter() - t0
                continue
            events: list[object] = []
            run_to_end(run_local(opened, chunk, prefetch=prefetch), events.append)
            seconds[prefetch] += time.perf_counter() - t0
            assert sum(isinstance(e, PhotoDone) for e in events) == len(chunk)
    return [len(photos) / seconds[p] for p in prefetches]


def timed_ray(job: Job, photos: list[str]) -> tuple[float, float, float]:
    """Images/s including the cluster start, the start's seconds, images/s without it."""
    import ray

    from scorecam_gui.engine.folders.ray_executor import connect, run_ray

    t0 = time.perf_counter()
    connect(num_cpus=os.cpu_count())
    started = time.perf_counter() - t0
    try:
        t1 = time.perf_counter()
        first: list[float] = []

        def on_event(e: object) -> None:
            if isinstance(e, PhotoDone) and not first:
                first.append(time.perf_counter())

        summary = run_to_end(run_ray(job, photos), on_event)
        end = time.perf_counter()
    finally:
        ray.shutdown()
    assert summary.explained == len(photos), summary
    with_start = len(photos) / (end - t0)
    # after the first row arrived (actors loaded): the steady rate
    steady = (len(photos) - 1) / (end - first[0]) if len(photos) > 1 else float("nan")
    return with_start, started + (first[0] - t1), steady


def random_weights(model: str, folder: Path) -> str | None:
    """A state dict of `model`'s architecture with random weights (seed 0) in `folder`, given as
    --weights (no download here); None for the bundled network, whose real weights are there."""
    import torch

    from scorecam_gui.engine.models.registry import load_network, network_info

    if network_info(model).bundled:
        return None
    torch.manual_seed(0)
    path = folder / f"{model}-seed0.pt"
    torch.save(load_network(model, random_init=True).model.state_dict(), path)
    return str(path)


def bench_model(model: str, args: argparse.Namespace, photos: list[str], tmp: Path) -> None:
    weights = random_weights(model, tmp) if args.random_weights else None
    job = Job(model=model, weights=weights, approximate=args.maps or None, device="cpu")
    which = "random weights, seed 0" if weights else "its weights"
    maps = "exact" if not args.maps else f"{args.maps} maps each (--approximate)"
    print(f"\n{len(photos)} photos, {model} ({which}), {maps}")
    rates = timed_local(job, photos, tuple(args.local), args.rounds)
    base = rates[0]
    for prefetch, rate in zip(args.local, rates, strict=True):
        how = {0: "reading inline", ENGINE_ALONE: "engine alone"}.get(
            prefetch, f"reader thread ({prefetch})"
        ).ljust(19)
        default = "  (the default)" if prefetch == DEFAULT_PREFETCH else ""
        print(
            f"local, {how} {rate:7.2f} images/s {60 * rate:7.1f} photos/min  "
            f"{rate / base:.2f}x{default}"
        )
    if not args.no_ray:
        with_start, start, steady = timed_ray(job, photos)
        print(
            f"ray, with cluster start    {with_start:7.2f} images/s {60 * with_start:7.1f} "
            f"photos/min  {with_start / base:.2f}x  (start and actors: {start:.1f} s)"
        )
        print(
            f"ray, after the first row   {steady:7.2f} images/s {60 * steady:7.1f} photos/min  "
            f"{steady / base:.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="photos (default 200)")
    parser.add_argument("--maps", type=int, default=32, help="--approximate N; 0: exact")
    parser.add_argument("--models", nargs="+", default=["efficientnet_lite0"])
    parser.add_argument(
        "--random-weights", action="store_true", help="torchvision's networks with random weights"
    )
    parser.add_argument(
        "--local",
        type=int,
        nargs="+",
        default=[0, DEFAULT_PREFETCH],
        help="the reader thread's prefetch of each local row (0: reading inline; -1: the "
        "engine alone on photos decoded beforehand); the first is the baseline",
    )
    parser.add_argument("--rounds", type=int, default=4, help="turns of the local settings")
    parser.add_argument("--no-ray", action="store_true")
    args = parser.parse_args()
    import torch

    print(
        f"CPU: {cpu_model('unknown CPU')}, {os.cpu_count()} cores, torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads, ISA {torch.backends.cpu.get_cpu_capability()}, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        photos = make_photos(Path(tmp), args.count)
        for model in args.models:
            bench_model(model, args, photos, Path(tmp))


if __name__ == "__main__":
    main()
