"""Shared helpers of the benchmark scripts: machine description, markdown tables, docs sections."""

from __future__ import annotations

import os
import platform
import shlex
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "benchmarks.md"

_DOC_HEADER = """# Benchmarks

Figures written by the scripts in `bench/` (see `bench/README.md` for how to run them).
Each section below is replaced as a whole when its script runs again; the raw results lie
in `bench/results/`.
"""


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    return (
        f"{cpu_model()}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def versions(packages: Sequence[str]) -> str:
    found = []
    for name in packages:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def code_version(paths: Sequence[str] = ("dispatch", "models", "geo", "dromologio", "bench")) -> str:
    """The commit checked out, flagged when the product's files differ from it (read-only git calls)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            # Result files under bench/results change while a benchmark runs: not code.
            ["git", "diff-index", "--quiet", "HEAD", "--", *paths, ":(exclude)bench/results"],
            cwd=ROOT,
            capture_output=True,
        ).returncode
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"commit {commit}" + (" with uncommitted changes" if changed else "")


def command_line(module: str) -> str:
    return " ".join(["python", "-m", module, *(shlex.quote(a) for a in sys.argv[1:])])


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def markdown_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[bool] = ()
) -> str:
    """A GitHub markdown table; columns flagged in ``right`` are right-aligned."""
    flags = [*right, *([False] * (len(header) - len(right)))]
    lines = [
        "| " + " | ".join(str(h) for h in header) + " |",
        "|" + "|".join("---:" if r else "---" for r in flags) + "|",
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def replace_section(name: str, body: str, path: Path = DOC) -> None:
    """Write ``body`` between the ``<!-- name:start -->``/``<!-- name:end -->`` markers of ``path``.

    The markers are appended when the file lacks them; the rest of the file is kept as it is.
    """
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text() if path.exists() else _DOC_HEADER
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
