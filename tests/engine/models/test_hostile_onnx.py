"""Hostile ONNX files (issue 24), built here with the onnx package: bad metadata, external data,
graphs too big to convert or run. Each is one line naming the file, or it loads as it should."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from scorecam_gui.engine.models import onnx_limits, registry
from scorecam_gui.engine.models.onnx_models import ModelFileError

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnx2torch")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402


def _classifier(
    size: int | None = 16, metadata: dict[str, str] | None = None, extra_nodes: int = 0
) -> onnx.ModelProto:
    """Conv -> Relu -> GlobalAveragePool -> Flatten -> Gemm: 5 classes, input N x 3 x size^2
    (size None: not fixed). extra_nodes: Relu nodes chained after the first one."""
    rng = np.random.default_rng(0)
    side = size if size is not None else "S"
    inits = [
        numpy_helper.from_array(rng.normal(size=(4, 3, 3, 3)).astype(np.float32), "conv.w"),
        numpy_helper.from_array(rng.normal(size=(5, 4)).astype(np.float32), "fc.w"),
        numpy_helper.from_array(np.zeros(5, np.float32), "fc.b"),
    ]
    nodes = [
        helper.make_node("Conv", ["x", "conv.w"], ["c"], pads=[1, 1, 1, 1], name="conv"),
        helper.make_node("Relu", ["c"], ["r0"], name="relu0"),
    ]
    for i in range(extra_nodes):
        nodes.append(helper.make_node("Relu", [f"r{i}"], [f"r{i + 1}"], name=f"relu{i + 1}"))
    nodes += [
        helper.make_node("GlobalAveragePool", [f"r{extra_nodes}"], ["p"], name="pool"),
        helper.make_node("Flatten", ["p"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "fc.w", "fc.b"], ["y"], transB=1, name="fc"),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, side, side])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 5])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    for key, value in (metadata or {}).items():
        model.metadata_props.add(key=key, value=value)
    return model


def _save(model: onnx.ModelProto, path: Path) -> Path:
    onnx.save_model(model, str(path))
    return path


def test_the_tiny_classifier_loads(tmp_path: Path) -> None:
    net = registry.load_model_file(_save(_classifier(), tmp_path / "ok.onnx"))
    assert net.info.input_size == 16 and len(net.categories) == 5


@pytest.mark.parametrize(
    ("metadata", "reason"),
    [
        ({"input_size": "inf"}, "its metadata input_size 'inf' is not one size (224 or 224,224)"),
        ({"input_size": "nan"}, "its metadata input_size 'nan' is not one size (224 or 224,224)"),
        ({"input_size": "1e400"}, "its metadata input_size '1e400' is not one size"),
        ({"input_size": "100000"}, "its metadata input_size 100000 is larger than 4096 pixels"),
        ({"mean": "nan,0.4,0.4"}, "its metadata 'mean' is 'nan,0.4,0.4', not 3 finite numbers"),
        ({"std": "0,0.2,0.2"}, "its metadata 'std' is '0,0.2,0.2': a standard deviation must be"),
        ({"std": "inf,1,1"}, "its metadata 'std' is 'inf,1,1', not 3 finite numbers"),
        ({"labels": "5"}, "its metadata labels are not a list of class names"),
        ({"labels": "null"}, "its metadata labels are not a list of class names"),
        ({"labels": '{"a": 1}'}, "its metadata labels are not a list of class names"),
        ({"labels": '[["a"], "b", "c", "d", "e"]'}, "its metadata labels are not a list of"),
        ({"labels": "[" * 100_000 + "]" * 100_000}, "its metadata has 1 labels for 5 classes"),
    ],
)
def test_bad_metadata_is_one_line_naming_the_file(
    tmp_path: Path, metadata: dict[str, str], reason: str
) -> None:
    size = None if "input_size" in metadata else 16
    path = _save(_classifier(size, metadata), tmp_path / "bad meta.onnx")
    with pytest.raises(ModelFileError) as caught:
        registry.load_model_file(path)
    message = str(caught.value)
    assert message.startswith(f"bad meta.onnx: {reason}"), message
    assert "\n" not in message and len(message) < 300


def test_external_data_is_read_from_the_models_folder_not_the_current_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    model = _classifier()
    expected = numpy_helper.to_array(model.graph.initializer[0])  # saving moves it out
    path = folder / "external.onnx"
    onnx.save_model(
        model, str(path), save_as_external_data=True, location="weights.bin", size_threshold=0
    )
    assert (folder / "weights.bin").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # a decoy weights.bin here must not be read
    (elsewhere / "weights.bin").write_bytes(b"\0" * (folder / "weights.bin").stat().st_size)
    net = registry.load_model_file(path)
    conv = next(m for m in net.model.modules() if m.__class__.__name__ == "Conv2d")
    np.testing.assert_array_equal(conv.weight.detach().numpy(), expected)


def test_external_data_outside_the_models_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    model = _classifier()
    onnx.save_model(
        model, str(folder / "m.onnx"), save_as_external_data=True, location="w.bin",
        size_threshold=0,
    )  # fmt: skip
    (tmp_path / "secret.bin").write_bytes((folder / "w.bin").read_bytes())
    loaded = onnx.load(str(folder / "m.onnx"), load_external_data=False)
    for tensor in loaded.graph.initializer:
        for entry in tensor.external_data:
            if entry.key == "location":
                entry.value = "../secret.bin"
    onnx.save_model(loaded, str(folder / "escape.onnx"))
    with pytest.raises(ModelFileError, match=r"^escape\.onnx: refused: its tensor conv\.w keeps "
                       r"its data in '\.\./secret\.bin', outside the model's folder"):  # fmt: skip
        registry.load_model_file(folder / "escape.onnx")


def test_a_graph_of_too_many_nodes_is_refused_before_converting(tmp_path: Path) -> None:
    path = _save(_classifier(extra_nodes=onnx_limits.NODE_LIMIT + 10), tmp_path / "nodes.onnx")
    assert path.stat().st_size < 5 << 20
    t0 = time.perf_counter()
    with pytest.raises(ModelFileError, match=r"^nodes\.onnx: refused: it has 50,015 nodes"):
        registry.load_model_file(path)
    assert time.perf_counter() - t0 < 30


def test_a_declared_huge_activation_is_refused_before_running(tmp_path: Path) -> None:
    model = _classifier()
    model.graph.value_info.append(
        helper.make_tensor_value_info("c", TensorProto.FLOAT, [1, 4, 100_000, 100_000])
    )
    path = _save(model, tmp_path / "declared.onnx")
    with pytest.raises(ModelFileError, match=r"^declared\.onnx: refused: its tensor c would hold "
                       r"40,000,000,000 numbers"):  # fmt: skip
        registry.load_model_file(path)


def test_an_inferred_huge_activation_is_refused_before_running(tmp_path: Path) -> None:
    """A few hundred bytes that would ask for 160 GB: Expand to a shape in an initializer."""
    shape = numpy_helper.from_array(np.array([1, 4, 100_000, 100_000], np.int64), "shape")
    model = _classifier()
    graph = model.graph
    graph.initializer.append(shape)
    nodes = [onnx.NodeProto.FromString(n.SerializeToString()) for n in graph.node]
    relu = next(i for i, n in enumerate(nodes) if n.op_type == "Relu")
    nodes[relu].output[0] = "r_small"
    nodes[relu + 1 : relu + 1] = [
        helper.make_node("GlobalAveragePool", ["r_small"], ["q"], name="pool0"),  # 1 x 4 x 1 x 1
        helper.make_node("Expand", ["q", "shape"], ["r0"], name="expand"),
    ]
    del graph.node[:]
    graph.node.extend(nodes)
    path = _save(model, tmp_path / "inferred.onnx")
    with pytest.raises(ModelFileError, match=r"^inferred\.onnx: refused: its tensor r0 would "
                       r"hold 40,000,000,000 numbers for one image"):  # fmt: skip
        registry.load_model_file(path)


def test_a_fixed_input_of_a_huge_size_is_refused(tmp_path: Path) -> None:
    path = _save(_classifier(size=100_000), tmp_path / "wide.onnx")
    with pytest.raises(ModelFileError, match=r"^wide\.onnx: its input is 100000 x 100000, "
                       r"larger than 4096 x 4096 pixels"):  # fmt: skip
        registry.load_model_file(path)


def test_a_mean_of_nan_on_the_command_line_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scorecam_gui.cli import main as cli

    path = _save(_classifier(), tmp_path / "ok.onnx")
    for option, text in (("--mean", "nan,0,0"), ("--std", "0,1,1"), ("--input-size", "100000")):
        with pytest.raises(SystemExit) as caught:
            cli.main(["layers", str(path), option, text])
        assert caught.value.code == 2
        err = capsys.readouterr().err
        assert f"'{text}'" in err and "Traceback" not in err


def test_labels_metadata_as_a_json_list_still_works(tmp_path: Path) -> None:
    names = ["a", "b", "c", "d", "<b>e</b>"]
    path = _save(_classifier(metadata={"labels": json.dumps(names)}), tmp_path / "labels.onnx")
    assert registry.load_model_file(path).categories == names
