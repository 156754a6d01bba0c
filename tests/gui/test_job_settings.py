"""A batch Job from its settings (Job.from_settings): the command line's and the window's."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from scorecam_gui.cli import batch as cli_batch
from scorecam_gui.cli import main as cli
from scorecam_gui.engine.folders.batch import Job
from scorecam_gui.engine.models.types import InputOptions

NETWORK = {
    "model": "timm:resnet18",
    "weights": "w.pth",
    "labels": "l.txt",
    "layer": "layer4",
    "target": "tabby",
    "center_crop": True,
    "device": "cpu",
    "precision": "bf16",
    "backend": "torch",
    "batch_size": 8,
    "input_options": InputOptions(input_size=160),
}


def test_every_network_setting_is_required_and_the_rest_pass_through() -> None:
    job = Job.from_settings(**NETWORK, approximate=4, fill="mean")
    assert job == Job(**NETWORK, approximate=4, fill="mean")
    for name in NETWORK:
        with pytest.raises(TypeError, match=name):
            Job.from_settings(**{k: v for k, v in NETWORK.items() if k != name})
    with pytest.raises(TypeError, match="colour"):
        Job.from_settings(**NETWORK, colour="red")


def test_the_explain_command_line_job() -> None:
    argv = """explain x.png --model timm:resnet18 --weights w.pth --labels l.txt --layer layer4
    --target tabby --center-crop --device cpu --precision bf16 --backend torch --batch-size 8
    --input-size 160
    --fill mean --approximate 4 --time-budget 2 --compile --weighting matlab"""
    args = cli.build_parser().parse_args(argv.split())
    extra = {"approximate": 4, "time_budget": 2.0, "compile_model": True, "weighting": "matlab"}
    assert cli_batch.job_from_args(args) == Job(**NETWORK, fill="mean", **extra)


def test_the_windows_job() -> None:
    pytest.importorskip("PySide6")
    from scorecam_gui.app.jobs import Request
    from scorecam_gui.app.options import Options
    from scorecam_gui.gui.folder.view import job_for_window

    options = Options(
        weighting="reference", fill="mean", batch_size=4, device="cpu", backend="openvino"
    )
    request = Request(None, "resnet18", "w.pth", "l.txt", "layer3", None, options)
    window = SimpleNamespace(controller=SimpleNamespace(make_request=lambda photo, target: request))
    assert job_for_window(window) == Job(
        model="resnet18",
        weights="w.pth",
        labels="l.txt",
        layer="layer3",
        weighting="reference",
        fill="mean",
        device="cpu",
        backend="openvino",
        batch_size=4,
    )
