"""A route's time split the way a route sheet shows it: on board a ferry apart from driving."""

from __future__ import annotations

from dromologio.models import Route

__all__ = ["driving_minutes", "ferry_minutes"]


def ferry_minutes(route: Route) -> int:
    """Minutes on board: from each sailing's departure to its arrival."""
    total_s = 0.0
    for stop in route.stops:
        if stop.type == "ferry" and stop.depart is not None and stop.arrive is not None:
            total_s += (stop.arrive - stop.depart).total_seconds()
    return int(total_s // 60)


def driving_minutes(route: Route) -> int:
    """Minutes on the road: the route's travel time less the time on board."""
    return max(0, route.travel_minutes - ferry_minutes(route))
