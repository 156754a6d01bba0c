"""Score-CAM Studio: see why an image classifier decided what it decided."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("scorecam-gui")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
