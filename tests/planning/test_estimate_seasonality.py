"""The estimate's projection follows the history's weekdays, months and the school calendar,
with a band over the estimate's months; the what-if chart prices the backlog left undone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pandas as pd
import pytest

from dromologio.models import Base, Problem, School, Technician, Ticket
from dromologio.models.calendar import WorkCalendar
from dromologio.models.policy import Policy
from dromologio.planning.estimate import history_seasonality, window_days
from dromologio.planning.estimate.budget import budget_table
from dromologio.planning.estimate.seasonality import SHRINK_DAYS, Seasonality
from dromologio.planning.simulate import SimulationResults
from dromologio.planning.simulate.records import DayRecord, ScenarioRun, SimulationSettings, TicketRecord
from dromologio.reports.scenarios import backlog_value_eur, write_report

WEEKDAYS = WorkCalendar.weekdays_only()
EMPLOYER = "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων"


def history(opened: list[datetime]) -> Problem:
    school = School("S1", "Σχολείο", 39.7, 20.85, "Δ.Π.Ε. Ιωαννίνων")
    tickets = tuple(
        Ticket(f"K{n}", "S1", when, "δίκτυο", "network", "normal", 30) for n, when in enumerate(opened, 1)
    )
    technician = Technician("T1", "Τεχνικός", "B1", frozenset({"network"}), EMPLOYER)
    return Problem((school,), (Base("B1", "Βάση", 39.66, 20.85),), (technician,), tickets)


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour))


def test_mondays_bring_more_tickets_and_weekend_tickets_count_on_monday() -> None:
    # Four weeks from Monday 2 March 2026: 3 tickets on Mondays (one of them opened on Saturday),
    # 1 on every other working day.
    first = date(2026, 3, 2)
    opened: list[datetime] = []
    for day in window_days(first, first + timedelta(days=25), WEEKDAYS):
        if day.weekday() == 0:
            opened += [at(day), at(day, 11), at(day - timedelta(days=2))]
        else:
            opened.append(at(day))
    season = history_seasonality(history(opened), WEEKDAYS)
    assert season.days_seen == 20 and season.per_day == pytest.approx(28 / 20)
    mean = 28 / 20
    assert season.weekday[0] == pytest.approx((12 + SHRINK_DAYS * mean) / ((4 + SHRINK_DAYS) * mean))
    assert season.weekday[0] > 1 > season.weekday[2]
    assert season.month == {3: pytest.approx(1.0)}
    assert season.demand(date(2026, 3, 9)) > season.demand(date(2026, 3, 10))
    assert season.demand(date(2026, 5, 4)) == pytest.approx(season.per_day * season.weekday[0])
    assert "Δε" in season.describe() and "Mon" in season.describe()


def test_school_breaks_are_not_working_days_of_the_history() -> None:
    # Christmas break 2026-12-24 .. 2027-01-07 in the school calendar: a ticket opened on
    # 2026-12-28 counts on the first working day after it.
    calendar = WorkCalendar()
    season = history_seasonality(history([at(date(2026, 12, 22)), at(date(2026, 12, 28))]), calendar)
    days = calendar.between(date(2026, 12, 22), date(2026, 12, 28))
    assert season.days_seen == len(days) and date(2026, 12, 28) not in days


def daily(rows: list[tuple[date, float]], period: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": [d.isoformat() for d, _ in rows],
            "employer": [EMPLOYER] * len(rows),
            "total_eur": [money for _, money in rows],
            "period": [period] * len(rows),
        }
    )


def test_projection_weights_the_rest_of_the_period_by_expected_tickets() -> None:
    march = window_days(date(2026, 3, 1), date(2026, 3, 31), WEEKDAYS)
    planned = [d for d in march if d <= date(2026, 3, 13)]  # two weeks, 10 EUR a day
    table = daily([(d, 10.0) for d in planned], "2026-03")
    lookup = {(EMPLOYER, "2026-03"): 1000.0}
    flat = budget_table(table, [EMPLOYER], lookup, WEEKDAYS).iloc[0]
    assert flat["projected_period_eur"] == pytest.approx(10.0 * len(march))  # every day alike
    # Mondays twice as busy: the days planned hold 2 Mondays of 10, the rest 3 of 12.
    busy_mondays = Seasonality(per_day=1.0, weekday={0: 2.0})
    seasonal = budget_table(table, [EMPLOYER], lookup, WEEKDAYS, season=busy_mondays).iloc[0]
    rest = [d for d in march if d not in planned]

    def demand(days: list[date]) -> float:
        return sum(2.0 if d.weekday() == 0 else 1.0 for d in days)

    expected = 100.0 + 100.0 / demand(planned) * demand(rest)
    assert seasonal["projected_period_eur"] == pytest.approx(expected, abs=0.01)
    assert seasonal["projected_period_eur"] > flat["projected_period_eur"]
    # One month: the band spans the estimate's weeks (10 EUR a day, then 20 EUR a day).
    uneven = daily([(d, 10.0 if d < date(2026, 3, 9) else 20.0) for d in planned], "2026-03")
    row = budget_table(uneven, [EMPLOYER], lookup, WEEKDAYS).iloc[0]
    cost, left = 150.0, len(rest)
    assert row["projected_low_eur"] == pytest.approx(cost + 10.0 * left)
    assert row["projected_high_eur"] == pytest.approx(cost + 20.0 * left)
    assert row["projected_low_eur"] < row["projected_period_eur"] < row["projected_high_eur"]


def run_with_open(name: str, open_priorities: list[str], cost_eur: float) -> ScenarioRun:
    last = date(2026, 11, 27)
    tickets = tuple(
        TicketRecord(
            ticket_id=f"{name}-{n}",
            school_id="S1",
            priority=priority,
            area="mainland",
            opened_at=datetime(2026, 11, 23, 9),
            due_by=None,
            first_planned=date(2026, 11, 23),
            backlog=False,
            triage="visit",
        )
        for n, priority in enumerate(open_priorities)
    )
    day = DayRecord(last, 0, 0, 0, 0, 0, 0, 0, 0, len(tickets), 0.0, cost_eur, 0, 0, 0, 0, 0.0, "ok")
    return ScenarioRun(name, "", (last,), (day,), tickets, (), ())


def test_the_backlog_left_is_priced_as_the_objective_prices_it() -> None:
    policy = Policy()
    baseline = run_with_open("baseline", ["low"], cost_eur=300.0)
    fewer = run_with_open("fewer", ["normal", "high", "low"], cost_eur=240.0)
    # Opened Monday 09:00, valued on Friday: 3.6 days open -> age factor 1.36.
    age = 1.0 + policy.age_bonus_per_day * (4 * 24 - 9) / 24
    assert backlog_value_eur(baseline, policy) == pytest.approx(
        policy.priority_value_eur["low"] * age, abs=0.01
    )
    values = {run.scenario: backlog_value_eur(run, policy) for run in (baseline, fewer)}
    # Travel alone makes one technician fewer look cheaper; with the backlog's value it is not.
    assert 240.0 < 300.0 and 240.0 + values["fewer"] > 300.0 + values["baseline"]


def test_the_report_sets_the_backlog_value_beside_the_travel_money(tmp_path: Path) -> None:
    runs = (
        run_with_open("baseline", ["low"], 300.0),
        run_with_open("fewer", ["normal", "high", "low"], 240.0),
    )
    results = SimulationResults(
        runs=runs, settings=SimulationSettings(days=1), horizon=runs[0].horizon, reference="baseline"
    )
    files = write_report(results, tmp_path, policy=Policy())
    lines = files.report_md.read_text(encoding="utf-8").splitlines()
    [cost] = [line for line in lines if line.startswith("| κόστος / cost (EUR)")]
    [total] = [line for line in lines if line.startswith("| κόστος + αξία ανοιχτών")]
    assert "240 (-20 %)" in cost  # travel alone: one technician fewer looks 20 % cheaper
    values = [backlog_value_eur(run, Policy()) for run in runs]
    assert f"| {300 + values[0]:.0f} | {240 + values[1]:.0f} (+" in total  # with the backlog: dearer
    assert files.cost_served_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
