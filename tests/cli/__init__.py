"""Tests of the command line (scorecam_gui/cli)."""
