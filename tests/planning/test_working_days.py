"""Estimates and scenarios plan working days only: no weekends, Greek public holidays or school
breaks, and no Directorate's local holiday of the problem's calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from dromologio.dispatch import SearchParams
from dromologio.models import Base, Problem, School, Technician, Ticket
from dromologio.models.calendar import CalendarEntry
from dromologio.planning.estimate import estimate_costs
from dromologio.planning.scenarios import Scenario
from dromologio.planning.simulate import SimulationSettings, default_start, simulate

LAT, LON = 39.665, 20.853
KEPLINET = "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων"
IOANNINA = "Δ.Π.Ε. Ιωαννίνων"
FIRST_PLAN = SearchParams(solution_limit=1, num_workers=1, use_pyvrp=False, audit_repair_share=0.0)


def one_school(*opened: datetime) -> Problem:
    """One technician, one school near the base, one 60-minute network ticket per instant."""
    school = School("S1", "Σχολείο", LAT + 0.05, LON, IOANNINA)
    tickets = tuple(
        Ticket(f"K{n}", "S1", at, "δίκτυο", "network", "normal", 60) for n, at in enumerate(opened, start=1)
    )
    technician = Technician("T1", "Τεχνικός", "B1", frozenset({"network"}), KEPLINET)
    return Problem((school,), (Base("B1", "Βάση", LAT, LON),), (technician,), tickets, name="days")


class NoArrivals:
    def draw(self, day: date, rng: np.random.Generator, factor: float, prefix: str) -> list[Ticket]:
        return []


def test_an_estimate_skips_new_year_epiphany_and_the_christmas_break() -> None:
    problem = one_school(datetime(2025, 12, 30, 9), datetime(2026, 1, 2, 9), datetime(2026, 1, 8, 7))
    budget = pd.DataFrame([{"employer": KEPLINET, "period": "2026-01", "budget_eur": 160.0}])
    result = estimate_costs(
        problem, budget=budget, start=date(2026, 1, 1), end=date(2026, 1, 9), time_limit_s=0.3
    )
    assert [e.day for e in result.days] == [date(2026, 1, 8), date(2026, 1, 9)]
    assert result.queue["to_plan"].tolist()[0] == 3
    # January 2026 has 16 school working days (22 weekdays less 1, 2, 5, 6, 7 and 30 January)
    assert result.daily["budget_to_date_eur"].tolist() == [10.0, 20.0]
    assert result.budget.iloc[0]["working_days"] == 16


def test_an_estimate_closes_a_directorates_schools_on_its_local_holiday() -> None:
    problem = one_school(datetime(2026, 11, 20, 9)).replace(
        calendar=(CalendarEntry(date(2026, 11, 24), "holiday", "πανηγύρι", IOANNINA),)
    )
    result = estimate_costs(problem, start=date(2026, 11, 23), end=date(2026, 11, 25), time_limit_s=0.3)
    assert [e.day for e in result.days] == [date(2026, 11, 23), date(2026, 11, 25)]


def test_a_scenario_horizon_skips_days_off() -> None:
    problem = one_school(datetime(2026, 12, 21, 9), datetime(2026, 12, 21, 10))
    settings = SimulationSettings(days=3, start=date(2026, 12, 23), time_limit_s=0.3, params=FIRST_PLAN)
    run = simulate(problem, Scenario("baseline"), settings, arrivals=NoArrivals())
    assert run.horizon == (date(2026, 12, 23), date(2027, 1, 8), date(2027, 1, 11))
    # a start on a Saturday begins on the next working day
    saturday = SimulationSettings(days=1, start=date(2026, 11, 28), time_limit_s=0.3, params=FIRST_PLAN)
    run = simulate(problem, Scenario("baseline"), saturday, arrivals=NoArrivals())
    assert run.horizon == (date(2026, 11, 30),)


def test_the_default_start_is_the_next_working_day_after_the_newest_ticket() -> None:
    assert default_start(one_school(datetime(2026, 12, 23, 9))) == date(2027, 1, 8)
    assert default_start(one_school(datetime(2026, 11, 27, 9))) == date(2026, 11, 30)
    assert default_start(one_school(datetime(2026, 10, 27, 9))) == date(2026, 10, 27) + timedelta(days=2)
