"""Simulations over several days: arrivals, carry-over, closures, strikes, local processes, Dask.

Every simulation here runs with ``check=True``: each daily plan is judged by the
independent checker inside the simulation, and a violation fails the run.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dromologio.dispatch import SearchParams
from dromologio.dispatch.executor import usable_cores
from dromologio.models import Problem, Ticket, read_problem
from dromologio.planning.scenarios import (
    ArrivalSettings,
    DaySelection,
    FerryStrike,
    RemoveTechnicians,
    ScaleTickets,
    Scenario,
    WinterClosure,
)
from dromologio.planning.simulate import (
    HistoryArrivals,
    ScenarioRun,
    SimulationError,
    SimulationSettings,
    TicketGenerator,
    closed_reason,
    read_history,
    run_scenarios,
    simulate,
)
from dromologio.planning.simulate.kpis import backlog, compare, kpi_table, summary
from dromologio.reports.scenarios import write_report
from dromologio.sample import SAMPLE_DATE, sample_data_dir
from tests.factories import DAY, problem, school, technician, ticket

#: stop each day's search on a solution count, well before the time limit: plans repeat exactly.
EXACT = SearchParams(solution_limit=10, num_workers=1)  # one process: the same plans everywhere
#: the first plan only: no search bounded in time (OR-Tools' large-neighbourhood moves are, and so
#: are PyVRP's search and the audit's repair rounds), so the same plans in any process however busy.
FIRST_PLAN = SearchParams(solution_limit=1, num_workers=1, use_pyvrp=False, audit_repair_share=0.0)


@pytest.fixture(scope="module")
def sample() -> Problem:
    return read_problem(sample_data_dir())


class FailingExtra:
    """The common arrivals of ``source``; the extra ones of a scaled scenario fail."""

    def __init__(self, source: TicketGenerator) -> None:
        self.source = source

    def draw(self, day: date, rng: np.random.Generator, factor: float, prefix: str) -> list[Ticket]:
        if prefix != "N":
            raise RuntimeError("extra arrivals unavailable")
        return self.source.draw(day, rng, factor, prefix)


class FixedArrivals:
    """Given tickets on given calendar days (ids must be unique); nothing otherwise."""

    def __init__(self, by_day: dict[date, list[Ticket]], fail_on: date | None = None) -> None:
        self.by_day = by_day
        self.fail_on = fail_on

    def draw(self, day: date, rng: np.random.Generator, factor: float, prefix: str) -> list[Ticket]:
        if day == self.fail_on:
            raise RuntimeError(f"no arrivals feed for {day.isoformat()}")
        return list(self.by_day.get(day, [])) if prefix == "N" else []


def without_timing(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["metric"] != "solve_seconds"].reset_index(drop=True)


# --------------------------------------------------------------------------- arrivals


def test_generator_fitted_to_the_sample_draws_plausible_tickets(sample: Problem) -> None:
    generator = TicketGenerator.fit(sample.tickets, sample.schools, tickets_per_day=12)
    assert generator.weekday_rate == 12 and 0 < generator.weekend_rate < 12
    assert sum(generator.school_p) == pytest.approx(1.0)
    busiest = Counter(t.school_id for t in sample.tickets).most_common(1)[0][0]
    p = dict(zip(generator.school_ids, generator.school_p, strict=True))
    assert (
        p[busiest]
        > p[next(s for s in generator.school_ids if s not in {t.school_id for t in sample.tickets})]
    )
    assert set(generator.priorities) == {t.priority for t in sample.tickets}
    remote = sum(t.remote for t in sample.tickets) / len(sample.tickets)
    weekdays = [
        SAMPLE_DATE + timedelta(days=n) for n in range(140) if (SAMPLE_DATE + timedelta(days=n)).weekday() < 5
    ]
    drawn = [t for d in weekdays for t in generator.draw(d, np.random.default_rng(d.toordinal()), 1.0, "N")]
    assert len(drawn) / len(weekdays) == pytest.approx(12, rel=0.1)
    assert sum(t.remote for t in drawn) / len(drawn) == pytest.approx(remote, abs=0.06)
    assert len({t.ticket_id for t in drawn}) == len(drawn)
    assert all(t.school_id in sample.school_by_id for t in drawn)
    assert all(t.due_by is None or t.due_by > t.opened_at for t in drawn)
    one = generator.draw(SAMPLE_DATE, np.random.default_rng(5), 1.0, "N")
    assert one == generator.draw(SAMPLE_DATE, np.random.default_rng(5), 1.0, "N")
    assert all(t.opened_at.date() == SAMPLE_DATE and 7 <= t.opened_at.hour <= 15 for t in one)
    assert generator.draw(SAMPLE_DATE, np.random.default_rng(5), 0.0, "N") == []


def test_history_arrivals_replay_whole_days_moved_to_the_date(sample: Problem) -> None:
    history = HistoryArrivals.from_history(sample.tickets)
    day = date(2026, 12, 2)
    rng = np.random.default_rng(3)
    replay = history.draw(day, rng, 1.0, "N")
    days = {t.opened_at.date(): [] for t in sample.tickets}  # type: dict[date, list[Ticket]]
    for t in sample.tickets:
        days[t.opened_at.date()].append(t)
    times = sorted((t.opened_at.time(), t.school_id) for t in replay)
    assert any(sorted((t.opened_at.time(), t.school_id) for t in ts) == times for ts in days.values())
    assert all(t.opened_at.date() == day for t in replay)
    doubled = [len(history.draw(day, np.random.default_rng(n), 2.0, "N")) for n in range(200)]
    single = [len(history.draw(day, np.random.default_rng(n), 1.0, "N")) for n in range(200)]
    assert np.mean(doubled) == pytest.approx(2 * np.mean(single), rel=0.2)
    scaled = HistoryArrivals.from_history(sample.tickets, tickets_per_day=20)
    mean = np.mean([len(scaled.draw(day, np.random.default_rng(n), 1.0, "N")) for n in range(300)])
    assert mean == pytest.approx(20, rel=0.2)


def test_history_read_from_a_tickets_table(sample: Problem) -> None:
    assert read_history(sample_data_dir() / "tickets.csv", sample) == sample.tickets
    assert read_history(sample_data_dir(), sample) == sample.tickets


# --------------------------------------------------------------------------- one scenario


def small_problem() -> Problem:
    schools = [
        school("S1", 5),
        school("S2", 0, 6),
        school("S3", -4, -3),
        school("M1", 20, 10, terrain="mountainous"),
    ]
    tickets = [
        ticket(f"K{n}", sid, service_minutes=120, days_open=3 - n % 2)
        for n, sid in enumerate(["S1", "S2", "S3", "S1", "S2", "S3"], start=1)
    ]
    tickets += [ticket("R1", "S1", remote=True), ticket("M", "M1", priority="urgent", service_minutes=45)]
    return problem(schools, [technician("T1")], tickets)


def test_unserved_tickets_are_carried_over_with_their_age() -> None:
    p = small_problem()
    arrival = dataclasses.replace(
        p.tickets[0], ticket_id="NEW", opened_at=datetime(2026, 11, 23, 10, 0), school_id="S2"
    )
    run = simulate(
        p,
        Scenario("base"),
        SimulationSettings(days=4, start=DAY, time_limit_s=1, check=True, params=EXACT),
        arrivals=FixedArrivals({DAY: [arrival]}),
    )
    assert [d.date for d in run.days] == [DAY + timedelta(days=n) for n in range(4)]
    first, second = run.days[:2]
    assert first.to_visit == 7 and first.remote == 1 and first.served < 7
    assert first.backlog == 7 - first.served
    assert second.arrivals == 1 and second.to_visit == first.backlog + 1
    assert second.backlog == second.to_visit - second.served
    records = {r.ticket_id: r for r in run.tickets}
    served = [r for r in records.values() if r.served_at is not None]
    assert sum(d.served for d in run.days) == len(served) == 8 and run.days[-1].backlog == 0
    # the urgent mountain ticket goes first; carried tickets keep their opening instant
    assert records["M"].served_at is not None and records["M"].served_at.date() == DAY
    assert {r.opened_at for r in records.values()} >= {t.opened_at for t in p.tickets}
    assert records["NEW"].first_planned == DAY + timedelta(days=1) and not records["NEW"].backlog
    assert records["R1"].triage == "remote" and records["R1"].served_at is None
    assert any(r.served_at is not None and r.served_at.date() > DAY for r in served)
    table = kpi_table([run])
    overall = table[table["by"] == "all"].set_index("metric")["value"]
    assert overall["served"] == 8 and overall["backlog_end"] == 0 and overall["overtime_minutes"] == 0
    assert overall["backlog_start"] == 7 and overall["arrivals_to_visit"] == 1
    assert 0 < overall["utilisation"] <= 1
    assert list(backlog(table)["base"]) == [d.backlog for d in run.days]


def test_winter_closure_holds_tickets_back_with_the_reason() -> None:
    p = small_problem()
    run = simulate(
        p,
        Scenario("snow", (WinterClosure(DaySelection(days=(1,))),)),
        SimulationSettings(days=2, start=DAY, time_limit_s=1, check=True, keep_plans=True, params=EXACT),
        arrivals=FixedArrivals({}),
    )
    first_plan = run.plans[0]
    held = [u for u in first_plan["unassigned"] if u["ticket_id"] == "M"]
    assert held == [{"ticket_id": "M", "reason": closed_reason(DAY), "code": "closed"}]
    assert closed_reason(DAY) == "κλειστό λόγω χιονιού στις 2026-11-23 / closed by snow on 2026-11-23"
    assert run.days[0].held_closed == 1 and run.days[1].held_closed == 0
    served_on = {r.ticket_id: r.served_at for r in run.tickets}
    assert served_on["M"] is not None and served_on["M"].date() == DAY + timedelta(days=1)


def test_ferry_strike_cancels_the_days_sailings(sample: Problem) -> None:
    run = simulate(
        sample,
        Scenario("strike", (FerryStrike(DaySelection(days=(1,))),)),
        SimulationSettings(days=1, start=SAMPLE_DATE, time_limit_s=0.3, check=True, keep_plans=True),
        arrivals=ArrivalSettings(tickets_per_day=0),
    )
    day = run.days[0]
    assert day.sailings == 0 and day.sailings_cancelled > 0
    stops = [s for route in run.plans[0]["routes"] for s in route["stops"]]
    assert not any(s["type"] == "ferry" for s in stops)


# --------------------------------------------------------------------------- many scenarios


def assert_tickets_add_up(run: ScenarioRun, baseline: Problem) -> None:
    """Each day's queue adds up, and every ticket needing a visit is served once or still open.

    The first day plans the baseline's tickets; on every later day the tickets to visit are
    yesterday's backlog plus the arrivals that need a visit (remote and vendor tickets leave
    on the day they are planned), and what is not served is the backlog.
    """
    first, *later = run.days
    assert first.to_visit == sum(1 for t in baseline.tickets if t.needs_visit)
    for before, day in zip(run.days, later, strict=False):
        assert day.to_visit == before.backlog + day.arrivals - day.remote - day.vendor
    for day in run.days:
        assert day.backlog == day.to_visit - day.served
    visits = [r for r in run.tickets if r.triage == "visit"]
    assert sum(1 for r in visits if r.served_at is not None) == sum(d.served for d in run.days)
    assert sum(1 for r in visits if r.served_at is None) == run.days[-1].backlog


def test_common_arrivals_and_seeds(sample: Problem) -> None:
    settings = SimulationSettings(days=2, start=SAMPLE_DATE, time_limit_s=5, seed=7, params=EXACT, check=True)
    arrivals = ArrivalSettings(tickets_per_day=15)
    scenarios = [Scenario("base"), Scenario("more", (ScaleTickets(2.0),))]
    results = run_scenarios(sample, scenarios, settings, arrivals=arrivals, scheduler="serial")
    assert results.scheduler == "serial (this process)" and results.workers == 1
    base, more = results.runs
    for run in results.runs:
        assert_tickets_add_up(run, sample)
    # common random numbers: the scaled scenario gets the same tickets and extra ones
    new_base = {r.ticket_id: (r.school_id, r.opened_at) for r in base.tickets if not r.backlog}
    new_more = {r.ticket_id: (r.school_id, r.opened_at) for r in more.tickets if not r.backlog}
    assert new_base and new_base.items() < new_more.items()
    assert all(t.startswith("X") for t in new_more.keys() - new_base.keys())
    assert all(m.arrivals > b.arrivals for b, m in zip(base.days[1:], more.days[1:], strict=True))
    other = run_scenarios(
        sample, scenarios[:1], dataclasses.replace(settings, seed=8), arrivals=arrivals, scheduler="serial"
    )
    assert {r.opened_at for r in other.runs[0].tickets} != {r.opened_at for r in base.tickets}


def test_a_failing_scenario_is_reported_by_name_and_day() -> None:
    p = small_problem()
    second = DAY + timedelta(days=1)
    settings = SimulationSettings(days=3, start=DAY, time_limit_s=0.3)
    with pytest.raises(SimulationError) as caught:
        run_scenarios(
            p,
            [Scenario("feed down")],
            settings,
            arrivals=FixedArrivals({}, fail_on=DAY),
            scheduler="serial",
        )
    (failure,) = caught.value.failures
    assert failure.scenario == "feed down" and failure.day == second
    assert (
        str(failure)
        == "scenario 'feed down' failed on 2026-11-24: RuntimeError: no arrivals feed for 2026-11-23"
    )


@pytest.mark.slow
def test_scenarios_in_local_processes_plan_as_in_this_process(sample: Problem, tmp_path: Path) -> None:
    scenarios = [
        Scenario("baseline"),
        Scenario("one technician fewer", (RemoveTechnicians(("T05",)),)),
        Scenario("ferry strike", (FerryStrike(DaySelection(days=(1, 2))),)),
        # draws extra tickets from a feed that fails: reported, never dropped silently
        Scenario("feed down", (ScaleTickets(1.5),)),
    ]
    settings = SimulationSettings(days=2, start=SAMPLE_DATE, time_limit_s=10, params=FIRST_PLAN, check=True)
    arrivals = FailingExtra(TicketGenerator.fit(sample.tickets, sample.schools, tickets_per_day=20))
    parallel = run_scenarios(sample, scenarios, settings, n_workers=2, arrivals=arrivals, on_error="collect")
    workers = min(2, usable_cores())
    assert parallel.workers == workers and parallel.scheduler.startswith(f"local processes ({workers} ×")
    assert [r.scenario for r in parallel.runs] == [s.name for s in scenarios[:3]]
    assert all(isinstance(r, ScenarioRun) and len(r.days) == 2 for r in parallel.runs)
    (failure,) = parallel.failures
    assert failure.scenario == "feed down" and failure.day == SAMPLE_DATE + timedelta(days=1)
    assert failure.error == "RuntimeError: extra arrivals unavailable"
    # other processes, the same plans: the KPIs of a run in this process, value for value
    serial = run_scenarios(
        sample, scenarios, settings, arrivals=arrivals, scheduler="serial", on_error="collect"
    )
    assert without_timing(parallel.kpis()).equals(without_timing(serial.kpis()))
    assert [str(f) for f in serial.failures] == [str(f) for f in parallel.failures]
    baseline, fewer, strike = parallel.runs
    for run in parallel.runs:
        assert_tickets_add_up(run, sample)
    new = [{(r.school_id, r.opened_at) for r in run.tickets if not r.backlog} for run in parallel.runs]
    assert new[0] and new[0] == new[1] == new[2]  # the same arrivals in every scenario
    assert "T05" not in fewer.technicians and all(s.technician_id != "T05" for s in fewer.shifts)
    assert all(d.sailings == 0 and d.sailings_cancelled > 0 for d in strike.days)
    assert any(d.sailings > 0 for d in baseline.days)
    # the comparison is each scenario's figures less the reference's
    table = summary(parallel.kpis())
    assert list(table.index) == [s.name for s in scenarios[:3]]
    delta = compare(parallel.kpis(), "baseline")
    assert delta.loc["one technician fewer", "served"] == fewer.served - baseline.served
    strike_cost = sum(d.cost_eur for d in strike.days) - sum(d.cost_eur for d in baseline.days)
    assert delta.loc["ferry strike", "cost_eur"] == pytest.approx(strike_cost, abs=0.01)
    files = write_report(parallel, tmp_path, command="dromologio scenarios run …")
    text = files.report_md.read_text(encoding="utf-8")
    assert "one technician fewer" in text and "remove technician T05" in text and "backlog.png" in text
    assert "scenario 'feed down' failed on 2026-11-24" in text
    assert files.backlog_png.stat().st_size > 1000 and files.cost_served_png.stat().st_size > 1000
    assert set(pd.read_csv(files.kpis_csv)["by"]) == {
        "all",
        "date",
        "priority",
        "area",
        "origin",
        "technician",
    }


@pytest.mark.slow
def test_cli_run_writes_kpis_charts_and_report(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dromologio.cli_scenarios import scenarios_app

    example = Path(__file__).resolve().parents[2] / "examples" / "scenarios.yaml"
    out = tmp_path / "out"
    doc = tmp_path / "doc.md"
    doc.write_text("# Notes\n\nkept\n", encoding="utf-8")
    args = ["run", str(example), "--days", "2", "--time-limit", "0.3", "--seed", "3", "--scheduler", "serial"]
    result = CliRunner().invoke(
        scenarios_app, [*args, "--check", "--quiet", "--out", str(out), "--doc", str(doc)]
    )
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {
        "kpis.csv",
        "days.csv",
        "backlog.png",
        "cost_served.png",
        "report.md",
    }
    days = pd.read_csv(out / "days.csv")
    assert list(days["scenario"].unique()) == ["baseline", "one technician fewer", "ferry strike"]
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "--days 2 --time-limit 0.3 --seed 3 --scheduler serial --check --out" in report
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Notes\n\nkept\n") and "](out/backlog.png)" in text
    assert f"--out {out} --doc {doc}" in text
    again = CliRunner().invoke(scenarios_app, [*args, "--days", "1", "--out", str(out), "--doc", str(doc)])
    assert again.exit_code == 0, again.output
    assert doc.read_text(encoding="utf-8").count("<!-- scenarios:start -->") == 1


@pytest.mark.slow
def test_an_existing_dask_scheduler_is_used_by_its_address() -> None:
    import logging

    from distributed import LocalCluster

    p = small_problem()
    settings = SimulationSettings(days=2, start=DAY, time_limit_s=5, params=FIRST_PLAN, check=True)
    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None, silence_logs=logging.ERROR
    ) as cluster:
        address = cluster.scheduler_address
        results = run_scenarios(
            p, [Scenario("base")], settings, arrivals=FixedArrivals({}), scheduler=address
        )
    assert results.scheduler == f"Dask scheduler {address}" and results.workers == 1
    serial = run_scenarios(p, [Scenario("base")], settings, arrivals=FixedArrivals({}), scheduler="serial")
    assert without_timing(results.kpis()).equals(without_timing(serial.kpis()))
