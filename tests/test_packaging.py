"""The package metadata ships every folder and data file, and refuses too old a Python.

A sub-package or data file left out of pyproject.toml works in the editable development install
and is missing from the wheel a therapist installs; these checks catch it without building one
(`make dist` builds the wheel and compares it with the tree file by file).
"""

from __future__ import annotations

import fnmatch
import importlib
import tomllib
from pathlib import Path

from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def _folder(package: str) -> Path:
    """The source folder of an installed package name, through package-dir."""
    for prefix, folder in SETUPTOOLS["package-dir"].items():
        if package == prefix or package.startswith(prefix + "."):
            rest = package[len(prefix):].lstrip(".")
            return ROOT / folder / Path(*rest.split(".")) if rest else ROOT / folder
    raise AssertionError(f"{package} is under no package-dir entry")


def _source_folders() -> set[Path]:
    found = set()
    for folder in SETUPTOOLS["package-dir"].values():
        top = ROOT / folder
        found.add(top)
        found.update(p for p in top.rglob("*") if p.is_dir() and p.name != "__pycache__"
                     and "__pycache__" not in p.parts)
    return found


def test_every_source_folder_is_a_listed_package() -> None:
    listed = {_folder(p) for p in SETUPTOOLS["packages"]}
    missing = sorted(str(p.relative_to(ROOT)) for p in _source_folders() - listed)
    gone = sorted(str(p.relative_to(ROOT)) for p in listed if not p.is_dir())
    assert missing == [], f"folders missing from [tool.setuptools] packages: {missing}"
    assert gone == [], f"packages listed without a folder: {gone}"


def test_every_data_file_is_matched_by_package_data() -> None:
    patterns = SETUPTOOLS["package-data"]
    unshipped = []
    for package in SETUPTOOLS["packages"]:
        folder = _folder(package)
        for path in folder.iterdir():
            if path.is_dir() or path.suffix in (".py", ".pyc"):
                continue
            if not any(fnmatch.fnmatch(path.name, g) for g in patterns.get(package, [])):
                unshipped.append(str(path.relative_to(ROOT)))
    assert unshipped == [], f"files no package-data pattern ships: {sorted(unshipped)}"


def test_the_pdf_fonts_and_their_licence_are_package_data() -> None:
    from carelog.resources import FONTS

    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "LICENSE"):
        assert (FONTS / name).is_file(), name


def test_python_older_than_3_11_is_refused_by_the_metadata() -> None:
    allowed = SpecifierSet(PYPROJECT["project"]["requires-python"])
    assert "3.10.14" not in allowed
    assert "3.11.0" in allowed
    assert "3.13.1" in allowed


def test_the_commands_point_at_functions_that_exist() -> None:
    project = PYPROJECT["project"]
    targets = {**project["scripts"], **project["gui-scripts"]}
    assert set(targets) == {"carelog", "carelog-gui"}
    for name, target in targets.items():
        module, _, attr = target.partition(":")
        assert callable(getattr(importlib.import_module(module), attr)), name


def test_test_tools_are_not_runtime_dependencies() -> None:
    runtime = " ".join(PYPROJECT["project"]["dependencies"]).lower()
    for tool in ("pytest", "ruff", "mypy", "hypothesis", "import-linter", "pyinstaller"):
        assert tool not in runtime, tool
