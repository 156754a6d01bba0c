"""docs/record.md against real records: every field a record has is in the doc's field table and
every field there is in the record, in order; each field's "null when" column holds for Score-CAM
and Grad-CAM records (`scorecam explain --json` on the bundled network, a failed photo, the
window's record); and the doc's table of what each method leaves null is the catalog's."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from scorecam_gui import appdata
from scorecam_gui.engine.methods import catalog
from scorecam_gui.engine.record import FIELDS

DOC = Path(__file__).resolve().parents[1] / "docs" / "record.md"


@dataclass(frozen=True)
class Made:
    """How a record was made: the method, the command line's extra arguments, where."""

    method: str
    args: tuple[str, ...] = ()
    window: bool = False
    failed: bool = False
    row: bool = False  # a manifest row (without its `map` and `options`)
    record: dict[str, Any] = field(default_factory=dict, compare=False)


def _nulls(name: str) -> Callable[[Made], bool]:
    return lambda made: name in catalog.not_applicable(made.method)


# Each phrase of the doc's "null when" column, as a test of how the record was made. A phrase
# not here fails the test: the doc claims only what is checked.
CLAIMS: dict[str, Callable[[Made], bool]] = {
    "never": lambda made: False,
    "the window's export": lambda made: made.window,
    "the file could not be read": lambda made: False,  # these photos' files are readable
    "the method has no weighting": _nulls("weighting"),
    "the method does not mask the photo": _nulls("fill"),
    "the method does not score feature maps one by one": _nulls("maps_total"),
    "the method cannot stop early": _nulls("stopped"),
    "no `--contrast`": lambda made: "--contrast" not in made.args,
    "no `--approximate`": lambda made: "--approximate" not in made.args,
    "the passes ran in fp32 or on torch": lambda made: (
        made.record["precision"] == "fp32" or made.record["backend"] == "torch"
    ),
    # these records' passes run on torch (conftest), the phrase above; test_int8.py checks
    # that a checked precision carries its value
    "the precision was never checked": lambda made: False,
    "a failed photo": lambda made: made.failed,
    "the photo was explained": lambda made: not made.failed,
}


def _table(heading: str) -> list[list[str]]:
    """The body rows (cells) of the first table at or after `heading` in docs/record.md."""
    doc = DOC.read_text(encoding="utf-8")
    lines = doc[doc.index(heading) :].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|---")) + 1
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split(" | ")])
    return rows


def _documented() -> dict[str, list[str]]:
    """field -> the phrases of its "null when" cell."""
    out = {}
    for cells in _table("## The fields"):
        name = cells[0].strip("`")
        out[name] = [phrase.strip() for phrase in cells[-1].split(";")]
    return out


def _claim(phrase: str) -> Callable[[Made], bool]:
    matches = [test for start, test in CLAIMS.items() if phrase.startswith(start)]
    assert len(matches) == 1, f"docs/record.md: a 'null when' the test does not know: {phrase}"
    return matches[0]


def _cli_records(tmp_path: Path, method: str, *args: str) -> list[Made]:
    """The --json record of the sample photo, and the manifest rows of it and of a file that is
    not a photo (the command line prints no record for a failed photo; the manifest has it)."""
    from scorecam_gui.cli import main as cli
    from scorecam_gui.engine.folders.manifest import read_manifest

    out = tmp_path / f"{method}-{len(args)}"
    out.mkdir()
    bad = out / "not-a-photo.jpg"
    bad.write_bytes(b"not an image")
    manifest = out / "run.parquet"
    argv = ["explain", str(appdata.sample_photo_path()), str(bad), "--method", method, *args]
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = cli.main([*argv, "--json", "--out", str(out), "--manifest", str(manifest)])
    assert code == 1  # the bad file failed, the photo did not
    (printed,) = [json.loads(line) for line in buffer.getvalue().splitlines()]
    rows = sorted(read_manifest(manifest).to_pylist(), key=lambda r: r["error"] is not None)
    assert [r["error"] is None for r in rows] == [True, False]
    rows = [{k: v for k, v in r.items() if k not in ("map", "options")} for r in rows]
    return [
        Made(method, args, record=printed),
        *(Made(method, args, failed=r["error"] is not None, record=r, row=True) for r in rows),
    ]


def _window_record(method: str) -> Made:
    from PIL import Image

    from scorecam_gui.app.records import window_record
    from scorecam_gui.engine.explainer import Explainer
    from scorecam_gui.engine.methods import registry
    from scorecam_gui.engine.models.registry import load_network

    explainer = Explainer(load_network("efficientnet_lite0"), "cpu")
    with Image.open(appdata.sample_photo_path()) as photo:
        result = registry.explain(explainer, photo.convert("RGB"), method)
    record = window_record(result, "chelsea.png", "efficientnet_lite0").to_json()
    return Made(method, window=True, record=record)


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[Made]:
    tmp = tmp_path_factory.mktemp("records")
    return [
        *_cli_records(tmp, "scorecam-paper", "--time-budget", "0"),  # stops after one batch
        *_cli_records(tmp, "scorecam-matlab", "--approximate", "8", "--contrast", "282"),
        *_cli_records(tmp, "gradcam"),
        *_cli_records(tmp, "gradcam", "--contrast", "tiger cat"),
        _window_record("gradcam"),
    ]


def test_every_record_field_is_documented_in_order() -> None:
    assert tuple(_documented()) == FIELDS


def test_the_command_line_adds_only_what_the_doc_says(records: list[Made]) -> None:
    (json_row,) = [c for c in _table("| writer | where |") if c[0] == "`scorecam explain --json`"]
    extras = re.findall(r"`(\w+)`", re.sub(r"\([^)]*\)", "", json_row[2]))  # not `outputs`' keys
    for made in records:
        if made.window or made.row:
            assert tuple(made.record) == FIELDS
        else:
            assert tuple(made.record) == (*FIELDS, *extras)


def test_each_null_when_claim_holds(records: list[Made]) -> None:
    claims = {name: [_claim(p) for p in phrases] for name, phrases in _documented().items()}
    for made in records:
        for name, tests in claims.items():
            null = any(test(made) for test in tests)
            what = f"{name} of {made.method} {made.args} {made.window=} {made.row=}"
            assert (made.record[name] is None) == null, f"{what}: {made.record[name]!r}"


def test_the_methods_table_is_the_catalogs() -> None:
    said: dict[str, frozenset[str]] = {}
    for methods, nulls in _table("| method | null in its records |"):
        fields = frozenset(re.findall(r"`(\w+)`", nulls))
        for method in re.findall(r"`([\w+-]+)`", methods):
            said[method] = fields
    assert set(said) == set(catalog.names())
    for method, fields in said.items():
        assert fields == catalog.not_applicable(method), method
