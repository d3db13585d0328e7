"""Travel: distances, the travel network and travel-time matrices (never solves)."""

from .distance import geodesic_km, haversine_km, haversine_km_matrix
from .travel import UNREACHABLE_M, UNREACHABLE_S, Place, RoadEstimateModel, TravelMatrices, TravelModel

__all__ = [
    "UNREACHABLE_M",
    "UNREACHABLE_S",
    "Place",
    "RoadEstimateModel",
    "TravelMatrices",
    "TravelModel",
    "geodesic_km",
    "haversine_km",
    "haversine_km_matrix",
]
