"""Travel matrices from a routing server you run yourself: OSRM or Valhalla.

The embedded road model (:mod:`.roads`) is the default and works offline.  A
dispatch centre that runs its own routing server on an OpenStreetMap extract of
Greece can plan with real roads instead: set ``DROMOLOGIO_ROUTING`` to
``osrm:URL`` or ``valhalla:URL`` (:func:`server_model`), or pass a model to
``solve(..., travel=...)``.  Known travel times and ``access_min`` still apply
(:mod:`.known`).  Nothing is sent but coordinates.

Both clients are :class:`~dromologio.geo.travel.TravelModel` s: places on
different islands are unreachable (ferries are timetabled nodes of the
dispatcher, never a road), each island's places go to the server as one matrix
request (in blocks of at most ``max_locations`` coordinates), times are rounded
up to whole minutes, and no trip is faster than the straight line at
:data:`~dromologio.geo.roads.MAX_STRAIGHT_KMH` or shorter than the straight line
(the plan checker's rules).  A pair the server cannot route is unreachable.  A
server that does not answer, or answers an error, raises
:class:`RoutingServerError`: plans are never made with half a matrix.

HTTP contract
-------------

OSRM (``osrm-routed``, `Table service`_)::

    GET {url}/table/v1/{profile}/{lon},{lat};{lon},{lat};...?annotations=duration,distance
    GET {url}/table/v1/{profile}/{lon},{lat};...?sources=0;1&destinations=2;3&annotations=duration,distance
    200 {"code": "Ok", "durations": [[s, ...], ...], "distances": [[m, ...], ...]}

``durations`` in seconds and ``distances`` in metres, one row per source, one
column per destination, ``null`` where there is no route; any other ``code``
is an error (its ``message`` is reported).  ``profile`` defaults to
``driving``; the server's ``--max-table-size`` (100 by default) bounds
``max_locations``.

Valhalla (`Matrix service`_)::

    POST {url}/sources_to_targets
    {"sources": [{"lat": .., "lon": ..}, ...], "targets": [...], "costing": "auto", "units": "kilometers"}
    200 {"sources_to_targets": [[{"from_index": 0, "to_index": 0, "time": s, "distance": km}, ...], ...],
         "units": "kilometers"}

``time`` in seconds, ``distance`` in km, ``null`` where there is no route; an
error answers with ``error`` (and ``error_code``) instead.

.. _Table service: https://project-osrm.org/docs/v5.24.0/api/#table-service
.. _Matrix service: https://valhalla.github.io/valhalla/api/matrix/api-reference/
"""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from .roads import MAX_STRAIGHT_KMH, _haversine_km
from .travel import UNREACHABLE_M, UNREACHABLE_S, Place, TravelMatrices

FloatArray = npt.NDArray[np.float64]
#: ``fetch(url, body, timeout_s)``: GET when ``body`` is None, else POST of that JSON; the JSON answer.
Fetch = Callable[[str, Any, float], Any]


class RoutingServerError(RuntimeError):
    """The routing server did not give a matrix; the message says which server and why."""


def http_json(url: str, body: Any, timeout_s: float) -> Any:
    """GET ``url`` (or POST ``body`` as JSON) and decode the JSON answer, error answers included."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=data,
        headers={"Accept": "application/json", **({"Content-Type": "application/json"} if data else {})},
        method="GET" if data is None else "POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        text = error.read().decode("utf-8", "replace")
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise RoutingServerError(f"{url}: HTTP {error.code} {text[:200]}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise RoutingServerError(f"{url}: no answer ({error})") from error
    except json.JSONDecodeError as error:
        raise RoutingServerError(f"{url}: the answer is not JSON ({error})") from error


def _blocks(n: int, size: int) -> list[range]:
    return [range(start, min(n, start + size)) for start in range(0, n, size)]


@dataclass(frozen=True)
class _ServerModel:
    """What both clients share: islands, blocks, rounding and floors."""

    cache_version: ClassVar[int] = 1

    url: str
    timeout_s: float = 30.0
    max_locations: int = 100
    fetch: Fetch = field(default=http_json, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise ValueError(f"a routing server URL starts with http:// or https://, not '{self.url}'")
        object.__setattr__(self, "url", self.url.rstrip("/"))
        if self.max_locations < 2:
            raise ValueError("max_locations must be at least 2")

    def cache_fingerprint(self) -> str:
        fields = {k: v for k, v in vars(self).items() if k != "fetch"}
        return json.dumps(fields, sort_keys=True)

    def _block(
        self, sources: Sequence[Place], targets: Sequence[Place]
    ) -> tuple[FloatArray, FloatArray]:  # pragma: no cover - each client's own
        raise NotImplementedError

    def matrices(self, places: Sequence[Place]) -> TravelMatrices:
        n = len(places)
        seconds = np.full((n, n), np.inf)
        metres = np.full((n, n), np.inf)
        groups: dict[str, list[int]] = {}
        for i, place in enumerate(places):
            groups.setdefault(place.island, []).append(i)
        side = max(1, self.max_locations // 2)
        for members in groups.values():
            if len(members) < 2:
                continue
            for rows in _blocks(len(members), side):
                for cols in _blocks(len(members), side):
                    r = [members[k] for k in rows]
                    c = [members[k] for k in cols]
                    sources = [places[i] for i in r]
                    # a block on the diagonal asks its places once, as sources and destinations
                    targets = sources if rows == cols else [places[j] for j in c]
                    time, length = self._block(sources, targets)
                    seconds[np.ix_(r, c)] = time
                    metres[np.ix_(r, c)] = length
        return _finish(places, seconds, metres)


def _finish(places: Sequence[Place], seconds: FloatArray, metres: FloatArray) -> TravelMatrices:
    """Whole minutes, the straight-line floors, unreachable pairs, a zero diagonal."""
    n = len(places)
    if n == 0:
        empty = np.zeros((0, 0), dtype=np.int64)
        return TravelMatrices(empty, empty.copy())
    lat = np.array([p.lat for p in places])
    lon = np.array([p.lon for p in places])
    straight_km = _haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    routed = np.isfinite(seconds) & np.isfinite(metres)
    minutes = np.ceil(np.maximum(seconds, straight_km / MAX_STRAIGHT_KMH * 3600.0) / 60.0 - 1e-9)
    duration = np.where(routed, minutes * 60.0, float(UNREACHABLE_S))
    distance = np.where(routed, np.rint(np.maximum(metres, straight_km * 1000.0)), float(UNREACHABLE_M))
    duration = np.minimum(duration, float(UNREACHABLE_S)).astype(np.int64)
    distance = np.minimum(distance, float(UNREACHABLE_M)).astype(np.int64)
    np.fill_diagonal(duration, 0)
    np.fill_diagonal(distance, 0)
    return TravelMatrices(distance, duration)


def _number(value: Any) -> float:
    """A JSON number of the answer; ``null`` (no route) is infinite."""
    if value is None:
        return math.inf
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{value!r} is not a number")
    return float(value)


@dataclass(frozen=True)
class OsrmTableModel(_ServerModel):
    """Matrices from an OSRM server's Table service (see the module docs for the HTTP contract)."""

    profile: str = "driving"

    def _block(self, sources: Sequence[Place], targets: Sequence[Place]) -> tuple[FloatArray, FloatArray]:
        points = list(sources) if targets is sources else [*sources, *targets]
        coordinates = ";".join(f"{p.lon:.6f},{p.lat:.6f}" for p in points)
        query = "annotations=duration,distance"
        if targets is not sources:
            query = (
                f"sources={';'.join(str(i) for i in range(len(sources)))}"
                f"&destinations={';'.join(str(len(sources) + j) for j in range(len(targets)))}&{query}"
            )
        url = f"{self.url}/table/v1/{self.profile}/{coordinates}?{query}"
        answer = self.fetch(url, None, self.timeout_s)
        if not isinstance(answer, dict) or answer.get("code") != "Ok":
            code = answer.get("code") if isinstance(answer, dict) else None
            message = answer.get("message", "") if isinstance(answer, dict) else str(answer)[:200]
            raise RoutingServerError(f"OSRM at {self.url}: {code or 'no code'}: {message}".rstrip(": "))
        try:
            seconds = np.array([[_number(v) for v in row] for row in answer["durations"]], dtype=np.float64)
            metres = np.array([[_number(v) for v in row] for row in answer["distances"]], dtype=np.float64)
        except (KeyError, TypeError) as error:
            raise RoutingServerError(
                f"OSRM at {self.url}: the answer lacks durations and distances ({error}); "
                "is the server older than 5.19 (annotations=duration,distance)?"
            ) from error
        shape = (len(sources), len(targets))
        if seconds.shape != shape or metres.shape != shape:
            raise RoutingServerError(f"OSRM at {self.url}: a {seconds.shape} table for {shape} places")
        return seconds, metres


@dataclass(frozen=True)
class ValhallaMatrixModel(_ServerModel):
    """Matrices from a Valhalla server's Matrix service (see the module docs for the HTTP contract)."""

    costing: str = "auto"

    def _block(self, sources: Sequence[Place], targets: Sequence[Place]) -> tuple[FloatArray, FloatArray]:
        body = {
            "sources": [{"lat": p.lat, "lon": p.lon} for p in sources],
            "targets": [{"lat": p.lat, "lon": p.lon} for p in targets],
            "costing": self.costing,
            "units": "kilometers",
        }
        url = f"{self.url}/sources_to_targets"
        answer = self.fetch(url, body, self.timeout_s)
        if not isinstance(answer, dict) or "sources_to_targets" not in answer:
            error = (
                answer.get("error", "no matrix in the answer") if isinstance(answer, dict) else str(answer)
            )
            code = answer.get("error_code") if isinstance(answer, dict) else None
            raise RoutingServerError(f"Valhalla at {self.url}: {error}" + (f" (code {code})" if code else ""))
        seconds = np.full((len(sources), len(targets)), np.inf)
        metres = np.full((len(sources), len(targets)), np.inf)
        per_km = {"kilometers": 1000.0, "miles": 1609.344}.get(str(answer.get("units", "kilometers")))
        if per_km is None:
            raise RoutingServerError(f"Valhalla at {self.url}: unknown units {answer.get('units')!r}")
        try:
            for i, row in enumerate(answer["sources_to_targets"]):
                for j, cell in enumerate(row):
                    seconds[i, j] = _number(cell.get("time"))
                    metres[i, j] = _number(cell.get("distance")) * per_km
        except (AttributeError, IndexError, TypeError) as error:
            raise RoutingServerError(
                f"Valhalla at {self.url}: a matrix of another shape ({error})"
            ) from error
        return seconds, metres


def server_model(spec: str, **options: Any) -> OsrmTableModel | ValhallaMatrixModel:
    """The client a spec names: ``osrm:http://host:5000`` or ``valhalla:http://host:8002``."""
    kind, _, url = spec.strip().partition(":")
    kind = kind.lower()
    if kind == "osrm":
        return OsrmTableModel(url.strip(), **options)
    if kind == "valhalla":
        return ValhallaMatrixModel(url.strip(), **options)
    raise ValueError(
        f"routing server '{spec}': write osrm:URL or valhalla:URL, e.g. osrm:http://127.0.0.1:5000"
    )
