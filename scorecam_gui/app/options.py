"""The advanced options a request carries (Qt-free: settings, sidebar and jobs share it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    """The advanced options (see the engine for what each means)."""

    weighting: str = "paper"
    fill: str = "black"
    batch_size: int | None = None
    device: str = "auto"
    precision: str = "auto"
