"""The gradient methods: one forward and one backward pass (common.py), then each its own rule for
the map."""
