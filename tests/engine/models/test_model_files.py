"""Model files a user opens: ONNX through onnx2torch, and the files that are refused.

A torchvision ResNet-18 with random weights (seed 0) is exported to ONNX inside the test; its
Score-CAM map through `--model FILE.onnx` must match the torch network's with the same weights.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
import torchvision
from PIL import Image
from safetensors.torch import save_file
from skimage import data
from torch import nn

from scorecam_gui.cli import main as cli
from scorecam_gui.engine.models import files, onnx_models, registry, types
from scorecam_gui.engine.models.types import WeightsError

APPROXIMATE = "32"  # the 32 highest-variance maps: the same ones in both networks, and quick


def _export(
    model: nn.Module, path: Path, inputs: tuple[torch.Tensor, ...], **kwargs: object
) -> None:
    names = [f"input{i}" for i in range(len(inputs))]
    with warnings.catch_warnings():
        # The TorchScript-based exporter (no onnxscript needed) warns that it is deprecated.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model.eval(),
            inputs,
            str(path),
            dynamo=False,
            input_names=names,
            output_names=["out"],
            dynamic_axes={names[0]: {0: "N"}, "out": {0: "N"}},
            **kwargs,
        )


@pytest.fixture(scope="module")
def resnet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """ResNet-18 with random weights (seed 0) as ONNX and as a state dict."""
    folder = tmp_path_factory.mktemp("resnet")
    torch.manual_seed(0)
    model = torchvision.models.resnet18().eval()
    _export(model, folder / "resnet18.onnx", (torch.randn(1, 3, 224, 224),))
    torch.save(model.state_dict(), folder / "resnet18.pth")
    return folder / "resnet18.onnx", folder / "resnet18.pth"


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("photo") / "chelsea.png"
    Image.fromarray(data.chelsea()).save(path)
    return path


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_onnx_map_matches_the_torch_networks(
    resnet: tuple[Path, Path], photo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    onnx_file, state = resnet
    common = ["--approximate", APPROXIMATE, "--device", "cpu", "--precision", "fp32", "--json"]
    code, out, err = _cli(
        capsys, "explain", str(photo), "--model", str(onnx_file), "--out", str(tmp_path / "a"),
        *common,
    )  # fmt: skip
    assert code == 0, err
    code, out2, err = _cli(
        capsys, "explain", str(photo), "--model", "resnet18", "--weights", str(state),
        "--out", str(tmp_path / "b"), *common,
    )  # fmt: skip
    assert code == 0, err
    a = np.load(tmp_path / "a" / "chelsea-scorecam-paper-map.npy")
    b = np.load(tmp_path / "b" / "chelsea-scorecam-paper-map.npy")
    assert np.corrcoef(a.ravel(), b.ravel())[0, 1] >= 0.999
    import json

    ra, rb = json.loads(out), json.loads(out2)
    assert ra["target_index"] == rb["target_index"]
    assert ra["layer"] == "layer4/layer4/1/relu_1/Relu"  # the ONNX twin of torch's layer4
    assert ra["target_name"] == f"class {ra['target_index']}"  # no labels given


def test_layers_of_an_onnx_file_with_shapes(
    resnet: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = _cli(capsys, "layers", str(resnet[0]))
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert "512 x 7 x 7" in lines["layer4/layer4/1/relu_1/Relu"]
    assert lines["layer4/layer4/1/relu_1/Relu"].endswith("<- default")
    assert "64 x 112 x 112" in lines["conv1/Conv"]


def test_metadata_gives_size_normalisation_and_labels(
    resnet: tuple[Path, Path], tmp_path: Path
) -> None:
    proto = onnx.load(str(resnet[0]))
    names = [f"thing {i}" for i in range(1000)]
    for key, value in {
        "input_size": "160",
        "mean": "0.5, 0.5, 0.5",
        "scorecam.std": "0.25 0.25 0.25",
        "labels": "\n".join(names),
    }.items():
        proto.metadata_props.add(key=key, value=value)
    # The input size in the metadata wins over the exported 224 (the batch axis stays dynamic).
    path = tmp_path / "meta.onnx"
    onnx.save(proto, str(path))
    net = registry.load_network(str(path))
    assert (net.info.input_size, net.info.mean, net.info.std) == (160, (0.5,) * 3, (0.25,) * 3)
    assert net.categories[:2] == ["thing 0", "thing 1"]
    # The command line overrides the file.
    options = types.InputOptions(input_size=192, mean=(0.1, 0.2, 0.3))
    net = registry.load_network(str(path), input_options=options)
    assert (net.info.input_size, net.info.mean) == (192, (0.1, 0.2, 0.3))


class _TwoInputs(nn.Module):
    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return (a + b).mean((2, 3))


class _Maps(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def test_bad_files_get_one_line_and_exit_1(
    resnet: tuple[Path, Path], photo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    truncated = tmp_path / "truncated.onnx"
    truncated.write_bytes(resnet[0].read_bytes()[:50_000])
    not_onnx = tmp_path / "photo.onnx"
    not_onnx.write_bytes(photo.read_bytes())
    two = tmp_path / "two.onnx"
    x = torch.randn(1, 3, 32, 32)
    _export(_TwoInputs(), two, (x, x))
    maps = tmp_path / "maps.onnx"
    _export(_Maps(), maps, (x,))
    cases = {
        truncated: "not an ONNX model",
        not_onnx: "not an ONNX model",
        two: "it has 2 inputs (input0, input1); Score-CAM needs one image",
        maps: "its output is 1 x 4 x 30 x 30, not a vector of class scores",
    }
    out = tmp_path / "out"
    for path, message in cases.items():
        code, _out, err = _cli(
            capsys, "explain", str(photo), "--model", str(path), "--out", str(out)
        )
        line = _one_line(err)
        assert code == 1 and message in line and path.name in line, line
        code, _out, err = _cli(capsys, "layers", str(path))
        assert code == 1 and message in _one_line(err)
    code, _out, err = _cli(
        capsys, "explain", str(photo), "--model", str(resnet[0]), "--layer", "layer4", "--out",
        str(out),
    )  # fmt: skip
    line = _one_line(err)
    assert code == 1 and "has no layer 'layer4' (did you mean layer4/layer4/0" in line
    assert not out.exists() or not any(out.iterdir())  # nothing half-written
    code, _out, err = _cli(capsys, "explain", str(photo), "--model", str(tmp_path / "no.onnx"))
    assert code == 1 and "file not found" in _one_line(err)


_UNPICKLED: list[str] = []


class _Booby(nn.Module):
    """A module that records being unpickled: a whole-model pickle must never get that far."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def __setstate__(self, state: dict[str, object]) -> None:
        _UNPICKLED.append("unpickled")
        super().__setstate__(state)


def test_whole_model_pickle_and_torchscript_are_refused_unread(
    photo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = tmp_path / "whole.pt"
    torch.save(_Booby(), whole)
    script = tmp_path / "script.pt"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TorchScript's own deprecation notices
        torch.jit.script(nn.Linear(4, 2)).save(str(script))
    assert files.file_kind(whole) == "pickled_model"
    assert files.file_kind(script) == "torchscript"
    for path, words in ((whole, "whole pickled model"), (script, "TorchScript")):
        for args in (["--model", str(path)], ["--model", "resnet18", "--weights", str(path)]):
            code, _out, err = _cli(capsys, "explain", str(photo), *args, "--out", str(tmp_path))
            line = _one_line(err)
            assert code == 1 and words in line, line
    assert _UNPICKLED == []


def test_weights_files_opened_as_models_say_how_to_use_them(tmp_path: Path) -> None:
    state = {"fc.weight": torch.zeros(2, 4), "fc.bias": torch.zeros(2)}
    pth = tmp_path / "weights.pth"
    torch.save(state, pth)
    safe = tmp_path / "weights.safetensors"
    save_file(state, str(safe))
    assert files.file_kind(pth) == "state_dict"
    assert files.file_kind(safe) == "safetensors"
    for path in (pth, safe):
        with pytest.raises(WeightsError, match=r"holds weights only.*--weights FILE"):
            registry.load_network(str(path))


def test_safetensors_weights_of_a_known_architecture(tmp_path: Path) -> None:
    torch.manual_seed(1)
    model = torchvision.models.resnet18(num_classes=3)
    path = tmp_path / "fine-tuned.safetensors"
    save_file(model.state_dict(), str(path))
    net = registry.load_network("resnet18", weights_file_path=path)
    assert net.num_classes == 3 and net.weights_source == str(path)
    assert torch.equal(net.model.fc.weight, model.fc.weight)


def test_channels_last_input_says_how_to_export(tmp_path: Path) -> None:
    class _Nhwc(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x.mean((1, 2))

    path = tmp_path / "keras.onnx"
    _export(_Nhwc(), path, (torch.randn(1, 32, 32, 3),))
    with pytest.raises(onnx_models.ModelFileError, match=r"channels-last.*--inputs-as-nchw"):
        registry.load_network(str(path))


def test_evaluate_runs_gradcam_on_an_onnx_file(
    resnet: tuple[Path, Path], photo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Grad-CAM needs gradients through the converted graph (onnxruntime would have none).
    out = tmp_path / "metrics.csv"
    code, _out, err = _cli(
        capsys, "evaluate", str(photo), "--model", str(resnet[0]), "--methods", "gradcam",
        "--steps", "4", "--device", "cpu", "--precision", "fp32", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    rows = out.read_text().splitlines()
    assert len(rows) == 2 and ",gradcam," in rows[1]


def test_input_size_reaches_the_explanation(
    resnet: tuple[Path, Path], photo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--input-size/--mean/--std of `explain` reach the network the batch loop loads (they were
    once dropped on the way), and they are part of the manifest's settings."""
    pytest.importorskip("pyarrow")
    from scorecam_gui.engine.folders import manifest as mf

    onnx_file, _state = resnet
    manifest = tmp_path / "m.parquet"
    common = ["--approximate", "4", "--device", "cpu", "--precision", "fp32", "--manifest"]
    for size in ("160", "192"):
        code, _out, err = _cli(
            capsys, "explain", str(photo), "--model", str(onnx_file), "--input-size", size,
            "--mean", "0.5,0.5,0.5", "--out", str(tmp_path / size), *common, str(manifest),
        )  # fmt: skip
        assert code == 0, err
        assert np.load(tmp_path / size / "chelsea-scorecam-paper-map.npy").shape == (
            int(size),
            int(size),
        )
    rows = mf.read_manifest(manifest).to_pylist()
    assert sorted(r["map_shape"][0] for r in rows) == [160, 192]  # two settings: both explained
