"""`scorecam sample [FOLDER]`: the sample photo the app ships (scikit-image's chelsea, a cat, CC0)
written into a folder as chelsea.png, so that a newcomer can try every command on a photo that
everyone has (README.md's tour). No torch: it only copies a file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .common import EXIT_FAILED, EXIT_OK, fail

SAMPLE_NAME = "chelsea.png"


def add_parser(sub: Any) -> None:
    """The `sample` subcommand, on `sub` (the parser's subparsers)."""
    sample = sub.add_parser(
        "sample",
        help="write the sample photo (chelsea.png, a cat, CC0) to try the commands on",
        description="Write the photo Score-CAM Studio ships, scikit-image's chelsea (CC0), as "
        f"FOLDER/{SAMPLE_NAME}, and print its path.",
    )
    sample.add_argument(
        "folder",
        nargs="?",
        default=".",
        metavar="FOLDER",
        help="where to write it (default: the current folder)",
    )


def run(args: argparse.Namespace) -> int:
    from ..appdata import sample_photo_path
    from ..engine.atomicio import ExportError, atomic_write

    folder = Path(args.folder)
    if not folder.is_dir():
        fail("is not a folder", folder)
        return EXIT_FAILED
    data = sample_photo_path().read_bytes()
    target = folder / SAMPLE_NAME
    if target.exists():
        if target.is_file() and target.read_bytes() == data:
            print(target)  # already there: nothing to do
            return EXIT_OK
        fail("another file has this name: not replaced", target)
        return EXIT_FAILED
    try:
        atomic_write(target, lambda f: f.write(data))
    except ExportError as exc:
        fail(exc)
        return EXIT_FAILED
    print(target)
    return EXIT_OK
