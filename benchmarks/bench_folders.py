"""Batch throughput: images per second locally with and without the reader thread, and on Ray.

    python benchmarks/bench_folders.py                 # 200 photos, 32 maps each
    python benchmarks/bench_folders.py --count 12      # a quick run
    python benchmarks/bench_folders.py --maps 0        # exact Score-CAM (all maps; slow on CPU)
    python benchmarks/bench_folders.py --no-ray

The photos are crops and flips of scikit-image's chelsea, coffee, astronaut and rocket, saved as
JPEG (quality 90) in a temporary folder, so decoding costs what a camera folder costs. Each
configuration runs in this process after one warm-up photo; the two local ones take turns on
chunks of the photos (so a busy machine weighs on both alike); the ratios are against local
reading inline (prefetch 0). Ray's figure includes starting the cluster and
its actors (once per run, as a user pays it) and is also given without that start.
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


def timed_local(
    job: Job, photos: list[str], prefetches: tuple[int, ...], rounds: int
) -> list[float]:
    """Images/s for each prefetch; the photos are split into `rounds` chunks and the settings
    take turns on each chunk (A B, B A, ...), so that a change of the machine's load during the
    run (other processes) weighs on every setting alike."""
    opened = open_job(job)
    run_to_end(run_local(opened, photos[:1], prefetch=0))  # warm-up: first-batch setup
    seconds = dict.fromkeys(prefetches, 0.0)
    chunks = [photos[i::rounds] for i in range(rounds)]
    for r, chunk in enumerate(chunks):
        order = prefetches if r % 2 == 0 else tuple(reversed(prefetches))
        for prefetch in order:
            t0 = time.perf_counter()
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="photos (default 200)")
    parser.add_argument("--maps", type=int, default=32, help="--approximate N; 0: exact")
    parser.add_argument("--model", default="efficientnet_lite0")
    parser.add_argument("--rounds", type=int, default=4, help="turns of the local settings")
    parser.add_argument("--no-ray", action="store_true")
    args = parser.parse_args()
    import torch

    job = Job(model=args.model, approximate=args.maps or None, device="cpu")
    print(
        f"CPU: {cpu_model('unknown CPU')}, {os.cpu_count()} cores, torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads, ISA {torch.backends.cpu.get_cpu_capability()}"
    )
    print(
        f"{args.count} photos, {args.model}, "
        f"{'exact' if not args.maps else f'{args.maps} maps each (--approximate)'}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        photos = make_photos(Path(tmp), args.count)
        inline, ahead = timed_local(job, photos, (0, 2), args.rounds)
        print(f"local, reading inline      {inline:7.2f} images/s  1.00x")
        print(f"local, reader thread (2)   {ahead:7.2f} images/s  {ahead / inline:.2f}x")
        if not args.no_ray:
            with_start, start, steady = timed_ray(job, photos)
            print(
                f"ray, with cluster start    {with_start:7.2f} images/s  "
                f"{with_start / inline:.2f}x  (start and actors: {start:.1f} s)"
            )
            print(f"ray, after the first row   {steady:7.2f} images/s  {steady / inline:.2f}x")


if __name__ == "__main__":
    main()
