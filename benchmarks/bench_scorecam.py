"""Score-CAM speed, memory and agreement: this engine against pytorch-grad-cam and torch-cam.

Every method gets the same network, target layer, input tensor (the whole photo resized to the
network's input size, normalised the same way) and target class. Masks multiply the normalised
tensor (`fill="mean"`), as both peers do, with the paper's weighting, so all maps estimate the same
thing and their correlation with this engine's exact fp32 map is meaningful.

Timings: all methods run in this one process, interleaved `--repeat` times; the table shows
medians. Rows marked "1 busy" run while one other process spins on the CPU (`python -c "while
True: pass"`, started before and killed after each of them): a laptop always runs something else.
The process takes the thread policy of the entry points (engine/runtime/threads.py) before torch
loads.
Peak memory: each method runs once more in a fresh subprocess, which reports its peak resident
set size (Linux's VmHWM; tracemalloc would not see torch's allocations) and how much it grew over
the same process just before the method ran (imports, network and input loaded).

    python benchmarks/bench_scorecam.py            # all cases, 3 repeats
    python benchmarks/bench_scorecam.py --quick    # EfficientNet-Lite0 on chelsea and ResNet-18
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

os.environ.setdefault("TQDM_DISABLE", "1")  # pytorch-grad-cam draws a progress bar per batch

# An entry point: the thread policy of engine/runtime/threads.py before torch loads, as `scorecam`
# sets it.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import torch
import torch.nn.functional as F
from _common import Case, sample_photo, spinners

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.methods.base import MethodResult
from scorecam_gui.engine.models.layers import resolve_layer
from scorecam_gui.engine.models.registry import load_network
from scorecam_gui.engine.models.types import Network
from scorecam_gui.engine.runtime import device as devices
from scorecam_gui.engine.runtime.inference import Fill
from scorecam_gui.engine.runtime.openvino import CompiledNetwork, Pending

PEER_BATCH = 32
DEVICE = "cpu"  # --device: every method runs here
APPROXIMATE = (64, 128, 256)
COMPILE = False  # --compile: also time the engine with compile_model=True
BUSY = True  # --no-busy: skip the rows with a busy process beside
PRIMARY = ("pytorch-grad-cam", "torch-cam", "engine fp32", "engine default", "limit")


CASES = (
    Case("lite0-chelsea", "efficientnet_lite0", "chelsea"),
    Case("lite0-coffee", "efficientnet_lite0", "coffee"),
    Case("resnet18", "resnet18", "chelsea", random_seed=0),
    Case("mobilenet_v2", "mobilenet_v2", "chelsea", random_seed=0),
)
QUICK = ("lite0-chelsea", "resnet18")


@dataclass
class Setup:
    """One case made ready: the network, its layer, the input and the target class."""

    case: Case
    network: Network
    rgb: np.ndarray  # (S, S, 3) uint8, the photo as every method sees it
    x: torch.Tensor  # (1, 3, S, S) normalised, what the peers get
    target: int
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after timing
    compile_seconds: float | None = None  # the first run of "engine compiled" (--compile)

    def fresh_model(self) -> torch.nn.Module:
        # Each method gets its own copy: the engine converts its model to channels-last, and the
        # peers should see the network as a user would hand it to them.
        return copy.deepcopy(self.network.model).to(DEVICE)

    def fresh_network(self) -> Network:
        net = copy.copy(self.network)
        net.model = self.fresh_model()
        return net

    def layer_of(self, model: torch.nn.Module) -> torch.nn.Module:
        # Every default layer here is a module (EfficientNet-Lite0's is its `_head_act` ReLU6),
        # so both peers can hook it as it is.
        return dict(model.named_modules())[self.network.default_layer]


def make_setup(case: Case) -> Setup:
    if case.random_seed is not None:
        torch.manual_seed(case.random_seed)
    net = load_network(case.network, random_init=case.random_seed is not None)
    resolve_layer(net, None)  # fail early on a bad layer name
    info = net.info
    rgb = Explainer(copy.copy(net), "cpu", "fp32").prepare(sample_photo(case.photo))
    x = torch.from_numpy(rgb.copy()).permute(2, 0, 1).float().div(255.0)
    x = ((x - torch.tensor(info.mean).view(3, 1, 1)) / torch.tensor(info.std).view(3, 1, 1))[None]
    with torch.inference_mode():
        target = int(net.model(x)[0].argmax())
    return Setup(case, net, rgb, x.contiguous().to(DEVICE), target)


# -- the methods: each returns the (S, S) map -----------------------------------------------------
def run_grad_cam(s: Setup) -> np.ndarray:
    from pytorch_grad_cam import ScoreCAM
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

    model = s.fresh_model()
    cam = ScoreCAM(model=model, target_layers=[s.layer_of(model)])
    cam.batch_size = PEER_BATCH  # its documented way to set the batch (default 16)
    try:
        return cam(input_tensor=s.x, targets=[ClassifierOutputTarget(s.target)])[0]
    finally:
        cam.activations_and_grads.release()


def run_torch_cam(s: Setup) -> np.ndarray:
    from torchcam.methods import ScoreCAM

    model = s.fresh_model()
    extractor = ScoreCAM(model, target_layer=s.layer_of(model), batch_size=PEER_BATCH)
    try:
        with torch.inference_mode():
            scores = model(s.x)
        low = extractor(class_idx=s.target, scores=scores)[0]  # (1, h, w), normalised
    finally:
        extractor.remove_hooks()
    size = s.x.shape[-1]
    up = F.interpolate(low[None].float(), size=(size, size), mode="bilinear", align_corners=False)
    return up[0, 0].cpu().numpy()


def engine(s: Setup, precision: str, backend: str = "auto") -> Explainer:
    """This engine at the given precision and backend, everything else at the defaults."""
    return Explainer(s.fresh_network(), device=DEVICE, precision=precision, backend=backend)


def explain(ex: Explainer, s: Setup, **kwargs: object) -> MethodResult:
    return ex.explain(s.rgb, target=s.target, fill="mean", weighting="paper", **kwargs)


@dataclass
class Limit:
    """The bare forward passes over the masked inputs the default engine evaluates."""

    model: torch.nn.Module
    device: torch.device
    precision: str
    batches: list[torch.Tensor] = field(default_factory=list)

    backend: str = "torch"
    openvino: Callable[[torch.Tensor], torch.Tensor] | None = None  # the compiled network
    # The inputs a reduced-precision run scores again in fp32 (methods/scorecam/rescore.py), and
    # what runs them (the engine's own fp32 pass)
    rescored: list[torch.Tensor] = field(default_factory=list)
    fp32: Callable[[torch.Tensor], torch.Tensor] | None = None

    @classmethod
    def record(cls, s: Setup, backend: str = "auto") -> Limit:
        """The passes of the default engine on `backend` (auto: whichever it settles on)."""
        ex = engine(s, "auto", backend)
        explain(ex, s)  # settles the backend and precision (auto's first-use check)
        limit = cls(_inference_model(ex), ex.device, ex.precision, backend=ex.backend)
        fast = ex.inference.fast
        limit.openvino = fast.compiled() if fast is not None and ex.backend == "openvino" else None
        batches = ex.inference.batches

        def recording(
            total: int, fill: Fill, needs: frozenset[str] = frozenset()
        ) -> Iterator[tuple[int, int, torch.Tensor]]:
            def keep(out: torch.Tensor, start: int, stop: int) -> None:
                fill(out, start, stop)
                limit.batches.append(out.clone(memory_format=torch.preserve_format))

            return batches(total, keep, needs)

        plain_fp32 = ex.inference.fp32_logits

        def rescoring(x: torch.Tensor) -> torch.Tensor:
            limit.rescored.append(x.clone())
            return plain_fp32(x)

        ex.inference.batches = recording  # type: ignore[method-assign]
        ex.inference.fp32_logits = rescoring  # type: ignore[method-assign]
        explain(ex, s)
        limit.fp32 = plain_fp32
        return limit

    def run(self) -> float:
        """Seconds of the passes alone, run as the engine runs them: on OpenVINO with as many in
        flight as the engine has (CompiledNetwork.submit), the inputs made beforehand."""
        total = 0.0
        with torch.inference_mode():
            if isinstance(self.openvino, CompiledNetwork):
                net = self.openvino
                t0 = time.perf_counter()
                pending: list[Pending] = []
                for xb in self.batches:
                    if len(pending) == net.depth:
                        pending.pop(0).result()
                    for running in pending:
                        running.advance()  # a bf16 head hands over to its tail, as in the engine
                    pending.append(net.submit(xb))
                for done in pending:
                    done.result()
                return time.perf_counter() - t0 + self._rescore()
            for xb in self.batches:
                _sync(self.device)
                t0 = time.perf_counter()
                if self.openvino is not None:
                    self.openvino(xb)
                else:
                    with devices.autocast(self.device, self.precision):
                        self.model(xb)
                _sync(self.device)
                total += time.perf_counter() - t0
        return total + self._rescore()

    def _rescore(self) -> float:
        """Seconds of the fp32 passes of the inputs scored again."""
        if self.fp32 is None or not self.rescored:
            return 0.0
        t0 = time.perf_counter()
        for x in self.rescored:
            self.fp32(x)
        _sync(self.device)
        return time.perf_counter() - t0


def _inference_model(ex: Explainer) -> torch.nn.Module:
    # The module the engine runs its masked passes through (it may prepare its own copy).
    getter = getattr(ex, "inference_model", None)
    return getter() if callable(getter) else ex.network.model


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    a = np.asarray(a, np.float64).ravel()
    b = np.asarray(b, np.float64).ravel()
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


# -- one case -------------------------------------------------------------------------------------
@dataclass
class Row:
    method: str
    times: list[float] = field(default_factory=list)
    corr: float | None = None
    peak_mb: float | None = None
    grew_mb: float | None = None
    maps: int | None = None
    note: str = ""
    # CPU seconds of this process (all its threads; a busy process beside is not counted): on a
    # loaded machine a steadier measure of the work than wall time
    cpu_times: list[float] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpu_times)


Measured = tuple[float, np.ndarray | None, int | None]  # seconds, map, masked passes run


def _timed(call: Callable[[], tuple[np.ndarray, int | None]], device: torch.device) -> Measured:
    _sync(device)
    t0 = time.perf_counter()
    sal, n_eval = call()
    _sync(device)
    return time.perf_counter() - t0, sal, n_eval


def methods_for(s: Setup) -> dict[str, Callable[[], Measured]]:
    """Name -> a call that runs the method once, timed."""
    ex32 = engine(s, "fp32", "torch")
    ex_default = engine(s, "auto")
    limit = Limit.record(s)
    n_limit = sum(b.shape[0] for b in limit.batches)
    dev = ex_default.device
    ex_torch = engine(s, "auto", "torch") if limit.backend != "torch" else None
    limit_torch = Limit.record(s, "torch") if ex_torch is not None else None

    def eng(ex: Explainer, approximate: int | None = None) -> Measured:
        def call() -> tuple[np.ndarray, int]:
            r = explain(ex, s, approximate=approximate)
            return r.saliency, r.maps_evaluated

        return _timed(call, dev)

    calls: dict[str, Callable[[], Measured]] = {
        "pytorch-grad-cam": lambda: _timed(lambda: (run_grad_cam(s), None), dev),
        "torch-cam": lambda: _timed(lambda: (run_torch_cam(s), None), dev),
        "engine fp32": lambda: eng(ex32),
        "engine default": lambda: eng(ex_default),
        "limit": lambda: (limit.run(), None, n_limit),
    }
    if ex_torch is not None and limit_torch is not None:
        n_torch = sum(b.shape[0] for b in limit_torch.batches)
        calls["engine torch"] = lambda: eng(ex_torch)
        calls["limit torch"] = lambda: (limit_torch.run(), None, n_torch)
    if BUSY and dev.type == "cpu":
        for name in [n for n in ("engine default", "engine torch") if n in calls]:
            quiet = calls[name]

            def busy(quiet: Callable[[], Measured] = quiet) -> Measured:
                with spinners(1):
                    return quiet()

            calls[f"{name}, 1 busy"] = busy
    if COMPILE:
        ex_compiled = Explainer(s.fresh_network(), device=DEVICE, compile_model=True)
        t0 = time.perf_counter()
        explain(ex_compiled, s)  # compiles; later runs reuse the compiled code
        s.compile_seconds = time.perf_counter() - t0
        if ex_compiled.compile_error is not None:
            print(f"  compiling failed: {ex_compiled.compile_error}", file=sys.stderr)
        calls["engine compiled"] = lambda: eng(ex_compiled)
    for n in APPROXIMATE:
        calls[f"approximate {n}"] = lambda n=n: eng(ex_default, n)
    return calls


def warm_up(s: Setup) -> None:
    # oneDNN builds its kernels per shape on first use: give every method one cheap pass at its
    # shapes so the first timed repeat does not pay for it (it is the same for all methods).
    with torch.inference_mode():
        model = s.fresh_model()
        model(s.x)
        model(s.x.expand(PEER_BATCH, -1, -1, -1).contiguous())
    ex = engine(s, "auto")
    explain(ex, s, approximate=ex.batch_size)
    ex = engine(s, "fp32", "torch")
    explain(ex, s, approximate=ex.batch_size)


def bench_case(case: Case, repeat: int, memory: bool) -> tuple[Setup, list[Row]]:
    load_before = os.getloadavg()[0]
    s = make_setup(case)
    calls = methods_for(s)
    warm_up(s)
    rows = {name: Row(name) for name in calls}
    maps: dict[str, np.ndarray | None] = {}
    for r in range(repeat):
        for name, call in calls.items():
            cpu0 = time.process_time()
            seconds, sal, n_eval = call()
            rows[name].cpu_times.append(time.process_time() - cpu0)
            rows[name].times.append(seconds)
            rows[name].maps = n_eval
            maps[name] = sal
            print(
                f"  [{case.key}] repeat {r + 1}/{repeat} {name}: {seconds:.2f} s",
                file=sys.stderr,
                flush=True,
            )
    ref = maps["engine fp32"]
    assert ref is not None
    for name, sal in maps.items():
        if sal is not None:
            rows[name].corr = correlation(sal, ref)
    rows["pytorch-grad-cam"].maps = rows["torch-cam"].maps = ref_maps(s)
    s.load = (load_before, os.getloadavg()[0])  # the timed part's, before the memory runs
    if memory:
        for name in calls:
            if name.startswith(("limit", "approximate")) or "compiled" in name or "busy" in name:
                continue
            rows[name].peak_mb, rows[name].grew_mb = measure_memory(case.key, name)
    return s, list(rows.values())


def ref_maps(s: Setup) -> int:
    module = s.layer_of(s.network.model)
    out: list[torch.Tensor] = []
    handle = module.register_forward_hook(lambda _m, _i, o: out.append(o))
    with torch.inference_mode():
        s.network.model(s.x.cpu())
    handle.remove()
    return int(out[0].shape[1])  # the peers score every map, constant ones included


# -- peak memory in a fresh process -------------------------------------------------------------
def _max_rss_mb() -> float:
    # VmHWM, not getrusage's ru_maxrss: a child started by fork/vfork and exec inherits its
    # parent's peak in ru_maxrss (so every child would report the benchmark's own peak).
    try:
        with open("/proc/self/status") as f:
            return next(int(ln.split()[1]) for ln in f if ln.startswith("VmHWM")) / 1024.0
    except (OSError, StopIteration):  # not Linux: ru_maxrss is bytes on macOS
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return rss / 2**20 if sys.platform == "darwin" else rss / 1024.0


def child(case_key: str, method: str) -> None:
    s = make_setup(next(c for c in CASES if c.key == case_key))
    run: Callable[[], object]
    if method == "pytorch-grad-cam":
        import pytorch_grad_cam  # noqa: F401  (its imports count as setup)

        run = lambda: run_grad_cam(s)  # noqa: E731
    elif method == "torch-cam":
        import torchcam.methods  # noqa: F401

        run = lambda: run_torch_cam(s)  # noqa: E731
    else:
        ex = {
            "engine fp32": lambda: engine(s, "fp32", "torch"),
            "engine torch": lambda: engine(s, "auto", "torch"),
        }.get(method, lambda: engine(s, "auto"))()
        run = lambda: explain(ex, s)  # noqa: E731
    before = _max_rss_mb()
    run()
    after = _max_rss_mb()
    print(json.dumps({"peak_mb": after, "grew_mb": after - before}))


def measure_memory(case_key: str, method: str) -> tuple[float | None, float | None]:
    proc = subprocess.run(
        [sys.executable, __file__, "--device", DEVICE, "--child", case_key, method],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        data = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        print(f"memory of {method} on {case_key} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None, None
    return data["peak_mb"], data["grew_mb"]


def command_line_peak_mb(runs: int = 3) -> list[float]:
    """Peak resident memory of `scorecam explain` on the sample photo (chelsea) at its defaults.

    The number `/usr/bin/time -v` prints ("Maximum resident set size"). A small launcher process
    starts the command and reads its children's rusage: Linux counts the memory a process had
    before exec in its peak, so a child forked straight from this large process would report
    this process's size.
    """
    from scorecam_gui import appdata

    launcher = (
        "import resource, subprocess, sys;"
        "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)"
    )
    peaks = []
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "scorecam_gui.cli.main", "explain"]
        command += [str(appdata.sample_photo_path()), "--out", out, "--device", DEVICE]
        for _ in range(runs):
            proc = subprocess.run(
                [sys.executable, "-c", launcher, *command], capture_output=True, text=True
            )
            kib, code = (int(v) for v in proc.stdout.split())
            if code != 0:
                raise RuntimeError(f"{' '.join(command)} failed ({code})")
            peaks.append(kib / 1024)  # KiB on Linux
    return peaks


def matmul_ceiling(precision: str) -> tuple[float, float]:
    """GFLOP/s of a 2048^3 matrix product in fp32 and in `precision` on DEVICE (best of 5).

    Convolutions run at most at about this rate, so their ratio bounds what a lower precision
    alone can gain over an fp32 peer.
    """
    device = torch.device(DEVICE)
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(precision, torch.float32)
    rates = []
    for dt_ in (torch.float32, dtype):
        a = torch.randn(2048, 2048, device=device, dtype=dt_)
        b = torch.randn(2048, 2048, device=device, dtype=dt_)
        best = float("inf")
        for _ in range(6):
            _sync(device)
            t = time.perf_counter()
            a @ b
            _sync(device)
            best = min(best, time.perf_counter() - t)
        rates.append(2 * 2048**3 / best / 1e9)
    return rates[0], rates[1]


# -- report ---------------------------------------------------------------------------------------
def _fmt(v: float | None, spec: str) -> str:
    return "–" if v is None or v != v else format(v, spec)


def table(s: Setup, rows: list[Row]) -> str:
    by = {r.method: r for r in rows}
    default = by["engine default"].seconds
    limit = by["limit"].seconds
    full = by["engine default"]
    ex = engine(s, "auto")
    explain(ex, s, approximate=ex.batch_size)  # settles auto's backend and precision
    lines = [
        f"### {s.case.title}: layer `{s.network.default_layer}`, class {s.target} "
        f"({s.network.categories[s.target]})",
        "",
        f"engine default = {ex.device.type}, {ex.backend}, {ex.precision}, "
        f"batch {ex.batch_size}; "
        f"{torch.get_num_threads()} threads; median of {len(full.times)} runs; load average "
        f"{s.load[0]:.2f} before, {s.load[1]:.2f} after",
        "",
        "| method | maps run | seconds | CPU s | peak RSS MB | grew MB | corr. with fp32 "
        "| engine default is faster by |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r.method == "limit":
            speed = f"overhead {default / limit:.3f}x"
        elif r.method == "limit torch":
            speed = f"overhead {by['engine torch'].seconds / r.seconds:.3f}x (engine torch)"
        elif r.method.endswith(", 1 busy"):
            quiet = by[r.method.removesuffix(", 1 busy")].seconds
            speed = f"{r.seconds / quiet:.2f}x its quiet time"
        elif r.method.startswith("approximate"):
            speed = f"approx. is {full.seconds / r.seconds:.1f}x faster"
        elif r.method == "engine default":
            speed = "1"
        elif r.method == "engine compiled":
            speed = f"compiled is {default / r.seconds:.2f}x faster (compiling: "
            speed += f"{s.compile_seconds or 0:.0f} s once)"
        else:
            speed = f"{r.seconds / default:.2f}x"
        lines.append(
            f"| {r.method} | {_fmt(r.maps, 'd')} | {r.seconds:.2f} | {r.cpu:.2f} "
            f"| {_fmt(r.peak_mb, '.0f')} "
            f"| {_fmt(r.grew_mb, '.0f')} | {_fmt(r.corr, '.5f')} | {speed} |"
        )
    return "\n".join(lines)


def targets(results: dict[str, dict[str, Row]], cli_peaks: list[float] | None) -> str:
    """Issue 4's and issue 22's targets, checked against this run."""
    lines = ["### Targets (issues 4 and 22)", ""]

    def speedup(key: str) -> float:
        by = results[key]
        return by["pytorch-grad-cam"].seconds / by["engine default"].seconds

    if "lite0-chelsea" in results:
        by = results["lite0-chelsea"]
        corr = by["engine default"].corr or 0.0
        ok = speedup("lite0-chelsea") >= 25 and corr >= 0.999
        cpu_ratio = by["pytorch-grad-cam"].cpu / by["engine default"].cpu
        lines.append(
            f"- EfficientNet-Lite0 on chelsea: {speedup('lite0-chelsea'):.1f}x faster than "
            f"pytorch-grad-cam (>= 25; in CPU time {cpu_ratio:.1f}x), correlation {corr:.5f} "
            f"(>= 0.999): {'met' if ok else 'NOT met'}"
        )
        if "engine default, 1 busy" in by:
            ratio = by["engine default, 1 busy"].seconds / by["engine default"].seconds
            lines.append(
                f"- the same with one other busy process: {ratio:.2f}x its quiet time (<= 2): "
                f"{'met' if ratio <= 2 else 'NOT met'}"
            )
        if "engine torch, 1 busy" in by:
            ratio = by["engine torch, 1 busy"].seconds / by["engine torch"].seconds
            lines.append(f"- on torch with one other busy process: {ratio:.2f}x its quiet time")
    if "resnet18" in results:
        ok = speedup("resnet18") >= 2.5
        lines.append(
            f"- ResNet-18: {speedup('resnet18'):.2f}x faster than pytorch-grad-cam (>= 2.5): "
            f"{'met' if ok else 'NOT met'}"
        )
        by = results["resnet18"]
        if "engine compiled" in by:
            ratio = by["pytorch-grad-cam"].seconds / by["engine compiled"].seconds
            lines.append(
                f"- ResNet-18 with `--compile`, once compiled: {ratio:.2f}x faster than "
                f"pytorch-grad-cam (>= 2.5): {'met' if ratio >= 2.5 else 'NOT met'}"
            )
    worst = max(by["engine default"].seconds / by["limit"].seconds for by in results.values())
    lines.append(
        f"- overhead over the limit row, worst case: {worst:.3f}x (<= 1.10): "
        f"{'met' if worst <= 1.10 else 'NOT met'}"
    )
    if cli_peaks:
        peak = max(cli_peaks)
        runs = ", ".join(f"{p:.0f}" for p in cli_peaks)
        lines.append(
            f"- peak resident memory of `scorecam explain` on chelsea, highest of {len(cli_peaks)} "
            f"runs: {peak:.0f} MB ({runs}) (<= 900): {'met' if peak <= 900 else 'NOT met'}"
        )
    return "\n".join(lines) + "\n"


def machine() -> str:
    return (
        f"{devices.cpu_description()}, {os.cpu_count()} CPUs, ATen {devices.cpu_capability()}, "
        f"native bf16 {'yes' if devices.cpu_has_fast_bf16() else 'no'}, torch {torch.__version__}, "
        f"Python {platform.python_version()}, OpenVINO {_openvino_version()}, "
        f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}"
    )


def _openvino_version() -> str:
    from scorecam_gui.engine.runtime import openvino as openvino_backend

    if not openvino_backend.installed():
        return "not installed"
    import openvino as ov

    bf16 = "native bf16" if openvino_backend.shared().native_bf16() else "no native bf16"
    return f"{ov.get_version()} ({bf16})"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help=f"only {' and '.join(QUICK)}")
    p.add_argument("--repeat", type=int, default=3, help="timed runs of every method (median)")
    p.add_argument("--cases", nargs="+", choices=[c.key for c in CASES], help="pick cases")
    p.add_argument("--no-memory", action="store_true", help="skip the peak-memory subprocesses")
    p.add_argument("--json", metavar="FILE", help="also write the raw numbers as JSON")
    p.add_argument("--device", default="cpu", help="cpu (default), cuda or mps")
    p.add_argument("--compile", action="store_true", help="also time the engine with torch.compile")
    p.add_argument("--no-busy", action="store_true", help="skip the rows with a busy process")
    p.add_argument("--child", nargs=2, metavar=("CASE", "METHOD"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    global DEVICE, COMPILE, BUSY
    DEVICE, COMPILE, BUSY = args.device, args.compile, not args.no_busy
    if args.child:
        child(*args.child)
        return 0
    keys = args.cases or (QUICK if args.quick else [c.key for c in CASES])
    cases = [c for c in CASES if c.key in keys]
    argv_text = " ".join(sys.argv[1:])
    print(f"Score-CAM benchmark, {dt.date.today().isoformat()}, {machine()}")
    print(f"command: python benchmarks/bench_scorecam.py {argv_text}".rstrip())
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    precision = devices.resolve_precision("auto", torch.device(DEVICE))
    if precision != "fp32":
        fp32_rate, low_rate = matmul_ceiling(precision)
        print(
            f"matrix product ceiling: fp32 {fp32_rate:.0f} GFLOP/s, {precision} {low_rate:.0f} "
            f"GFLOP/s: {precision} alone can be at most about {low_rate / fp32_rate:.2f}x faster"
        )
    print()
    raw = []
    results: dict[str, dict[str, Row]] = {}
    for case in cases:
        s, rows = bench_case(case, max(1, args.repeat), not args.no_memory)
        results[case.key] = {r.method: r for r in rows}
        print(table(s, rows) + "\n", flush=True)
        raw.append({"case": case.key, "rows": [r.__dict__ | {"seconds": r.seconds} for r in rows]})
    cli_peaks = None if args.no_memory else command_line_peak_mb()
    print(targets(results, cli_peaks))
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(raw, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
