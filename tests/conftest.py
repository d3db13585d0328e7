"""What every test shares: a fixed "today", and the fast lane.

Today is Friday 2026-11-20 for every test (``DROMOLOGIO_TODAY``), the working day before
the sample's Monday: plans of the sample's days are never refused as past, whatever the
clock of the machine says.  The fast lane: ``pytest -m "not slow"``.

Service tests (``tests/api``, ``tests/board``) run the application on a database of
their own per test, solve plans in worker processes and drive a browser: they are the
slow lane as a whole, beside the tests marked slow one by one (solver runs of
seconds, notebooks, Dask clusters).
"""

from __future__ import annotations

from pathlib import Path

import pytest

SERVICE_TESTS = (Path(__file__).parent / "api", Path(__file__).parent / "board")
TEST_TODAY = "2026-11-20"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    from dromologio.models.calendar import TODAY_ENV

    monkeypatch.setenv(TODAY_ENV, TEST_TODAY)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(Path(item.path).is_relative_to(folder) for folder in SERVICE_TESTS):
            item.add_marker(pytest.mark.slow)
