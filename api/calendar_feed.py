"""A technician's day as iCalendar (RFC 5545), in Europe/Athens time.

Two documents: one plan's visits (``GET /plans/{id}/routes/{technician}.ics``), and the
technician's stable feed (``GET /feeds/{technician}.ics``) that follows the published
plans: departure from the base, sailings, visits and the lunch break, today and the days after.  The
feed's event ids depend on the day and what the event is (not on the plan), so a
calendar app that subscribed updates the events in place when a new version is published.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dromologio.models import Plan, Problem, Route, Stop

from .exports import ticket_lines

ATHENS = ZoneInfo("Europe/Athens")


def _calendar(name: str) -> Any:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//Dromologio//Route//EL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Athens")
    return calendar


def _visit_event(problem: Problem, stop: Stop, uid: str, stamp: datetime) -> Any:
    from icalendar import Event, vGeo

    assert stop.start is not None and stop.end is not None and stop.school_id is not None
    school = problem.school_by_id.get(stop.school_id)
    name = school.name if school else stop.school_id
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", stop.start.replace(tzinfo=ATHENS))
    event.add("dtend", stop.end.replace(tzinfo=ATHENS))
    event.add("summary", f"Επίσκεψη: {name}")
    location = (
        name
        if school is None
        else f"{name}, {school.directorate}" + (f", {school.island}" if school.island else "")
    )
    event.add("location", location)
    if stop.lat is not None and stop.lon is not None:
        event.add("geo", vGeo((stop.lat, stop.lon)))
    event.add("description", "Αιτήματα:\n" + "\n".join(ticket_lines(problem, stop.ticket_ids)))
    event.add("categories", ["Δρομολόγιο"])
    return event


def technician_calendar(plan: Plan, problem: Problem, technician_id: str, plan_id: str) -> bytes:
    """iCalendar (RFC 5545): one event per visit of the technician, in Europe/Athens time."""
    calendar = _calendar(f"Δρομολόγιο {technician_id}")
    stamp = datetime.now(tz=ATHENS).replace(microsecond=0)
    for route in plan.routes:
        if route.technician_id != technician_id:
            continue
        for seq, stop in enumerate(route.stops):
            if stop.type != "visit" or stop.start is None or stop.end is None or stop.school_id is None:
                continue
            uid = f"{plan_id}-{technician_id}-{route.date.isoformat()}-{seq}@dromologio"
            calendar.add_component(_visit_event(problem, stop, uid, stamp))
    return bytes(calendar.to_ical())


@dataclass(frozen=True)
class FeedDay:
    """One day of a technician's feed: its route in the plan in force, and that plan's version."""

    route: Route
    problem: Problem
    plan_id: str
    version: int


def _port_name(problem: Problem, port_id: str | None) -> str:
    port = next((p for p in problem.ports if p.port_id == port_id), None)
    return port.name if port is not None else str(port_id or "")


def technician_feed(technician_id: str, days: Iterable[FeedDay], *, name: str = "") -> bytes:
    """The stable feed: per day, the departure from the base, each sailing, each visit and the
    lunch break when the route has one.

    Event ids are ``<date>-<technician>-<what>@dromologio`` (a visit is named by its first
    ticket), and ``SEQUENCE`` is the plan's version, so a subscribed calendar updates in place.
    """
    from icalendar import Event

    calendar = _calendar(f"Δρομολόγιο {name or technician_id}")
    stamp = datetime.now(tz=ATHENS).replace(microsecond=0)
    for day in sorted(days, key=lambda d: d.route.date):
        route, problem = day.route, day.problem
        prefix = f"{route.date.isoformat()}-{technician_id}"
        start = route.stops[0] if route.stops else None
        if start is not None and start.type == "start" and start.depart is not None and route.visits:
            event = Event()
            event.add("uid", f"{prefix}-depart@dromologio")
            event.add("dtstamp", stamp)
            event.add("sequence", day.version)
            event.add("dtstart", start.depart.replace(tzinfo=ATHENS))
            event.add("dtend", start.depart.replace(tzinfo=ATHENS))
            where = "τη βάση" if not start.lodging else f"το κατάλυμα ({start.island or ''})"
            event.add("summary", f"Αναχώρηση από {where} / departure")
            event.add("description", f"Πλάνο {day.plan_id}, έκδοση {day.version}")
            event.add("categories", ["Δρομολόγιο"])
            calendar.add_component(event)
        sailings = 0
        for stop in route.stops:
            if stop.type == "ferry" and stop.depart is not None and stop.arrive is not None:
                sailings += 1
                event = Event()
                event.add("uid", f"{prefix}-sailing-{sailings}@dromologio")
                event.add("dtstamp", stamp)
                event.add("sequence", day.version)
                event.add("dtstart", stop.depart.replace(tzinfo=ATHENS))
                event.add("dtend", stop.arrive.replace(tzinfo=ATHENS))
                event.add(
                    "summary",
                    f"Πλοίο: {_port_name(problem, stop.from_port)} → {_port_name(problem, stop.to_port)} / sailing",
                )
                event.add("location", _port_name(problem, stop.from_port))
                event.add("categories", ["Δρομολόγιο"])
                calendar.add_component(event)
            elif stop.type == "visit" and stop.start is not None and stop.end is not None and stop.school_id:
                uid = f"{prefix}-visit-{stop.ticket_ids[0]}@dromologio"
                event = _visit_event(problem, stop, uid, stamp)
                event.add("sequence", day.version)
                calendar.add_component(event)
        if route.lunch_break is not None and route.visits:
            event = Event()
            event.add("uid", f"{prefix}-lunch@dromologio")
            event.add("dtstamp", stamp)
            event.add("sequence", day.version)
            event.add("dtstart", route.lunch_break.start.replace(tzinfo=ATHENS))
            event.add("dtend", route.lunch_break.end.replace(tzinfo=ATHENS))
            event.add("summary", f"Διάλειμμα ({route.lunch_break.minutes:.0f}′) / lunch break")
            event.add("transp", "OPAQUE")
            event.add("categories", ["Δρομολόγιο"])
            calendar.add_component(event)
    return bytes(calendar.to_ical())
