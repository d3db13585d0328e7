"""Travel: distances, the travel network and travel-time matrices (never solves)."""

from __future__ import annotations

# This folder installs as ``dromologio.geo`` (see docs/architecture.md, "Folders and packaging"):
# imported under its folder name it would be a second copy of every class in it.
if __name__ != "dromologio.geo":
    raise ImportError(f"import dromologio.geo, not {__name__}: this folder is the package dromologio.geo")


from importlib import import_module
from typing import TYPE_CHECKING, Any

from .distance import geodesic_km, haversine_km, haversine_km_matrix
from .travel import UNREACHABLE_M, UNREACHABLE_S, Place, RoadEstimateModel, TravelMatrices, TravelModel

if TYPE_CHECKING:
    from .cache import CachedTravelModel, cache_key, default_cache_dir
    from .closures import PROFILES, Closure, closed_on, read_closures
    from .known import KnownTimesModel, travel_model_for
    from .network import NetworkTravelModel, TravelNetwork
    from .roads import SettlementRoadModel
    from .servers import OsrmTableModel, RoutingServerError, ValhallaMatrixModel

# Imported on first use: the network and the road model need scipy, which most callers of this
# package do not.
_LAZY = {
    "CachedTravelModel": "cache",
    "cache_key": "cache",
    "default_cache_dir": "cache",
    "PROFILES": "closures",
    "Closure": "closures",
    "closed_on": "closures",
    "read_closures": "closures",
    "NetworkTravelModel": "network",
    "TravelNetwork": "network",
    "SettlementRoadModel": "roads",
    "KnownTimesModel": "known",
    "travel_model_for": "known",
    "OsrmTableModel": "servers",
    "ValhallaMatrixModel": "servers",
    "RoutingServerError": "servers",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)


__all__ = [
    "PROFILES",
    "UNREACHABLE_M",
    "UNREACHABLE_S",
    "CachedTravelModel",
    "Closure",
    "KnownTimesModel",
    "NetworkTravelModel",
    "OsrmTableModel",
    "Place",
    "RoadEstimateModel",
    "RoutingServerError",
    "SettlementRoadModel",
    "TravelMatrices",
    "TravelModel",
    "TravelNetwork",
    "ValhallaMatrixModel",
    "cache_key",
    "closed_on",
    "default_cache_dir",
    "geodesic_km",
    "haversine_km",
    "haversine_km_matrix",
    "read_closures",
    "travel_model_for",
]
