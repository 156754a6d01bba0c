"""pyqtgraph, imported the one way this package uses it (PySide6 binding, row-major images)."""

from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

# The variable above makes pyqtgraph use PySide6 whatever else is installed.
import pyqtgraph as pg

# Arrays are (rows, columns[, channels]) as numpy and PIL give them.
pg.setConfigOptions(imageAxisOrder="row-major", antialias=True, background=None)

__all__ = ["pg"]
