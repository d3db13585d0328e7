"""The dispatch board: a static page (plain ES modules, no build step) under ``/board/``.

The page talks to the public API only, with the key the user signs in with; every asset
it loads (Leaflet, the offline base map) is shipped in ``api/board/static``.  ``/``
redirects to it.

Its one HTML document carries its own Content-Security-Policy: the service's own one
plus OpenStreetMap's tile server as an image source, for the online base map a user may
switch on (the page starts on the shipped offline base map and requests nothing else).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

BOARD_STATIC = Path(__file__).resolve().parent.parent / "board" / "static"
BOARD_URL = "/board"
#: the only place outside the service the page may load from, and only when a user asks.
OSM_TILES = "https://tile.openstreetmap.org"


def board_policy(service_policy: str) -> str:
    """The service's CSP with OSM's tiles added to ``img-src``."""
    parts = []
    for part in service_policy.split("; "):
        if part.startswith("img-src "):
            part = f"{part} {OSM_TILES}"
        parts.append(part)
    return "; ".join(parts)


def mount_board(app: FastAPI, service_policy: str) -> None:
    """``/`` and ``/board`` redirect to ``/board/``; ``/board/`` is the page; its assets beside it."""
    page = BOARD_STATIC / "index.html"
    headers = {"Content-Security-Policy": board_policy(service_policy), "Cache-Control": "no-cache"}

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(f"{BOARD_URL}/", status_code=307)

    @app.get(BOARD_URL, include_in_schema=False)
    def board_bare() -> RedirectResponse:
        return RedirectResponse(f"{BOARD_URL}/", status_code=307)

    @app.get(f"{BOARD_URL}/", include_in_schema=False)
    def board_page() -> FileResponse:
        return FileResponse(page, media_type="text/html; charset=utf-8", headers=headers)

    app.mount(BOARD_URL, StaticFiles(directory=BOARD_STATIC), name="board")
