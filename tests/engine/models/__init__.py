"""Tests of the model registry (engine/models)."""
