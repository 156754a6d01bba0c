"""ONNX classifiers (`--model FILE.onnx`) converted to torch modules with onnx2torch.

Converted, an ONNX model is a torch.fx GraphModule whose submodules are named after the ONNX
nodes (`layer4/layer4.1/relu_1/Relu`, or a MATLAB layer's name): forward hooks, batching, bf16,
BatchNorm folding and Grad-CAM's gradients all work as for any network. onnxruntime with the
layer exposed as an extra graph output was measured against it (benchmarks/bench_onnx.py;
docs/models.md) and has no gradients, so Grad-CAM could not run on it.

Input size, normalisation and class names come from the file's metadata_props where it has them
(keys in METADATA_KEYS), the input size also from a fixed input shape; the command line's
--input-size/--mean/--std override the file, and fill in what it does not say.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from .. import safe_read
from . import onnx_limits
from .layers import find_default_layer
from .types import InputOptions, Network, NetworkError, NetworkInfo, WeightsError
from .weights import default_labels, read_labels

if TYPE_CHECKING:
    import onnx

INSTALL_HINT = "ONNX support is not installed: pip install 'scorecam-gui[onnx]'"
# metadata_props keys read (any case, with or without a "scorecam." prefix).
METADATA_KEYS = {
    "input_size": "one number (224) or height,width of equal values",
    "mean": "three numbers, the per-channel mean of pixels scaled to [0, 1]",
    "std": "three numbers, the per-channel standard deviation of the same",
    "labels": "the class names, as a JSON list or one a line",
}
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class ModelFileError(WeightsError):
    """A model file that cannot be used; the message is one line naming the file."""


def _fail(path: Path, reason: str) -> ModelFileError:
    return ModelFileError(f"{path.name}: {reason}.", path)


def _onnx() -> Any:
    try:
        import onnx
        import onnx2torch  # type: ignore[import-untyped]  # noqa: F401
    except ImportError as exc:
        raise NetworkError(INSTALL_HINT) from exc
    return onnx


def read_onnx(path: Path) -> onnx.ModelProto:
    """The parsed file with its external data (read from the file's own folder), or one line
    saying why it is not an ONNX model this app opens (see engine/onnx_limits.py)."""
    onnx = _onnx()
    try:
        data = safe_read.read_bytes(path, safe_read.MODEL_LIMIT)
    except safe_read.FileRefused as exc:
        raise _fail(path, exc.reason) from exc
    except OSError as exc:
        raise _fail(path, (exc.strerror or str(exc)).lower()) from exc
    try:
        model = onnx.load_model_from_string(data)
    except Exception as exc:  # protobuf's DecodeError and friends
        raise _fail(path, "not an ONNX model (the file is truncated or of another kind)") from exc
    del data
    if not model.graph.node or not model.graph.output:
        raise _fail(path, "not an ONNX model (the file is truncated or of another kind)")
    try:
        onnx_limits.check_graph(model)
        onnx_limits.load_external_data(model, path.parent)
    except onnx_limits.Refused as exc:
        raise _fail(path, str(exc)) from exc
    return model


def metadata(model: onnx.ModelProto) -> dict[str, str]:
    """metadata_props with keys lower-cased and any "scorecam." prefix removed."""
    out = {}
    for prop in model.metadata_props:
        key = prop.key.strip().lower().removeprefix("scorecam.")
        out[key] = prop.value
    return out


def _image_input(path: Path, model: onnx.ModelProto) -> tuple[str, list[int | None]]:
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in initializers]
    if len(inputs) != 1:
        names = ", ".join(i.name for i in inputs)
        raise _fail(path, f"it has {len(inputs)} inputs ({names}); Score-CAM needs one image")
    dims: list[int | None] = [
        d.dim_value if d.HasField("dim_value") else None
        for d in inputs[0].type.tensor_type.shape.dim
    ]
    if len(dims) != 4:
        raise _fail(path, f"its input has {len(dims)} dimensions; images need 4 (N, 3, H, W)")
    if dims[1] not in (3, None):
        if dims[3] == 3:
            raise _fail(
                path,
                "its input is channels-last (N, H, W, 3): export it channels-first "
                "(tf2onnx: --inputs-as-nchw INPUT_NAME)",
            )
        raise _fail(path, f"its input has {dims[1]} channels, not 3 (RGB)")
    return inputs[0].name, dims


def _numbers(path: Path, text: str, n: int, what: str) -> tuple[float, ...]:
    try:
        values = tuple(float(v) for v in text.replace(",", " ").split())
    except ValueError:
        values = ()
    shown = _shown(text)
    if len(values) != n or not all(math.isfinite(v) for v in values):
        raise _fail(path, f"its metadata '{what}' is '{shown}', not {n} finite numbers")
    if what == "std" and min(values) <= 0:
        raise _fail(path, f"its metadata 'std' is '{shown}': a standard deviation must be above 0")
    return values


def _shown(text: str, limit: int = 60) -> str:
    """Metadata as one short line of the message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _input_size(path: Path, dims: list[int | None], meta: dict[str, str], given: int | None) -> int:
    if given is not None:
        return given
    limit = onnx_limits.INPUT_SIZE_LIMIT
    if "input_size" in meta:
        text = meta["input_size"]
        try:
            values = {float(v) for v in text.replace(",", " ").replace("x", " ").split()}
        except ValueError:
            values = set()
        if len(values) != 1 or not all(math.isfinite(v) and v >= 1 for v in values):
            raise _fail(
                path, f"its metadata input_size '{_shown(text)}' is not one size (224 or 224,224)"
            )
        size = int(values.pop())
        if size > limit:
            raise _fail(path, f"its metadata input_size {size} is larger than {limit} pixels")
        return size
    h, w = dims[2], dims[3]
    if h is not None and w is not None:
        if h != w:
            raise _fail(path, f"its input is {h} x {w}: only square inputs are supported")
        if h > limit:
            raise _fail(path, f"its input is {h} x {w}, larger than {limit} x {limit} pixels")
        return h
    raise _fail(path, "its input size is not fixed and its metadata has none: give --input-size N")


def _labels(path: Path, n: int, meta: dict[str, str], labels_file: str | Path | None) -> list[str]:
    if labels_file is not None:
        return read_labels(labels_file, n)
    text = meta.get("labels") or meta.get("class_names")
    if text:
        try:
            names = json.loads(text)
        except (json.JSONDecodeError, RecursionError):  # one a line, or nested too deep
            names = [line.strip() for line in text.splitlines() if line.strip()]
        if not isinstance(names, list) or not all(isinstance(v, str | int | float) for v in names):
            raise _fail(path, "its metadata labels are not a list of class names")
        if len(names) == n:
            return [str(v) for v in names]
        raise _fail(path, f"its metadata has {len(names)} labels for {n} classes")
    return default_labels(n)


def _inline_constants(model: onnx.ModelProto) -> None:
    """Constant nodes, and Identity nodes of initializers, become initializers.

    onnx2torch reads weights and biases only from initializers; torch's exporter shares equal
    tensors through Identity nodes, and other tools write weights as Constant nodes.
    """
    import onnx

    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    keep = []
    for node in graph.node:
        source = None
        if node.op_type == "Constant" and [a.name for a in node.attribute] == ["value"]:
            source = node.attribute[0].t
        elif node.op_type == "Identity" and node.input[0] in inits:
            source = inits[node.input[0]]
        if source is None:
            keep.append(node)
            continue
        tensor = onnx.TensorProto()
        tensor.CopyFrom(source)
        tensor.name = node.output[0]
        graph.initializer.append(tensor)
        inits[tensor.name] = tensor
    del graph.node[:]
    graph.node.extend(keep)


def _convert(path: Path, model: onnx.ModelProto) -> nn.Module:
    """onnx2torch's conversion; a model of a newer opset than onnx2torch knows (torch's exporter
    writes opset 18+ by default, whose ReduceMean it lacks) is first converted to opset 17."""
    import onnx
    from onnx2torch import convert  # type: ignore[import-untyped]

    _inline_constants(model)
    try:
        return convert(model)
    except NotImplementedError as exc:
        opsets = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")]
        opset = max(opsets, default=0)
        if opset <= _OPSET_ONNX2TORCH:
            raise _unsupported(path, exc) from exc
        try:
            older = onnx.version_converter.convert_version(model, _OPSET_ONNX2TORCH)
            return convert(older)
        except NotImplementedError as again:
            raise _unsupported(path, again) from again
        except Exception:
            raise _unsupported(path, exc) from exc
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise _fail(path, f"it could not be converted ({type(exc).__name__}: {first})") from exc


_OPSET_ONNX2TORCH = 17  # the newest opset whose operators onnx2torch 1.5 converts


def _unsupported(path: Path, exc: NotImplementedError) -> ModelFileError:
    found = re.search(r"operation_type='([^']+)', version=(\d+)", str(exc))
    what = f"{found[1]} (opset {found[2]})" if found else str(exc)
    return _fail(path, f"onnx2torch cannot convert its operator {what}")


class _OneAtATime(nn.Module):
    """Runs a model exported for batch size 1 on each image of a batch in turn."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.model(x[i : i + 1]) for i in range(x.shape[0])])


def _first_output(out: object) -> object:
    return out[0] if isinstance(out, tuple | list) and out else out


def _check_output(path: Path, model: nn.Module, size: int) -> tuple[nn.Module, int]:
    """The model (wrapped if it takes one image at a time) and its number of classes."""
    try:
        with torch.inference_mode():
            one = _first_output(model(torch.zeros(1, 3, size, size)))
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise _fail(path, f"it does not run on a 1 x 3 x {size} x {size} image ({first})") from exc
    if not isinstance(one, torch.Tensor) or one.dim() != 2 or one.shape[0] != 1 or one.shape[1] < 2:
        shape = " x ".join(map(str, one.shape)) if isinstance(one, torch.Tensor) else "no tensor"
        raise _fail(path, f"its output is {shape}, not a vector of class scores (N x classes)")
    try:
        with torch.inference_mode():
            two = _first_output(model(torch.zeros(2, 3, size, size)))
        batched = isinstance(two, torch.Tensor) and tuple(two.shape) == (2, one.shape[1])
    except Exception:
        batched = False
    return (model if batched else _OneAtATime(model)), int(one.shape[1])


def load_onnx(
    path: str | Path, labels_file: str | Path | None = None, options: InputOptions | None = None
) -> Network:
    """An ONNX classifier as a Network: converted, its input and output checked."""

    file = Path(path)
    options = options or InputOptions()
    model_proto = read_onnx(file)
    meta = metadata(model_proto)
    name, dims = _image_input(file, model_proto)
    size = _input_size(file, dims, meta, options.input_size)
    try:
        onnx_limits.check_shapes(model_proto, name, size)
    except onnx_limits.Refused as exc:
        raise _fail(file, str(exc)) from exc
    mean = options.mean or (
        _numbers(file, meta["mean"], 3, "mean") if "mean" in meta else IMAGENET_MEAN
    )
    std = options.std or (_numbers(file, meta["std"], 3, "std") if "std" in meta else IMAGENET_STD)
    module = _convert(file, model_proto).eval()
    module, n = _check_output(file, module, size)
    info = NetworkInfo(
        name=str(file),
        title=file.name,
        default_layer=None,
        input_size=size,
        mean=tuple(float(v) for v in mean),  # type: ignore[arg-type]
        std=tuple(float(v) for v in std),  # type: ignore[arg-type]
        bundled=False,
        weights_url=None,
        license="the model file's own",
    )
    categories = _labels(file, n, meta, labels_file)
    net = Network(info=info, model=module, categories=categories, weights_source=str(file))
    net.default_layer = find_default_layer(net)
    return net
