"""Bounds on what an ONNX file may ask of this machine, checked before it is converted or run.

A few kilobytes of ONNX can declare 300,000 nodes or a tensor of 10^10 numbers; converting or
running such a file would take the memory until the system kills the process. So a file is refused
in one line when its graph has more than NODE_LIMIT nodes, or when one of its tensors (as declared
in the file or as ONNX's shape inference finds it for one image of the input size) would hold more
than ACTIVATION_LIMIT numbers. External data (weights beside the .onnx file) is read from the model
file's own folder, never from the current one and never from outside that folder, and only from
regular files (never a FIFO).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import safe_read

if TYPE_CHECKING:
    import onnx

__all__ = [
    "ACTIVATION_LIMIT",
    "INPUT_SIZE_LIMIT",
    "NODE_LIMIT",
    "Refused",
    "check_graph",
    "check_shapes",
    "load_external_data",
]

INPUT_SIZE_LIMIT = 4096  # pixels a side of the network's input
NODE_LIMIT = 50_000  # the largest image classifiers have a few thousand
ACTIVATION_LIMIT = 1 << 28  # numbers in one tensor for one image: 1 GB of float32
_SMALL_TENSOR = 4096  # initializers kept for shape inference (shapes, axes); the rest described


class Refused(Exception):
    """The file asks too much; the message is the reason, without the file's name."""


def _graphs(graph: onnx.GraphProto) -> Iterator[onnx.GraphProto]:
    yield graph
    for node in graph.node:
        for attr in node.attribute:
            if attr.HasField("g"):
                yield from _graphs(attr.g)
            for sub in attr.graphs:
                yield from _graphs(sub)


def _tensors(graph: onnx.GraphProto) -> Iterator[onnx.TensorProto]:
    for g in _graphs(graph):
        yield from g.initializer
        for node in g.node:
            for attr in node.attribute:
                if attr.HasField("t"):
                    yield attr.t
                yield from attr.tensors


def check_graph(model: onnx.ModelProto) -> None:
    """Refused when the graph (with its sub-graphs and functions) has more than NODE_LIMIT
    nodes."""
    nodes = sum(len(g.node) for g in _graphs(model.graph))
    nodes += sum(len(f.node) for f in model.functions)
    if nodes > NODE_LIMIT:
        raise Refused(f"refused: it has {nodes:,} nodes, more than the {NODE_LIMIT:,} allowed")


def load_external_data(model: onnx.ModelProto, folder: Path) -> None:
    """Read the tensors kept in files beside the model, from `folder` (the model's own)."""
    from onnx import TensorProto
    from onnx.external_data_helper import load_external_data_for_tensor

    base = os.path.realpath(folder)
    total = 0
    for tensor in _tensors(model.graph):
        if tensor.data_location != TensorProto.EXTERNAL:
            continue
        location = next((e.value for e in tensor.external_data if e.key == "location"), "")
        where = os.path.realpath(os.path.join(base, location))
        if not location or os.path.isabs(location) or os.path.commonpath([base, where]) != base:
            raise Refused(
                f"refused: its tensor {tensor.name} keeps its data in '{location}', outside the "
                "model's folder"
            )
        try:
            total += safe_read.check_regular(where, safe_read.MODEL_LIMIT).st_size
        except safe_read.FileRefused as exc:
            raise Refused(f"its external data '{location}': {exc.reason}") from exc
        except OSError as exc:
            reason = (exc.strerror or str(exc)).lower()
            raise Refused(f"its external data '{location}' cannot be read ({reason})") from exc
        if total > 4 * safe_read.MODEL_LIMIT:
            limit = safe_read.megabytes(4 * safe_read.MODEL_LIMIT)
            raise Refused(f"refused: its external data is larger than {limit}")
        try:
            load_external_data_for_tensor(tensor, base)
        except Exception as exc:  # onnx's own checks: offsets past the end, links, ...
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise Refused(f"its external data '{location}' cannot be read ({first})") from exc


def _numbers(shape: Any) -> int:
    dims = [d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else 1 for d in shape.dim]
    return math.prod(dims)


def _skeleton(model: onnx.ModelProto, input_name: str, size: int) -> onnx.ModelProto:
    """The graph without its large weights (described by their shapes instead), for one image
    of `size`: what shape inference needs, at a fraction of the memory."""
    import onnx
    from onnx import helper

    light = onnx.ModelProto()
    light.ir_version = model.ir_version
    light.opset_import.extend(model.opset_import)
    light.functions.extend(model.functions)
    graph = light.graph
    graph.node.extend(model.graph.node)
    graph.output.extend(model.graph.output)
    graph.value_info.extend(model.graph.value_info)
    for value in model.graph.input:
        copy = graph.input.add()
        copy.CopyFrom(value)
        if value.name == input_name:
            dims = copy.type.tensor_type.shape.dim
            for i, n in enumerate((1, 3, size, size)[: len(dims)]):
                dims[i].Clear()
                dims[i].dim_value = n
    inputs = {value.name for value in model.graph.input}
    for tensor in model.graph.initializer:
        if math.prod(tensor.dims) <= _SMALL_TENSOR:
            graph.initializer.append(tensor)
        elif tensor.name not in inputs:  # older exporters list the weights as inputs too
            graph.input.append(
                helper.make_tensor_value_info(tensor.name, tensor.data_type, list(tensor.dims))
            )
    return light


def check_shapes(model: onnx.ModelProto, input_name: str, size: int) -> None:
    """Refused when a tensor of the graph, for one image of `size`, would hold more than
    ACTIVATION_LIMIT numbers (shapes the file declares and those ONNX infers)."""
    import onnx

    declared = [*model.graph.input, *model.graph.output, *model.graph.value_info]
    values = list(declared)
    try:
        inferred = onnx.shape_inference.infer_shapes(
            _skeleton(model, input_name, size), data_prop=True
        )
        values += [*inferred.graph.value_info, *inferred.graph.output]
    except Exception:  # inference is a help, not a requirement: the declared shapes stay checked
        pass
    for tensor in model.graph.initializer:
        if math.prod(tensor.dims) > ACTIVATION_LIMIT:
            raise _too_big(tensor.name, math.prod(tensor.dims))
    for value in values:
        if value.name == input_name or not value.type.HasField("tensor_type"):
            continue
        n = _numbers(value.type.tensor_type.shape)
        if n > ACTIVATION_LIMIT:
            raise _too_big(value.name, n)


def _too_big(name: str, n: int) -> Refused:
    return Refused(
        f"refused: its tensor {name} would hold {n:,} numbers for one image, more than the "
        f"{ACTIVATION_LIMIT:,} allowed (1 GB of float32)"
    )
