"""File > Open Model File…: an ONNX file explains, stays in the network selector across runs;
a bad file gives a message and leaves the window as it was."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import torch
from PIL import Image
from skimage import data as skimage_data
from torch import nn

from scorecam_gui.gui.dialogs import modelfile

TIMEOUT_MS = 120_000


class _TinyNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU())
        self.fc = nn.Linear(16, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.features(x).mean((2, 3)))


@pytest.fixture
def onnx_file(tmp_path: Path) -> Path:
    torch.manual_seed(0)
    path = tmp_path / "tiny.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript-based exporter's deprecation notice
        torch.onnx.export(
            _TinyNet().eval(), (torch.randn(1, 3, 32, 32),), str(path), dynamo=False,
            input_names=["image"], output_names=["logits"],
            dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}},
        )  # fmt: skip
    return path


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "chelsea.png"
    Image.fromarray(skimage_data.chelsea()).save(path)
    return path


def _open(qtbot, window, monkeypatch, path: Path, signal: str):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(modelfile, "ask_model_file", lambda _parent, _settings: str(path))
    with qtbot.waitSignal(getattr(window, signal), timeout=TIMEOUT_MS) as caught:
        window.menus.open_model_action.trigger()
    return caught


def test_open_model_file_explains_and_is_remembered(
    qtbot, make_window, settings, onnx_file, photo, monkeypatch
) -> None:
    window = make_window()
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.controller.open_paths([str(photo)])
    _open(qtbot, window, monkeypatch, onnx_file, "explanationShown")
    shown = window.state.shown.result
    assert window.state.network.name == str(onnx_file)
    assert shown.layer == "features/features/1/Relu" and shown.maps_total == 16
    assert shown.target.name.startswith("class ")
    assert settings.model_files() == [str(onnx_file)]
    index = window.panels.sidebar.network.findData(str(onnx_file))
    assert index >= 0 and "tiny.onnx" in window.panels.sidebar.network.itemText(index)
    # A new window lists it too.
    again = make_window()
    assert again.panels.sidebar.network.findData(str(onnx_file)) >= 0


def test_a_bad_model_file_leaves_a_message_and_nothing_lost(
    qtbot, make_window, settings, tmp_path, photo, monkeypatch
) -> None:
    window = make_window()
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.controller.open_paths([str(photo)])
    before = window.state.shown
    bad = tmp_path / "broken.onnx"
    bad.write_bytes(b"\x08\x07 this is not a model")
    failed = _open(qtbot, window, monkeypatch, bad, "jobFailed")
    assert "broken.onnx" in failed.args[0] and "not an ONNX model" in failed.args[0]
    assert window.state.shown is before  # the explanation on screen stays
    assert window.panels.sidebar.current_network() == "efficientnet_lite0"
    assert window.panels.sidebar.network.findData(str(bad)) < 0 and settings.model_files() == []
