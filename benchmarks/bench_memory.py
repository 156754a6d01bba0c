"""Long runs keep their memory flat: a folder run's and the window's resident memory over time.

    python benchmarks/bench_memory.py folder                  # 1,000 photos, Grad-CAM
    python benchmarks/bench_memory.py folder --count 2000 --method scorecam --approximate 16
    QT_QPA_PLATFORM=offscreen python benchmarks/bench_memory.py window   # 200 explanations

`folder`: `scorecam explain FOLDER --method gradcam --manifest M --out OUT` in a child process,
as a user runs it (its overlays, maps and manifest written), on COUNT JPEGs made from
scikit-image's photos (random crops, _common.make_photos). Its resident memory (VmRSS, from
/proc) is read each time it has printed another 50 photos. `window`: one MainWindow explains
200 photos (EfficientNet-Lite0's `_blocks.0`, 16 maps, fp32 on the CPU), driven through
window.controller as a user would: another photo, another class, Explain again, and every
fourth request another photo and a class whose job is cancelled while it runs; the memory of
this process after every 10 explanations.

Each prints its samples and the growth from the sample at photo (explanation) FROM to the last:
at most 5 % passes (issue 36). The window's result cache (app/resultcache.py) keeps the last
64 results by design, so its growth is measured from explanation 100, once the cache is full.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import cpu_model, make_photos

LIMIT = 0.05  # the bound on the growth


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory now (not the peak) of process `pid`, from /proc."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/status")


def growth(samples: list[tuple[int, float]], start: int) -> tuple[float, float, float]:
    """(RSS at the first sample at or after `start`, RSS at the last, their relative growth)."""
    first = next(mb for n, mb in samples if n >= start)
    last = samples[-1][1]
    return first, last, (last - first) / first


def report(samples: list[tuple[int, float]], start: int, what: str) -> bool:
    for n, mb in samples:
        print(f"  {what} {n:5d}: {mb:7.1f} MB")
    first, last, rel = growth(samples, start)
    ok = rel <= LIMIT
    print(
        f"growth from {what} {start} to {samples[-1][0]}: {first:.1f} -> {last:.1f} MB "
        f"({rel * 100:+.2f} %, limit +{LIMIT * 100:.0f} %): {'PASS' if ok else 'FAIL'}"
    )
    return ok


def folder_run(args: argparse.Namespace) -> bool:
    """The command line on COUNT photos; RSS every `--every` photos printed."""
    work = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    photos = work / "photos"
    photos.mkdir()
    t0 = time.perf_counter()
    make_photos(photos, args.count)
    print(f"{args.count} photos made in {time.perf_counter() - t0:.0f} s ({photos})")
    command = [sys.executable, "-m", "scorecam_gui.cli.main", "explain", str(photos)]
    command += ["--method", args.method, "--manifest", str(work / "run.parquet")]
    command += ["--out", str(work / "out")]
    if args.approximate:
        command += ["--approximate", str(args.approximate)]
    samples: list[tuple[int, float]] = []
    t0 = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        done = 0
        for line in child.stdout:
            if not line.strip():
                continue
            done += 1
            if done % args.every == 0 or done == args.count:
                samples.append((done, rss_mb(child.pid)))
        child.wait()
    seconds = time.perf_counter() - t0
    print(f"scorecam explain: {done} photos in {seconds:.0f} s, exit {child.returncode}")
    if child.returncode != 0 or not samples:
        return False
    return report(samples, args.start, "photo")


def window_run(args: argparse.Namespace) -> bool:
    """One window, `--count` explanations with photos and classes switched and jobs cancelled."""
    import numpy as np
    import torch  # noqa: F401 - before the QApplication
    from PySide6.QtCore import QSettings

    from scorecam_gui.app.options import Options
    from scorecam_gui.gui.startup.main import create_application
    from scorecam_gui.gui.window.settings import Settings
    from scorecam_gui.gui.window.window import MainWindow

    app = create_application()
    work = Path(tempfile.mkdtemp(prefix="bench-memory-window-"))
    photos = make_photos(work, 40)
    settings = Settings(QSettings(str(work / "s.ini"), QSettings.Format.IniFormat))
    settings.set_options(Options(precision="fp32", batch_size=16, device="cpu"))
    settings.set_layer("efficientnet_lite0", "_blocks.0")
    window = MainWindow(settings=settings)
    window.resize(1366, 768)
    window.show()
    outcome = {"shown": 0, "failed": 0}
    window.explanationShown.connect(lambda: outcome.update(shown=outcome["shown"] + 1))
    window.jobFailed.connect(lambda _m: outcome.update(failed=outcome["failed"] + 1))
    controller = window.controller

    samples: list[tuple[int, float]] = []

    def settle(timeout: float = 300.0) -> None:
        """Wait for the worker; sample the memory each time 10 more explanations are shown."""
        end = time.perf_counter() + timeout
        while window.runner.is_busy() and time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.002)
        for _ in range(20):  # the last queued signals
            app.processEvents()
        shown = outcome["shown"]
        if shown >= (samples[-1][0] if samples else 0) + args.every_window:
            samples.append((shown, rss_mb()))

    rng = np.random.default_rng(0)
    cancelled = jobs = 0
    t0 = time.perf_counter()
    controller.start(photos=[photos[0]])
    settle()
    while outcome["shown"] < args.count:
        step = jobs % 4
        jobs += 1
        if step == 0 or window.state.photo is None:  # another photo
            controller.open_paths([photos[int(rng.integers(len(photos)))]])
        elif step == 1:  # another class
            controller.explain_class(int(rng.integers(1000)))
        elif step == 2:  # Explain again (F5): computed, not taken from the result cache
            controller.explain_again()
        else:  # another photo and another class, the class's job cancelled while it runs
            controller.open_paths([photos[int(rng.integers(len(photos)))]])
            settle()
            controller.explain_class(int(rng.integers(1000)))
            end = time.perf_counter() + 0.15
            while time.perf_counter() < end:
                app.processEvents()
                time.sleep(0.002)
            if window.runner.current_job:
                controller.cancel()
                cancelled += 1
        settle()
    seconds = time.perf_counter() - t0
    window.close()
    print(
        f"window: {outcome['shown']} explanations shown, {cancelled} jobs cancelled, "
        f"{outcome['failed']} failed, {jobs} requests, in {seconds:.0f} s"
    )
    return report(samples, args.start_window, "explanation")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("folder", "window"))
    parser.add_argument("--count", type=int, help="photos (folder: 1000) or explanations (200)")
    parser.add_argument("--method", default="gradcam", help="folder: --method (gradcam)")
    parser.add_argument("--approximate", type=int, help="folder: Score-CAM's --approximate N")
    parser.add_argument("--every", type=int, default=50, help="folder: a sample every N photos")
    parser.add_argument("--start", type=int, default=200, help="folder: growth from photo N")
    args = parser.parse_args()
    print(f"CPU: {cpu_model()}, {os.cpu_count()} logical cores")
    print(f"load average before: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    if args.what == "folder":
        args.count = args.count or 1000
        ok = folder_run(args)
    else:
        args.count = args.count or 200
        # A sample every 10 explanations, the growth from the 100th (a short run: its half).
        args.every_window = max(1, min(10, args.count // 10))
        args.start_window = min(100, args.count // 2)
        ok = window_run(args)
    print(f"load average after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
