"""A printable route sheet for one technician (Greek), rendered from a jinja2 template.

Per day: the stops with times (and the lunch break), the port and the time to be there before each sailing (the
policy's ``ferry_check_in_min``), the school's address and phone when ``schools.csv`` has
them (optional columns), a map link per stop, the tickets and a box to sign; then driving
apart from time on board, travel money apart from the per diem, in Greek number and date format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from dromologio.models import Plan, Problem, Route, School, Stop
from dromologio.models.calendar import today
from dromologio.models.plan import LunchBreak
from dromologio.models.vocab import PRIORITY_LABELS_EL, SKILL_LABELS_EL
from dromologio.planning.costs import employer_policy, route_costs

from .greek import greek_date, greek_eur, greek_number, hhmm
from .route_times import driving_minutes, ferry_minutes

__all__ = ["SheetRoute", "SheetRow", "map_url", "route_sheet_html", "school_contact", "ticket_lines"]


@dataclass(frozen=True)
class SheetRow:
    """One line of the sheet: a stop, or the port before a sailing (``kind`` ``port``)."""

    kind: str
    time: str
    place: str
    details: tuple[str, ...] = ()
    tickets: tuple[str, ...] = ()
    on_site: str = ""
    map_url: str = ""
    number: int | None = None


@dataclass(frozen=True)
class SheetRoute:
    """One day of the technician's plan, as the sheet shows it."""

    date_text: str
    rows: tuple[SheetRow, ...]
    totals: tuple[tuple[str, str], ...]
    money: tuple[tuple[str, str], ...] = field(default=())


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("dromologio.reports.exports", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def map_url(lat: float, lon: float) -> str:
    """An OpenStreetMap link with a marker at the point."""
    return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=16/{lat:.5f}/{lon:.5f}"


def school_contact(school: School) -> tuple[str, str]:
    """The school's address and phone: the optional ``address`` and ``phone`` columns of schools.csv."""
    address = getattr(school, "address", None) or school.extra.get("address", "")
    phone = getattr(school, "phone", None) or school.extra.get("phone", "")
    return str(address).strip(), str(phone).strip()


def ticket_lines(problem: Problem, ticket_ids: tuple[str, ...]) -> tuple[str, ...]:
    """One line per ticket: id, category, skill, priority and service minutes (Greek)."""
    lines = []
    for ticket_id in ticket_ids:
        ticket = problem.ticket_by_id.get(ticket_id)
        if ticket is None:
            lines.append(ticket_id)
            continue
        skill = SKILL_LABELS_EL.get(ticket.skill, ticket.skill)
        priority = PRIORITY_LABELS_EL.get(ticket.priority, ticket.priority)
        lines.append(
            f"{ticket_id}: {ticket.category} ({skill}, προτεραιότητα {priority}, {ticket.service_minutes}′)"
        )
    return tuple(lines)


def _port_name(problem: Problem, port_id: str | None) -> str:
    port = problem.port_by_id.get(port_id or "")
    return port.name if port else port_id or ""


def _ferry_rows(problem: Problem, stop: Stop, check_in_min: int) -> list[SheetRow]:
    source = problem.port_by_id.get(stop.from_port or "")
    be_there = stop.depart - timedelta(minutes=check_in_min) if stop.depart else None
    port = SheetRow(
        kind="port",
        time=hhmm(be_there),
        place=f"Λιμάνι {_port_name(problem, stop.from_port)}: στο λιμάνι έως τις {hhmm(be_there)}",
        details=(f"αναχώρηση πλοίου {hhmm(stop.depart)}, check-in {check_in_min}′ πριν",),
        map_url=map_url(source.lat, source.lon) if source else "",
    )
    sailing = SheetRow(
        kind="ferry",
        time=f"{hhmm(stop.depart)}–{hhmm(stop.arrive)}",
        place=f"Πλοίο: {_port_name(problem, stop.from_port)} → {_port_name(problem, stop.to_port)}",
    )
    return [port, sailing]


def _visit_row(problem: Problem, stop: Stop, number: int) -> SheetRow:
    school = problem.school_by_id.get(stop.school_id or "")
    if school is None:
        return SheetRow("visit", hhmm(stop.arrive), stop.school_id or "", number=number)
    details = [school.directorate + (f", {school.island}" if school.island else "")]
    address, phone = school_contact(school)
    if address:
        details.append(f"Ταχ. διεύθυνση: {address}")
    if phone:
        details.append(f"Τηλ.: {phone}")
    return SheetRow(
        kind="visit",
        time=f"άφιξη {hhmm(stop.arrive)}",
        place=school.name,
        details=tuple(details),
        tickets=ticket_lines(problem, stop.ticket_ids),
        on_site=f"{hhmm(stop.start)}–{hhmm(stop.end)}",
        map_url=map_url(school.lat, school.lon),
        number=number,
    )


def _break_row(lunch: LunchBreak) -> SheetRow:
    return SheetRow("break", f"{hhmm(lunch.start)}–{hhmm(lunch.end)}", f"Διάλειμμα ({round(lunch.minutes)}′)")


def _rows(problem: Problem, route: Route, check_in_min: int) -> list[SheetRow]:
    rows: list[SheetRow] = []
    number = 0
    lunch = route.lunch_break
    for stop in route.stops:
        # The lunch break before the first stop that begins after it starts (a wait at a school
        # shows as the visit's arrival before its work).
        begins = stop.arrive if stop.type in ("visit", "end") else stop.depart
        if lunch is not None and begins is not None and begins > lunch.start:
            rows.append(_break_row(lunch))
            lunch = None
        point = map_url(stop.lat, stop.lon) if stop.lat is not None and stop.lon is not None else ""
        if stop.type == "start":
            place = (
                f"Αναχώρηση από τόπο διανυκτέρευσης ({stop.island or ''})"
                if stop.lodging
                else "Αναχώρηση από τη βάση"
            )
            rows.append(SheetRow("start", hhmm(stop.depart), place, map_url=point))
        elif stop.type == "ferry":
            rows.extend(_ferry_rows(problem, stop, check_in_min))
        elif stop.type == "visit":
            number += 1
            rows.append(_visit_row(problem, stop, number))
        else:
            place = f"Διανυκτέρευση ({stop.island or ''})" if stop.lodging else "Επιστροφή στη βάση"
            rows.append(SheetRow("end", hhmm(stop.arrive), place, map_url=point))
    if lunch is not None:
        rows.append(_break_row(lunch))
    return rows


def _sheet_route(problem: Problem, route: Route) -> SheetRoute:
    technician = problem.technician_by_id.get(route.technician_id)
    policy = employer_policy(problem, technician) if technician else problem.policy
    check_in_min = int(getattr(policy, "ferry_check_in_min", 30))
    totals = [
        ("Επισκέψεις", str(len(route.visits))),
        ("Αιτήματα", str(len(route.ticket_ids))),
        ("Απόσταση", f"{greek_number(route.distance_km, 1)} km"),
        ("Οδήγηση", f"{driving_minutes(route)} λεπτά"),
    ]
    if any(stop.type == "ferry" for stop in route.stops):
        totals.append(("Πλοίο", f"{ferry_minutes(route)} λεπτά"))
    overtime = route.overtime_min
    if overtime:
        totals.append(("Υπερωρία", f"{overtime} λεπτά"))
    money: list[tuple[str, str]] = []
    if technician is not None:
        costs = route_costs(problem, route)
        travel = costs["distance_eur"] + costs["ferry_eur"] + costs["tolls_eur"]
        money.append(("Κόστος μετακίνησης", greek_eur(travel)))
        if costs["ferry_eur"]:
            money.append(("εκ των οποίων εισιτήρια πλοίου", greek_eur(costs["ferry_eur"])))
        money.append(("Ημερήσια αποζημίωση", greek_eur(costs["per_diem_eur"])))
        if costs["overnight_eur"]:
            money.append(("Διανυκτέρευση", greek_eur(costs["overnight_eur"])))
        if costs.get("overtime_eur"):
            money.append(("Αμοιβή υπερωρίας", greek_eur(costs["overtime_eur"])))
        money.append(("Σύνολο", greek_eur(costs["total"])))
    return SheetRoute(
        date_text=greek_date(route.date),
        rows=tuple(_rows(problem, route, check_in_min)),
        totals=tuple(totals),
        money=tuple(money),
    )


def route_sheet_html(plan: Plan, problem: Problem, technician_id: str) -> str:
    """A printable route sheet for one technician, in Greek: every day of theirs in ``plan``."""
    technician = problem.technician_by_id.get(technician_id)
    base = problem.base_of(technician) if technician else None
    routes = [_sheet_route(problem, r) for r in plan.routes if r.technician_id == technician_id]
    return (
        _environment()
        .get_template("route_sheet.html")
        .render(
            who=technician.name if technician else technician_id,
            technician_id=technician_id,
            employer=technician.employer if technician else "",
            base=base.name if base else "",
            routes=routes,
            printed=greek_date(today()),
        )
    )
