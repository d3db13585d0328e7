"""Functions the job tests run in solver worker processes (importable by spawned processes)."""

from __future__ import annotations

import os
import subprocess


def start_sleeper() -> tuple[int, int]:
    """Start a long-lived child process; returns (this worker's pid, the child's pid)."""
    child = subprocess.Popen(["sleep", "300"])
    return os.getpid(), child.pid
