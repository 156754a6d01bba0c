"""Tests of batches over folders (engine/folders)."""
