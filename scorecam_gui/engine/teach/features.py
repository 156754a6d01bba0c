"""What the frozen network sees in each photo: the input of its last linear layer (for
EfficientNet-Lite0 the 1280 pooled channels), computed once a photo and kept for the process.

The cache's key is the photo's path with its modification time and size and the network (name
and where its weights came from), so a photo edited since is read again, and teaching again (with
another split, another class added) runs only the fit. Its entries are small (1280 float32 = 5 KB
a photo for Lite0), and the oldest go first past `max_photos`.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Generator, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..imaging import ImageLoadError, load_image, resize_for_network
from ..models.types import Network
from ..progress import Progress
from .dataset import TeachError

__all__ = ["FEATURES", "FeatureCache", "TeachProgress", "classifier_of", "compute_features"]

_BATCH = 16  # photos a forward pass: enough to keep the CPU's cores busy, little memory


@dataclass(frozen=True)
class TeachProgress(Progress):
    """Progress with the step it belongs to: "features", "fit" or "check" (the shortcut
    check); done and total count that step's photos or iterations."""

    stage: str = "features"


def classifier_of(network: Network) -> tuple[str, nn.Linear]:
    """The network's last linear layer (its classifier) and its name; TeachError when its last
    layer is not linear (SqueezeNet's 1x1 convolution, a model file)."""
    last: tuple[str, nn.Module] | None = None
    for name, module in network.model.named_modules():
        if isinstance(module, nn.Linear | nn.Conv2d):
            last = (name, module)
    if last is None or not isinstance(last[1], nn.Linear):
        raise TeachError(
            f"{network.info.title} cannot be taught here: its last layer is not a linear layer "
            "(use the bundled EfficientNet-Lite0, or a network such as ResNet-18)"
        )
    return last[0], last[1]


def network_key(network: Network) -> str:
    """Which network's features: its name and where its weights came from."""
    return f"{network.info.name}|{network.weights_source}"


class FeatureCache:
    """Features by (network, path, modification time, size), kept while the process runs; safe
    to use from several threads."""

    def __init__(self, max_photos: int = 50_000) -> None:
        self.max_photos = max_photos
        self._items: OrderedDict[tuple[str, str, int, int], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    @staticmethod
    def key(network: str, path: str) -> tuple[str, str, int, int]:
        try:
            info = os.stat(path)
        except OSError:
            return (network, os.path.abspath(path), -1, -1)  # reading it will say what is wrong
        return (network, os.path.abspath(path), info.st_mtime_ns, info.st_size)

    def get(self, key: tuple[str, str, int, int]) -> np.ndarray | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, str, int, int], features: np.ndarray) -> None:
        if key[2] < 0:
            return
        with self._lock:
            self._items[key] = features
            self._items.move_to_end(key)
            while len(self._items) > self.max_photos:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


#: The process's cache: the window's teaching and the command line's share it.
FEATURES = FeatureCache()


def _prepared(path: str, size: int) -> np.ndarray:
    try:
        return resize_for_network(load_image(path), size)
    except ImageLoadError as exc:
        raise TeachError(f"{exc} (remove it or replace it, then teach again)") from None


def _forward(
    network: Network, layer: nn.Linear, photos: list[np.ndarray], device: torch.device
) -> np.ndarray:
    info = network.info
    x = torch.from_numpy(np.stack(photos)).to(device).permute(0, 3, 1, 2).float().div_(255.0)
    mean = torch.tensor(info.mean, device=device).view(1, 3, 1, 1)
    std = torch.tensor(info.std, device=device).view(1, 3, 1, 1)
    seen: list[torch.Tensor] = []
    hook = layer.register_forward_hook(lambda _m, args, _out: seen.append(args[0].detach()))
    try:
        with torch.inference_mode():
            network.model((x - mean) / std)
    finally:
        hook.remove()
    return seen[0].flatten(1).float().cpu().numpy()


def compute_features(
    network: Network,
    paths: Sequence[str],
    cache: FeatureCache | None = None,
    device: str = "cpu",
) -> Generator[TeachProgress, None, np.ndarray]:
    """The features of every photo, (N, D) float32 in the order of `paths`: those in `cache`
    (default: the process's) at once, the rest in batches, yielding progress after each; a
    photo that cannot be read is a TeachError naming it. Closing the generator stops between
    two batches."""
    store = FEATURES if cache is None else cache
    _, layer = classifier_of(network)
    where = torch.device(device)
    network.model.to(where).eval()
    net_key = network_key(network)
    keys = [store.key(net_key, p) for p in paths]
    found: list[np.ndarray | None] = [store.get(k) for k in keys]
    missing = [i for i, f in enumerate(found) if f is None]
    total = len(paths)
    done = total - len(missing)
    start = time.perf_counter()
    yield TeachProgress(done, total, 0.0, stage="features")
    size = network.info.input_size
    for first in range(0, len(missing), _BATCH):
        batch = missing[first : first + _BATCH]
        features = _forward(network, layer, [_prepared(paths[i], size) for i in batch], where)
        for i, row in zip(batch, features, strict=True):
            found[i] = row
            store.put(keys[i], row)
        done += len(batch)
        yield TeachProgress(done, total, time.perf_counter() - start, stage="features")
    return np.stack([f for f in found if f is not None]).astype(np.float32, copy=False)
