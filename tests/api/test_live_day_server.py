"""The live day end to end, against a running server (uvicorn in a subprocess on loopback).

Issue 16's "done when": the day is published at 07:30; T01 finishes one visit and starts
another; an urgent ticket comes in at 09:40; the re-plan keeps every visit done and
started, schedules nothing before 09:40, moves (or leaves undone) a visit of another
technician only as the stability rule allows, passes the checker and is published as
version 2; a lock commits; T01's calendar feed follows the change; a holiday is refused.

The stability rule is checked apart from the solver (:mod:`dromologio.planning.moves`):
for each visit of another technician that moved or was left undone, the counterfactual
day that keeps it with its technician (the cheapest checked place in its re-planned
route) must be impossible, or cost at least ``replan_move_eur`` more than the re-plan.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from dromologio.dispatch.road_times import road_times
from dromologio.dispatch.solve import default_travel_model
from dromologio.models import Plan, Problem
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem_dict
from dromologio.planning.moves import Standing, weigh_move

from .conftest import ADMIN
from .test_end_to_end import running_server, wait_job

pytestmark = pytest.mark.slow

DAY = "2026-11-23"
PUBLISHED = f"{DAY}T07:30"
#: Slack on the stability rule (EUR): the solver prices in whole cost units and seconds, the
#: counterfactual (with the solver's road times) in whole minutes and cents; the rounding of a
#: day's driving and money stays well under one euro.
MOVE_TOLERANCE_EUR = 1.0
HOLIDAY = "2026-12-25"
NOW = f"{DAY}T09:40"


def _owner(plan: dict[str, Any]) -> dict[str, str]:
    return {
        t: r["technician_id"]
        for r in plan["routes"]
        for s in r["stops"]
        if s["type"] == "visit"
        for t in s["ticket_ids"]
    }


def _feed_visits(http: httpx.Client, url: str) -> tuple[set[str], set[int]]:
    """The feed's event ids of visits, and the SEQUENCE numbers of its events."""
    response = http.get(url)
    assert response.status_code == 200, response.text
    events = Calendar.from_ical(response.content).walk("VEVENT")
    visits = {str(e["UID"]) for e in events if "-visit-" in str(e["UID"])}
    assert any("-depart@" in str(e["UID"]) for e in events)
    return visits, {int(e.get("SEQUENCE", 0)) for e in events}


def _lockable(document: dict[str, Any]) -> str:
    """A short network ticket of an Ioannina school (T01's Directorate) that needs a visit."""
    schools = {s["school_id"] for s in document["schools"] if s["directorate"] == "Δ.Π.Ε. Ιωαννίνων"}
    return next(
        str(t["ticket_id"])
        for t in sorted(document["tickets"], key=lambda t: t["ticket_id"])
        if t["school_id"] in schools
        and t.get("skill") == "network"
        and not t.get("remote")
        and not t.get("warranty")
        and int(t.get("service_minutes", 0)) <= 60
    )


def _standing(published: dict[str, Any], now: datetime) -> dict[str, Standing]:
    """Where each technician re-starts at ``now``: the school of its last visit begun before now
    (every visit begun before now was reported done or started)."""
    places: dict[str, Standing] = {}
    for route in published["routes"]:
        begun = [
            s for s in route["stops"] if s["type"] == "visit" and datetime.fromisoformat(s["start"]) < now
        ]
        if begun:
            places[route["technician_id"]] = Standing(begun[-1]["school_id"], now)
    return places


def _assert_moves_pay(
    problem: Problem,
    replanned: dict[str, Any],
    owner: dict[str, str],
    moved: list[str],
    published: dict[str, Any],
    now: str,
    under_way: set[str],
) -> None:
    """Each move (or drop) of another technician's visit saved at least ``replan_move_eur``
    against the checked counterfactual that keeps it, or keeping it fitted nowhere."""
    at = datetime.fromisoformat(now)
    plan = Plan.from_dict(replanned)
    places = _standing(published, at)
    move_eur = problem.policy.replan_move_eur
    # Road moves timed as the solver timed them (as the plan audit does).
    road = road_times(problem, default_travel_model(problem))
    for ticket_id in moved:
        weighed = weigh_move(
            problem, plan, ticket_id, owner[ticket_id], now=at, frozen=under_way, standing=places, road=road
        )
        assert weighed.pays(move_eur, MOVE_TOLERANCE_EUR), weighed


def test_a_live_day_against_a_running_server(
    database_url: str, sample_document: dict[str, Any], tmp_path: Path
) -> None:
    with running_server(database_url, tmp_path / "server.log") as http:
        assert http.post("/import", json=sample_document, headers=ADMIN).status_code == 200
        directorates = sorted({s["directorate"] for s in sample_document["schools"]})
        made = http.post(
            "/keys",
            json={"name": "Βάρδια", "role": "dispatcher", "directorates": directorates},
            headers=ADMIN,
        )
        assert made.status_code == 201, made.text
        me = {"X-API-Key": made.json()["api_key"]}

        # A holiday is refused.
        holiday = http.post("/plans", json={"date": HOLIDAY, "time_limit_s": 1}, headers=me)
        assert holiday.status_code in (409, 422) and "2026-12-25" in holiday.text, holiday.text

        # A lock commits: the locked ticket is T01's in the plan.
        locked = _lockable(sample_document)
        assert (
            http.put(f"/tickets/{locked}/lock", json={"technician_id": "T01"}, headers=me).status_code == 200
        )
        accepted = http.post("/plans", json={"date": DAY, "time_limit_s": 2}, headers=me)
        assert accepted.status_code == 202, accepted.text
        plan_id = accepted.json()["plan_id"]
        assert wait_job(http, plan_id, me)["status"] == "done"
        plan = http.get(f"/plans/{plan_id}", headers=me).json()
        owner = _owner(plan)
        assert owner[locked] == "T01", owner.get(locked)

        # Published in the morning; T01 subscribes to its feed.
        published = http.post(f"/plans/{plan_id}/publish", json={"at": PUBLISHED}, headers=me).json()
        assert published["state"] == "published" and published["version"] == 1, published
        token = http.post("/technicians/T01/feed-tokens", headers=me)
        assert token.status_code == 201, token.text
        feed = token.json()["url"]
        morning, sequences = _feed_visits(http, feed)
        t01 = next(r for r in plan["routes"] if r["technician_id"] == "T01")
        visits = [s for s in t01["stops"] if s["type"] == "visit"]
        assert len(morning) == len(visits) >= 2 and sequences == {1}

        # T01 finishes its first visit and starts the second.
        first, second = visits[0], visits[1]
        for ticket_id in first["ticket_ids"]:
            done = http.post(
                f"/plans/{plan_id}/visits/{ticket_id}/done", json={"at": first["end"]}, headers=me
            )
            assert done.status_code == 200, done.text
        started = second["ticket_ids"][0]
        began = http.post(
            f"/plans/{plan_id}/visits/{started}/start", json={"at": second["start"]}, headers=me
        )
        assert began.status_code == 200, began.text

        # An urgent ticket at 09:40 (or when the second visit began, if later); by then the
        # others reported their morning too: visits over are done, the one under way started.
        now = max(NOW, second["start"])
        for route in plan["routes"]:
            if route["technician_id"] == "T01":
                continue
            for stop in route["stops"]:
                if stop["type"] != "visit" or stop["start"] >= now:
                    continue
                move, at = ("done", stop["end"]) if stop["end"] <= now else ("start", stop["start"])
                for ticket_id in stop["ticket_ids"]:
                    reported = http.post(
                        f"/plans/{plan_id}/visits/{ticket_id}/{move}", json={"at": at}, headers=me
                    )
                    assert reported.status_code == 200, reported.text
        urgent = {
            "ticket": {
                "school_id": second["school_id"],
                "opened_at": now,
                "category": "Δίκτυο / network — όλο το εργαστήριο εκτός",
                "skill": "network",
                "service_minutes": 30,
                "helpdesk_ref": "HD-4711",
            },
            "time_limit_s": 2,
            "now": now,
        }
        response = http.post(f"/plans/{plan_id}/urgent", json=urgent, headers=me)
        assert response.status_code == 202, response.text
        answer = response.json()
        check = http.get(f"/plans/{answer['plan_id']}/check", headers=me).json()
        assert answer["status"] == "done" and answer["check_ok"] is True, check
        assert answer["state"] == "published" and answer["version"] == 2
        replan_id = answer["plan_id"]
        replanned = http.get(f"/plans/{replan_id}", headers=me).json()
        problem = read_problem_dict(http.get(f"/plans/{replan_id}/problem", headers=me).json())
        assert check_plan(problem, replanned).ok
        after = _owner(replanned)

        # Done visits are history; the started one stays with T01 at its start.
        assert not set(first["ticket_ids"]) & set(after)
        kept = next(s for r in replanned["routes"] for s in r["stops"] if started in s.get("ticket_ids", []))
        assert after[started] == "T01" and kept["start"] == second["start"]
        # Nothing else is scheduled before now (visits under way keep their start).
        under_way = {
            v["ticket_id"]
            for v in http.get(f"/plans/{plan_id}/visits", headers=me).json()
            if v["state"] == "started"
        }
        for route in replanned["routes"]:
            for stop in route["stops"]:
                if stop["type"] == "visit" and not set(stop["ticket_ids"]) & under_way:
                    assert stop["start"] >= now, (route["technician_id"], stop)
        # The stability rule (docs/api.md): a visit of another technician moves (or is left
        # undone) only when keeping it was impossible or the move saves replan_move_eur; every
        # move is reported.
        reported_in = {t for c in answer["changes"] for t in c["moved_in"]}
        reported_out = {t for c in answer["changes"] for t in c["moved_out"]}
        moved = [t for t, tech in owner.items() if tech != "T01" and t in after and after[t] != tech]
        assert set(moved) <= reported_in & reported_out, (moved, answer["changes"])
        reports = {v["ticket_id"]: v for v in http.get(f"/plans/{plan_id}/visits", headers=me).json()}
        dropped = [
            t
            for t, tech in owner.items()
            if tech != "T01" and t not in after and reports[t]["state"] not in ("done", "started")
        ]
        assert set(dropped) <= reported_out, (dropped, answer["changes"])
        _assert_moves_pay(problem, replanned, owner, [*moved, *dropped], plan, now, under_way)
        # The lock still commits.
        assert after.get(locked) == "T01" or locked in first["ticket_ids"]

        # THE plan of the day is version 2; the first is superseded.
        day = http.get(f"/days/{DAY}/plan", headers=me).json()
        assert day["plan_id"] == replan_id and day["version"] == 2
        assert http.get(f"/plans/{plan_id}/job", headers=me).json()["state"] == "superseded"
        versions = http.get(f"/plans/{replan_id}/versions", headers=me).json()
        assert [v["version"] for v in versions] == [1, 2] and versions[1]["published_by"] == "Βάρδια"
        assert versions[0]["published_at"].startswith(PUBLISHED), versions[0]

        # The same feed URL follows the new version.
        evening, sequences = _feed_visits(http, feed)
        new_t01 = next(r for r in replanned["routes"] if r["technician_id"] == "T01")
        assert len(evening) == sum(1 for s in new_t01["stops"] if s["type"] == "visit")
        assert sequences == {2} and not any(first["ticket_ids"][0] in uid for uid in evening)

        # The end of the day.
        assert http.post(f"/plans/{replan_id}/close", headers=me).json()["state"] == "closed"
