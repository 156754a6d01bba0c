"""Update and compile the translation catalogues with PySide6's own tools.

    python -m scorecam_gui.translations.build            compile every .ts here to .qm
    python -m scorecam_gui.translations.build --update   first run pyside6-lupdate over the
                                                         package (new texts appear unfinished)

setup.py runs `compile_catalogue` on the package's .ts files while building, so the wheel and
the PyInstaller build (packaging/scorecam.spec) carry the .qm files; a source checkout compiles
on first use into the user's cache (gui/i18n.py). Imports no Qt: the tools are the `lupdate` and
`lrelease` programs that the PySide6-Essentials wheel puts inside its PySide6 folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
PACKAGE = FOLDER.parent
LANGUAGES = ("ja",)


def tool(name: str) -> Path:
    """PySide6's `lupdate` or `lrelease` program (the wheel's copy, else one on PATH)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            for candidate in (Path(folder) / name, Path(folder) / f"{name}.exe"):
                if candidate.is_file():
                    return candidate
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if found is None:
        raise RuntimeError(f"PySide6's {name} was not found (pip install PySide6-Essentials)")
    return Path(found)


def compile_catalogue(source: Path, target: Path) -> Path:
    """pyside6-lrelease `source` (.ts) into `target` (.qm); returns target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [str(tool("lrelease")), "-silent", str(source), "-qm", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0 or not target.is_file():
        raise RuntimeError(f"lrelease failed on {source}: {result.stdout}{result.stderr}")
    return target


def sources(package: Path = PACKAGE) -> list[Path]:
    """The Python files lupdate reads: the window and the application layer (the engine and the
    command line speak English: their messages are for scripts and logs)."""
    files = [*(package / "gui").rglob("*.py"), *(package / "app").rglob("*.py")]
    return sorted(p for p in files if "__pycache__" not in p.parts)


def update_catalogue(target: Path, package: Path = PACKAGE, extra: list[str] | None = None) -> str:
    """pyside6-lupdate the package's sources into `target` (.ts; created if missing, existing
    translations kept, vanished texts marked obsolete); returns lupdate's report."""
    files = [os.path.relpath(p, target.parent) for p in sources(package)]
    result = subprocess.run(
        [str(tool("lupdate")), "-locations", "none", *(extra or []), *files, "-ts", target.name],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=target.parent,
    )
    if result.returncode != 0:
        raise RuntimeError(f"lupdate failed: {result.stdout}{result.stderr}")
    return result.stdout + result.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scorecam_gui.translations.build")
    parser.add_argument("--update", action="store_true", help="run lupdate first")
    parser.add_argument("--no-obsolete", action="store_true", help="drop vanished texts")
    args = parser.parse_args(argv)
    for language in LANGUAGES:
        ts = FOLDER / f"scorecam_{language}.ts"
        if args.update:
            extra = ["-no-obsolete"] if args.no_obsolete else []
            print(update_catalogue(ts, extra=extra).strip())
        print(f"{compile_catalogue(ts, ts.with_suffix('.qm'))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
