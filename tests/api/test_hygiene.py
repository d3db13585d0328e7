"""Service hygiene: offline docs, security headers, the wrong-key limit, keys printed once,
no server paths in errors, and 413 for streamed bodies."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dromologio.api import server
from dromologio.api.main import Bootstrap, create_app

from .conftest import ADMIN, make_settings

PROBLEM_JSON = "application/problem+json"
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'dromologio.db'}"


@pytest.fixture
def app_client(sqlite_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(sqlite_url)), raise_server_exceptions=False) as client:
        yield client


def _references(html: str) -> list[str]:
    return re.findall(r"""(?:src|href|spec-url|url)\s*[=:]\s*["']([^"']+)["']""", html)


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_use_only_assets_served_here(app_client: TestClient, page: str) -> None:
    response = app_client.get(page)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "http://" not in html and "https://" not in html
    references = _references(html)
    assert "/openapi.json" in references
    assets = [r for r in references if r.startswith("/static/")]
    assert assets, references
    for asset in assets:
        served = app_client.get(asset)
        assert served.status_code == 200, asset
        assert len(served.content) > 500, asset
    kinds = {app_client.get(a).headers["content-type"].split(";")[0] for a in assets}
    assert "text/javascript" in kinds or "application/javascript" in kinds
    assert app_client.get("/static/nothing.js").status_code == 404


def test_the_content_security_policy_lets_the_swagger_page_run_its_one_inline_script(
    app_client: TestClient,
) -> None:
    page = app_client.get("/docs")
    policy = dict(
        [*part.split(" ", 1), ""][:2]
        for part in (p.strip() for p in page.headers["content-security-policy"].split(";"))
    )
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    scripts = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    assert len(scripts) == 1 and "SwaggerUIBundle" in scripts[0]
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy["script-src"].split()
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    # the script it runs is the vendored bundle's, and the page's element is there to render into
    assert 'id="swagger-ui"' in page.text
    bundle = app_client.get("/static/swagger-ui/swagger-ui-bundle.js").text
    assert "SwaggerUIBundle" in bundle and "presets={base,apis" in bundle
    assert "<redoc spec-url" in app_client.get("/redoc").text


def test_every_response_carries_the_security_headers(sqlite_url: str) -> None:
    app = create_app(make_settings(sqlite_url, max_upload_bytes=1000))

    @app.get("/explode")
    def explode() -> dict[str, Any]:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as client:
        answers = {
            "ok": client.get("/health"),
            "json": client.get("/schools", headers=ADMIN),
            "401": client.get("/schools"),
            "404": client.get("/nowhere"),
            "422": client.get("/schools?limit=0", headers=ADMIN),
            "413": client.post("/import", content=b"x" * 2000, headers=ADMIN),
            "500": client.get("/explode"),
            "docs": client.get("/docs"),
            "asset": client.get("/static/swagger-ui/swagger-ui.css"),
            "schema": client.get("/openapi.json"),
        }
    assert answers["500"].status_code == 500 and answers["413"].status_code == 413
    for name, response in answers.items():
        for header, value in SECURITY_HEADERS.items():
            assert response.headers.get(header) == value, (name, header)
        assert "default-src 'self'" in response.headers["content-security-policy"], name


def test_wrong_keys_from_one_address_are_limited_with_429(sqlite_url: str) -> None:
    settings = make_settings(sqlite_url, auth_failure_limit=3, auth_failure_window_s=60)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get("/me", headers=ADMIN).status_code == 200
        for _ in range(3):
            assert client.get("/schools", headers={"X-API-Key": "guess"}).status_code == 401
        limited = client.get("/schools", headers={"Authorization": "Bearer guess"})
        assert limited.status_code == 429 and limited.headers["content-type"].startswith(PROBLEM_JSON)
        assert 0 < int(limited.headers["Retry-After"]) <= 60
        # while limited, no key is tried from this address, not even the right one
        assert client.get("/me", headers=ADMIN).status_code == 429
        # requests without a key are not attempts: they answer as usual
        assert client.get("/health").status_code == 200
        assert client.get("/schools").status_code == 401
        # another address is not limited
        other = TestClient(client.app, client=("192.0.2.7", 50000), raise_server_exceptions=False)
        assert other.get("/me", headers=ADMIN).status_code == 200


def test_the_wrong_key_window_passes(sqlite_url: str) -> None:
    settings = make_settings(sqlite_url, auth_failure_limit=2, auth_failure_window_s=0.5)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        for _ in range(2):
            assert client.get("/me", headers={"X-API-Key": "guess"}).status_code == 401
        assert client.get("/me", headers=ADMIN).status_code == 429
        import time

        time.sleep(0.6)
        assert client.get("/me", headers=ADMIN).status_code == 200


def test_serve_prints_the_generated_keys_only_at_the_first_start(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_: served.append(app))
    monkeypatch.delenv("DROMOLOGIO_API_KEY", raising=False)
    server.serve("127.0.0.1", 8765, sqlite_url, seed_sample=True)
    first = capsys.readouterr().err
    keys = re.findall(r"drm_[A-Za-z0-9_-]{20,}", first)
    assert len(set(keys)) == 2, first
    assert "Admin key" in first and "Demo dispatcher key" in first

    server.serve("127.0.0.1", 8765, sqlite_url, seed_sample=True)
    second = capsys.readouterr().err
    assert not re.findall(r"drm_[A-Za-z0-9_-]{20,}", second), second
    assert "2 API key(s) exist already" in second
    assert "curl -X POST http://127.0.0.1:8765/keys" in second
    assert len(served) == 2
    with TestClient(served[1], raise_server_exceptions=False) as client:
        for key in set(keys):
            assert client.get("/me", headers={"X-API-Key": key}).status_code == 200


def test_serve_does_not_print_the_database_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    from dromologio.api import server as module

    monkeypatch.setattr(uvicorn, "run", lambda app, **_: None)
    monkeypatch.setattr(module, "make_engine", lambda url: _NoEngine())
    monkeypatch.setattr(module, "migrate", lambda engine: None)
    monkeypatch.setattr(module, "bootstrap", lambda *a, **k: Bootstrap())
    module.serve("127.0.0.1", 8765, "postgresql://me:s3cret-pw@127.0.0.1/dromologio", seed_sample=False)
    printed = capsys.readouterr().err
    assert "s3cret-pw" not in printed and "postgresql+psycopg://me:***@127.0.0.1/dromologio" in printed


class _NoEngine:
    def dispose(self) -> None:
        pass


def _no_paths(issues: list[dict[str, Any]]) -> None:
    for issue in issues:
        for text in (issue["file"], issue["message"], issue["fix"]):
            assert not re.search(r"(^|\s)/\S+/", text) and os.sep + "tmp" not in text, issue


def test_import_errors_name_files_without_server_paths(app_client: TestClient) -> None:
    response = app_client.post(
        "/import/file",
        files=[("files", ("tickets.csv", b"ticket_id,school_id\nK1,S1\n", "text/csv"))],
        headers=ADMIN,
    )
    assert response.status_code == 422 and response.headers["content-type"].startswith(PROBLEM_JSON)
    assert "/tmp" not in response.text and "dromologio-import-" not in response.text
    issues = response.json()["issues"]
    assert "tickets.csv" in {i["file"] for i in issues}
    _no_paths(issues)


def test_a_reader_error_naming_a_temporary_folder_is_shown_without_it(
    sqlite_url: str, tmp_path: Path
) -> None:
    """The readers name the folder they read; the service answers with file names only."""
    from dromologio.models.readers import read_problem

    upload = Path(tempfile.mkdtemp(prefix="dromologio-import-"))
    (upload / "tickets.csv").write_text("ticket_id,school_id\nK1,S1\n", encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    app = create_app(make_settings(sqlite_url))

    @app.post("/read/{which}")
    def read(which: str) -> dict[str, Any]:
        read_problem(upload if which == "upload" else nested)
        return {}

    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            for which in ("upload", "nested"):
                response = client.post(f"/read/{which}")
                assert response.status_code == 422
                assert str(upload) not in response.text and str(tmp_path) not in response.text
                _no_paths(response.json()["issues"])
            messages = {i["file"]: i["message"] for i in client.post("/read/upload").json()["issues"]}
            assert messages["schools.csv"] == "schools.csv is missing from the upload"
            nested_messages = {i["file"]: i["message"] for i in client.post("/read/nested").json()["issues"]}
            assert nested_messages["schools.csv"] == "schools.csv is missing from the folder b"
    finally:
        shutil.rmtree(upload)


def test_a_streamed_body_over_the_limit_is_a_413(sqlite_url: str) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(64):
            yield b"x" * 1024

    with TestClient(
        create_app(make_settings(sqlite_url, max_upload_bytes=16 * 1024)), raise_server_exceptions=False
    ) as client:
        for path in ("/import", "/tickets"):
            response = client.post(
                path, content=chunks(), headers={**ADMIN, "content-type": "application/json"}
            )
            assert response.status_code == 413, (path, response.text)
            assert response.headers["content-type"].startswith(PROBLEM_JSON)
        upload = client.post(
            "/import/file",
            content=chunks(),
            headers={**ADMIN, "content-type": "multipart/form-data; boundary=xyz"},
        )
        assert upload.status_code == 413, upload.text
        # under the limit, a streamed body is read as usual
        small = client.post(
            "/regions",
            content=iter([b'{"name": ', b'"\xce\x94.\xce\xa0.\xce\x95. \xce\xa7"}']),
            headers={**ADMIN, "content-type": "application/json"},
        )
        assert small.status_code == 201, small.text
