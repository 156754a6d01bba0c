"""Tests of the explanation methods (engine/methods)."""
