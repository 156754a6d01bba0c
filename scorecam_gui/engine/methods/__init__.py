"""Explanation methods: one module each on one protocol (base.py), one catalog row each
(catalog.py, torch-free), one registry that runs any of them by name (registry.py).

The families: scorecam/ (Score-CAM and the methods that score masked inputs), gradient/ (one
backward pass), baseline.py (the noise map). See docs/architecture.md: adding a method.
"""
