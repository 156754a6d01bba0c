"""GUI benchmarks: time until the window is visible, and how responsive it stays during a job.

    python benchmarks/bench_gui.py [--runs 3] [--layer _head_act] [--skip-startup]

1. Startup: `python -m scorecam_gui` is launched in a fresh process (as a double-click does) and
   the time from launch to the window's first paint is measured (median of --runs).
2. Responsiveness: in this process, the window explains the sample photo while a 10 ms QTimer
   ticks; the largest delay of a tick beyond its 10 ms (the longest the event loop stalled) is
   reported, from the request until the finished explanation is on screen.

Runs offscreen unless QT_QPA_PLATFORM says otherwise. Results are printed as JSON.
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

ROOT = Path(__file__).resolve().parents[1]

# Runs in the child: the real entry point, with MainWindow.show wrapped to report the first
# paint of the window (seconds since the parent launched the process) and exit at once.
_CHILD = r"""
import os, sys, time
t0 = float(os.environ["BENCH_T0"])
from PySide6.QtCore import QEvent, QObject
from scorecam_gui.gui import window as w

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(f"VISIBLE {time.time() - t0:.4f}", flush=True)
            os._exit(0)
        return False

_show = w.MainWindow.show
def show(self):
    self._bench_filter = FirstPaint()
    self.installEventFilter(self._bench_filter)
    _show(self)
w.MainWindow.show = show

from scorecam_gui.gui.main import main
sys.exit(main(sys.argv[1:]))
"""


def startup_time(runs: int) -> dict[str, object]:
    times = []
    for _ in range(runs):
        env = dict(os.environ, BENCH_T0=repr(time.time()))
        with tempfile.TemporaryDirectory() as logs:
            env["SCORECAM_LOG_DIR"] = logs
            done = subprocess.run(
                [sys.executable, "-c", _CHILD],
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
                timeout=300,
            )
        lines = [line for line in done.stdout.splitlines() if line.startswith("VISIBLE")]
        if not lines:
            raise RuntimeError(f"the window never painted:\n{done.stderr[-2000:]}")
        times.append(float(lines[0].split()[1]))
    return {
        "window_visible_s_median": round(statistics.median(times), 3),
        "window_visible_s_runs": [round(t, 3) for t in times],
    }


def responsiveness(layer: str | None) -> dict[str, object]:
    import torch  # noqa: F401 - before the QApplication
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer

    from scorecam_gui.gui.main import create_application
    from scorecam_gui.gui.settings import Settings
    from scorecam_gui.gui.window import MainWindow, sample_photo

    app = create_application()
    folder = tempfile.mkdtemp(prefix="bench-gui-")
    settings = Settings(QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat))
    if layer:
        settings.set_layer("efficientnet_lite0", layer)
    window = MainWindow(settings=settings)
    window.resize(1480, 920)
    window.show()
    app.processEvents()

    clock = QElapsedTimer()
    delays: list[float] = []
    last = [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        delays.append(now - last[0] - 10.0)
        last[0] = now

    timer = QTimer()
    timer.setTimerType(timer.timerType().PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(tick)
    done = {"t": 0.0}
    window.explanationShown.connect(lambda: done.update(t=time.perf_counter()))
    window.jobFailed.connect(lambda message: done.update(t=time.perf_counter(), error=message))

    photo = sample_photo()
    t0 = time.perf_counter()
    clock.start()
    timer.start()
    window.start(photos=[str(photo)] if photo else [])
    while not done["t"]:
        app.processEvents()
        time.sleep(0.001)
    # Keep ticking a little after the result, so its display is measured too.
    end = time.perf_counter() + 0.5
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    shown = window._shown
    window.close()
    if "error" in done:
        raise RuntimeError(done["error"])
    ordered = sorted(delays)
    return {
        "job_s": round(done["t"] - t0, 2),
        "layer": shown.result.layer if shown else None,
        "maps": shown.result.maps_total if shown else None,
        "device": f"{shown.result.device} {shown.result.precision}" if shown else None,
        "ticks": len(delays),
        "max_event_loop_delay_ms": round(ordered[-1], 1),
        "p99_event_loop_delay_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="startup measurements (median)")
    parser.add_argument("--layer", default=None, help="layer for the job (default: the network's)")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-job", action="store_true")
    args = parser.parse_args()
    report: dict[str, object] = {"platform": os.environ.get("QT_QPA_PLATFORM")}
    if not args.skip_startup:
        report.update(startup_time(args.runs))
    if not args.skip_job:
        report.update(responsiveness(args.layer))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
