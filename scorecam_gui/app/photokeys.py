"""The photo strip's keys, in one place: a photo file's key is its path, a pasted photo's is
"paste:N" (N its serial). The controller makes and reads them, the presenter names the photo on
screen by one, the strip tells files from pastes by them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .jobs import PhotoSource

__all__ = ["is_pasted", "paste_key", "paste_serial", "photo_key"]

_PASTE_PREFIX = "paste:"


def paste_key(serial: int) -> str:
    """The key of the `serial`-th pasted photo."""
    return f"{_PASTE_PREFIX}{serial}"


def paste_serial(key: str) -> int | None:
    """The serial of a pasted photo's key; None for a file's (its path)."""
    if not key.startswith(_PASTE_PREFIX):
        return None
    digits = key[len(_PASTE_PREFIX) :]
    return int(digits) if digits.isdigit() else None


def is_pasted(key: str) -> bool:
    return paste_serial(key) is not None


def photo_key(source: PhotoSource) -> str:
    """The key of a photo: its path, or its paste key."""
    return source.path if source.path is not None else paste_key(source.serial)
