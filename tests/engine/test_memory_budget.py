"""A network whose activations are large for the memory there is: the batch is fitted to it, down
to one image, and a network of which one image would not fit is refused in one line before any
masked pass (issue 36: a 1 KB ONNX file with a 1 GiB activation an image took a 6 GB process
down at the CPU's usual batch of 8)."""

from __future__ import annotations

import pytest

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.runtime import inference, memory
from tests.helpers.networks import bn_network, photo


def test_fit_batch() -> None:
    gib = 1 << 30
    assert memory.fit_batch(8, gib, 20 * gib, "x") == 3  # 10 GiB of room, 3 GiB an image
    assert memory.fit_batch(8, 1 << 20, 20 * gib, "x") == 8  # plenty of room: as chosen
    assert memory.fit_batch(8, gib, None, "x") == 8  # unknown memory: as chosen
    with pytest.raises(memory.TooBig, match=r"^big.onnx: one image needs about 3.0 GB"):
        memory.fit_batch(8, gib, 4 * gib, "big.onnx")


def test_this_machines_memory_is_read() -> None:
    available = memory.available_memory()
    assert available is None or available > 0


def test_a_large_activation_gets_a_smaller_batch_or_a_one_line_refusal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    net = bn_network()
    per_image = inference.largest_activation(net) * 4  # fp32
    room = memory.PEAK_PER_ACTIVATION * per_image * 2  # two images' worth, at MEMORY_SHARE
    monkeypatch.setattr(memory, "available_memory", lambda: int(room / memory.MEMORY_SHARE))
    ex = Explainer(net, "cpu", "fp32", backend="torch")
    assert ex.batch_size == 2
    assert ex.explain(photo()).maps_evaluated > 0  # and it runs, two images a batch
    monkeypatch.setattr(memory, "available_memory", lambda: per_image)
    again = Explainer(bn_network(), "cpu", "fp32", backend="torch")
    with pytest.raises(memory.TooBig) as caught:
        again.explain(photo())
    message = str(caught.value)
    assert "one image needs about" in message and "\n" not in message


def test_the_command_line_says_it_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scorecam_gui import appdata
    from scorecam_gui.cli import main as cli

    monkeypatch.setattr(memory, "available_memory", lambda: 1 << 20)  # 1 MB free
    sample = str(appdata.sample_photo_path())
    code = cli.main(["explain", sample, "--out", str(tmp_path), "--backend", "torch"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1
    assert err[0].startswith(f"scorecam: {sample}: EfficientNet-Lite0: one image needs about")
    assert list(tmp_path.iterdir()) == []  # no file, no half-written one
