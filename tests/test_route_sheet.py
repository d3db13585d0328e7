"""The printable route sheet: ferry time apart from driving, per diem apart from travel money,
Greek numbers and dates, the port and the time to be there, address, phone and map links."""

from __future__ import annotations

import csv
import re
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dromologio.cli import app
from dromologio.models import Route
from dromologio.models.plan_io import read_plan_json
from dromologio.models.readers import read_problem
from dromologio.planning.costs import route_costs
from dromologio.reports.exports import route_sheet_html
from dromologio.reports.exports.greek import greek_date, greek_eur, greek_number
from dromologio.reports.exports.route_times import driving_minutes, ferry_minutes

runner = CliRunner()


def test_greek_numbers_and_dates() -> None:
    from datetime import date

    assert greek_eur(1234.56) == "1.234,56 €" and greek_eur(0) == "0,00 €"
    assert greek_number(1234567.891, 1) == "1.234.567,9"
    assert greek_date(date(2026, 11, 23)) == "Δευτέρα 23/11/2026"


@pytest.fixture(scope="module")
def sheet_plan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample with addresses and phones for every school, planned for Monday 23/11/2026."""
    folder = tmp_path_factory.mktemp("route_sheet")
    sample = folder / "sample"
    assert runner.invoke(app, ["sample", str(sample)]).exit_code == 0
    with (sample / "schools.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows):
        row["address"] = f"Οδός Σχολείου {number + 1}"
        row["phone"] = f"2651 0{number:05d}"
    with (sample / "schools.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = folder / "plan.json"
    arguments = ["plan", str(sample), "--date", "2026-11-23", "--force", "--quiet", "--out", str(out)]
    planned = runner.invoke(app, [*arguments, "--time-limit", "2"])
    assert planned.exit_code == 0, planned.output
    checked = runner.invoke(app, ["check", str(sample), str(out)])
    assert checked.exit_code == 0, checked.output
    assert "no ticket is left undone without need" in " ".join(checked.output.split())
    return {"sample": sample, "plan": out}


def _route_with_ferry(routes: tuple[Route, ...]) -> Route:
    crossing = [r for r in routes if any(s.type == "ferry" for s in r.stops) and r.visits]
    assert crossing, "the sample's Monday has island visits by ferry"
    return crossing[0]


@pytest.mark.slow
def test_route_sheet_of_an_island_day(sheet_plan: dict[str, Path]) -> None:
    problem, plan = read_problem(sheet_plan["sample"]), read_plan_json(sheet_plan["plan"])
    route = _route_with_ferry(plan.routes)
    html = route_sheet_html(plan, problem, route.technician_id)
    text = re.sub(r"<[^>]+>", " ", html)
    text = " ".join(text.split())
    assert "Δευτέρα 23/11/2026" in text
    # Driving and time on board apart, adding up to the route's travel time.
    on_board, driving = ferry_minutes(route), driving_minutes(route)
    assert on_board > 0 and on_board + driving == route.travel_minutes
    assert f"Οδήγηση {driving} λεπτά" in text and f"Πλοίο {on_board} λεπτά" in text
    # Travel money apart from the per diem, in Greek format.
    costs = route_costs(problem, route)
    travel = costs["distance_eur"] + costs["ferry_eur"] + costs["tolls_eur"]
    assert f"Κόστος μετακίνησης {greek_eur(travel)}" in text
    assert f"Ημερήσια αποζημίωση {greek_eur(costs['per_diem_eur'])}" in text
    assert f"Σύνολο {greek_eur(costs['total'])}" in text
    assert f"{greek_number(route.distance_km, 1)} km" in text
    # Before each sailing: its port and the time to be there (30 minutes' check-in by default).
    check_in = problem.policy.for_employer(problem.technician_by_id[route.technician_id].employer)
    for stop in route.stops:
        if stop.type == "ferry" and stop.depart is not None:
            port = problem.port_by_id[stop.from_port or ""]
            be_there = stop.depart - timedelta(minutes=check_in.ferry_check_in_min)
            assert f"Λιμάνι {port.name}: στο λιμάνι έως τις {be_there:%H:%M}" in text
    # Each school visited: address, phone and a map link at its coordinates.
    for stop in route.visits:
        school = problem.school_by_id[stop.school_id or ""]
        assert school.extra["address"] in text and school.extra["phone"] in text
        assert f"mlat={school.lat:.5f}&amp;mlon={school.lon:.5f}" in html
    # A map link per stop (a sailing's is its port's).
    assert html.count("https://www.openstreetmap.org/") == len(route.stops)
