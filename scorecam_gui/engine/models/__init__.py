"""The model registry: networks by name or file (registry.py on top), their backends (the
bundled EfficientNet-Lite0, torchvision, timm, ONNX), and what they share below them: the types
and errors (types.py), weights and labels (weights.py), files read safely (files.py), layers
(layers.py). See docs/architecture.md."""
