"""Tests of the engine (scorecam_gui/engine)."""
