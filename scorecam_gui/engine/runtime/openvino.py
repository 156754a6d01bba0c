"""The masked passes on OpenVINO's CPU runtime (the `openvino` backend of
engine/runtime/inference.py).

Score-CAM's masked passes need only the network's logits, so one compiled model per network
serves every layer and photo: it is cached in memory per network (and weights version and
precision), and its converted form on disk (keyed by the weights' SHA-256, the network's class and
input size, this package's and OpenVINO's versions), so that a new `scorecam` process skips the
conversion (about 5 s for EfficientNet-Lite0 on 2 cores) and only compiles (under 1 s).

OpenVINO is optional: `installed()` says whether it can be imported; everything that needs it
imports it inside, so the engine loads without it. What OpenVINO keeps for the whole process (its
Core, the compiled networks, whether a pass ever got stuck) lives in one `OpenVinoRuntime` object
(`shared()`), not in module globals, so a test or a second engine can have its own.

Measured on this project's 2-core Xeon (docs/speed.md): EfficientNet-Lite0 at batch 8 ran 2.7x
faster than the engine's torch fast copy in fp32 and 3-4x in bf16, and its (TBB) threads do not
collapse when the CPU is shared.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import itertools
import json
import logging
import math
import os
import shutil
import tempfile
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import torch
from torch import nn

from ... import __version__
from ..models.types import Network, class_scores
from .rewrite import params_version

log = logging.getLogger(__name__)

# OpenVINO's names for the precisions of the masked passes.
HINTS = MappingProxyType({"fp32": "f32", "bf16": "bf16"})
CACHE_ENV = "SCORECAM_CACHE_DIR"  # where converted models are kept (default: the user's cache)


class OpenVinoError(RuntimeError):
    """OpenVINO could not convert or compile the network."""


def installed() -> bool:
    """True if the openvino package can be imported."""
    try:
        return importlib.util.find_spec("openvino") is not None
    except (ImportError, ValueError):
        return False


def cache_dir() -> Path:
    """The folder of converted models: SCORECAM_CACHE_DIR, else the user's cache folder."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]) / "openvino"
    from platformdirs import user_cache_dir

    from ...logs import APP_DIR_NAME

    return Path(user_cache_dir(APP_DIR_NAME, appauthor=False)) / "openvino"


class _Logits(nn.Module):
    """The network's class scores alone, the one output the masked passes read."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return class_scores(self.model(x)).float()


def _fingerprint(network: Network) -> str:
    """A key for the network's converted form: its class, input size, weights and versions."""
    import openvino as ov

    model = network.model
    h = hashlib.sha256()
    cls = type(model)
    head = [cls.__module__, cls.__qualname__, network.info.input_size, __version__]
    h.update(json.dumps([*head, ov.get_version(), torch.__version__]).encode())
    for name, t in model.state_dict().items():
        h.update(f"{name}{tuple(t.shape)}{t.dtype}".encode())
        h.update(np.ascontiguousarray(t.detach().cpu().contiguous().numpy()).tobytes())
    return h.hexdigest()[:32]


def _convert(network: Network) -> Any:
    """The network's logits as an OpenVINO model (dynamic batch), traced from torch.

    Traced here and the TorchScript handed over: the same graph (identical logits) as handing
    OpenVINO the module, in a third of the time (EfficientNet-Lite0 on 2 busy cores: 0.9-1.3 s
    against 2.8-3.4 s), as the module path prepares and traces it again (the first start waits
    on this: issue 35, docs/speed.md)."""
    import warnings

    import openvino as ov

    size = network.info.input_size
    example = torch.rand(2, 3, size, size, generator=torch.Generator().manual_seed(0))
    mean = torch.tensor(network.info.mean).view(1, 3, 1, 1)
    std = torch.tensor(network.info.std).view(1, 3, 1, 1)
    example = (example - mean) / std
    shape = [ov.PartialShape([-1, 3, size, size])]
    logits = _Logits(network.model).eval()
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # torch.jit.trace's deprecation and tracer warnings
        try:
            traced: Any = torch.jit.trace(logits, example, check_trace=False)
        except Exception as exc:  # a module plain tracing refuses: OpenVINO's own way
            log.info("tracing for OpenVINO failed (%s): converting the module", exc)
            traced = logits
        return ov.convert_model(traced, example_input=example, input=shape)


# In bf16 the leading convolutions that together do at most this share of the network's
# convolution work run in fp32, as on torch (engine/runtime/rewrite.py): OpenVINO has no per-layer
# precision on the CPU, so the network is cut in two after them, where one tensor alone passes
# from the first part to the second. EfficientNet-Lite0 on chelsea, black fill, map correlation
# with torch fp32: 0.99884 all in bf16, 0.99949 with the stem and block 0 (5.4 %) in fp32.
FULL_PRECISION_SHARE = 0.06

# OpenVINO streams: passes that run at once, each on its own share of the cores, each batch split
# between them. Two streams of one thread each on this project's 2-core Xeon, against one stream
# on both cores (the latency mode), EfficientNet-Lite0 in bf16, 8 masked inputs (docs/speed.md):
# 10 % faster alone, and with one other busy process 1.27x their time alone against 1.72x (one
# stream's two threads wait for each other at every layer while one of them is descheduled).
STREAMS = 2
# Batches in flight at once (CompiledNetwork.submit): two, so that OpenVINO starts the next as
# soon as it finishes one while the caller builds the one after.
IN_FLIGHT = 2


def streams() -> int:
    """The streams to compile for: STREAMS, at most one per CPU."""
    return max(1, min(STREAMS, os.cpu_count() or 1))


def compile_options(precision: str, n_streams: int) -> dict[str, Any]:
    """The CPU plugin's settings for one compiled part at `precision` (fp32 or bf16)."""
    options: dict[str, Any] = {"INFERENCE_PRECISION_HINT": HINTS[precision]}
    if n_streams == 1:
        return options | {"PERFORMANCE_HINT": "LATENCY"}
    return options | {"PERFORMANCE_HINT": "THROUGHPUT", "NUM_STREAMS": n_streams}


def _conv_work(op: Any) -> int:
    """Multiply-adds of one image through a (group) convolution; 0 for other operations."""
    kind = op.get_type_name()
    if kind not in ("Convolution", "GroupConvolution"):
        return 0
    out, weights = op.get_output_partial_shape(0), op.input_value(1).get_partial_shape()
    dims = list(out)[1:]
    if any(d.is_dynamic for d in dims) or weights.is_dynamic:
        return 0
    w = [d.get_length() for d in weights]
    per_output = math.prod(w[1:] if kind == "Convolution" else w[2:])
    return math.prod(d.get_length() for d in dims) * per_output


def split_point(model: Any, share: float = FULL_PRECISION_SHARE) -> int | None:
    """Index (in get_ordered_ops) of the last operation within the first `share` of the
    convolution work whose one output is the only tensor later operations read from it or
    before it (constants aside); None if there is none."""
    ops = model.get_ordered_ops()
    position = {op.get_friendly_name(): i for i, op in enumerate(ops)}
    if len(position) != len(ops):
        return None  # names not unique: cannot map producers
    n = len(ops)
    first_read = []
    for op in ops:
        sources = [inp.get_source_output().get_node() for inp in op.inputs()]
        reads = [
            position[s.get_friendly_name()] for s in sources if s.get_type_name() != "Constant"
        ]
        first_read.append(min(reads, default=n))
    later = [n] * (n + 1)  # later[i]: the earliest operation read by operations i and after
    for j in range(n - 1, -1, -1):
        later[j] = min(later[j + 1], first_read[j])
    work = [_conv_work(op) for op in ops]
    total, done, best = sum(work), 0, None
    for i, op in enumerate(ops):
        done += work[i]
        if done > share * total:
            break
        if (
            done
            and op.get_output_size() == 1
            and op.get_type_name() not in ("Constant", "Parameter")
        ) and later[i + 1] >= i:
            best = i
    return best


def _split(model: Any, at: int) -> tuple[Any, Any]:
    """The model as two: operations up to `at` (whose output becomes the first's result), and
    the rest (reading it as their parameter)."""
    import openvino as ov

    head_model = model.clone()
    cut = head_model.get_ordered_ops()[at]
    head = ov.Model([ov.opset13.result(cut.output(0))], head_model.get_parameters(), "head")
    tail_model = model.clone()
    cut = tail_model.get_ordered_ops()[at]
    param = ov.opset13.parameter(cut.get_output_partial_shape(0), cut.get_output_element_type(0))
    for target in list(cut.output(0).get_target_inputs()):
        target.replace_source_output(param.output(0))
    return head, ov.Model(tail_model.get_results(), [param], "tail")


# A wait on one pass that lasts longer than this means OpenVINO has stopped responding: the run
# goes on on torch (OpenVinoStuck) instead of hanging. A batch of 8 through VGG-16 on a slow
# 2-core laptop takes a few seconds, ten times that with the CPU shared; this is far beyond.
STUCK_SECONDS = 120.0


class OpenVinoStuck(RuntimeError):
    """A pass on OpenVINO did not finish within STUCK_SECONDS."""


def _wait(request: Any) -> None:
    if not request.wait_for(int(STUCK_SECONDS * 1000)):
        raise OpenVinoStuck(_stuck_message())


def _stuck_message() -> str:
    return f"a pass on OpenVINO took longer than {STUCK_SECONDS:g} s"


class Pending:
    """A batch's passes on OpenVINO, started by CompiledNetwork.submit: one chain of infer
    requests (one per compiled part) per stream, each on its share of the batch. OpenVINO runs
    them on its own threads; this side only starts and waits (no Python thread of ours)."""

    def __init__(self, net: CompiledNetwork, chains: list[list[Any]], parts: list[Any]) -> None:
        self.net = net
        self.chains = chains
        self.parts = parts  # the arrays the first requests read (share_inputs)
        self.stage = [0] * len(chains)  # the part each chain runs now
        self.done = False

    def advance(self) -> None:
        """Start the next part of every chain whose current part is done, without waiting:
        the fp32 head of a bf16 network hands over to its tail while the caller works."""
        for i, chain in enumerate(self.chains):
            while self.stage[i] + 1 < len(chain) and chain[self.stage[i]].wait_for(0):
                self._hand_over(i)

    def _hand_over(self, i: int) -> None:
        chain, at = self.chains[i], self.stage[i]
        out = chain[at].get_output_tensor(0)
        chain[at + 1].start_async({0: out}, share_inputs=True)
        self.stage[i] = at + 1

    def result(self) -> torch.Tensor:
        """The batch's fp32 logits, once its passes are done. Raises OpenVinoStuck when one of
        them does not finish (the requests are then abandoned, never reused)."""
        try:
            for i, chain in enumerate(self.chains):
                while True:
                    _wait(chain[self.stage[i]])
                    if self.stage[i] + 1 == len(chain):
                        break
                    self._hand_over(i)
            logits = [
                torch.from_numpy(np.array(c[-1].get_output_tensor(0).data, np.float32, copy=True))
                for c in self.chains
            ]
        except OpenVinoStuck:
            self.abandon()
            raise
        self._release()
        return logits[0] if len(logits) == 1 else torch.cat(logits)

    def wait(self) -> None:
        """Until the passes started are done, whatever their outcome (bounded as in result)."""
        try:
            for i, chain in enumerate(self.chains):
                _wait(chain[self.stage[i]])
        except OpenVinoStuck:
            self.abandon()
            return
        self._release()

    def _release(self) -> None:
        if not self.done:
            self.done = True
            self.net.give_back(self.chains)

    def abandon(self) -> None:
        """Give these passes up without waiting (one of them, or another pass, is stuck): their
        requests and arrays are kept aside, never reused."""
        if self.done:
            return
        self.done = True
        for chain in self.chains:
            for request in chain:
                with contextlib.suppress(Exception):  # best effort on a runtime that is stuck
                    request.cancel()
        self.net.runtime.abandon(self.net, (self.chains, self.parts))


@dataclass
class CompiledNetwork:
    """One network compiled for OpenVINO's CPU plugin at one precision: one compiled model, or
    in bf16 two (the leading convolutions in fp32, then the rest), each for `streams` streams.

    `submit` starts a batch's passes asynchronously (OpenVINO's own threads run them), split
    between the streams, so that the caller builds the next batch meanwhile; `depth` batches
    may be in flight at once, each part on a chain of infer requests of its own.
    """

    compiled: list[Any]  # openvino.CompiledModel, run one after the other
    precision: str  # fp32, bf16 or int8
    folder: Path | None  # its disk cache entry (None: not cached)
    runtime: OpenVinoRuntime  # the process's OpenVINO state it belongs to
    agreement: float | None = None  # the first-use check's correlation with torch fp32
    streams: int = 1  # OpenVINO streams: a batch runs in as many parts at once
    depth: int = IN_FLIGHT  # batches the caller keeps in flight at once

    def __post_init__(self) -> None:
        # Free chains of requests (one request per compiled part). Two runners may share this
        # network (the cache), each from its own thread: the lock guards the free list only.
        self._lock = threading.Lock()
        self._free = [self._new_chain() for _ in range(self.streams * self.depth)]

    def _new_chain(self) -> list[Any]:
        return [c.create_infer_request() for c in self.compiled]

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """fp32 logits of a normalised (N, 3, S, S) batch on the CPU."""
        return self.submit(x.detach().cpu().contiguous()).result()

    def submit(self, x: torch.Tensor) -> Pending:
        """Start the passes of a normalised (N, 3, S, S) contiguous CPU batch, one part per
        stream. OpenVINO reads `x` until they are done: leave it alone till then."""
        value = x.detach().numpy()
        n = len(value)
        cuts = [n * i // self.streams for i in range(self.streams + 1)]
        parts = [value[a:b] for a, b in itertools.pairwise(cuts) if b > a]
        with self._lock:
            chains = [self._free.pop() if self._free else self._new_chain() for _ in parts]
        for chain, part in zip(chains, parts, strict=True):
            chain[0].start_async({0: part}, share_inputs=True)
        return Pending(self, chains, parts)

    def give_back(self, chains: list[list[Any]]) -> None:
        with self._lock:
            self._free.extend(chains)

    def free_chains(self) -> int:
        """Chains of requests not in use (the tests check that none is left running)."""
        with self._lock:
            return len(self._free)

    def store_agreement(self, value: float) -> None:
        """Keep the first-use check's result with the disk cache entry (best effort)."""
        self.agreement = value
        if self.folder is None:
            return
        path = self.folder / "checks.json"
        try:
            data = json.loads(path.read_text()) if path.is_file() else {}
            data[self.precision] = value
            tmp = path.with_name(f".checks-{os.getpid()}.json")
            tmp.write_text(json.dumps(data))
            os.replace(tmp, path)
        except (OSError, ValueError):
            pass


class OpenVinoRuntime:
    """What OpenVINO keeps for a whole process: its Core, each network's converted form on disk
    and compiled form in memory, how many conversions and compilations ran (the tests count
    them), and whether a pass ever stopped responding (`auto` then stays on torch)."""

    def __init__(self) -> None:
        self._core: Any = None
        # network module -> (weights version, its disk cache folder or None)
        self._folders: weakref.WeakKeyDictionary[nn.Module, tuple[int, Path | None]] = (
            weakref.WeakKeyDictionary()
        )
        # network module -> {(weights version, input size, precision): compiled}
        self._compiled: weakref.WeakKeyDictionary[
            nn.Module, dict[tuple[int, int, str], CompiledNetwork]
        ] = weakref.WeakKeyDictionary()
        self.conversions = 0  # models converted from torch
        self.compilations = 0  # compiled for the CPU plugin
        self.quantizations = 0  # quantized to INT8 by NNCF
        self.stuck_reason: str | None = None  # why a pass stopped responding, if one did
        # The requests of passes that never finished, with the arrays they read: kept, never
        # reused (OpenVINO may still write into them).
        self._abandoned: list[object] = []

    def core(self) -> Any:
        if self._core is None:
            import openvino as ov

            self._core = ov.Core()
        return self._core

    def native_bf16(self) -> bool:
        """True where OpenVINO's CPU plugin runs bfloat16 natively (AVX-512-BF16 or AMX)."""
        try:
            return "BF16" in self.core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")
        except Exception:  # no CPU plugin: no bf16
            return False

    def auto_precision(self) -> str:
        """`auto` on OpenVINO: bf16 where the CPU has it natively, fp32 elsewhere. Native means
        for OpenVINO and for the CPU's flags both (device.cpu_class, which also honours
        ONEDNN_MAX_CPU_ISA=AVX2 as an AVX2-only CPU)."""
        from .device import cpu_has_fast_bf16

        return "bf16" if self.native_bf16() and cpu_has_fast_bf16() else "fp32"

    def _cache_folder(self, network: Network) -> Path | None:
        """The network's disk cache entry (it may not exist yet); None where there can be none."""
        model = network.model
        version = params_version(model)
        known = self._folders.get(model)
        if known is not None and known[0] == version:
            return known[1]
        try:
            folder: Path | None = cache_dir() / _fingerprint(network)
        except Exception as exc:  # weights that cannot be read as bytes: no disk cache
            log.info("no OpenVINO disk cache for this network (%s)", exc)
            folder = None
        self._folders[model] = (version, folder)
        return folder

    def stored_agreement(self, network: Network, precision: str) -> float | None:
        """The first-use check's result for the network at `precision`, if an earlier run
        stored it."""
        folder = self._cache_folder(network)
        if folder is None:
            return None
        try:
            data = json.loads((folder / "checks.json").read_text())
            value = data.get(precision)
            return float(value) if isinstance(value, int | float) else None
        except (OSError, ValueError, AttributeError):
            return None

    def _load_or_convert(self, network: Network) -> tuple[Any, Path | None]:
        """The converted model, from the disk cache when it holds this network, else converted (and
        stored there; a cache that cannot be written is skipped). Also returns its cache folder."""
        import openvino as ov

        folder = self._cache_folder(network)
        if folder is not None and (folder / "model.xml").is_file():
            try:
                return self.core().read_model(str(folder / "model.xml")), folder
            except Exception as exc:  # a damaged cache entry: convert again
                log.info("OpenVINO cache entry %s unreadable (%s): converting again", folder, exc)
        model = _convert(network)
        self.conversions += 1
        if folder is not None:
            try:
                folder.parent.mkdir(parents=True, exist_ok=True)
                tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
                ov.save_model(model, str(tmp / "model.xml"), compress_to_fp16=False)
                try:
                    os.replace(tmp, folder)  # whole, or not at all
                except OSError:  # another process stored it first
                    shutil.rmtree(tmp, ignore_errors=True)
            except OSError as exc:
                log.info("could not store the converted model in %s (%s)", folder, exc)
        return model, folder

    def _quantized(self, network: Network, converted: Any, folder: Path | None) -> Any:
        """The converted model quantized to INT8 (engine/runtime/int8.py), from the disk cache
        entry when it holds it (per NNCF version), else quantized and stored there."""
        import openvino as ov

        from . import int8

        name = f"int8-nncf{int8.nncf_version()}"
        if folder is not None and (folder / f"{name}.xml").is_file():
            try:
                return self.core().read_model(str(folder / f"{name}.xml"))
            except Exception as exc:  # a damaged entry: quantize again
                log.info("INT8 cache entry in %s unreadable (%s): quantizing again", folder, exc)
        quantized = int8.quantize(converted, network)
        self.quantizations += 1
        if folder is not None:
            tmp = f".{name}-{os.getpid()}"  # its .bin is named after its .xml
            try:
                ov.save_model(quantized, str(folder / f"{tmp}.xml"), compress_to_fp16=False)
                # The weights first: an .xml on disk always has its .bin
                os.replace(folder / f"{tmp}.bin", folder / f"{name}.bin")
                os.replace(folder / f"{tmp}.xml", folder / f"{name}.xml")
            except Exception as exc:  # best effort: the next process quantizes again
                log.info("could not store the INT8 model in %s (%s)", folder, exc)
        return quantized

    def compiled_network(self, network: Network, precision: str) -> CompiledNetwork:
        """The network compiled for the CPU at `precision` (fp32, bf16 or int8), from this runtime's
        cache when it has it: the masked passes need only the logits, so the layer and photo do
        not matter. Raises OpenVinoError when OpenVINO cannot convert or compile it."""
        model = network.model
        key = (params_version(model), network.info.input_size, precision)
        per_model = self._compiled.setdefault(model, {})
        if key in per_model:
            return per_model[key]
        try:
            converted, folder = self._load_or_convert(network)
            hint, at = precision, None
            if precision == "int8":
                # NNCF's INT8 network; the operations it left in the CPU's fast format (bf16
                # where native: GoogLeNet's and SqueezeNet's INT8 passes 1.3x faster than with
                # fp32, Lite0's 1.1x, ResNet-18's the same; docs/speed.md)
                converted = self._quantized(network, converted, folder)
                hint = self.auto_precision()
            elif precision != "fp32":
                at = split_point(converted)
            parts = [(converted, hint)] if at is None else []
            if at is not None:
                head, tail = _split(converted, at)
                parts = [(head, "fp32"), (tail, hint)]
            self.compilations += 1
            n_streams = streams()
            compiled = [
                self.core().compile_model(part, "CPU", compile_options(p, n_streams))
                for part, p in parts
            ]
        except Exception as exc:  # tracing or conversion failed: the caller falls back
            first_line = (str(exc).strip().splitlines() or [""])[0]
            raise OpenVinoError(f"{type(exc).__name__}: {first_line}") from exc
        built = CompiledNetwork(
            compiled, precision, folder, self, streams=n_streams, depth=IN_FLIGHT
        )
        for old in [k for k in per_model if k[0] != key[0]]:
            del per_model[old]  # older weights versions are of no further use (the other
            # precision of these weights is: Score-CAM rescores its heaviest maps in fp32)
        per_model[key] = built
        return built

    def abandon(self, net: CompiledNetwork, leftovers: object) -> None:
        """A pass of `net` stopped responding: keep its requests and arrays aside for good, drop
        `net` (the next use compiles anew) and remember it (`auto` takes torch from now on)."""
        self.stuck_reason = _stuck_message()
        self._abandoned.append((leftovers, net))
        for per_model in list(self._compiled.values()):
            for key, value in list(per_model.items()):
                if value is net:
                    del per_model[key]


@functools.cache
def shared() -> OpenVinoRuntime:
    """The process's OpenVINO runtime, made on first use."""
    return OpenVinoRuntime()


def agreement(got: torch.Tensor, want: torch.Tensor) -> float:
    """Correlation of two batches' logits as Score-CAM reads them: each class's logits minus
    their mean over the batch (the softmax weights ignore a shift shared by the batch); the raw
    logits for a batch of one. 1.0 for identical batches."""
    g, w = got.double(), want.double()
    if len(g) > 1:
        g, w = g - g.mean(0), w - w.mean(0)
    g, w = g.flatten(), w.flatten()
    g, w = g - g.mean(), w - w.mean()
    denominator = float(g.norm() * w.norm())
    if denominator == 0.0:
        return 1.0 if torch.equal(g, w) else 0.0
    return float((g @ w) / denominator)
