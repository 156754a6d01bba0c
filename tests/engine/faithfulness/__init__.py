"""Tests of the faithfulness protocols (engine/faithfulness)."""
