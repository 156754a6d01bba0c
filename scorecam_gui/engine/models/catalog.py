"""The networks of the app's own table, by name and title; torch-free.

The window lists these and says "Getting EfficientNet-Lite0 ready…" before torch is imported
(docs/window.md, "Start-up"); engine/models/registry.py holds the rest of what is known about
each one (layers, weights, normalisation), and a test keeps the titles equal to its table.
"""

from __future__ import annotations

DEFAULT_NETWORK = "efficientnet_lite0"

# The table's networks in the order the app lists them, the bundled default first.
NETWORK_TITLES: dict[str, str] = {
    "efficientnet_lite0": "EfficientNet-Lite0",
    "squeezenet1_1": "SqueezeNet 1.1",
    "googlenet": "GoogLeNet",
    "resnet18": "ResNet-18",
    "mobilenet_v2": "MobileNet-v2",
    "vgg16": "VGG-16",
    "alexnet": "AlexNet",
}
BUNDLED_NETWORKS = frozenset({"efficientnet_lite0"})


def network_title(name: str) -> str:
    """The title the window shows for a network; any other classifier goes by its name."""
    return NETWORK_TITLES.get(name, name)


# What a --model value that names a file (not a network) ends with (engine/models/files.py).
MODEL_SUFFIXES = (".onnx", ".pt", ".pth", ".pkl", ".ckpt", ".bin", ".safetensors", ".ts")


def is_model_file(name: object) -> bool:
    """Whether a --model value names a file rather than a network."""
    text = str(name)
    return text.lower().endswith(MODEL_SUFFIXES) or "/" in text or "\\" in text
