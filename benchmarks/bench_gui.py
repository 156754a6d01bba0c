"""GUI benchmarks: time from launch to a window on screen, and how responsive it stays in a job.

    xvfb-run -a python benchmarks/bench_gui.py [--runs 5] [--program dist/...] [--skip-job]

1. Start-up, measured from outside the process as a user sees it: each run launches a fresh
   process (as a double-click does) and polls the X server (libX11 through ctypes, every 2 ms)
   until a top-level window with the app's title is viewable (X map state IsViewable), and
   then until the main window that replaces the first one (a second X window) is. The same
   is done for a bare PySide6 QMainWindow; runs alternate (bare, app, bare, app...) so a change
   in the machine's load hits both, and the ratio of the medians is printed. The app is started
   as `python -m scorecam_gui PHOTO` (a photo double-clicked), with fresh settings and its own
   single-instance name, so a running Score-CAM Studio is never asked. `--program` measures a
   built program (packaging/) the same way instead. Needs an X display: Linux with Xvfb here;
   on macOS or Windows, time the same launch with a screen recording (there is no X map state).
2. Responsiveness: in this process, the window explains the sample photo while a 10 ms QTimer
   ticks; the largest delay of a tick beyond its 10 ms (the longest the event loop stalled) is
   reported, from the request until the finished explanation is on screen (offscreen).
3. A shared CPU (`--busy 0 1 2 0 1 2`): after that first job, one job per count of other busy
   processes (`python -c "while True: pass"`, killed by their process id after), each in a
   fresh window of the same process; the median per count, and its ratio to the quiet median.

Results are printed as JSON, with the load averages (the machine is shared).
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
from typing import TYPE_CHECKING, Any

# An entry point: the thread policy of engine/runtime/threads.py before torch loads, as
# `scorecam-gui` sets it (the job runs in this process).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

if TYPE_CHECKING:
    from PySide6.QtCore import QElapsedTimer
    from PySide6.QtWidgets import QApplication

    from scorecam_gui.gui.window.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from _common import cpu_model, spinners  # noqa: E402 - next to this file
from _x11 import X11Display  # noqa: E402

APP_TITLE = "Score-CAM Studio"
BARE_TITLE = "Bare PySide6 window"

_BARE = f"""
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.setWindowTitle({BARE_TITLE!r})
window.resize(1480, 920)
window.show()
app.exec()
"""


def _time_to_windows(
    display: X11Display,
    command: list[str],
    title: str,
    env: dict[str, str],
    timeout: float,
    count: int = 1,
) -> list[float]:
    """Seconds from launching `command` until each of the first `count` distinct top-level
    windows whose title has `title` is viewable."""
    if any(title in t for _, t in display.viewable()):
        raise RuntimeError(f"a window titled {title!r} is already on the display")
    seen: dict[int, float] = {}
    # stderr to a file, not a pipe: a chatty child never blocks on a full pipe.
    with tempfile.TemporaryFile() as errors:
        started = time.monotonic()
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors
        )
        try:
            while True:
                now = time.monotonic() - started
                for window, text in display.viewable():
                    if title in text and window not in seen:
                        seen[window] = now
                if len(seen) >= count:
                    return sorted(seen.values())[:count]
                if process.poll() is not None:
                    errors.seek(0)
                    err = errors.read().decode(errors="replace")
                    raise RuntimeError(f"{command[0]} exited without a window:\n{err[-2000:]}")
                if now > timeout:
                    raise RuntimeError(f"{len(seen)} of {count} windows after {timeout:g} s")
                time.sleep(0.002)
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def startup_time(
    runs: int, program: str | None, photo: str | None, main_window: bool
) -> dict[str, object]:
    if not os.environ.get("DISPLAY"):
        raise SystemExit("bench_gui.py: no X display: run it as xvfb-run -a python ...")
    from scorecam_gui.appdata import sample_photo_path

    photo = photo or str(sample_photo_path())
    app_cmd = [program] if program else [sys.executable, "-m", "scorecam_gui"]
    app_cmd.append(photo)
    bare_times: list[float] = []
    app_times: list[float] = []
    main_times: list[float] = []
    load_before = os.getloadavg()
    display = X11Display()
    for run in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-gui-") as home:
            env = dict(
                os.environ,
                QT_QPA_PLATFORM="xcb",
                PYTHONPATH=str(ROOT),
                XDG_CONFIG_HOME=str(Path(home) / "config"),  # fresh settings every run
                SCORECAM_LOG_DIR=str(Path(home) / "logs"),
                SCORECAM_INSTANCE_NAME=f"bench-gui-{os.getpid()}-{run}",
            )
            bare_cmd = [sys.executable, "-c", _BARE]
            bare_times += _time_to_windows(display, bare_cmd, BARE_TITLE, env, 60)
            # The first window on screen, then (a second X window) the main window that
            # takes its place; an app without a start window shows only the first.
            times = _time_to_windows(display, app_cmd, APP_TITLE, env, 300, count=1 + main_window)
            app_times.append(times[0])
            main_times.append(times[-1])
    display.close()
    bare, app = statistics.median(bare_times), statistics.median(app_times)
    return {
        "startup_measured": "launch to a viewable X11 window (Xvfb), median of "
        f"{runs}, runs alternating",
        "startup_command": " ".join(Path(a).name if a == sys.executable else a for a in app_cmd),
        "bare_pyside6_window_s": round(bare, 3),
        "bare_pyside6_window_s_runs": [round(t, 3) for t in bare_times],
        "app_window_s": round(app, 3),
        "app_window_s_runs": [round(t, 3) for t in app_times],
        "ratio_app_to_bare": round(app / bare, 2),
        "main_window_s": round(statistics.median(main_times), 3),
        "main_window_s_runs": [round(t, 3) for t in main_times],
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in os.getloadavg()],
    }


def _one_job(
    app: QApplication, settings: Settings, clock: QElapsedTimer, switches: int = 0
) -> dict[str, Any]:
    """A fresh window explains the sample photo while a 10 ms timer ticks: the job's seconds
    and the event loop's delays; then `switches` clicks on the other classes, each timed from
    the click to its map on screen (a re-weighting of the passes made: docs/contrast.md)."""
    from PySide6.QtCore import QTimer

    from scorecam_gui.gui.window.window import MainWindow, sample_photo

    window = MainWindow(settings=settings)
    window.resize(1480, 920)
    window.show()
    app.processEvents()

    delays: list[float] = []
    last = [clock.nsecsElapsed() / 1e6]

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
    timer.start()
    window.controller.start(photos=[str(photo)] if photo else [])
    while not done["t"]:
        app.processEvents()
        time.sleep(0.001)
    # Keep ticking a little after the result, so its display is measured too.
    end = time.perf_counter() + 0.5
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    switched, settled = _class_switches(app, window, switches) if switches else ([], [])
    shown = window.state.shown
    window.close()
    if "error" in done:
        raise RuntimeError(done["error"])
    ordered = sorted(delays)
    return {
        "job_s": round(done["t"] - t0, 2),
        "layer": shown.result.layer if shown else None,
        "maps": shown.result.maps_total if shown else None,
        "device": f"{shown.result.device} {shown.result.precision}" if shown else None,
        "backend": shown.result.backend if shown else None,
        "ticks": len(delays),
        "max_event_loop_delay_ms": round(ordered[-1], 1),
        "p99_event_loop_delay_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 1),
    } | (
        {
            "class_switch_ms": [round(1000 * t, 1) for t in switched],
            "class_switch_median_ms": round(1000 * statistics.median(switched), 1),
            "class_switch_all_panels_ms": [round(1000 * t, 1) for t in settled],
        }
        if switched
        else {}
    )


def _class_switches(app: QApplication, window: Any, count: int) -> tuple[list[float], list[float]]:
    """Click the prediction's rows 1.. in turn (back to row 0 between), each timed from the click
    to its map on the canvas (the window's shown explanation replaced and painted), and to every
    panel below following it (`explanationShown`); seconds."""
    on_canvas: list[float] = []
    everything: list[float] = []
    shown = {"n": 0}
    window.explanationShown.connect(lambda: shown.update(n=shown["n"] + 1))
    rows = [1 + i % 4 if i % 2 == 0 else 0 for i in range(2 * count)]
    for row in rows:
        before, explanation = shown["n"], window.state.shown
        t0 = time.perf_counter()
        window.panels.prediction.click_row(row)
        while window.state.shown is explanation:
            app.processEvents()
            time.sleep(0.0002)  # as an idle event loop does: the worker thread gets the GIL
        window.panels.canvas.repaint()  # painted now, not at the next turn
        t1 = time.perf_counter()
        while shown["n"] == before:
            app.processEvents()
            time.sleep(0.0002)
        if row:
            on_canvas.append(t1 - t0)
            everything.append(time.perf_counter() - t0)
    return on_canvas, everything


def responsiveness(layer: str | None, busy: list[int], switches: int = 0) -> dict[str, Any]:
    """The first job in a fresh window (network loaded and compiled on the way), then with
    --busy one more job per count of other busy processes, each in a fresh window of the same
    process, and the median per count against the quiet median."""
    import torch  # noqa: F401 - before the QApplication
    from PySide6.QtCore import QElapsedTimer, QSettings

    from scorecam_gui.gui.startup.main import create_application
    from scorecam_gui.gui.window.settings import Settings

    app = create_application()
    folder = tempfile.mkdtemp(prefix="bench-gui-")
    settings = Settings(QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat))
    if layer:
        settings.set_layer("efficientnet_lite0", layer)
    clock = QElapsedTimer()
    clock.start()
    report = _one_job(app, settings, clock, switches=switches)
    if busy:
        rows: list[dict[str, Any]] = []
        for n in busy:
            with spinners(n):
                load = os.getloadavg()[0]
                rows.append({"busy_processes": n, "load_before": round(load, 2)})
                rows[-1].update(_one_job(app, settings, clock))
        # Counts may repeat (--busy 0 1 2 0 1 2): the median of each, against the quiet median.
        medians = {
            n: statistics.median(r["job_s"] for r in rows if r["busy_processes"] == n)
            for n in dict.fromkeys(busy)
        }
        report["busy_jobs"] = rows
        report["busy_job_s_median"] = {str(n): round(t, 2) for n, t in medians.items()}
        if 0 in medians:
            ratios = {str(n): round(t / medians[0], 2) for n, t in medians.items()}
            report["busy_vs_quiet"] = ratios
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="startup measurements (median)")
    parser.add_argument("--program", help="a built program to start instead of python -m")
    parser.add_argument("--photo", help="the photo it opens (default: the bundled sample)")
    parser.add_argument(
        "--one-window",
        action="store_true",
        help="the app shows one window only (versions before the start window)",
    )
    parser.add_argument("--layer", default=None, help="layer for the job (default: the network's)")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-job", action="store_true")
    parser.add_argument(
        "--busy",
        nargs="+",
        type=int,
        default=[],
        help="after the first job, one job per count of other busy processes, e.g. 0 1 2",
    )
    parser.add_argument(
        "--class-switches",
        type=int,
        default=4,
        help="after the first job, clicks on other classes, each timed to its map on screen",
    )
    args = parser.parse_args()
    report: dict[str, object] = {"cpu": cpu_model(), "cores": os.cpu_count()}
    if not args.skip_startup:
        report.update(startup_time(args.runs, args.program, args.photo, not args.one_window))
    if not args.skip_job:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
        report.update(responsiveness(args.layer, args.busy, args.class_switches))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
