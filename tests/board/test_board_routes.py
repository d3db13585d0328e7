"""The board's page and assets as the service serves them (no browser needed)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from dromologio.api.main import create_app
from dromologio.api.routes.board import BOARD_STATIC, OSM_TILES
from dromologio.api.settings import Settings


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'd.db'}", api_key=SecretStr("k"), solver_workers=1
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_root_and_bare_path_redirect_to_the_board(client: TestClient) -> None:
    for path in ("/", "/board"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 307
        assert response.headers["location"] == "/board/"


def test_the_page_and_its_assets_are_served_without_a_key(client: TestClient) -> None:
    page = client.get("/board/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="js/app.js">' in page.text
    for asset in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        assert client.get(f"/board/{asset}").status_code == 200, asset
    for module in (BOARD_STATIC / "js").glob("*.js"):
        response = client.get(f"/board/js/{module.name}")
        assert response.status_code == 200
        assert "javascript" in response.headers["content-type"]
    assert client.get("/board/basemap.geojson").json()["type"] == "FeatureCollection"


def test_the_page_policy_is_the_service_policy_plus_osm_tiles_only(client: TestClient) -> None:
    service = client.get("/health").headers["content-security-policy"]
    board = client.get("/board/").headers["content-security-policy"]
    assert board == service.replace("img-src 'self' data:", f"img-src 'self' data: {OSM_TILES}")
    assert "script-src 'self'" in board
    assert "unsafe-inline" not in board.split("script-src")[1].split(";")[0]
    # Assets keep the service's own policy.
    assert client.get("/board/js/app.js").headers["content-security-policy"] == service


def test_no_asset_names_a_host_but_the_osm_tile_server() -> None:
    """Nothing shipped loads from elsewhere: the only URLs are OSM's tiles (opt-in) and credit links."""
    allowed = {
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://www.openstreetmap.org/copyright",
        "http://www.w3.org/2000/svg",
    }
    for path in [*BOARD_STATIC.glob("*.*"), *(BOARD_STATIC / "js").glob("*.js")]:
        if path.suffix not in {".html", ".css", ".js"}:
            continue
        urls = set(re.findall(r"https?://[^\s'\"`)<>]+", path.read_text(encoding="utf-8")))
        assert urls <= allowed, (path.name, urls - allowed)
