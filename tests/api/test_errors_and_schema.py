"""Problem details for every error, no trace ever, keys, the OpenAPI page, and the migrations."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from dromologio.api.db import make_engine, migrate
from dromologio.api.main import create_app
from dromologio.api.tables import Table

from .conftest import ADMIN, make_settings

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
    assert client.get("/docs").status_code == 200
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


def test_a_first_start_seeds_the_sample_and_makes_working_keys(database_url: str) -> None:
    from dromologio.api.db import make_sessionmaker
    from dromologio.api.main import bootstrap

    settings = make_settings(database_url, api_key=None, seed_sample=True)
    engine = make_engine(settings.database_url)
    migrate(engine)
    first = bootstrap(make_sessionmaker(engine), settings, generate_admin=True, demo_key=True)
    second = bootstrap(make_sessionmaker(engine), settings, generate_admin=True, demo_key=True)
    engine.dispose()
    assert first.sample_imported and not second.sample_imported
    assert first.admin_key and first.demo_key and second.admin_key and second.demo_key
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get("/me", headers={"X-API-Key": first.admin_key}).status_code == 401  # replaced
        assert client.get("/me", headers={"X-API-Key": second.admin_key}).json()["role"] == "admin"
        demo = {"X-API-Key": second.demo_key}
        assert client.get("/me", headers=demo).json()["role"] == "dispatcher"
        assert len(client.get("/schools", headers=demo).json()) == 220
