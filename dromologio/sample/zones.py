"""The sample with a zone sub-station: Konitsa, its part-time technician, its zone and preventive care.

A variant of the embedded sample (its records unchanged, these added): a zone
sub-station at Konitsa (base ``SUB-KON``, kind ``substation``), one part-time
technician who works Tuesdays and Thursdays, 08:00 to 14:00, and serves the zone
first (``T11``, ``home_zone`` Κόνιτσα), the schools within :data:`ZONE_KM` of it as the
zone, and preventive care (``maintenance_days``) at every mainland school of the
Directorates of Ioannina, their last visits spread over the past months.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta
from typing import Final

from dromologio.models import WEEKDAYS, Base, Problem, School, Technician, read_problem
from dromologio.models.service_columns import (
    HOME_ZONE,
    LAST_MAINTENANCE,
    MAINTENANCE_DAYS,
    WORK_DAYS,
    ZONE,
)
from dromologio.planning.service.preventive_whatif import run_whatif

from . import SAMPLE_DATE, sample_data_dir

ZONE_NAME: Final = "Κόνιτσα"
BASE_ID: Final = "SUB-KON"
TECHNICIAN_ID: Final = "T11"
#: Konitsa town (ELSTAT settlement point).
KONITSA: Final = (40.045059, 20.751546)
#: schools this close to the sub-station (straight line) form its zone.
ZONE_KM: Final = 25.0
#: the Directorates whose mainland schools get preventive care.
CARED_DIRECTORATES: Final = ("Δ.Π.Ε. Ιωαννίνων", "Δ.Δ.Ε. Ιωαννίνων")
MAINTENANCE_DAYS_DEFAULT: Final = 120


def _km(lat: float, lon: float) -> float:
    dlat = (lat - KONITSA[0]) * 111.0
    dlon = (lon - KONITSA[1]) * 111.0 * math.cos(math.radians(KONITSA[0]))
    return math.hypot(dlat, dlon)


def _school(school: School, index: int, interval: int, today: date) -> School:
    extra = dict(school.extra)
    if not school.island and _km(school.lat, school.lon) <= ZONE_KM:
        extra[ZONE] = ZONE_NAME
    if not school.island and school.directorate in CARED_DIRECTORATES:
        extra[MAINTENANCE_DAYS] = str(interval)
        # Last visits spread evenly over 1.5 intervals back: about a third are already overdue.
        extra[LAST_MAINTENANCE] = (today - timedelta(days=(index * 37) % (interval * 3 // 2) + 1)).isoformat()
    return replace(school, extra=extra)


def with_zone_substation(
    problem: Problem, *, maintenance_days: int = MAINTENANCE_DAYS_DEFAULT, today: date = SAMPLE_DATE
) -> Problem:
    """``problem`` (the sample) with the Konitsa zone sub-station, its part-time technician and preventive care."""
    base = Base(BASE_ID, "Παράρτημα ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων – Κόνιτσα", *KONITSA, kind="substation",
                extra={"directorate": "Δ.Π.Ε. Ιωαννίνων"})  # fmt: skip
    technician = Technician(
        TECHNICIAN_ID,
        "Θανάσης Γκόγκος",
        BASE_ID,
        frozenset({"windows", "network", "hardware", "printer"}),
        "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων",
        shift_start_min=8 * 60,
        shift_end_min=14 * 60,
        has_4x4=True,
        extra={WORK_DAYS: "Tue;Thu", HOME_ZONE: ZONE_NAME},
    )
    schools = tuple(_school(s, i, maintenance_days, today) for i, s in enumerate(problem.schools))
    return problem.replace(
        schools=schools,
        bases=(*problem.bases, base),
        technicians=(*problem.technicians, technician),
        name=f"{problem.name} + {BASE_ID}".strip(" +"),
    )


def whatif_table(days: int = 20, time_limit_s: float = 2.0) -> list[dict[str, object]]:
    """The zone sample's what-if over ``days`` working days, with and without preventive visits."""
    problem = with_zone_substation(read_problem(sample_data_dir()))
    rows: list[dict[str, object]] = []
    for preventive in (True, False):
        run = run_whatif(problem, SAMPLE_DATE, days, preventive=preventive, time_limit_s=time_limit_s)
        response = [h for d in run for h in d.urgent_response_h]
        rows.append(
            {
                "preventive": preventive,
                "days": f"{run[0].day} .. {run[-1].day}",
                "coverage_first_day": round(run[0].coverage or 0.0, 3),
                "coverage_last_day": round(run[-1].coverage or 0.0, 3),
                "preventive_visits": sum(d.preventive_visits for d in run),
                "repair_tickets_visited": sum(d.repair_tickets_visited for d in run),
                "urgent_visited": f"{sum(d.urgent_visited for d in run)}/{sum(d.urgent_arrived for d in run)}",
                "urgent_response_h_mean": round(sum(response) / len(response), 2) if response else None,
                "part_time_weekdays": ";".join(
                    sorted({WEEKDAYS[d.day.weekday()] for d in run if d.part_time_at_work})
                ),
                "checker_violations": sum(d.violations for d in run),
            }
        )
    return rows


if __name__ == "__main__":  # python -m dromologio.sample.zones [DAYS]
    import sys

    for row in whatif_table(int(sys.argv[1]) if len(sys.argv) > 1 else 20):
        print(row)
