"""Problem details for every error, no trace ever, keys, the OpenAPI page, and the migrations."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from dromologio.api.db import make_engine, migrate
from dromologio.api.deps import SessionDep
from dromologio.api.main import create_app
from dromologio.api.tables import RegionRow, Table

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_B, make_settings

PROBLEM_JSON = "application/problem+json"


def test_unexpected_errors_are_a_500_problem_without_any_trace(database_url: str) -> None:
    app = create_app(make_settings(database_url))

    @app.get("/explode")
    def explode() -> dict[str, Any]:
        raise RuntimeError("secret internals /srv/app.py line 12")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/explode")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert body["status"] == 500 and body["title"] == "Internal Server Error"
    assert (
        "secret" not in response.text
        and "Traceback" not in response.text
        and "RuntimeError" not in response.text
    )


def test_keys_roles_and_the_401_403_404_answers(client: TestClient) -> None:
    missing = client.get("/schools")
    assert missing.status_code == 401 and missing.headers["content-type"].startswith(PROBLEM_JSON)
    assert "WWW-Authenticate" in missing.headers
    assert client.get("/schools", headers={"X-API-Key": "nope"}).status_code == 401
    assert client.get("/me", headers={"Authorization": "Bearer test-admin-key"}).json()["role"] == "admin"

    assert client.post("/regions", json={"name": "Δ.Π.Ε. Άρτας"}, headers=ADMIN).status_code == 201
    made = client.post(
        "/keys",
        json={"name": "Κέντρο", "role": "dispatcher", "directorates": ["Δ.Π.Ε. Άρτας"]},
        headers=ADMIN,
    )
    assert made.status_code == 201
    key = {"Authorization": f"Bearer {made.json()['api_key']}"}
    assert client.get("/me", headers=key).json() == {
        "name": "Κέντρο",
        "role": "dispatcher",
        "directorates": ["Δ.Π.Ε. Άρτας"],
        "employer": None,
    }
    assert client.get("/keys", headers=key).status_code == 403
    assert client.get("/schools/NOPE", headers=key).json()["detail"] == "no school 'NOPE'"
    assert (
        client.post(
            "/keys", json={"name": "p", "role": "partner", "directorates": ["x"]}, headers=ADMIN
        ).status_code
        == 422
    )
    assert client.delete(f"/keys/{made.json()['key_id']}", headers=ADMIN).json()["active"] is False
    assert client.get("/me", headers=key).status_code == 401
    assert client.get("/health").json() == {"status": "ok"}


def test_bad_plan_requests_name_the_field(client: TestClient) -> None:
    response = client.post("/plans", json={"date": "23/11/2026", "days": 0, "time_limit": 5}, headers=ADMIN)
    assert response.status_code == 422 and response.headers["content-type"].startswith(PROBLEM_JSON)
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"body.date", "body.days", "body.time_limit"}
    too_long = client.post("/plans", json={"time_limit_s": 100000}, headers=ADMIN)
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "body.time_limit_s"


def test_openapi_docs_with_stable_operation_ids(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200 and client.get("/redoc").status_code == 200
    schema = client.get("/openapi.json").json()
    operation_ids = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert "plans-create_plan" in operation_ids and len(operation_ids) == len(set(operation_ids))
    assert {"ApiKey", "Bearer"} <= set(schema["components"]["securitySchemes"])


def test_the_migrations_make_exactly_the_tables_of_the_code(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(database_url)
    migrate(engine)
    migrate(engine)  # a second run changes nothing
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Table.metadata) == []
    engine.dispose()


def test_keys_are_made_once_at_the_first_start(database_url: str) -> None:
    from dromologio.api.db import make_sessionmaker
    from dromologio.api.main import bootstrap

    settings = make_settings(database_url, api_key=None, seed_sample=True)
    engine = make_engine(settings.database_url)
    migrate(engine)
    first = bootstrap(make_sessionmaker(engine), settings, generate_admin=True, demo_key=True)
    second = bootstrap(make_sessionmaker(engine), settings, generate_admin=True, demo_key=True)
    engine.dispose()
    assert first.sample_imported and not second.sample_imported
    assert first.admin_key and first.demo_key and first.keys_before == 0
    assert second.admin_key is None and second.demo_key is None and not second.admin_generated
    assert second.keys_before == 2
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get("/me", headers={"X-API-Key": first.admin_key}).json()["role"] == "admin"
        demo = {"X-API-Key": first.demo_key}
        assert client.get("/me", headers=demo).json()["role"] == "dispatcher"
        assert len(client.get("/schools", headers=demo).json()) == 220
        assert len(client.get("/keys", headers={"X-API-Key": first.admin_key}).json()) == 2


def with_base_directorates(problem: dict[str, Any]) -> dict[str, Any]:
    """``problem`` with each base naming the Directorate it serves."""
    served = {"KPN-IOA": IOANNINA, "PA-BASE": IOANNINA, "KPN-ART": ARTA, "PB-BASE": ARTA}
    bases = [{**b, "directorate": served[b["base_id"]]} for b in problem["bases"]]
    return {**problem, "bases": bases}


def test_keys_for_unknown_directorates_or_employers_are_refused_with_suggestions(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=with_base_directorates(tiny), headers=ADMIN).status_code == 200
    typo = client.post(
        "/keys",
        json={"name": "d", "role": "dispatcher", "directorates": [IOANNINA, "Δ.Π.Ε. Ιωαννινων"]},
        headers=ADMIN,
    )
    assert typo.status_code == 422 and typo.headers["content-type"].startswith(PROBLEM_JSON)
    assert typo.json()["errors"] == [
        {
            "field": "body.directorates.1",
            "message": f"no Directorate 'Δ.Π.Ε. Ιωαννινων' is known; did you mean '{IOANNINA}'?",
        }
    ]
    unknown = client.post(
        "/keys", json={"name": "d", "role": "dispatcher", "directorates": ["Mars"]}, headers=ADMIN
    )
    assert unknown.status_code == 422 and "POST /regions" in unknown.json()["detail"]
    partner = client.post(
        "/keys",
        json={"name": "p", "role": "partner", "directorates": [ARTA], "employer": "Πανεπιστήμιο Ηπειρου"},
        headers=ADMIN,
    )
    assert partner.status_code == 422
    assert partner.json()["errors"][0]["field"] == "body.employer"
    assert f"did you mean '{PARTNER_B}'" in partner.json()["detail"]
    made = client.post(
        "/keys",
        json={"name": "p", "role": "partner", "directorates": [ARTA], "employer": PARTNER_B},
        headers=ADMIN,
    )
    assert made.status_code == 201
    # a Directorate known from the regions table alone (no schools yet) is accepted
    assert client.post("/regions", json={"name": "Δ.Π.Ε. Πρέβεζας"}, headers=ADMIN).status_code == 201
    assert (
        client.post(
            "/keys",
            json={"name": "d", "role": "dispatcher", "directorates": ["Δ.Π.Ε. Πρέβεζας"]},
            headers=ADMIN,
        ).status_code
        == 201
    )


TICKET = {
    "ticket_id": "K-NEW",
    "school_id": "S1",
    "opened_at": "2026-11-20T09:30",
    "category": "Δίκτυο / network",
    "skill": "network",
    "service_minutes": 30,
}


def test_dates_and_times_out_of_range_are_refused_naming_the_field(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=with_base_directorates(tiny), headers=ADMIN).status_code == 200
    cases: list[tuple[str, str, dict[str, Any], str]] = [
        ("POST", "/tickets", {**TICKET, "opened_at": "0201-02-03T19:14"}, "body.opened_at"),
        ("POST", "/tickets", {**TICKET, "due_by": "2101-01-01T08:00"}, "body.due_by"),
        ("POST", "/tickets", {**TICKET, "opened_at": "1999-12-31T23:59"}, "body.opened_at"),
        ("PATCH", "/tickets/K1", {"opened_at": "0201-02-03T19:14"}, "body.opened_at"),
        ("POST", "/plans", {"date": "0201-02-03"}, "body.date"),
        ("POST", "/plans", {"date": "2101-01-01"}, "body.date"),
        ("PATCH", "/schools/S1", {"opens": "24:30"}, "body.opens"),
        ("PATCH", "/technicians/T1", {"shift_end": "25:00"}, "body.shift_end"),
    ]
    for method, path, body, field in cases:
        response = client.request(method, path, json=body, headers=ADMIN)
        assert response.status_code == 422, (path, body, response.text)
        assert response.headers["content-type"].startswith(PROBLEM_JSON)
        assert [e["field"] for e in response.json()["errors"]] == [field], (path, body)
    assert (
        "the year must be from 2000 to 2100"
        in client.post("/tickets", json={**TICKET, "opened_at": "0201-02-03T19:14"}, headers=ADMIN).text
    )
    assert client.get("/tickets/K1", headers=ADMIN).json()["opened_at"] == "2026-11-20T09:00"
    # the bounds themselves are fine; 24:00 is the end of the day
    edge = client.post(
        "/tickets",
        json={**TICKET, "opened_at": "2000-01-01T00:00", "due_by": "2100-12-31T23:59"},
        headers=ADMIN,
    )
    assert edge.status_code == 201, edge.text
    assert client.patch("/technicians/T1", json={"shift_end": "24:00"}, headers=ADMIN).status_code == 200


def test_places_outside_greece_are_refused_as_the_readers_refuse_them(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    """Else a school the solver's problem reader rejects would fail every plan of its Directorate."""
    assert client.post("/import", json=with_base_directorates(tiny), headers=ADMIN).status_code == 200
    school = {"school_id": "S9", "name": "x", "lat": 8.77e-243, "lon": 20.8, "directorate": IOANNINA}
    cases: list[tuple[str, str, dict[str, Any], str]] = [
        ("POST", "/schools", school, "body.lat"),
        ("POST", "/schools", {**school, "lat": 39.6, "lon": 120.0}, "body.lon"),
        ("PATCH", "/schools/S1", {"lat": 48.2}, "body.lat"),
        ("PATCH", "/bases/KPN-IOA", {"lon": -20.85}, "body.lon"),
    ]
    for method, path, body, field in cases:
        response = client.request(method, path, json=body, headers=ADMIN)
        assert response.status_code == 422, (path, body, response.text)
        assert [e["field"] for e in response.json()["errors"]] == [field], (path, body)
    assert client.post("/schools", json={**school, "lat": 39.6}, headers=ADMIN).status_code == 201


def test_instants_are_local_times_without_offset_and_the_schema_says_so(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    schema = client.get("/openapi.json").json()
    assert '"date-time"' not in json.dumps(schema)
    components = schema["components"]["schemas"]
    out_pattern = re.compile(components["PlanJob"]["properties"]["created_at"]["pattern"])
    assert "Europe/Athens" in components["PlanJob"]["properties"]["created_at"]["description"]
    in_pattern = components["TicketCreate"]["properties"]["opened_at"]["pattern"]
    assert re.match(in_pattern, "2026-11-20T09:30") and not re.match(in_pattern, "0201-02-03T19:14")

    assert client.post("/import", json=with_base_directorates(tiny), headers=ADMIN).status_code == 200
    # an offset sent by a client is converted to Athens time (UTC+2 in November)
    made = client.post("/tickets", json={**TICKET, "opened_at": "2026-11-20T07:30Z"}, headers=ADMIN)
    assert made.status_code == 201 and made.json()["opened_at"] == "2026-11-20T09:30"
    event = client.get("/tickets/K-NEW", headers=ADMIN).json()["history"][0]
    assert out_pattern.match(event["at"]), event
    key = client.get("/keys", headers=ADMIN).json()[0]
    assert out_pattern.match(key["created_at"]), key


def test_numbers_the_database_or_solver_cannot_hold_are_a_422_not_a_500(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=with_base_directorates(tiny), headers=ADMIN).status_code == 200
    huge = client.post("/plans", json={"seed": 94543618388118650880}, headers=ADMIN)
    assert huge.status_code == 422 and huge.json()["errors"][0]["field"] == "body.seed"
    as_json = {**ADMIN, "content-type": "application/json"}
    for path, body, field in [
        ("/technicians/T1", '{"cost_per_km": Infinity}', "body.cost_per_km"),
        ("/technicians/T1", '{"max_km_per_day": NaN}', "body.max_km_per_day"),
        ("/schools/S1", '{"lat": NaN}', "body.lat"),
    ]:
        response = client.patch(path, content=body, headers=as_json)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["errors"][0]["field"] == field
    assert client.get("/technicians/T1", headers=ADMIN).json()["cost_per_km"] is None


def test_a_huge_offset_is_a_422_not_a_500(client: TestClient) -> None:
    for path in ("/schools", "/tickets", "/technicians", "/bases", "/plans"):
        response = client.get(path, params={"offset": 10**19}, headers=ADMIN)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["errors"][0]["field"] == "query.offset"
        assert client.get(path, params={"offset": 1_000_000}, headers=ADMIN).json() == []


def test_database_races_are_409_and_503_problems_and_the_session_is_rolled_back(database_url: str) -> None:
    app = create_app(make_settings(database_url))

    @app.post("/twice")
    def twice(session: SessionDep) -> dict[str, Any]:
        """Two inserts of one id, as two concurrent creates end up doing."""
        session.add(RegionRow(region_id="dup", name="Δ.Π.Ε. Διπλή", area=""))
        session.flush()
        session.add(RegionRow(region_id="dup", name="Δ.Π.Ε. Διπλή 2", area=""))
        session.commit()
        return {}

    @app.post("/locked")
    def locked() -> dict[str, Any]:
        raise OperationalError("UPDATE plans ...", {}, sqlite3.OperationalError("database is locked"))

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/twice")
        assert response.status_code == 409 and response.headers["content-type"].startswith(PROBLEM_JSON)
        body = response.json()
        assert "already exists" in body["detail"] and "retry" in body["detail"]
        assert "INSERT" not in response.text and "UNIQUE" not in response.text.upper()
        # the failed transaction left nothing behind and holds no lock
        assert client.get("/regions", headers=ADMIN).json() == []
        assert client.post("/regions", json={"name": "Δ.Π.Ε. Διπλή"}, headers=ADMIN).status_code == 201

        busy = client.post("/locked")
        assert busy.status_code == 503 and busy.headers["Retry-After"].isdigit()
        assert busy.headers["content-type"].startswith(PROBLEM_JSON)
        assert "UPDATE" not in busy.text
