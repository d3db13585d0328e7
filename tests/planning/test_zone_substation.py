"""The sample's zone sub-station and the what-if with preventive care over working days."""

from __future__ import annotations

import pytest

from dromologio.models import read_problem
from dromologio.models.service_columns import home_zone, school_zone, work_days
from dromologio.planning.preventive import coverage, coverage_by_area
from dromologio.planning.service.preventive_whatif import run_whatif, weekday
from dromologio.planning.service.report import Month, service_report
from dromologio.sample import SAMPLE_DATE, sample_data_dir
from dromologio.sample.zones import BASE_ID, TECHNICIAN_ID, with_zone_substation


def test_the_sample_gains_a_zone_sub_station_with_a_part_time_technician_and_keeps_its_records() -> None:
    sample = read_problem(sample_data_dir())
    zoned = with_zone_substation(sample)
    assert zoned.bases[:-1] == sample.bases and zoned.base_by_id[BASE_ID].kind == "substation"
    assert zoned.technicians[:-1] == sample.technicians and zoned.tickets == sample.tickets
    part_timer = zoned.technician_by_id[TECHNICIAN_ID]
    assert work_days(part_timer) == {"Tue", "Thu"} and home_zone(part_timer) == "κόνιτσα"
    in_zone = [s for s in zoned.schools if school_zone(s) == home_zone(part_timer)]
    assert 3 <= len(in_zone) <= 15
    assert all(a == b for a, b in zip(zoned.schools, sample.schools, strict=True))  # extras aside
    share = coverage(zoned, SAMPLE_DATE)
    assert share is not None and 0.3 < share < 0.9


@pytest.mark.slow
def test_a_week_with_preventive_care_keeps_part_time_days_and_raises_coverage() -> None:
    zoned = with_zone_substation(read_problem(sample_data_dir()))
    days = run_whatif(zoned, SAMPLE_DATE, 5, time_limit_s=1.0)
    assert [d.violations for d in days] == [0] * 5
    assert {weekday(d.day) for d in days if d.part_time_at_work} <= {"Tue", "Thu"}
    first, last = coverage(zoned, SAMPLE_DATE), days[-1].coverage
    assert first is not None and last is not None and last > first
    assert sum(d.preventive_visits for d in days) > 0
    # Urgent repairs are served as without preventive visits (one on Andros is out of reach in a day).
    without = run_whatif(zoned, SAMPLE_DATE, 5, preventive=False, time_limit_s=1.0)
    assert [d.urgent_visited for d in days] == [d.urgent_visited for d in without]
    assert sum(d.urgent_visited for d in days) >= sum(d.urgent_arrived for d in days) - 1


def test_the_service_report_carries_preventive_coverage_by_area() -> None:
    zoned = with_zone_substation(read_problem(sample_data_dir()))
    by_area = coverage_by_area(zoned, SAMPLE_DATE)
    assert by_area["island"] is None  # no preventive care on the islands of the sample
    assert by_area["all"] == coverage(zoned, SAMPLE_DATE)
    assert by_area["mountain"] is not None and by_area["mainland"] is not None
    report = service_report([], [], Month.parse("2026-11"), preventive_coverage=by_area)
    assert report.table.iloc[0]["preventive_coverage"] == round(by_area["all"] or 0.0, 3)
    assert service_report([], [], Month.parse("2026-11")).table.iloc[0]["preventive_coverage"] == "n/a"
