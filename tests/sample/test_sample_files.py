"""The embedded sample region and the problem generator: files that keep the contract."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from dromologio.models.policy import Policy
from dromologio.models.problem import Base, Port, Problem, Sailing, School, Technician, Ticket
from dromologio.models.vocab import BASE_KINDS, PRIORITIES, SKILLS, TERRAINS, WEEKDAYS
from dromologio.sample import ATTRIBUTION_FILE, PROBLEM_FILES, SAMPLE_DATE, sample_data_dir, write_sample
from dromologio.sample.generate import (
    BASE_COLUMNS,
    FERRY_COLUMNS,
    PORT_COLUMNS,
    SCHOOL_COLUMNS,
    SETTLEMENT_COLUMNS,
    TECHNICIAN_COLUMNS,
    TICKET_COLUMNS,
    generate_problem_files,
    genitive,
)

Rows = list[dict[str, str]]

GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
BOOLEANS = {"true", "false"}
COLUMNS = {
    "schools.csv": SCHOOL_COLUMNS,
    "bases.csv": BASE_COLUMNS,
    "technicians.csv": TECHNICIAN_COLUMNS,
    "tickets.csv": TICKET_COLUMNS,
    "ports.csv": PORT_COLUMNS,
    "ferries.csv": FERRY_COLUMNS,
}


# --------------------------------------------------------------------------- helpers


def read(folder: Path, name: str) -> Rows:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def header(folder: Path, name: str) -> list[str]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def minutes(text: str) -> int:
    hours, mins = text.split(":")
    return int(hours) * 60 + int(mins)


def instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M")


def flag(text: str) -> bool:
    assert text in BOOLEANS, text
    return text == "true"


def optional_float(text: str) -> float | None:
    return float(text) if text else None


def to_problem(folder: Path) -> Problem:
    """Build the domain objects straight from the rows (independent of the file readers)."""
    schools = tuple(
        School(
            r["school_id"],
            r["name"],
            float(r["lat"]),
            float(r["lon"]),
            r["directorate"],
            r["island"],
            minutes(r["opens"]),
            minutes(r["closes"]),
            flag(r["needs_4x4"]),
            r["terrain"],
        )
        for r in read(folder, "schools.csv")
    )
    bases = tuple(
        Base(r["base_id"], r["name"], float(r["lat"]), float(r["lon"]), r["island"], r["kind"])
        for r in read(folder, "bases.csv")
    )
    technicians = tuple(
        Technician(
            r["technician_id"],
            r["name"],
            r["base_id"],
            frozenset(r["skills"].split(";")),
            r["employer"],
            minutes(r["shift_start"]),
            minutes(r["shift_end"]),
            optional_float(r["max_km_per_day"]),
            flag(r["has_4x4"]),
            optional_float(r["cost_per_km"]),
        )
        for r in read(folder, "technicians.csv")
    )
    tickets = tuple(
        Ticket(
            r["ticket_id"],
            r["school_id"],
            instant(r["opened_at"]),
            r["category"],
            r["skill"],
            r["priority"],
            int(r["service_minutes"]),
            flag(r["remote"]),
            flag(r["warranty"]),
            instant(r["due_by"]) if r["due_by"] else None,
        )
        for r in read(folder, "tickets.csv")
    )
    ports: tuple[Port, ...] = ()
    sailings: tuple[Sailing, ...] = ()
    if (folder / "ports.csv").exists():
        ports = tuple(
            Port(r["port_id"], r["name"], float(r["lat"]), float(r["lon"]), r["island"])
            for r in read(folder, "ports.csv")
        )
    if (folder / "ferries.csv").exists():
        sailings = tuple(
            Sailing(
                r["from_port"],
                r["to_port"],
                minutes(r["depart"]),
                int(r["duration_min"]),
                frozenset(WEEKDAYS if r["days"] == "daily" else r["days"].split(";")),
                optional_float(r["fare_eur"]),
            )
            for r in read(folder, "ferries.csv")
        )
    policy = Policy.from_dict(json.loads((folder / "policy.json").read_text(encoding="utf-8")))
    return Problem(schools, bases, technicians, tickets, ports, sailings, policy)


def check_folder(folder: Path) -> Problem:
    """Contract checks shared by the sample and generated folders."""
    for name, columns in COLUMNS.items():
        if (folder / name).exists():
            assert header(folder, name) == list(columns), name
    problem = to_problem(folder)  # ids unique, references resolve, values in range
    schools = read(folder, "schools.csv")
    for row in schools:
        assert HHMM.match(row["opens"]) and HHMM.match(row["closes"])
        assert row["terrain"] in TERRAINS
        assert GREEK.search(row["name"]) and GREEK.search(row["directorate"])
        if row["needs_4x4"] == "true":
            assert row["terrain"] == "mountainous"
    for row in read(folder, "technicians.csv"):
        assert set(row["skills"].split(";")) <= set(SKILLS)
        assert HHMM.match(row["shift_start"]) and HHMM.match(row["shift_end"])
        assert GREEK.search(row["name"]) and GREEK.search(row["employer"])
    for row in read(folder, "tickets.csv"):
        assert row["skill"] in SKILLS and row["priority"] in PRIORITIES
        assert INSTANT.match(row["opened_at"]) and (not row["due_by"] or INSTANT.match(row["due_by"]))
        assert 30 <= int(row["service_minutes"]) <= 120
    for row in read(folder, "bases.csv"):
        assert row["kind"] in BASE_KINDS
    port_islands = {p.island for p in problem.ports}
    assert {s.island for s in problem.schools if s.island} <= port_islands
    assert {b.island for b in problem.bases if b.island} <= port_islands
    return problem


# --------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def data() -> Path:
    return sample_data_dir()


@pytest.fixture(scope="module")
def sample(data: Path) -> Problem:
    return check_folder(data)


def test_all_files_are_there(data: Path) -> None:
    for name in (*PROBLEM_FILES, ATTRIBUTION_FILE, "README.md", "settlements.csv"):
        assert (data / name).is_file(), name


def test_counts_are_in_the_required_ranges(sample: Problem) -> None:
    epirus = [s for s in sample.schools if not s.island]
    cyclades = [s for s in sample.schools if s.island]
    assert 150 <= len(sample.schools) <= 300
    assert len(epirus) >= 100 and len(cyclades) >= 60
    assert 6 <= len(sample.technicians) <= 12
    assert 40 <= len(sample.tickets) <= 80
    assert len(sample.bases) == 8
    assert Counter(b.kind for b in sample.bases) == {"keplinet": 5, "partner": 2, "substation": 1}


def test_sample_covers_the_pilot_places(sample: Problem) -> None:
    names = " ".join(s.name for s in sample.schools)
    for place in ("Ιωαννίνων", "Άρτας", "Πρέβεζας", "Ηγουμενίτσας", "Μετσόβου", "Κόνιτσας", "Πραμάντων"):
        assert place in names, place
    assert sum("Ιωαννίνων" in s.name for s in sample.schools) >= 15
    islands = {s.island for s in sample.schools}
    for island in ("Σύρος", "Τήνος", "Άνδρος", "Μύκονος", "Πάρος", "Νάξος", "Αμοργός", "Ίος", "Κουφονήσια"):
        assert island in islands, island
    assert {s.directorate for s in sample.schools} >= {
        "Δ.Π.Ε. Ιωαννίνων",
        "Δ.Δ.Ε. Ιωαννίνων",
        "Δ.Π.Ε. Κυκλάδων",
    }


def test_schools_hours_and_mountains(sample: Problem) -> None:
    hours = Counter((s.opens_min, s.closes_min) for s in sample.schools)
    assert hours.most_common(1)[0][0] == (8 * 60 + 15, 14 * 60)
    assert (8 * 60, 13 * 60 + 30) in hours
    assert 0 < hours[(13 * 60 + 30, 19 * 60)] <= len(sample.schools) // 10
    assert {s.terrain for s in sample.schools} == set(TERRAINS)
    assert sum(s.needs_4x4 for s in sample.schools) >= 3


def test_schools_of_one_town_do_not_coincide(sample: Problem) -> None:
    points = Counter((s.lat, s.lon) for s in sample.schools)
    assert points.most_common(1)[0][1] == 1


def test_technicians_and_bases(sample: Problem) -> None:
    island_of = {b.base_id: b.island for b in sample.bases}
    on_island = Counter(island_of[t.base_id] for t in sample.technicians)
    assert on_island["Νάξος"] >= 1 and on_island["Σύρος"] >= 2
    assert set().union(*(t.skills for t in sample.technicians)) == set(SKILLS)
    assert any(t.has_4x4 for t in sample.technicians)
    assert any(t.max_km_per_day for t in sample.technicians)
    assert any(t.cost_per_km for t in sample.technicians)
    assert {t.base_id for t in sample.technicians} == {b.base_id for b in sample.bases}


def test_tickets_mix(sample: Problem) -> None:
    tickets = sample.tickets
    n = len(tickets)
    start = datetime.combine(SAMPLE_DATE, datetime.min.time())
    assert all(start - timedelta(days=15) <= t.opened_at < start for t in tickets)
    shares = Counter(t.priority for t in tickets)
    for priority, share in {"urgent": 0.10, "high": 0.25, "normal": 0.50, "low": 0.15}.items():
        assert abs(shares[priority] / n - share) <= 0.05, priority
    assert 0.08 <= sum(t.remote for t in tickets) / n <= 0.22
    assert 1 <= sum(t.warranty for t in tickets) <= max(2, round(0.1 * n))
    assert not any(t.remote and t.warranty for t in tickets)
    due = [t.due_by for t in tickets if t.due_by is not None]
    assert any(d < start for d in due), "a few tickets are overdue"
    assert any(d.date() in (SAMPLE_DATE, SAMPLE_DATE + timedelta(days=1)) for d in due)
    assert all(t.due_by is None or t.due_by > t.opened_at for t in tickets)
    per_school = Counter(t.school_id for t in tickets)
    assert max(per_school.values()) <= 3 and sum(c >= 2 for c in per_school.values()) >= 3
    assert any(sample.school_by_id[t.school_id].needs_4x4 and t.needs_visit for t in tickets)
    assert [t.ticket_id for t in tickets] == sorted(t.ticket_id for t in tickets)
    assert [t.opened_at for t in tickets] == sorted(t.opened_at for t in tickets)


def test_skill_matches_category(data: Path) -> None:
    words = {
        "ltsp": "LTSP",
        "network": ("δίκτυο", "Wi-Fi", "ΠΣΔ"),
        "printer": ("printer",),
        "windows": ("Windows",),
        "linux": ("Linux",),
        "hardware": ("hardware", "whiteboard", "projector"),
        "egov": ("myschool", "signature"),
    }
    for row in read(data, "tickets.csv"):
        expected = words[row["skill"]]
        keys = (expected,) if isinstance(expected, str) else expected
        assert any(k.lower() in row["category"].lower() for k in keys), row
        assert GREEK.search(row["category"]), row


def test_an_island_ltsp_ticket_no_island_technician_can_take(sample: Problem) -> None:
    """At least one LTSP visit sits on an island without any technician who knows LTSP."""
    ltsp_islands = {sample.base_of(t).island for t in sample.technicians if "ltsp" in t.skills}
    stranded = [
        t
        for t in sample.tickets
        if t.skill == "ltsp"
        and t.needs_visit
        and sample.school_by_id[t.school_id].island
        and sample.school_by_id[t.school_id].island not in ltsp_islands
    ]
    assert stranded
    assert any(sample.school_by_id[t.school_id].island == "Κουφονήσια" for t in stranded)


def test_ferry_timetable(sample: Problem, data: Path) -> None:
    sailings = sample.sailings
    pairs = {(s.from_port, s.to_port) for s in sailings}
    assert all((b, a) in pairs for a, b in pairs), "both directions"
    used = {p for pair in pairs for p in pair}
    assert used == {p.port_id for p in sample.ports}
    island_of = {p.port_id: p.island for p in sample.ports}
    assert all(island_of[s.from_port] != island_of[s.to_port] for s in sailings)
    departs = [s.depart_min for s in sailings]
    assert any(7 * 60 <= d <= 8 * 60 for d in departs)
    assert any(13 * 60 <= d <= 17 * 60 + 30 for d in departs)
    assert any(s.days != frozenset(WEEKDAYS) for s in sailings)
    assert any(len(s.days) == 3 for s in sailings)
    assert all(s.fare_eur is not None and s.fare_eur > 0 and (s.fare_eur * 2).is_integer() for s in sailings)
    trunk = Counter((s.from_port, s.to_port) for s in sailings if len(s.days) == 7)
    assert trunk[("JSY", "TIN")] >= 2 and trunk[("PAS", "JNX")] >= 2
    assert {row["days"] for row in read(data, "ferries.csv")} >= {"daily", "Mon;Wed;Fri"}


def test_policy_uses_policy_fields(data: Path, sample: Problem) -> None:
    raw = json.loads((data / "policy.json").read_text(encoding="utf-8"))
    assert set(raw) <= set(Policy.field_names())
    assert {"cost_per_km_eur", "ferry_check_in_min", "solver_time_limit_s"} <= set(raw)
    assert sample.policy.solver_time_limit_s == raw["solver_time_limit_s"]


def test_documents_credit_the_sources(data: Path) -> None:
    attribution = (data / ATTRIBUTION_FILE).read_text(encoding="utf-8")
    assert "Hellenic Statistical Authority (ELSTAT)" in attribution
    assert "HellasDB" in attribution and "World Port Index" in attribution
    readme = (data / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in readme and "duration_min_est" in readme


def test_settlements_file(data: Path) -> None:
    assert header(data, "settlements.csv") == list(SETTLEMENT_COLUMNS)
    rows = read(data, "settlements.csv")
    assert len(rows) >= 400
    assert len({r["elstat_code"] for r in rows}) == len(rows)
    assert {r["terrain"] for r in rows} == set(TERRAINS)
    port_islands = {r["island"] for r in read(data, "ports.csv")}
    assert {r["island"] for r in rows if r["island"]} <= port_islands
    assert any(r["name"] == "Μέτσοβον" for r in rows) and any(r["name"] == "Ερμούπολις" for r in rows)
    assert all(GREEK.search(r["name"]) and r["pop_2011"].isdigit() for r in rows)


def test_reader_accepts_the_sample(data: Path, sample: Problem) -> None:
    readers = pytest.importorskip("dromologio.models.readers")
    read_problem = getattr(readers, "read_problem", None)
    if read_problem is None:
        pytest.skip("no read_problem yet")
    problem = read_problem(data)
    assert len(problem.schools) == len(sample.schools)
    assert len(problem.sailings) == len(sample.sailings)
    assert problem.school_by_id["S0001"].name == sample.school_by_id["S0001"].name


def test_write_sample_copies_the_problem(tmp_path: Path, data: Path) -> None:
    target = write_sample(tmp_path / "new" / "folder")
    assert target == tmp_path / "new" / "folder"
    for name in (*PROBLEM_FILES, ATTRIBUTION_FILE):
        assert (target / name).read_bytes() == (data / name).read_bytes()
    assert not (target / "settlements.csv").exists()


def test_genitive_of_settlement_names() -> None:
    assert genitive("Ιωάννινα", "τα") == "Ιωαννίνων"
    assert genitive("Μέτσοβον", "το") == "Μετσόβου"
    assert genitive("Πράμαντα", "τα") == "Πραμάντων"
    assert genitive("Ερμούπολις", "η") == "Ερμούπολης"
    assert genitive("Μύκονος", "η") == "Μυκόνου"
    assert genitive("Άγιος Νικόλαος", "ο") == "Αγίου Νικολάου"
    assert genitive("Όρμος Κορθίου", "ο") == "Όρμου Κορθίου"
    assert genitive("Φοίνιξ", "ο") is None


# --------------------------------------------------------------------------- the generator


def file_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_generator_is_deterministic(tmp_path: Path) -> None:
    a = generate_problem_files(tmp_path / "a", num_tickets=120, num_technicians=12, seed=7)
    b = generate_problem_files(tmp_path / "b", num_tickets=120, num_technicians=12, seed=7)
    c = generate_problem_files(tmp_path / "c", num_tickets=120, num_technicians=12, seed=8)
    assert file_bytes(a) == file_bytes(b)
    assert file_bytes(a)["schools.csv"] != file_bytes(c)["schools.csv"]
    assert file_bytes(a)["tickets.csv"] != file_bytes(c)["tickets.csv"]


@pytest.mark.parametrize(
    ("num_tickets", "num_technicians", "num_schools", "expected_schools"),
    [(40, 6, None, 150), (500, 30, None, 500), (300, 20, 180, 180), (2500, 250, None, 2500)],
)
def test_generator_respects_sizes(
    tmp_path: Path, num_tickets: int, num_technicians: int, num_schools: int | None, expected_schools: int
) -> None:
    folder = generate_problem_files(
        tmp_path, num_tickets=num_tickets, num_technicians=num_technicians, num_schools=num_schools, seed=1
    )
    problem = check_folder(folder)
    assert len(problem.tickets) == num_tickets
    assert len(problem.technicians) == num_technicians
    assert len(problem.schools) == expected_schools
    staffed = {t.base_id for t in problem.technicians}
    if num_technicians >= len(problem.bases):
        assert staffed == {b.base_id for b in problem.bases}
    assert {bool(problem.base_by_id[b].island) for b in staffed} == {False, True}
    assert set().union(*(t.skills for t in problem.technicians)) == set(SKILLS)
    assert any(s.island for s in problem.schools) and problem.sailings
    assert (folder / ATTRIBUTION_FILE).is_file()


def test_generator_mainland_only(tmp_path: Path) -> None:
    folder = generate_problem_files(tmp_path, num_tickets=80, num_technicians=5, seed=2, islands=False)
    problem = check_folder(folder)
    assert not (folder / "ports.csv").exists() and not (folder / "ferries.csv").exists()
    assert not any(s.island for s in problem.schools)
    assert not any(b.island for b in problem.bases)
    assert len(problem.schools) == 150 and len(problem.technicians) == 5


def test_generator_plan_date(tmp_path: Path) -> None:
    day = date(2027, 3, 1)
    folder = generate_problem_files(tmp_path, num_tickets=50, num_technicians=4, seed=0, plan_date=day)
    opened = [instant(r["opened_at"]) for r in read(folder, "tickets.csv")]
    assert all(day - timedelta(days=15) <= o.date() < day for o in opened)


def test_generator_rejects_bad_sizes(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate_problem_files(tmp_path, num_tickets=10, num_technicians=0)
    with pytest.raises(ValueError):
        generate_problem_files(tmp_path, num_tickets=-1, num_technicians=3)
