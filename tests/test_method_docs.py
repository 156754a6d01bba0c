"""The words that list the methods are held against the catalog (engine/methods/catalog.py): the
README's method table, `scorecam explain --help`, and docs/cli.md's synopsis. A method added to
the catalog fails here until each lists it; nothing else needs typing by hand."""

from __future__ import annotations

import re
from pathlib import Path

from scorecam_gui.cli.main import build_parser
from scorecam_gui.engine.methods import catalog

ROOT = Path(__file__).resolve().parents[1]


def listed_methods() -> list[str]:
    """What --method offers by name: Score-CAM as `scorecam` (its rows are --weighting's), every
    other method but the noise baseline (a protocol's chance level, not an explanation)."""
    rows = [m for m in catalog.METHODS if "weighting" not in m.options and m.family != "baseline"]
    return ["scorecam", *(m.name for m in rows)]


def test_the_readme_method_table_lists_the_catalog() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| `--method` |") :].split("\n\n")[0]
    names = re.findall(r"^\| `([^`]+)` \|", table, flags=re.M)
    assert names[1:] == listed_methods()  # the first is the header's `--method`


def test_explain_help_lists_the_catalog() -> None:
    parser = build_parser()
    explain = next(
        a
        for a in parser._subparsers._group_actions[0].choices.values()
        if a.prog.endswith("explain")
    )
    method = next(a for a in explain._actions if "--method" in a.option_strings)
    assert method.help is not None
    named = re.findall(r"[a-z][a-z+\-]*", method.help.split(" (what")[0].split(": ", 1)[1])
    assert [n for n in named if n != "default"] == listed_methods()


def test_the_cli_docs_synopsis_lists_the_catalog() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    synopsis = re.search(r"\[--method ([^\]]+)\]", text)
    assert synopsis is not None
    names = [n.strip() for n in re.sub(r"\s+", "", synopsis.group(1)).split("|")]
    assert names == listed_methods()
