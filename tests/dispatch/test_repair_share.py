"""The share of a day's time kept for the audit's repair grows with the day's visits."""

from __future__ import annotations

import pytest

from dromologio.dispatch.build import DayModel, build_day
from dromologio.dispatch.params import SearchParams
from dromologio.dispatch.repair import MAX_REPAIR_SHARE, REPAIR_S_PER_VISIT, repair_share
from dromologio.geo import RoadEstimateModel
from tests.factories import DAY, problem, school, technician, ticket


@pytest.fixture(scope="module")
def model() -> DayModel:
    """Twenty tickets at twenty schools around Ioannina, two technicians."""
    schools = [school(f"S{k}", north_km=k, east_km=-k) for k in range(20)]
    tickets = [ticket(f"K{k}", f"S{k}") for k in range(20)]
    p = problem(schools, [technician("T1"), technician("T2")], tickets)
    travel = RoadEstimateModel(p.policy.road_speed_kmh, p.policy.road_circuity)
    return build_day(p, p.tickets, DAY, travel)


def test_a_long_limit_keeps_the_policy_share(model: DayModel) -> None:
    params = SearchParams()
    assert repair_share(model, 30.0, params) == params.audit_repair_share


def test_a_short_limit_on_a_big_day_keeps_time_per_visit(model: DayModel) -> None:
    params = SearchParams()
    # 20 visits x 5 ms = 0.1 s: a fifth of half a second, more than the policy's share.
    assert params.audit_repair_share < REPAIR_S_PER_VISIT * 20 / 0.5
    assert repair_share(model, 0.5, params) == pytest.approx(REPAIR_S_PER_VISIT * 20 / 0.5)
    assert repair_share(model, 0.05, params) == MAX_REPAIR_SHARE


def test_no_share_when_the_repair_is_off(model: DayModel) -> None:
    assert repair_share(model, 0.5, SearchParams(audit_repair_share=0.0)) == 0.0
