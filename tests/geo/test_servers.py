"""OSRM and Valhalla clients, on stored answers (``tests/geo/data``) and a loopback HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import numpy as np
import pytest

from dromologio.geo import UNREACHABLE_S, Place
from dromologio.geo.servers import (
    OsrmTableModel,
    RoutingServerError,
    ValhallaMatrixModel,
    server_model,
)

DATA = Path(__file__).parent / "data"
IOANNINA = Place(39.664341, 20.850914)
MONODENDRI = Place(39.8801, 20.746014, terrain="mountainous")
NOWHERE = Place(39.9, 20.9)
SYROS = Place(37.441223, 24.940065, "Σύρος")


def answer(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


class Recorder:
    """A fetch that answers from a file and keeps what it was asked."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.calls: list[tuple[str, Any]] = []

    def __call__(self, url: str, body: Any, timeout_s: float) -> Any:
        self.calls.append((url, body))
        return answer(self.name)


def test_osrm_table_request_and_matrices() -> None:
    fetch = Recorder("osrm_table.json")
    model = OsrmTableModel("http://127.0.0.1:5000/", fetch=fetch)
    found = model.matrices([IOANNINA, MONODENDRI, NOWHERE])
    ((url, body),) = fetch.calls
    assert body is None
    path, query = url.split("?")
    assert path == (
        "http://127.0.0.1:5000/table/v1/driving/20.850914,39.664341;20.746014,39.880100;20.900000,39.900000"
    )
    assert parse_qs(query) == {"annotations": ["duration,distance"]}
    assert found.duration_s[0, 1] == 46 * 60  # 2712.4 s, rounded up to whole minutes
    assert found.duration_s[1, 0] == 45 * 60
    assert found.distance_m[0, 1] == 38_913
    assert found.duration_s[0, 2] == UNREACHABLE_S  # null: no route
    assert np.all(np.diag(found.duration_s) == 0)


def test_valhalla_matrix_request_and_matrices() -> None:
    fetch = Recorder("valhalla_matrix.json")
    model = ValhallaMatrixModel("http://127.0.0.1:8002", fetch=fetch)
    found = model.matrices([IOANNINA, MONODENDRI, NOWHERE])
    ((url, body),) = fetch.calls
    assert url == "http://127.0.0.1:8002/sources_to_targets"
    assert body["costing"] == "auto" and body["units"] == "kilometers"
    assert body["sources"][1] == {"lat": 39.8801, "lon": 20.746014}
    assert found.duration_s[0, 1] == 46 * 60  # 2712 s
    assert found.distance_m[1, 0] == 38_840  # km in the answer
    assert not found.reachable(2, 0)


def test_each_island_is_its_own_request_and_water_is_unreachable() -> None:
    fetch = Recorder("osrm_table.json")
    found = OsrmTableModel("http://127.0.0.1:5000", fetch=fetch).matrices([IOANNINA, SYROS])
    assert fetch.calls == []  # one place per island: nothing to ask
    assert not found.reachable(0, 1)


def test_large_islands_are_asked_in_blocks() -> None:
    calls: list[str] = []

    def fetch(url: str, body: Any, timeout_s: float) -> Any:
        calls.append(url)
        path, query = url.split("?")
        asked = parse_qs(query)
        if "sources" in asked:
            rows, cols = len(asked["sources"][0].split(";")), len(asked["destinations"][0].split(";"))
        else:
            rows = cols = len(path.rsplit("/", 1)[1].split(";"))
        return {"code": "Ok", "durations": [[600.0] * cols] * rows, "distances": [[9000.0] * cols] * rows}

    places = [Place(39.6 + i * 0.01, 20.8) for i in range(7)]
    found = OsrmTableModel("http://127.0.0.1:5000", max_locations=6, fetch=fetch).matrices(places)
    assert len(calls) == 9  # blocks of 3 sources × 3 destinations (3 on the diagonal, asked once)
    assert sum("sources=" in url for url in calls) == 6
    off = ~np.eye(7, dtype=bool)
    assert np.all(found.duration_s[off] >= 600)


def test_server_answers_are_floored_by_the_straight_line() -> None:
    def fetch(url: str, body: Any, timeout_s: float) -> Any:
        return {"code": "Ok", "durations": [[0, 1], [1, 0]], "distances": [[0, 5], [5, 0]]}

    found = OsrmTableModel("http://127.0.0.1:5000", fetch=fetch).matrices([IOANNINA, MONODENDRI])
    assert found.duration_s[0, 1] >= 13 * 60  # 25 km straight at 110 km/h
    assert found.distance_m[0, 1] >= 25_000


@pytest.mark.parametrize(
    ("model", "name", "match"),
    [
        (OsrmTableModel, "osrm_error.json", "TooBig: Too many table coordinates"),
        (ValhallaMatrixModel, "valhalla_error.json", "max distance limit.*code 154"),
    ],
)
def test_error_answers_raise(
    model: type[OsrmTableModel | ValhallaMatrixModel], name: str, match: str
) -> None:
    with pytest.raises(RoutingServerError, match=match):
        model("http://127.0.0.1:1", fetch=Recorder(name)).matrices([IOANNINA, MONODENDRI])


def test_specs_name_the_client() -> None:
    assert isinstance(server_model("osrm:http://127.0.0.1:5000"), OsrmTableModel)
    assert isinstance(server_model("valhalla:https://routing.example.org"), ValhallaMatrixModel)
    with pytest.raises(ValueError, match="osrm:URL or valhalla:URL"):
        server_model("graphhopper:http://127.0.0.1:8989")
    with pytest.raises(ValueError, match="http"):
        server_model("osrm:127.0.0.1:5000")


# ------------------------------------------------------------------ over HTTP, on loopback


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if "/table/v1/driving/" in self.path:
            self._send(200, answer("osrm_table.json"))
        else:
            self._send(400, answer("osrm_error.json"))

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert body["costing"] == "auto"
        self._send(200, answer("valhalla_matrix.json"))

    def _send(self, status: int, document: Any) -> None:
        data = json.dumps(document).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_both_clients_over_http(server: str) -> None:
    places = [IOANNINA, MONODENDRI, NOWHERE]
    osrm = OsrmTableModel(server).matrices(places)
    valhalla = ValhallaMatrixModel(server).matrices(places)
    assert osrm.duration_s[0, 1] == valhalla.duration_s[0, 1] == 46 * 60


def test_an_http_error_answer_is_reported(server: str) -> None:
    with pytest.raises(RoutingServerError, match="TooBig"):
        OsrmTableModel(server, profile="cycling").matrices([IOANNINA, MONODENDRI])


def test_a_server_that_does_not_answer_is_reported() -> None:
    httpd = HTTPServer(("127.0.0.1", 0), _Handler)
    port = httpd.server_address[1]
    httpd.server_close()  # nothing listens there any more
    with pytest.raises(RoutingServerError, match="no answer"):
        OsrmTableModel(f"http://127.0.0.1:{port}", timeout_s=2.0).matrices([IOANNINA, MONODENDRI])
