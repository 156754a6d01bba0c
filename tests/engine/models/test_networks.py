"""The network registry: architectures, default layers, weights status, download and import."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
import torchvision

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.models import layers, registry, torchvision_models, types, weights
from scorecam_gui.engine.models.registry import load_network
from scorecam_gui.engine.models.types import NetworkError

# docs/networks.md's table: network -> (default layer, number of maps)
TABLE = {
    "efficientnet_lite0": ("_head_act", 1280),
    "squeezenet1_1": ("classifier.2", 1000),
    "googlenet": ("inception5b", 1024),
    "resnet18": ("layer4", 512),
    "mobilenet_v2": ("features.18", 1280),
    "vgg16": ("features.29", 512),
    "alexnet": ("features.11", 256),
}


@pytest.fixture
def hub_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty torch hub cache, so no test sees weights downloaded on this machine."""
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    return tmp_path / "hub"


def test_table_lists_default_first() -> None:
    infos = registry.list_networks()
    assert [i.name for i in infos] == list(TABLE)
    assert infos[0].bundled and registry.weights_status("efficientnet_lite0") == "bundled"


def test_imagenet_categories_are_torchvision_s() -> None:
    # the package's copy exists so that the bundled network needs no torchvision import
    expected = torchvision.models.ResNet18_Weights.IMAGENET1K_V1.meta["categories"]
    assert weights.imagenet_categories() == expected


def test_bundled_network_runs_without_importing_torchvision() -> None:
    # importing torchvision costs about 180 MB (it pulls in torch._dynamo and sympy)
    import subprocess
    import sys

    code = (
        "import sys, numpy as np;"
        "from scorecam_gui.engine.models.registry import load_network;"
        "from scorecam_gui.engine.explainer import Explainer;"
        "net = load_network();"
        "r = Explainer(net).explain(np.zeros((224, 224, 3), np.uint8), approximate=8);"
        "print(net.categories[281], r.maps_evaluated);"
        "print(sorted(m for m in ('torchvision', 'sympy', 'torch._dynamo') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["tabby 8", "[]"]


@pytest.mark.parametrize("name", list(TABLE))
def test_default_layer_exists_with_documented_maps(name: str) -> None:
    layer, maps = TABLE[name]
    net = load_network(name, random_init=name != "efficientnet_lite0")
    assert net.default_layer == layer
    shapes = {li.name: li.shape for li in layers.list_layers(net)}
    assert shapes[layer][0] == maps and len(shapes[layer]) == 3
    assert net.num_classes == 1000 and net.categories[281] == "tabby"
    assert not net.model.training


@pytest.mark.parametrize(
    ("name", "layer"),
    [
        ("resnet50", "layer4.2"),  # the block, not the shared ReLU inside it
        ("googlenet", "inception5b"),  # its concatenation is code, not a module
        ("vgg16", "features.29"),  # the ReLU before the last max-pool
        ("mobilenet_v3_small", "features.12.2"),  # Hardswish
        ("convnext_tiny", "features.7.2"),  # channels-last GELU inside is passed over
    ],
)
def test_automatic_layer_of_other_networks(name: str, layer: str) -> None:
    net = load_network(name, random_init=True)
    assert layers.find_default_layer(net) == layer


def test_any_torchvision_classifier_explains_with_its_automatic_layer() -> None:
    torch.manual_seed(0)
    net = load_network("shufflenet_v2_x0_5", random_init=True)
    assert net.info.default_layer is None and net.default_layer == "conv5.2"
    rgb = np.random.default_rng(0).integers(0, 256, (224, 224, 3), dtype=np.uint8)
    result = Explainer(net, "cpu", "fp32").explain(rgb, approximate=16)
    assert result.saliency.shape == (224, 224) and result.maps_total == 1024


def test_unknown_network_and_layer_are_clear() -> None:
    with pytest.raises(NetworkError, match="unknown network 'resnet19'"):
        registry.network_info("resnet19")
    net = load_network("alexnet", random_init=True)
    with pytest.raises(NetworkError, match=r"no layer 'features\.99'"):
        layers.resolve_layer(net, "features.99")


def test_target_by_index_and_name() -> None:
    net = load_network()
    assert layers.resolve_target(net, "281") == 281
    assert layers.resolve_target(net, "Tabby") == 281
    assert layers.resolve_target(net, "espresso") == 967
    with pytest.raises(NetworkError, match="several classes"):
        layers.resolve_target(net, "cat")
    with pytest.raises(NetworkError, match="out of range"):
        layers.resolve_target(net, "1000")
    with pytest.raises(NetworkError, match="no class named"):
        layers.resolve_target(net, "unicorn")


def test_missing_weights_without_download_say_what_to_do(hub_dir: Path) -> None:
    assert registry.weights_status("resnet18") == "missing"
    with pytest.raises(types.WeightsError, match="import the weights file"):
        load_network("resnet18", allow_download=False)


class _Server(http.server.ThreadingHTTPServer):
    files: dict[str, bytes]


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = self.server.files.get(self.path.lstrip("/"))  # type: ignore[attr-defined]
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def weights_host(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Server]:
    """A local stand-in for the weights host (no web access on CI)."""
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(var, raising=False)
    server = _Server(("127.0.0.1", 0), _Handler)
    server.files = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def _serve_state_dict(server: _Server, tmp: Path, name: str, good_hash: bool = True) -> str:
    torch.manual_seed(1)
    model = torchvision.models.get_model(name, weights=None)
    path = tmp / "state.pth"
    torch.save(model.state_dict(), path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:8] if good_hash else "00000000"
    filename = f"{name}-{digest}.pth"
    server.files[filename] = data
    return f"http://127.0.0.1:{server.server_address[1]}/{filename}"


def _fake_weights_url(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    real = torchvision.models.get_model_weights("squeezenet1_1").DEFAULT
    fake = SimpleNamespace(url=url, transforms=real.transforms, meta=real.meta)
    monkeypatch.setattr(torchvision_models, "_weights_enum", lambda name: fake)


def test_download_from_local_host_with_progress(
    hub_dir: Path, weights_host: _Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _serve_state_dict(weights_host, tmp_path, "squeezenet1_1")
    _fake_weights_url(monkeypatch, url)
    assert registry.weights_status("squeezenet1_1") == "missing"
    seen: list[tuple[int, int | None]] = []
    net = load_network("squeezenet1_1", progress=lambda done, total: seen.append((done, total)))
    assert net.weights_source == "downloaded"
    assert registry.weights_status("squeezenet1_1") == "downloaded"
    total = len(next(iter(weights_host.files.values())))
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_download_with_wrong_hash_leaves_nothing(
    hub_dir: Path, weights_host: _Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _serve_state_dict(weights_host, tmp_path, "squeezenet1_1", good_hash=False)
    _fake_weights_url(monkeypatch, url)
    with pytest.raises(types.WeightsError):
        load_network("squeezenet1_1")
    checkpoints = hub_dir / "checkpoints"
    assert not checkpoints.exists() or list(checkpoints.iterdir()) == []


def test_imported_fine_tuned_weights_with_labels(tmp_path: Path) -> None:
    torch.manual_seed(2)
    model = torchvision.models.resnet18(num_classes=3)
    path = tmp_path / "finetuned.pth"
    torch.save({"state_dict": model.state_dict()}, path)
    labels = tmp_path / "labels.txt"
    labels.write_text("apple\nbanana\ncherry\n")
    net = load_network("resnet18", path, labels)
    assert net.categories == ["apple", "banana", "cherry"]
    assert net.weights_source == str(path)
    torch.testing.assert_close(net.model.fc.weight, model.fc.weight)
    unlabelled = load_network("resnet18", path)
    assert unlabelled.categories == ["class 0", "class 1", "class 2"]


def test_imported_weights_of_another_architecture_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "resnet.pth"
    torch.save(torchvision.models.resnet18(num_classes=10).state_dict(), path)
    with pytest.raises(types.WeightsError, match="do not fit"):
        load_network("mobilenet_v2", path)
