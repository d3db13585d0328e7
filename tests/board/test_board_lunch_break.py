"""The time board draws a route's lunch break as a «Διάλειμμα / Break» block, in headless Chromium.

A hand-made plan (no solve): two visits with the break between them, taken before the drive to
the second school; the board's own modules, served by the service, build and draw its blocks.

Needs Debian's ``chromium`` and ``chromium-driver`` and the ``selenium`` package; skipped without them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .service import INSTALL_HINT, Service, chromium_paths, running_service, start_browser, wait_until

pytestmark = pytest.mark.slow

DAY = "2026-11-23"


def at(hhmm: str) -> str:
    return f"{DAY}T{hhmm}"


PLAN: dict[str, Any] = {
    "dates": [DAY],
    "routes": [
        {
            "technician_id": "T1",
            "date": DAY,
            "stops": [
                {"type": "start", "lat": 39.665, "lon": 20.853, "depart": at("08:00")},
                {
                    "type": "visit",
                    "school_id": "S1",
                    "ticket_ids": ["K1"],
                    "lat": 39.71,
                    "lon": 20.853,
                    "arrive": at("08:10"),
                    "start": at("08:15"),
                    "end": at("11:50"),
                },
                {
                    "type": "visit",
                    "school_id": "S2",
                    "ticket_ids": ["K2"],
                    "lat": 39.62,
                    "lon": 20.853,
                    "arrive": at("12:50"),
                    "start": at("12:50"),
                    "end": at("15:20"),
                },
                {"type": "end", "lat": 39.665, "lon": 20.853, "arrive": at("15:30")},
            ],
            "distance_km": 26.0,
            "travel_minutes": 40,
            "cost_eur": 3.9,
            "lunch_break": {"start": at("12:00"), "end": at("12:30")},
        }
    ],
    "unassigned": [],
    "remote": [],
    "vendor": [],
    "kpis": {},
}

DRAW = """
const [plan, done] = arguments;
Promise.all([import('/board/js/model.js'), import('/board/js/timeboard.js')]).then(([model, board]) => {
  const context = { technicians: [], colours: new Map(), ports: new Map() };
  const day = model.dayModel(plan, context);
  const holder = document.createElement('div');
  holder.id = 'lunch-test';
  document.body.append(holder);
  new board.TimeBoard(holder).draw(day, { schools: new Map(), visits: new Map() });
  done(day.routes[0].blocks.map((b) => [b.kind, b.start, b.end]));
}).catch((error) => done(String(error)));
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    if chromium_paths() is None:
        pytest.skip(INSTALL_HINT)
    with running_service(tmp_path_factory.mktemp("board-lunch"), seed_sample=False) as running:
        yield running


def test_the_time_board_shows_the_break_and_the_drive_after_it(service: Service) -> None:
    browser = start_browser(1200, 800)
    try:
        browser.get(f"{service.url}/board/")
        wait_until(browser, "document.readyState === 'complete'")
        blocks = browser.execute_async_script(DRAW, PLAN)
        assert isinstance(blocks, list), blocks
        minutes: dict[str, list[tuple[int, int]]] = {kind: [] for kind, _, _ in blocks}
        for kind, start, end in blocks:
            minutes[kind].append((start, end))
        # 12:00-12:30: the break, after a wait at the first school, then the drive to the second.
        assert (720, 750) in minutes["break"]
        assert any(start == 750 for start, _ in minutes["drive"])
        assert not any(start < 750 < end or start < 720 < end for start, end in minutes["wait"])
        titles = browser.execute_script(
            "return [...document.querySelectorAll('#lunch-test .track .block.break')].map((b) => b.title);"
        )
        assert titles == ["Διάλειμμα 12:00–12:30"]
        legend = browser.execute_script(
            "return document.querySelector('#lunch-test .tb-legend').textContent;"
        )
        assert "Διάλειμμα" in legend
    finally:
        browser.quit()
