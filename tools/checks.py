"""Static checks that need the installed layout: types (mypy) and import layers (import-linter).

The packages live in the top-level folders ``models/``, ``geo/``, ``dispatch/`` and
``api/`` and install as ``dromologio.models``, ``dromologio.geo``, ... (``package-dir``
in ``pyproject.toml``; see docs/architecture.md).  Static tools find modules by folder
names and cannot follow that mapping, so this script copies the sources into the
installed layout under ``build/view/`` (file times kept, so mypy's cache still works),
runs the tool there, and prints every path as it is in the repository.

    python tools/checks.py types      # mypy over the package, tests/, bench/ and tools/
    python tools/checks.py imports    # the import-linter contracts of pyproject.toml
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEW = ROOT / "build" / "view"
#: top-level folders installed as sub-packages of ``dromologio``.
MAPPED = ("models", "geo", "dispatch", "api")
#: folders type-checked as they are (their modules import ``dromologio.…``).
ALSO_TYPED = ("tests", "bench", "tools")
SKIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", "data", "results", "instances")


def build_view() -> Path:
    """``build/view/dromologio``: the package as it installs, copied from the repository."""
    package = VIEW / "dromologio"
    shutil.rmtree(VIEW, ignore_errors=True)
    shutil.copytree(ROOT / "dromologio", package, ignore=SKIPPED)
    for name in MAPPED:
        shutil.copytree(ROOT / name, package / name, ignore=SKIPPED)
    return package


def to_repository_paths(text: str) -> str:
    """Tool output with the view's paths turned back into the repository's."""
    for prefix in (f"{VIEW}{os.sep}", f"{VIEW.relative_to(ROOT)}{os.sep}"):
        for name in MAPPED:
            text = text.replace(f"{prefix}dromologio{os.sep}{name}{os.sep}", f"{name}{os.sep}")
        text = text.replace(prefix, "")
    return text


def run(command: list[str], cwd: Path = ROOT) -> int:
    completed = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, "MYPYPATH": str(VIEW), "PYTHONPATH": str(VIEW)},
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stdout.write(to_repository_paths(completed.stdout))
    sys.stderr.write(to_repository_paths(completed.stderr))
    return completed.returncode


def main(arguments: list[str]) -> int:
    if not arguments or arguments[0] not in ("types", "imports"):
        sys.stderr.write(__doc__ or "")
        return 2
    package = build_view()
    if arguments[0] == "types":
        targets = [str(package), *(name for name in ALSO_TYPED if (ROOT / name).is_dir())]
        return run([sys.executable, "-m", "mypy", *arguments[1:], *targets])
    # import-linter puts the working folder first on the path: run it from the view.
    config = [str(ROOT / "pyproject.toml")]
    return run([str(Path(sys.executable).with_name("lint-imports")), *config, *arguments[1:]], cwd=VIEW)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
