"""`python -m scorecam_gui.cli`: the command line."""

from .main import run

run()
