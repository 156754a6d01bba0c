"""Tiny networks and photos the engine's tests run on (a second of CPU each): `tiny_network` (two
convolutions, two constant maps: Score-CAM's brute-force reference runs on it), `bn_network`
(BatchNorm layers of every folding kind) and `photo`, a random SIZE x SIZE photo."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from scorecam_gui.engine.models.types import Network, NetworkInfo

__all__ = ["MEAN", "SIZE", "STD", "Tiny", "WithBatchNorm", "bn_network", "photo", "tiny_network"]

SIZE = 32  # both networks' input size
MEAN = (0.4, 0.5, 0.6)  # tiny_network's normalisation
STD = (0.2, 0.25, 0.3)


class Tiny(nn.Module):
    """Two convolutions, the second one's ReLU is the target; channels 0 and 1 are constant."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.act1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 10, 3, stride=2, padding=1)
        self.act2 = nn.ReLU()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(10, 5)
        with torch.no_grad():
            self.conv2.weight[:2] = 0
            self.conv2.bias[0] = -1.0  # all-zero map after the ReLU
            self.conv2.bias[1] = 0.7  # a constant, non-zero map: it still counts in `paper`

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act2(self.conv2(self.act1(self.conv1(x))))
        return self.fc(self.pool(x).flatten(1))


def tiny_network(seed: int = 0) -> Network:
    torch.manual_seed(seed)
    info = NetworkInfo("tiny", "Tiny", "act2", SIZE, MEAN, STD, False, None, "test")
    net = Network(info, Tiny().eval(), [f"c{i}" for i in range(5)], "random")
    net.default_layer = "act2"
    return net


class WithBatchNorm(nn.Module):
    """Folding candidates of every kind, the target layer is `act3`."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)  # foldable
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(8)  # not: conv2's output is also the skip
        self.shared = nn.BatchNorm2d(8)  # not: runs twice
        self.pre = nn.BatchNorm2d(8)  # not: its input is an activation, not a convolution
        self.conv3 = nn.Conv2d(8, 6, 3, stride=2, padding=1)
        self.bn3 = nn.BatchNorm2d(6)  # foldable (conv with a bias)
        self.act3 = nn.ReLU()
        self.fc = nn.Linear(6, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn1(self.conv1(x)))
        y = self.conv2(x)
        x = torch.relu(self.bn2(y) + y)
        x = self.shared(self.shared(x))
        x = self.act3(self.bn3(self.conv3(self.pre(torch.relu(x)))))
        return self.fc(x.mean((2, 3)))


def bn_network(seed: int = 0) -> Network:
    torch.manual_seed(seed)
    model = WithBatchNorm()
    for m in model.modules():  # statistics as after training, not the identity
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            nn.init.uniform_(m.weight, 0.5, 1.5)
            nn.init.uniform_(m.bias, -0.2, 0.2)
    info = NetworkInfo("bn", "BN", "act3", SIZE, (0.5,) * 3, (0.25,) * 3, False, None, "test")
    net = Network(info, model.eval(), [f"c{i}" for i in range(4)], "random")
    net.default_layer = "act3"
    return net


def photo(seed: int = 1) -> np.ndarray:
    """A random SIZE x SIZE RGB photo (uint8), the same for the same seed."""
    return np.random.default_rng(seed).integers(0, 256, (SIZE, SIZE, 3), dtype=np.uint8)
