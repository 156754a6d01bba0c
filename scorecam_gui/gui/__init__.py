"""The desktop application (PySide6 + pyqtgraph): the only package that imports Qt.

Start it with `scorecam-gui` or `python -m scorecam_gui`; the entry point is main.main().
"""

from . import _compat  # noqa: F401 - work-arounds for the Qt binding, before any signal is used
