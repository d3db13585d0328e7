"""The fast lane: ``pytest -m "not slow"``.

Service tests (``tests/api``, ``tests/board``) run the application on a database of
their own per test, solve plans in worker processes and drive a browser: they are the
slow lane as a whole, beside the tests marked slow one by one (solver runs of
seconds, notebooks, Dask clusters).
"""

from __future__ import annotations

from pathlib import Path

import pytest

SERVICE_TESTS = (Path(__file__).parent / "api", Path(__file__).parent / "board")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(Path(item.path).is_relative_to(folder) for folder in SERVICE_TESTS):
            item.add_marker(pytest.mark.slow)
