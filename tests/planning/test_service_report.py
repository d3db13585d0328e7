"""The service report on hand-made ticket histories: response, resolution, first-visit fixes,
repeat faults, the breakdowns by priority and area, and the money of the month's routes."""

from __future__ import annotations

from datetime import datetime

import pytest

from dromologio.planning.service.history import RouteMoney, TicketHistory, Visit, area_of
from dromologio.planning.service.report import Month, repeat_ticket_ids, service_report

IOA = "Δ.Π.Ε. Ιωαννίνων"
CYC = "Δ.Π.Ε. Κυκλάδων"
PARTNER = "Πανεπιστήμιο Ιωαννίνων"


def at(day: int, hour: int = 9, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour)


def visit(day: int, hour: int, solved: bool, employer: str = "ΚΕ.ΠΛΗ.ΝΕ.Τ.") -> Visit:
    return Visit(technician_id="T1", employer=employer, start=at(day, hour), solved=solved)


def ticket(ident: str, **values: object) -> TicketHistory:
    base: dict[str, object] = {
        "ticket_id": ident,
        "school_id": "S1",
        "directorate": IOA,
        "area": "mainland",
        "priority": "normal",
        "category": "network",
        "opened_at": at(2),
    }
    base.update(values)
    return TicketHistory(**base)  # type: ignore[arg-type]


HISTORIES = [
    # opened 2 Nov 09:00, visited 3 Nov 09:00 (24 h), solved then: resolution 26 h (ends 11:00)
    ticket("A", visits=(visit(3, 9, True),), resolved_at=at(3, 11)),
    # urgent on an island: first visit 4 h later fails, second solves; resolution 28 h
    ticket(
        "B",
        school_id="S9",
        directorate=CYC,
        area="island",
        priority="urgent",
        category="printer",
        opened_at=at(5, 8),
        visits=(visit(6, 9, True, PARTNER), visit(5, 12, False, PARTNER)),
        resolved_at=at(6, 12),
    ),
    # the same school and category as A within 30 days: a repeat; solved remotely, no visit
    ticket("C", opened_at=at(20), resolved_at=at(20, 15)),
    # opened in October: only an earlier fault for repeats, not in November's numbers
    ticket("D", opened_at=at(25, month=10), category="windows"),
    # a repeat of D (9 days later), on a mountain school, still open
    ticket("E", opened_at=at(3), category="windows", area="mountain"),
]


def test_areas_of_schools() -> None:
    assert area_of("Νάξος", "mountainous") == "island"
    assert area_of("", "semi_mountainous") == "mountain"
    assert area_of("", "plain") == "mainland"


def test_repeat_faults_are_the_same_school_and_category_within_30_days() -> None:
    assert repeat_ticket_ids(HISTORIES) == {"C", "E"}
    thirty_days = ticket("F", opened_at=at(20, month=12))  # 30 days after C: still a repeat
    assert "F" in repeat_ticket_ids([*HISTORIES, thirty_days])
    later = ticket("G", opened_at=at(21, month=12))  # 31 days after C
    assert "G" not in repeat_ticket_ids([*HISTORIES, later])


def test_the_month_overall_by_priority_and_by_area() -> None:
    report = service_report(HISTORIES, [], Month.parse("2026-11"))
    rows = {(r["group"], r["value"]): r for r in report.table.to_dict("records")}
    overall = rows[("all", "όλα / all")]
    assert overall["tickets"] == 4 and overall["visited"] == 2 and overall["resolved"] == 3
    assert overall["response_h_mean"] == pytest.approx((24 + 4) / 2)
    assert overall["resolution_h_median"] == pytest.approx(26)  # 26, 28 and 6 hours
    assert overall["first_visit_fix_rate"] == pytest.approx(0.5)
    assert overall["repeat_faults"] == 2
    assert overall["preventive_coverage"] == "n/a"
    assert rows[("priority", "urgent")]["response_h_median"] == pytest.approx(4)
    assert rows[("priority", "urgent")]["first_visit_fix_rate"] == 0
    assert rows[("priority", "normal")]["tickets"] == 3
    assert rows[("area", "νησιά / islands")]["resolution_h_mean"] == pytest.approx(28)
    assert rows[("area", "ορεινές / mountain")]["resolved"] == 0
    assert list(report.repeats["school_id"]) == ["S1", "S1"]


def test_scoped_to_a_directorate_and_a_partner_with_the_money_shared() -> None:
    routes = [
        RouteMoney("2026-11-05", "T1", PARTNER, 100.0, 50.0, {CYC: 1, IOA: 3}),
        RouteMoney("2026-11-06", "T2", "ΚΕ.ΠΛΗ.ΝΕ.Τ.", 40.0, 20.0, {IOA: 2}),
        RouteMoney("2026-10-30", "T1", PARTNER, 999.0, 999.0, {IOA: 1}),
    ]
    ioannina = service_report(HISTORIES, routes, Month.parse("2026-11"), directorate=IOA)
    assert ioannina.table.loc[0, "tickets"] == 3
    assert ioannina.distance_km == pytest.approx(75 + 40) and ioannina.cost_eur == pytest.approx(37.5 + 20)
    partner = service_report(HISTORIES, routes, Month.parse("2026-11"), employer=PARTNER)
    assert partner.table.loc[0, "tickets"] == 1 and partner.routes == 1
    assert partner.distance_km == pytest.approx(100)
    assert "Πανεπιστήμιο Ιωαννίνων" in partner.title


def test_a_month_is_written_yyyy_mm() -> None:
    assert str(Month.parse("2026-12").next_first_day) == "2027-01-01"
    with pytest.raises(ValueError, match="YYYY-MM"):
        Month.parse("11/2026")
