"""A simulation that plans each day knowing the days ahead: tours of several nights happen there too.

The sample's Naxos technician T09 alone, with one ticket on Ios (K0045) that no day trip reaches:
simulated from Wednesday 25/11 over three days with no new tickets, tours send T09 to Ios on
Wednesday, serve the ticket on Thursday with a second night there and bring T09 home on Friday;
each daily plan passes the checker as a part of the tour (the night before it, a plan that
continues).  When every day ends at home, the ticket stays open.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from dromologio.models import Problem, Ticket, read_problem
from dromologio.planning.scenarios import Scenario
from dromologio.planning.simulate import ScenarioRun, SimulationSettings, simulate
from dromologio.sample import sample_data_dir

WED = date(2026, 11, 25)


class NoArrivals:
    def draw(self, day: date, rng: np.random.Generator, factor: float, prefix: str) -> list[Ticket]:
        return []


@pytest.fixture(scope="module")
def ios_only() -> Problem:
    sample = read_problem(sample_data_dir())
    return sample.replace(
        technicians=(sample.technician_by_id["T09"],),
        tickets=tuple(t for t in sample.tickets if t.ticket_id == "K0045"),
    )


def run(problem: Problem, horizon: str) -> ScenarioRun:
    settings = SimulationSettings(
        days=3, start=WED, time_limit_s=1.0, seed=1, check=True, keep_plans=True, horizon=horizon
    )
    return simulate(problem, Scenario("baseline", ()), settings, arrivals=NoArrivals())


def nights(run: ScenarioRun) -> list[str]:
    return [
        plan["dates"][0]
        for plan in run.plans
        for route in plan["routes"]
        if route["stops"] and route["stops"][-1].get("lodging")
    ]


@pytest.mark.slow  # a solver run of seconds: the full run has it
def test_tours_serve_the_ios_ticket_with_two_nights_and_every_day_checked(ios_only: Problem) -> None:
    toured = run(ios_only, "tours")
    assert nights(toured) == ["2026-11-25", "2026-11-26"]
    (record,) = toured.tickets
    assert record.served_at is not None and record.served_at.date() == date(2026, 11, 26)


def test_days_that_end_at_home_leave_the_ios_ticket_open(ios_only: Problem) -> None:
    alone = run(ios_only, "day")
    assert nights(alone) == []
    assert [t.served_at for t in alone.tickets] == [None]


def test_an_unknown_horizon_is_refused() -> None:
    with pytest.raises(ValueError, match="horizon must be one of tours, rolling, day"):
        SimulationSettings(horizon="weekly")
