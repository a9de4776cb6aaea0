"""Packaging: every data file inside the package is declared as package data, so a wheel
(and a deployment installed from it) carries it."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "sdg87"


def _declared() -> dict[str, list[str]]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["tool"]["setuptools"]["package-data"]


def _covered(path: Path, declared: dict[str, list[str]]) -> bool:
    for package, patterns in declared.items():
        package_dir = ROOT.joinpath(*package.split("."))
        if package_dir in path.parents:
            relative = path.relative_to(package_dir).as_posix()
            if any(fnmatch.fnmatchcase(relative, pattern) for pattern in patterns):
                return True
    return False


def test_every_non_python_file_in_the_package_is_package_data():
    """A file under sdg87/ that is not Python (nor bytecode) matches a package-data pattern."""
    declared = _declared()
    data_files = [
        path
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    ]
    assert data_files, "the package has data files (indicators/metadata/*.toml)"
    missing = [str(p.relative_to(ROOT)) for p in data_files if not _covered(p, declared)]
    assert missing == []
