"""The README is a front page a newcomer can follow (issue 35): at most 250 lines, its commands
are ones the programs accept, on photos that ship, and its links lead to files that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from scorecam_gui.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = [README, ROOT / "README.ja.md", ROOT / "packaging" / "README.md", *ROOT.glob("docs/*.md")]
MAX_LINES = 250


def _commands(text: str, program: str) -> list[list[str]]:
    """The `program ...` lines of the page's code blocks, as argv (comments dropped)."""
    blocks = re.findall(r"```(?:bash)?\n(.*?)```", text, flags=re.S)
    lines = [line.split(" #")[0].split(" |")[0].strip() for b in blocks for line in b.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.split(" ")[0] == program]


def test_the_readme_is_a_front_page() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


@pytest.mark.parametrize("page", [README, ROOT / "README.ja.md"], ids=lambda p: p.name)
def test_the_tours_commands_are_accepted_and_use_photos_that_ship(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    commands = _commands(text, "scorecam")
    assert ["sample"] in commands  # writes chelsea.png, which the other commands use
    parser = build_parser()
    for argv in commands:
        parser.parse_args(argv)  # a usage error exits 2 and fails the test
        photos = [a for a in argv if re.search(r"\.(png|jpe?g)$", a, re.I)]
        assert set(photos) <= {"chelsea.png"}, argv
    assert "astronaut.png" not in text and "cat.jpg" not in text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_lead_to_files_that_exist(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a web address, or a heading of the same page
        path = (page.parent / target.split("#")[0]).resolve()
        assert path.exists(), f"{page.relative_to(ROOT)} links to {target}, which is missing"
