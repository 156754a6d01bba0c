"""Tests of the window (scorecam_gui/gui, scorecam_gui/app)."""
