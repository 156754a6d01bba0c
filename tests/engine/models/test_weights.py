"""Weights: verified downloads from a local server, safe loading, plain-words mismatches."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import pickle
import socket
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import torch
from torchvision import models

from scorecam_gui.engine import atomicio
from scorecam_gui.engine.models.types import DownloadCancelled, LabelsError, WeightsError
from scorecam_gui.engine.models.weights import (
    CHUNK_SIZE,
    default_labels,
    download_weights,
    expected_hash_prefix,
    hub_checkpoint_path,
    load_into,
    load_state_dict_file,
    num_classes_in,
    read_labels,
)

OFFLINE_HINT = (
    "(no network connection?): import the weights file with 'Import weights...' / --weights, "
    "or use the bundled EfficientNet-Lite0."
)


# --------------------------------------------------------------------------- a local server


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, tuple[bytes, str]] = {}
        self.hits: list[str] = []

    def handle_error(self, request: object, client_address: object) -> None:
        # A cancelled download closes the connection while the handler still writes.
        pass

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        if self.path not in self.server.routes:
            self.send_error(404)
            return
        body, mode = self.server.routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "half":
            # Promise the whole body, send half, hang up (HTTP/1.0 closes after the handler).
            self.wfile.write(body[: len(body) // 2])
            return
        self.wfile.write(body)


_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # urllib honours proxy variables; the local server must be reached directly.
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def state() -> dict[str, torch.Tensor]:
    # About 200 KB: several 64 KiB chunks.
    return {"w": torch.arange(50_000, dtype=torch.float32), "b": torch.ones(3)}


@pytest.fixture(scope="module")
def payload(state: dict[str, torch.Tensor]) -> tuple[str, bytes]:
    buffer = io.BytesIO()
    torch.save(state, buffer)
    data = buffer.getvalue()
    return f"tiny-{hashlib.sha256(data).hexdigest()[:8]}.pth", data


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --------------------------------------------------------------------------- names and hashes


def test_expected_hash_prefix() -> None:
    assert expected_hash_prefix("resnet18-f37072fd.pth") == "f37072fd"
    assert expected_hash_prefix("alexnet-owt-7be5be79.pth") == "7be5be79"
    assert expected_hash_prefix(Path("/x/y/efficientnet_b0_rwightman-7f5810bc.pth")) == "7f5810bc"
    assert expected_hash_prefix("my-model.pth") is None
    assert expected_hash_prefix("weights.pth") is None
    assert expected_hash_prefix("model-cafe.pth") is None  # too short to be a torchvision hash


def test_hub_checkpoint_path() -> None:
    url = "https://download.pytorch.org/models/resnet18-f37072fd.pth"
    expected = Path(torch.hub.get_dir()) / "checkpoints" / "resnet18-f37072fd.pth"
    assert hub_checkpoint_path(url) == expected


# --------------------------------------------------------------------------- downloads


def test_download_with_progress(
    server: _Server, payload: tuple[str, bytes], state: dict[str, torch.Tensor], tmp_path: Path
) -> None:
    name, data = payload
    server.routes["/models/" + name] = (data, "full")
    calls: list[tuple[int, int | None]] = []

    path = download_weights(
        server.url("/models/" + name), tmp_path / name, progress=lambda d, t: calls.append((d, t))
    )

    assert path == tmp_path / name
    assert path.read_bytes() == data
    assert leftovers(tmp_path) == [name]
    done = [d for d, _ in calls]
    assert done == sorted(set(done)) and done[0] == 0
    assert calls[-1] == (len(data), len(data))
    assert len(calls) == 1 + -(-len(data) // CHUNK_SIZE)
    loaded = load_state_dict_file(path)
    assert torch.equal(loaded["w"], state["w"])

    # An intact file is not fetched again.
    assert download_weights(server.url("/models/" + name), tmp_path) == path
    assert server.hits == ["/models/" + name]


def test_default_destination_is_torch_hub_cache(
    server: _Server,
    payload: tuple[str, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(torch.hub, "_hub_dir", None)
    name, data = payload
    server.routes["/" + name] = (data, "full")

    path = download_weights(server.url("/" + name))

    assert path == tmp_path / "hub" / "checkpoints" / name
    # torch.hub (and so torchvision) finds it there and never goes to the network.
    offline_url = f"http://127.0.0.1:{closed_port()}/{name}"
    cached = torch.hub.load_state_dict_from_url(
        offline_url, map_location="cpu", check_hash=True, weights_only=True
    )
    assert set(cached) == {"w", "b"}


def test_damaged_existing_file_is_replaced(
    server: _Server, payload: tuple[str, bytes], tmp_path: Path
) -> None:
    name, data = payload
    server.routes["/" + name] = (data, "full")
    (tmp_path / name).write_bytes(data[:100])
    assert download_weights(server.url("/" + name), tmp_path / name).read_bytes() == data
    assert leftovers(tmp_path) == [name]


def test_wrong_hash_leaves_nothing(
    server: _Server, payload: tuple[str, bytes], tmp_path: Path
) -> None:
    name, data = payload
    real = expected_hash_prefix(name)
    assert real is not None
    wrong = f"tiny-{'0' if real[0] != '0' else '1'}{real[1:]}.pth"
    server.routes["/" + wrong] = (data, "full")
    with pytest.raises(WeightsError, match="damaged"):
        download_weights(server.url("/" + wrong), tmp_path / wrong)
    assert leftovers(tmp_path) == []


def test_broken_off_transfer_leaves_nothing(
    server: _Server, payload: tuple[str, bytes], tmp_path: Path
) -> None:
    name, data = payload
    server.routes["/" + name] = (data, "half")
    with pytest.raises(WeightsError, match=r"broke off after .* of "):
        download_weights(server.url("/" + name), tmp_path / name)
    assert leftovers(tmp_path) == []


def test_cancel_midway_leaves_nothing(
    server: _Server, payload: tuple[str, bytes], tmp_path: Path
) -> None:
    name, data = payload
    server.routes["/" + name] = (data, "full")
    received: list[int] = []
    with pytest.raises(DownloadCancelled):
        download_weights(
            server.url("/" + name),
            tmp_path / name,
            progress=lambda done, total: received.append(done),
            cancel=lambda: received[-1] > 0,
        )
    assert 0 < received[-1] < len(data)
    assert leftovers(tmp_path) == []


def test_connection_refused_says_what_to_do(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/resnet18-f37072fd.pth"
    with pytest.raises(WeightsError) as info:
        download_weights(url, tmp_path / "resnet18-f37072fd.pth")
    assert str(info.value) == "Could not download resnet18-f37072fd.pth " + OFFLINE_HINT
    assert leftovers(tmp_path) == []


def test_http_error(server: _Server, tmp_path: Path) -> None:
    with pytest.raises(WeightsError, match="server answered 404"):
        download_weights(server.url("/missing-0123abcd.pth"), tmp_path)
    assert leftovers(tmp_path) == []


def test_silent_server_times_out(tmp_path: Path) -> None:
    # Accepts the connection (backlog) but never answers.
    with socket.create_server(("127.0.0.1", 0)) as listener:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/slow-0123abcd.pth"
        with pytest.raises(WeightsError, match=r"did not answer within 0.2 s"):
            download_weights(url, tmp_path, timeout=0.2)
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- reading files


def test_state_dict_forms(tmp_path: Path, state: dict[str, torch.Tensor]) -> None:
    plain = tmp_path / "plain.pth"
    torch.save(state, plain)
    assert list(load_state_dict_file(plain)) == ["w", "b"]

    checkpoint = tmp_path / "checkpoint.pth"
    torch.save({"epoch": 3, "state_dict": {"module." + k: v for k, v in state.items()}}, checkpoint)
    assert list(load_state_dict_file(checkpoint)) == ["w", "b"]

    wrapped = tmp_path / "wrapped.pt"
    torch.save({"model": state, "lr": 0.1}, wrapped)
    assert list(load_state_dict_file(wrapped, expected_keys={"w", "b", "c"})) == ["w", "b"]

    with pytest.raises(WeightsError, match=r"plain.pth: it holds the weights of another"):
        load_state_dict_file(plain, expected_keys=["conv1.weight"])


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"hello world\n", id="text"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(200), id="png"),
        pytest.param(b"truncate", id="truncated"),
    ],
)
def test_damaged_files(tmp_path: Path, payload: tuple[str, bytes], content: bytes) -> None:
    if content == b"truncate":
        content = payload[1][: len(payload[1]) // 2]
    path = tmp_path / "broken.pth"
    path.write_bytes(content)
    with pytest.raises(WeightsError) as info:
        load_state_dict_file(path)
    assert str(info.value) == (
        "Could not load weights from broken.pth: truncated or not a PyTorch weights file."
    )


def test_missing_file_and_not_a_state_dict(tmp_path: Path) -> None:
    with pytest.raises(WeightsError, match=r"nothere.pth: file not found"):
        load_state_dict_file(tmp_path / "nothere.pth")
    for i, obj in enumerate([[1, 2], {"a": 1}, {}, torch.zeros(3)]):
        path = tmp_path / f"odd{i}.pth"
        torch.save(obj, path)
        with pytest.raises(WeightsError, match=rf"odd{i}.pth: not a state dict"):
            load_state_dict_file(path)


class _Evil:
    """Unpickling this would run a shell command that writes a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f'echo pwned > "{self.marker}"',))


def test_malicious_pickle_is_refused_and_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "marker.txt"
    path = tmp_path / "evil.pth"
    torch.save({"fc.weight": torch.zeros(2, 2), "payload": _Evil(marker)}, path)
    # The file really asks for os.system (posix.system / nt.system).
    with open(path, "rb") as f:
        assert b"system" in f.read()

    with pytest.raises(WeightsError) as info:
        load_state_dict_file(path)

    # One line that names the file, refuses, says why (it would run code) and what to do.
    message = str(info.value)
    assert message.startswith("Could not load weights from evil.pth: refused: ")
    assert "runs code" in message and "state_dict()" in message and "\n" not in message
    assert not marker.exists()


def test_plain_pickle_with_code_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "marker.txt"
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps(_Evil(marker), protocol=2))
    with pytest.raises(WeightsError, match="refused"):
        load_state_dict_file(path)
    assert not marker.exists()


# --------------------------------------------------------------------------- fitting models


@pytest.fixture(scope="module")
def resnet18_10() -> dict[str, torch.Tensor]:
    torch.manual_seed(0)
    return models.resnet18(weights=None, num_classes=10).state_dict()


def test_other_architecture_is_explained(resnet18_10: dict[str, torch.Tensor]) -> None:
    model = models.mobilenet_v2(weights=None)
    own = model.state_dict()
    missing = len(set(own) - set(resnet18_10))
    unexpected = len(set(resnet18_10) - set(own))
    with pytest.raises(WeightsError) as info:
        load_into(model, resnet18_10, Path("resnet18-f37072fd.pth"))
    message = str(info.value)
    assert message.startswith(
        f"The weights in resnet18-f37072fd.pth do not fit MobileNetV2: {missing} missing, "
        f"{unexpected} unexpected, 0 with other shapes (e.g. missing features.0.0.weight, "
        "unexpected conv1.weight)"
    )
    assert "\n" not in message


def test_other_class_count_is_explained(resnet18_10: dict[str, torch.Tensor]) -> None:
    with pytest.raises(WeightsError) as info:
        load_into(models.resnet18(weights=None), resnet18_10, "finetuned.pth", "ResNet-18")
    assert str(info.value) == (
        "The weights in finetuned.pth do not fit ResNet-18: 0 missing, 0 unexpected, "
        "2 with other shapes (e.g. fc.weight: file 10x512, model 1000x512)."
    )


def test_fine_tuned_model_loads(resnet18_10: dict[str, torch.Tensor]) -> None:
    n = num_classes_in(resnet18_10)
    assert n == 10
    model = models.resnet18(weights=None, num_classes=n)
    load_into(model, resnet18_10, "finetuned.pth")
    assert torch.equal(model.fc.weight, resnet18_10["fc.weight"])


def test_num_classes_in() -> None:
    squeeze = models.squeezenet1_1(weights=None, num_classes=7).state_dict()
    assert tuple(squeeze["classifier.1.weight"].shape) == (7, 512, 1, 1)
    assert num_classes_in(squeeze) == 7
    # EfficientNet's squeeze-excitation 1x1 convs (fc1/fc2) are not the classifier.
    assert num_classes_in(models.efficientnet_b0(weights=None).state_dict()) == 1000
    lite = {
        "_conv_head.weight": torch.zeros(1280, 320, 1, 1),
        "_fc.weight": torch.zeros(1000, 1280),
    }
    assert num_classes_in(lite) == 1000
    assert num_classes_in({"proj.weight": torch.zeros(5, 3)}) == 5
    assert num_classes_in({"conv.weight": torch.zeros(8, 3, 3, 3)}) is None
    assert num_classes_in({}) is None


# --------------------------------------------------------------------------- class names


def test_read_labels(tmp_path: Path) -> None:
    path = tmp_path / "labels.txt"
    path.write_bytes("\ufeffcat\r\n\r\n  espresso cup  \nrocket\n\n".encode())
    assert read_labels(path, 3) == ["cat", "espresso cup", "rocket"]
    with pytest.raises(LabelsError, match=r"holds 3 class names, but the network has 4"):
        read_labels(path, 4)
    with pytest.raises(LabelsError, match="file not found"):
        read_labels(tmp_path / "none.txt", 3)
    (tmp_path / "bin.txt").write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(LabelsError, match="not a UTF-8 text file"):
        read_labels(tmp_path / "bin.txt", 1)
    assert default_labels(3) == ["class 0", "class 1", "class 2"]
    assert isinstance(LabelsError("x"), WeightsError)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unwritable_destination(
    server: _Server, payload: tuple[str, bytes], tmp_path: Path
) -> None:
    name, data = payload
    server.routes["/" + name] = (data, "full")
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    # A folder that cannot exist because a file is in its way.
    with pytest.raises(WeightsError, match="Could not save"):
        download_weights(server.url("/" + name), blocker / "sub" / name)


def test_full_disk_during_download(
    server: _Server, payload: tuple[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, data = payload
    server.routes["/" + name] = (data, "full")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomicio.os, "fsync", full)
    with pytest.raises(WeightsError) as info:
        download_weights(server.url("/" + name), tmp_path / name)
    monkeypatch.undo()
    assert str(info.value) == f"Could not save {name} in {tmp_path}: disk full."
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "reason",
    [
        pytest.param(socket.gaierror(-2, "Name or service not known"), id="dns"),
        pytest.param(OSError(errno.ENETUNREACH, "Network is unreachable"), id="no-route"),
    ],
)
def test_offline_reasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reason: OSError) -> None:
    def offline(*args: object, **kwargs: object) -> None:
        raise urllib.error.URLError(reason)

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(WeightsError) as info:
        download_weights("https://download.pytorch.org/models/vgg16-397923af.pth", tmp_path)
    assert str(info.value) == "Could not download vgg16-397923af.pth " + OFFLINE_HINT
    assert leftovers(tmp_path) == []
