"""A technician's visits as iCalendar (RFC 5545), in Europe/Athens time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dromologio.models import Plan, Problem

from .exports import ticket_lines

ATHENS = ZoneInfo("Europe/Athens")


def technician_calendar(plan: Plan, problem: Problem, technician_id: str, plan_id: str) -> bytes:
    """iCalendar (RFC 5545): one event per visit of the technician, in Europe/Athens time."""
    from icalendar import Calendar, Event, vGeo

    calendar = Calendar()
    calendar.add("prodid", "-//Dromologio//Route//EL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Δρομολόγιο {technician_id}")
    calendar.add("x-wr-timezone", "Europe/Athens")
    stamp = datetime.now(tz=ATHENS).replace(microsecond=0)
    for route in plan.routes:
        if route.technician_id != technician_id:
            continue
        for seq, stop in enumerate(route.stops):
            if stop.type != "visit" or stop.start is None or stop.end is None or stop.school_id is None:
                continue
            school = problem.school_by_id.get(stop.school_id)
            name = school.name if school else stop.school_id
            event = Event()
            event.add("uid", f"{plan_id}-{technician_id}-{route.date.isoformat()}-{seq}@dromologio")
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
            calendar.add_component(event)
    return bytes(calendar.to_ical())
