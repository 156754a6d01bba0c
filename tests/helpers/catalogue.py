"""The Japanese catalogue (scorecam_ja.ts) as the tests read it: where it is, and its messages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

__all__ = ["CATALOGUE", "ROOT", "messages"]

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scorecam_gui" / "translations" / "scorecam_ja.ts"


def messages(path: Path) -> dict[tuple[str, str], ET.Element | None]:
    """(context, source) -> its <translation> element, for every message in a .ts file."""
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            found[(name, message.findtext("source", ""))] = message.find("translation")
    return found
