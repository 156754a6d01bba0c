"""The Score-CAM engine: networks, images, Score-CAM and metrics. Imports no Qt."""
