"""Hostile files (issue 24): each test makes its own, and each must be refused in one line that
names the file, quickly, without reading more than it should and without a traceback.

FIFOs, /dev/zero, a zip bomb, a sparse 8 GB photo, ONNX files with bad metadata or too big to
run, NaN weights, symlink loops, nested @lists, a layer where no map varies.
"""

from __future__ import annotations

import io
import os
import pickle
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from scorecam_gui.engine import imaging, safe_read
from scorecam_gui.engine.folders import batch
from scorecam_gui.engine.folders.paths import expand_paths
from scorecam_gui.engine.models import files, registry, types, weights

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero are POSIX")


def _within(seconds: float, call: Callable[[], Any], fifo: Path | None = None) -> Any:
    """call() in a thread; fails the test when it takes longer than `seconds` (a hang). A FIFO
    a hung call waits on is opened for writing, so that the thread can end."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if fifo is not None:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)  # the reader sees the end of the file
        thread.join(5)
        pytest.fail(f"still running after {seconds} s: it hung")
    if "error" in box:
        raise box["error"]
    return box.get("value")


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


# -- FIFOs and devices -----------------------------------------------------------------------------
@posix_only
def test_a_fifo_as_weights_model_labels_or_list_is_refused_at_once(
    tmp_path: Path, fifo: Path
) -> None:
    named = {}
    for name in ("w.pth", "m.onnx", "labels.txt", "list.txt"):
        named[name] = tmp_path / name
        os.mkfifo(named[name])
    with pytest.raises(
        types.WeightsError, match=r"^Could not load weights from w\.pth: it is a FIFO"
    ):
        _within(10, lambda: weights.load_state_dict_file(named["w.pth"]), named["w.pth"])
    with pytest.raises(types.WeightsError, match=r"m\.onnx: it is a FIFO"):
        _within(10, lambda: registry.load_model_file(named["m.onnx"]), named["m.onnx"])
    with pytest.raises(types.LabelsError, match=r"labels\.txt: it is a FIFO"):
        _within(10, lambda: weights.read_labels(named["labels.txt"], 3), named["labels.txt"])
    out = _within(10, lambda: expand_paths([f"@{named['list.txt']}"]), named["list.txt"])
    assert out.photos == []
    refused = "list file refused: it is a FIFO (named pipe), not a regular file"
    assert out.problems == [(str(named["list.txt"]), refused)]
    # a FIFO as a photo: one error row, no hang
    photo = tmp_path / "photo.jpg"
    os.mkfifo(photo)
    with pytest.raises(imaging.ImageLoadError, match="not a regular file"):
        _within(10, lambda: batch.read_file(str(photo)), photo)


@posix_only
def test_dev_zero_as_labels_or_list_is_refused_without_reading_it() -> None:
    zero = Path("/dev/zero")
    if not zero.exists():
        pytest.skip("no /dev/zero")
    with pytest.raises(types.LabelsError, match=r"zero: it is a device, not a regular file"):
        _within(10, lambda: weights.read_labels(zero, 1000))
    out = _within(10, lambda: expand_paths(["@/dev/zero"]))
    assert out.problems == [("/dev/zero", "list file refused: it is a device, not a regular file")]
    with pytest.raises(types.WeightsError, match="it is a device"):
        _within(10, lambda: weights.load_state_dict_file(zero))


def test_a_labels_file_or_list_above_the_limit_is_refused_saying_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(safe_read.LIST_LIMIT + 1)  # sparse: no disk used
    with pytest.raises(types.LabelsError, match=r"big\.txt: larger than 16 MB, the limit"):
        weights.read_labels(big, 3)
    out = expand_paths([f"@{big}"])
    assert out.problems == [(str(big), "list file refused: larger than 64 MB, the limit for this "
                             "kind of file")]  # fmt: skip


# -- the pickle scanner --------------------------------------------------------------------------
def _zip_bomb(path: Path, unpacked: int) -> None:
    """A .pth (torch.save's zip layout) whose data.pkl inflates to `unpacked` bytes of no-op
    pickle steps: a megabyte or so on disk."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("archive/data.pkl", "w", force_zip64=True) as member:
            member.write(b"\x80\x02")
            chunk = b"N0" * (1 << 20)  # NONE, POP: a pickle that does nothing, forever
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)
            member.write(b"}.")
        z.writestr("archive/version", "3\n")


def test_a_zip_bomb_pth_is_refused_before_its_pickle_is_read(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pth"
    _zip_bomb(bomb, 200 << 20)
    assert bomb.stat().st_size < 2 << 20  # a small file...
    with pytest.raises(types.WeightsError) as caught:  # ...refused at once, not scanned
        _within(20, lambda: weights.load_state_dict_file(bomb))
    message = str(caught.value)
    assert message.startswith("Could not load weights from bomb.pth: refused: its ")
    assert "zip bomb" in message and "32 MB" in message and "\n" not in message
    with pytest.raises(types.WeightsError, match=r"^Could not open the model bomb\.pth: refused"):
        _within(20, lambda: registry.load_model_file(bomb))


def test_a_zip_bomb_in_the_tensor_data_is_refused_before_torch_reads_it(tmp_path: Path) -> None:
    """A real state dict's pickle, beside a storage that inflates to 256 MB from a few kB."""
    real = tmp_path / "real.pth"
    torch.save({"w": torch.zeros(4)}, real)
    bomb = tmp_path / "storage-bomb.pth"
    with zipfile.ZipFile(real) as z, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            if not info.filename.endswith("/data/0"):
                out.writestr(info, z.read(info.filename))  # as torch wrote it: stored
                continue
            with out.open(info.filename, "w", force_zip64=True) as member:  # deflated
                for _ in range(256):
                    member.write(bytes(1 << 20))
    assert bomb.stat().st_size < 8 << 20
    with pytest.raises(types.WeightsError, match="refused: its compressed entries unpack"):
        _within(20, lambda: weights.load_state_dict_file(bomb))


def test_a_pickle_of_endless_steps_is_refused_by_the_bounded_scan(tmp_path: Path) -> None:
    # The legacy format (a bare pickle, no zip): 6 million no-op steps in 12 MB.
    legacy = tmp_path / "steps.pth"
    legacy.write_bytes(b"\x80\x02" + b"N0" * 6_000_000 + b"}.")
    with pytest.raises(types.WeightsError, match=r"steps\.pth: refused: its pickle has more "):
        _within(60, lambda: weights.load_state_dict_file(legacy))


def test_a_real_state_dict_still_passes_the_bounded_scan(tmp_path: Path) -> None:
    state = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Linear(4, 2)).state_dict()
    for legacy in (False, True):
        path = tmp_path / f"ok-{legacy}.pth"
        torch.save(state, path, _use_new_zipfile_serialization=not legacy)
        assert files.file_kind(path) == "state_dict"
        loaded = weights.load_state_dict_file(path)
        assert set(loaded) == set(state)


# -- NaN weights ---------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_nan_or_infinite_weights_are_refused_naming_the_tensor(tmp_path: Path, bad: float) -> None:
    state = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU()).state_dict()
    state["0.bias"][2] = bad
    path = tmp_path / "nan.pth"
    torch.save(state, path)
    with pytest.raises(types.WeightsError) as caught:
        weights.load_state_dict_file(path)
    assert str(caught.value) == (
        "Could not load weights from nan.pth: the weights hold NaN or infinite values (in 0.bias)."
    )


# -- photos --------------------------------------------------------------------------------------
def test_a_sparse_8_gb_photo_is_refused_without_being_read(tmp_path: Path) -> None:
    photo = tmp_path / "huge.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="JPEG")
    with open(photo, "wb") as f:
        f.write(buffer.getvalue())
        f.truncate(8 << 30)  # 8 GB, sparse: nothing on the disk
    for read in (lambda: imaging.load_image(photo), lambda: batch.read_file(str(photo))):
        with pytest.raises(imaging.ImageLoadError) as caught:
            _within(10, read)
        assert str(caught.value) == f"{photo}: larger than 1 GB, the limit for a photo file"
    loaded = batch.load_photo(str(photo), lambda image: np.asarray(image))
    assert loaded.error == "larger than 1 GB, the limit for a photo file"


# -- folders and lists ---------------------------------------------------------------------------
@posix_only
def test_a_symlink_loop_under_recursive_reads_each_folder_once(tmp_path: Path) -> None:
    root = tmp_path / "photos"
    (root / "sub").mkdir(parents=True)
    Image.new("RGB", (4, 4)).save(root / "a.png")
    Image.new("RGB", (4, 4)).save(root / "sub" / "b.png")
    (root / "sub" / "up").symlink_to(root, target_is_directory=True)  # a loop
    (root / "again").symlink_to(root / "sub", target_is_directory=True)  # a second way in
    out = _within(30, lambda: expand_paths([str(root)], recursive=True))
    assert sorted(Path(p).name for p in out.photos) == ["a.png", "b.png"]
    assert out.problems == []


def test_a_nested_list_is_found_beside_the_list_that_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lists = tmp_path / "lists"
    (lists / "inner").mkdir(parents=True)
    Image.new("RGB", (4, 4)).save(lists / "inner" / "cat.png")
    (lists / "inner" / "more.txt").write_text("cat.png\n")
    (lists / "outer.txt").write_text("# the inner list, beside this one\n@inner/more.txt\n")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "inner").mkdir(parents=True)
    (elsewhere / "inner" / "more.txt").write_text("decoy.png\n")  # the current folder's: wrong
    monkeypatch.chdir(elsewhere)
    out = expand_paths([f"@{lists / 'outer.txt'}"])
    assert out.photos == [str(lists / "inner" / "cat.png")]
    assert out.problems == []


# -- a layer where no activation map varies ------------------------------------------------------
class _Pooled(nn.Module):
    """A network whose target layer is 1 x 1: no activation map can vary over the photo."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(4, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.features(x).flatten(1))


def _network(model: nn.Module, mean: tuple[float, ...] = (0.5, 0.5, 0.5)) -> Any:
    from scorecam_gui.engine.models.types import Network, NetworkInfo

    info = NetworkInfo(
        name="tiny", title="tiny", default_layer="features.1", input_size=32, mean=mean,
        std=(0.25, 0.25, 0.25), bundled=False, weights_url=None, license="test",
    )  # fmt: skip
    net = Network(info=info, model=model.eval(), categories=[f"c{i}" for i in range(5)],
                  weights_source="test")  # fmt: skip
    net.default_layer = "features.1"
    return net


@pytest.mark.parametrize("weighting", ["paper", "matlab", "reference"])
def test_a_1x1_layer_gives_an_empty_map_not_an_index_error(weighting: str) -> None:
    from scorecam_gui.engine.explainer import Explainer
    from scorecam_gui.engine.progress import run_to_end

    torch.manual_seed(0)
    explainer = Explainer(_network(_Pooled()), "cpu", "fp32", 4)
    photo = np.random.default_rng(0).integers(0, 256, (40, 40, 3), dtype=np.uint8)
    result = run_to_end(explainer.run(photo, weighting=weighting))
    assert result.saliency.shape == (32, 32)
    assert not result.saliency.any()  # nothing is located: no noise stretched to [0, 1]


def test_scores_that_are_not_numbers_are_one_line_not_a_garbage_map() -> None:
    from scorecam_gui.engine.explainer import Explainer
    from scorecam_gui.engine.methods.capture import NOT_FINITE
    from scorecam_gui.engine.progress import run_to_end

    model = _Pooled()
    model.features[1] = nn.Identity()  # a 32 x 32 layer
    model.fc = nn.Sequential(nn.Flatten(), nn.LazyLinear(5))
    model(torch.zeros(1, 3, 32, 32))
    with torch.no_grad():
        model.fc[1].weight[0, 0] = float("nan")  # as a model file could hold it
    explainer = Explainer(_network(model), "cpu", "fp32", 4)
    photo = np.zeros((32, 32, 3), dtype=np.uint8)
    with pytest.raises(ValueError, match="not numbers") as caught:
        run_to_end(explainer.run(photo, layer="features.0"))
    assert str(caught.value) == NOT_FINITE


def test_safe_read_checks_the_file_it_opened(tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_text("cat\ndog\n")
    assert safe_read.read_text(small, 100) == "cat\ndog\n"
    with pytest.raises(safe_read.FileRefused, match="larger than 0 MB"):
        safe_read.read_bytes(small, 4)
    with pytest.raises(safe_read.FileRefused, match="it is a folder"):
        safe_read.read_bytes(tmp_path, 100)
    with pytest.raises(FileNotFoundError):
        safe_read.read_bytes(tmp_path / "missing", 100)


def test_the_scanner_never_unpickles(tmp_path: Path) -> None:
    """The bounded scan still refuses a pickle that runs code, and runs nothing itself."""
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "evil.pth"
    path.write_bytes(pickle.dumps({"w": Evil()}, protocol=2))
    with pytest.raises(types.WeightsError, match="refused"):
        weights.load_state_dict_file(path)
    assert not marker.exists()
