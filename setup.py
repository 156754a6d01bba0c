"""setuptools hook: compile the translation catalogues (.ts -> .qm) into the built package.

Everything else is in pyproject.toml. The .qm files are build outputs (not in git): this step
runs pyside6-lrelease (scorecam_gui/translations/build.py) while the wheel is built, so the wheel
and the PyInstaller build, which collects the installed package's data files, carry them.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _build_module():
    # By path: importing scorecam_gui itself during the build would need its dependencies.
    path = ROOT / "scorecam_gui" / "translations" / "build.py"
    spec = importlib.util.spec_from_file_location("_scorecam_translations_build", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithCatalogues(build_py):
    """build_py, then every scorecam_gui/translations/*.ts compiled next to its copy."""

    def run(self) -> None:
        super().run()
        build = _build_module()
        target = Path(self.build_lib) / "scorecam_gui" / "translations"
        for source in sorted((ROOT / "scorecam_gui" / "translations").glob("*.ts")):
            build.compile_catalogue(source, target / source.with_suffix(".qm").name)


setup(cmdclass={"build_py": BuildWithCatalogues})
