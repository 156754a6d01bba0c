"""Tests of teaching new classes and the shortcut check (engine/teach)."""
