"""One name per module: the top-level folders install as ``dromologio.*`` and nowhere else."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAPPED = {
    "models": "dromologio.models",
    "geo": "dromologio.geo",
    "dispatch": "dromologio.dispatch",
    "api": "dromologio.api",
}


def _declared_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def _package_name(folder: Path) -> str:
    relative = folder.relative_to(ROOT)
    top = relative.parts[0]
    prefix = MAPPED.get(top, top)
    return ".".join([prefix, *relative.parts[1:]])


def test_every_package_folder_is_declared_so_that_a_wheel_carries_it() -> None:
    folders = [p.parent for top in (*MAPPED, "dromologio") for p in (ROOT / top).rglob("__init__.py")]
    found = {_package_name(f) for f in folders if "__pycache__" not in f.parts}
    assert found - _declared_packages() == set()


@pytest.mark.parametrize("folder", sorted(MAPPED))
def test_a_top_level_folder_is_not_importable_under_its_own_name(folder: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", f"import {folder}"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert completed.returncode != 0
    assert f"import {MAPPED[folder]}" in completed.stderr


def test_the_repository_holds_no_symlink() -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout
    if not listed:
        pytest.skip("not a git checkout")
    links = [line.split("\t", 1)[1] for line in listed.splitlines() if line.startswith("120000")]
    assert links == []
