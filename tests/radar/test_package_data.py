"""The installed project (a wheel, as the Docker image installs it) holds every file its packages
read at run time: templates, static files, data. An editable install reads them from the tree, so
nothing else would notice one left out of pyproject's package-data."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_SHIPPED = {"__pycache__"}


def is_module(file: Path, package: Path) -> bool:
    """A .py file the wheel holds as a module: every directory down to it is a package (a .py in a
    directory without __init__.py, such as the migrations, must be package data)."""
    directory = file.parent
    while directory != package.parent:
        if not (directory / "__init__.py").is_file():
            return False
        directory = directory.parent
    return True


def test_every_file_in_the_packages_is_in_package_data() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    patterns = setuptools["packages"]["find"]["include"]
    package_data: dict[str, list[str]] = setuptools["package-data"]
    packages = [
        path
        for path in sorted(ROOT.iterdir())
        if (path / "__init__.py").is_file() and any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns)
    ]
    assert len(packages) >= 8
    left_out = []
    for package in packages:
        # setuptools globs each pattern from the package's directory, as Path.glob does.
        shipped = {file for pattern in package_data.get(package.name, []) for file in package.glob(pattern)}
        for file in package.rglob("*"):
            if not file.is_file() or NOT_SHIPPED & set(file.parts) or file in shipped:
                continue
            if file.suffix == ".py" and is_module(file, package):
                continue
            left_out.append(str(file.relative_to(ROOT)))
    assert left_out == [], "add these to [tool.setuptools.package-data] in pyproject.toml"
