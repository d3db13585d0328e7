"""``GET /travel``: how long to get there, over the stored schools, bases, ports and sailings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dromologio.api.main import create_app

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_A, make_key, make_settings, tiny_problem

DAY = "2026-11-23"


@pytest.fixture
def app_client(database_url: str) -> Iterator[TestClient]:
    app = create_app(make_settings(database_url))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def islands_problem() -> dict[str, Any]:
    document = tiny_problem()
    document["schools"].append(
        {
            "school_id": "S-TIN",
            "name": "Γυμνάσιο Τήνου",
            "lat": 37.542,
            "lon": 25.163,
            "directorate": IOANNINA,
            "island": "Τήνος",
            "access_min": 10,
        }
    )
    document["ports"] = [
        {"port_id": "IGO", "name": "Ηγουμενίτσα", "lat": 39.5036, "lon": 20.2653, "island": ""},
        {"port_id": "TIN", "name": "Τήνος", "lat": 37.5375, "lon": 25.1615, "island": "Τήνος"},
    ]
    document["ferries"] = [
        {
            "from_port": "IGO",
            "to_port": "TIN",
            "depart": "09:30",
            "duration_min": 600,
            "days": "daily",
            "fare_eur": 40,
        }
    ]
    return document


def get(client: TestClient, key: dict[str, str], **query: str) -> Any:
    return client.get("/travel", params={"date": DAY, **query}, headers=key)


def test_a_dispatcher_asks_how_long_to_a_school(app_client: TestClient) -> None:
    assert app_client.post("/import", json=tiny_problem(), headers=ADMIN).status_code == 200
    dispatcher = make_key(app_client, "dispatcher", [IOANNINA])
    response = get(app_client, dispatcher, **{"from": "KPN-IOA", "to": "S2"})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["from"]["kind"] == "base" and answer["to"]["id"] == "S2"
    assert [v["vehicle"] for v in answer["vehicles"]] == ["car", "4x4"]
    car = answer["vehicles"][0]
    assert car["possible"] and car["minutes"] >= 1 and car["legs"][0]["kind"] == "road"
    assert answer["leave"] == "08:00" and answer["date"] == DAY


def test_schools_and_bases_out_of_scope_are_answered_like_unknown_ids(app_client: TestClient) -> None:
    assert app_client.post("/import", json=tiny_problem(), headers=ADMIN).status_code == 200
    dispatcher = make_key(app_client, "dispatcher", [IOANNINA])
    partner = make_key(app_client, "partner", [IOANNINA], PARTNER_A)
    for key, target in ((dispatcher, "S3"), (dispatcher, "KPN-ART"), (partner, "KPN-IOA")):
        out = get(app_client, key, **{"from": "39.66,20.85", "to": target})
        unknown = get(app_client, key, **{"from": "39.66,20.85", "to": "NO-SUCH-ID"})
        assert out.status_code == unknown.status_code == 404
        assert target not in out.text.replace(f"'{target}'", "")  # named only as asked
    admin = get(app_client, ADMIN, **{"from": "KPN-IOA", "to": "S3"})
    assert admin.status_code == 200
    assert 40 <= admin.json()["vehicles"][0]["minutes"] <= 75  # Ioannina to Arta: about 55 min


def test_points_in_greece_and_bad_queries(app_client: TestClient) -> None:
    assert app_client.post("/import", json=tiny_problem(), headers=ADMIN).status_code == 200
    planner = make_key(app_client, "planner", [ARTA])
    assert get(app_client, planner, **{"from": "39.66,20.85", "to": "39.16,20.98"}).status_code == 200
    assert get(app_client, planner, **{"from": "0,0", "to": "S1"}).status_code == 422
    assert get(app_client, planner, **{"from": "S1", "to": "S3", "at": "25:00"}).status_code == 422
    assert get(app_client, planner, **{"from": "S1"}).status_code == 422
    assert app_client.post("/travel", params={"from": "S1", "to": "S3"}, headers=planner).status_code == 405
    assert app_client.get("/travel", params={"from": "S1", "to": "S3"}).status_code == 401


def test_across_water_the_stored_sailings_are_taken(app_client: TestClient) -> None:
    response = app_client.post("/import", json=islands_problem(), headers=ADMIN)
    assert response.status_code == 200, response.text
    answer = get(app_client, ADMIN, **{"from": "KPN-IOA", "to": "S-TIN", "at": "07:00"}).json()
    car = answer["vehicles"][0]
    assert car["possible"] and car["sailings"] == 1
    crossing = next(leg for leg in car["legs"] if leg["kind"] == "sailing")
    assert (crossing["depart"], crossing["arrive"], crossing["fare_eur"]) == ("09:30", "19:30", 40.0)
    last = car["legs"][-1]
    assert last["kind"] == "road" and last["minutes"] >= 10  # the school's access_min
    late = get(app_client, ADMIN, **{"from": "KPN-IOA", "to": "S-TIN", "at": "10:00"}).json()
    assert not late["vehicles"][0]["possible"] and "sailings" in late["vehicles"][0]["reason"]
