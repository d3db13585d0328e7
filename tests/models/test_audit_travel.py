"""The audit times road moves by the travel model it is given (the solver's), else by its estimate.

The mainland day of ``test_audit``: T1 serves S1 (10 km north) and S2 (10 km east) and is back at
11:30; K3 (S3, 5 km north, 45 min) waits.  The straight-line estimate and a model of twice its
speed disagree on whether K3 still fits a shift that ends at 11:55.
"""

from __future__ import annotations

import math

import pytest

from dromologio.dispatch.road_times import ModelRoadTimes, road_times
from dromologio.geo import RoadEstimateModel
from dromologio.models import Policy, Problem
from dromologio.models.audit import INSERTABLE, apply_finding, audit_plan, day_objective_eur
from dromologio.models.checker import check_plan
from dromologio.models.retime import Point, Travel
from tests.factories import DAY, technician
from tests.models.test_audit import busy_t1, mainland, make_plan

POLICY = Policy()


def short_day() -> Problem:
    return mainland().replace(technicians=(technician("T1", shift=("08:00", "11:55")),))


def twice_as_fast(p: Problem) -> ModelRoadTimes:
    speeds = {terrain: 2 * kmh for terrain, kmh in p.policy.road_speed_kmh.items()}
    return ModelRoadTimes(p, RoadEstimateModel(speeds, p.policy.road_circuity))


def test_the_given_travel_model_decides_what_fits() -> None:
    p = short_day()
    plan = make_plan(p, [busy_t1(p)], ["K3"])
    # By the straight-line estimate the day is full: K3 does not fit before 11:55.
    assert audit_plan(p, plan).ok
    # By the solver's (here twice as fast) road times it fits, and the audit says so.
    fast = twice_as_fast(p)
    report = audit_plan(p, plan, road=fast)
    (finding,) = report.findings
    assert finding.kind == INSERTABLE and finding.ticket_id == "K3"
    assert not report.not_audited


def test_a_slow_road_to_one_school_keeps_its_ticket_out() -> None:
    p = mainland()
    plan = make_plan(p, [busy_t1(p)], ["K3"])
    assert INSERTABLE in {f.kind for f in audit_plan(p, plan).findings}
    s3 = p.school_by_id["S3"]
    estimate = Travel(p, DAY)

    def track_to_s3(a: Point, b: Point) -> tuple[float, int]:
        km, minutes = estimate.road(a, b)
        far = any((x.lat, x.lon) == (s3.lat, s3.lon) for x in (a, b))
        return km, minutes + (300 if far else 0)

    report = audit_plan(p, plan, road=track_to_s3)
    assert report.ok and not report.not_audited


def test_model_road_times_are_the_models_km_and_minutes_rounded_up() -> None:
    p = short_day()
    fast = road_times(
        p, RoadEstimateModel({t: 2 * v for t, v in POLICY.road_speed_kmh.items()}, POLICY.road_circuity)
    )
    estimate = Travel(p, DAY)
    base = p.bases[0]
    home = Point(base.lat, base.lon, base.island)
    s1 = p.school_by_id["S1"]
    there = Point(s1.lat, s1.lon, s1.island, s1.terrain)
    km, minutes = fast(home, there)
    slow_km, slow_minutes = estimate.road(home, there)
    assert km == pytest.approx(slow_km, abs=0.001)
    # 13.02 road km at 120 km/h: 6.5 minutes, rounded up; the estimate at 60 km/h takes 14.
    assert minutes == math.ceil(km / 120 * 60) == 7 and slow_minutes == 14
    # A point the problem does not know is timed on its own, the same way.
    elsewhere = Point(there.lat + 0.01, there.lon, there.island)
    assert fast(home, elsewhere)[1] > 0


def test_findings_by_the_model_times_are_sound() -> None:
    p = short_day()
    plan = make_plan(p, [busy_t1(p)], ["K3"])
    fast = twice_as_fast(p)
    report = audit_plan(p, plan, road=fast)
    assert report.findings
    for finding in report.findings:
        changed = apply_finding(plan, finding)
        assert check_plan(p, changed).ok
        gain = day_objective_eur(p, changed, DAY, road=fast) - day_objective_eur(p, plan, DAY, road=fast)
        assert gain == pytest.approx(finding.delta_eur, abs=0.01) and gain < 0
