"""Technicians' stable calendar feeds: tokens issued and revoked by whom, and what the feed holds."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from fastapi.testclient import TestClient
from icalendar import Calendar

from dromologio.api.calendar_feed import FeedDay, technician_feed
from dromologio.models import Route, Stop
from dromologio.models.plan import LunchBreak
from dromologio.models.readers import read_problem_dict

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_A, make_key, tiny_problem, wait_job

DAY = "2026-11-23"


def _events(client: TestClient, url: str) -> list[Any]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_feed_tokens_are_issued_by_the_technicians_dispatcher_and_revoked(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    ioannina = make_key(client, "dispatcher", [IOANNINA])
    arta = make_key(client, "dispatcher", [ARTA])
    partner = make_key(client, "partner", [IOANNINA], PARTNER_A)
    planner = make_key(client, "planner")
    assert client.post("/technicians/T1/feed-tokens", headers=arta).status_code == 404
    assert client.post("/technicians/T1/feed-tokens", headers=partner).status_code == 404
    assert client.post("/technicians/T1/feed-tokens", headers=planner).status_code == 403
    issued = client.post("/technicians/T1/feed-tokens", headers=ioannina)
    assert issued.status_code == 201, issued.text
    token = issued.json()
    assert token["url"] == f"/feeds/T1.ics?token={token['token']}"

    # Nothing published yet: an empty calendar.
    assert _events(client, token["url"]) == []
    created = client.post("/plans", json={"date": DAY, "time_limit_s": 1, "force": True}, headers=ADMIN)
    plan_id = created.json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done"
    assert _events(client, token["url"]) == []  # a draft is not in the feed
    assert client.post(f"/plans/{plan_id}/publish", headers=ADMIN).status_code == 200
    plan = client.get(f"/plans/{plan_id}", headers=ADMIN).json()
    route = next(r for r in plan["routes"] if r["technician_id"] == "T1")
    visits = [s for s in route["stops"] if s["type"] == "visit"]
    events = _events(client, token["url"])
    uids = sorted(str(e["UID"]) for e in events)
    assert len(events) == len(visits) + 1 and f"{DAY}-T1-depart@dromologio" in uids
    assert {f"{DAY}-T1-visit-{v['ticket_ids'][0]}@dromologio" for v in visits} <= set(uids)

    # No key opens a feed; a wrong token, or another technician's, answers 404 alike.
    assert client.get("/feeds/T1.ics", params={"token": "feed_wrong"}).status_code == 404
    assert client.get("/feeds/T3.ics", params={"token": token["token"]}).status_code == 404
    assert client.get("/feeds/T1.ics", headers=ADMIN).status_code == 422
    listed = client.get("/technicians/T1/feed-tokens", headers=ioannina).json()
    assert [t["token_id"] for t in listed] == [token["token_id"]] and "token" not in listed[0]
    assert client.delete(f"/technicians/T1/feed-tokens/{token['token_id']}", headers=arta).status_code == 404
    revoked = client.delete(f"/technicians/T1/feed-tokens/{token['token_id']}", headers=ioannina)
    assert revoked.status_code == 204
    assert client.get(token["url"]).status_code == 404
    assert client.get("/technicians/T1/feed-tokens", headers=ADMIN).json()[0]["revoked_at"] is not None


def test_the_feed_has_the_departure_the_sailings_and_the_visits() -> None:
    document = tiny_problem()
    document["ports"] = [
        {"port_id": "P-IGO", "name": "Ηγουμενίτσα", "lat": 39.50, "lon": 20.26, "island": ""},
        {"port_id": "P-CFU", "name": "Κέρκυρα", "lat": 39.62, "lon": 19.92, "island": "Κέρκυρα"},
    ]
    problem = read_problem_dict(document)
    day = date(2026, 11, 23)
    route = Route(
        technician_id="T1",
        date=day,
        stops=(
            Stop("start", lat=39.664, lon=20.851, depart=datetime(2026, 11, 23, 7, 0)),
            Stop(
                "ferry",
                from_port="P-IGO",
                to_port="P-CFU",
                depart=datetime(2026, 11, 23, 8, 0),
                arrive=datetime(2026, 11, 23, 9, 30),
            ),
            Stop(
                "visit",
                lat=39.667,
                lon=20.853,
                school_id="S1",
                ticket_ids=("K1", "K2"),
                arrive=datetime(2026, 11, 23, 10, 0),
                start=datetime(2026, 11, 23, 10, 10),
                end=datetime(2026, 11, 23, 11, 40),
            ),
            Stop("end", lat=39.664, lon=20.851, arrive=datetime(2026, 11, 23, 15, 0)),
        ),
        distance_km=10.0,
        travel_minutes=120,
        cost_eur=20.0,
    )
    body = technician_feed("T1", [FeedDay(route, problem, "p1", 3)], name="Ελένη Κίτσου")
    events = {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
    assert set(events) == {
        "2026-11-23-T1-depart@dromologio",
        "2026-11-23-T1-sailing-1@dromologio",
        "2026-11-23-T1-visit-K1@dromologio",
    }
    sailing = events["2026-11-23-T1-sailing-1@dromologio"]
    assert "Ηγουμενίτσα → Κέρκυρα" in str(sailing["SUMMARY"])
    assert sailing.decoded("DTSTART").hour == 8 and sailing.decoded("DTEND").minute == 30
    assert {int(str(e["SEQUENCE"])) for e in events.values()} == {3}
    assert "1ο Δημοτικό Ιωαννίνων" in str(events["2026-11-23-T1-visit-K1@dromologio"]["SUMMARY"])


def test_the_feed_shows_the_lunch_break() -> None:
    problem = read_problem_dict(tiny_problem())
    day = date(2026, 11, 23)
    route = Route(
        technician_id="T1",
        date=day,
        stops=(
            Stop("start", lat=39.664, lon=20.851, depart=datetime(2026, 11, 23, 8, 0)),
            Stop(
                "visit",
                lat=39.667,
                lon=20.853,
                school_id="S1",
                ticket_ids=("K1",),
                arrive=datetime(2026, 11, 23, 8, 10),
                start=datetime(2026, 11, 23, 8, 20),
                end=datetime(2026, 11, 23, 12, 0),
            ),
            Stop("end", lat=39.664, lon=20.851, arrive=datetime(2026, 11, 23, 13, 0)),
        ),
        distance_km=2.0,
        travel_minutes=20,
        cost_eur=1.0,
        lunch_break=LunchBreak(datetime(2026, 11, 23, 12, 0), datetime(2026, 11, 23, 12, 30)),
    )
    body = technician_feed("T1", [FeedDay(route, problem, "p1", 1)])
    events = {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
    lunch = events["2026-11-23-T1-lunch@dromologio"]
    assert "Διάλειμμα (30′)" in str(lunch["SUMMARY"])
    assert lunch.decoded("DTSTART").hour == 12 and lunch.decoded("DTEND").minute == 30
    # A route without a break has no such event.
    plain = technician_feed("T1", [FeedDay(dataclasses.replace(route, lunch_break=None), problem, "p1", 1)])
    assert not any("lunch" in str(e["UID"]) for e in Calendar.from_ical(plain).walk("VEVENT"))
