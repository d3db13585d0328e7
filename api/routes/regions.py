"""Regions: the Directorates of Education that keys are scoped by."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from sqlalchemy import ColumnElement, select, true

from .. import convert
from ..auth import Principal
from ..errors import PROBLEM_RESPONSES, ApiError
from ..schemas import REGION_MODELS
from ..specs import REGION
from ..tables import RegionRow, SchoolRow
from .resource import Resource, Route, Write, add_routes, count

router = APIRouter(prefix="/regions", tags=["regions"], responses=PROBLEM_RESPONSES)


def _visible(principal: Principal) -> ColumnElement[bool]:
    return true() if principal.reads_all else RegionRow.name.in_(sorted(principal.directorates))


def _region_id(write: Write) -> Mapping[str, Any]:
    """A new region's id: the one given, or made from the name."""
    if write.row is not None:
        return {}
    return {"region_id": write.body.region_id or convert.slug(write.body.name)}


def _name_free(write: Write, values: Mapping[str, Any]) -> None:
    name = values["name"]
    if (
        write.row is None
        and write.session.scalar(select(RegionRow).where(RegionRow.name == name)) is not None
    ):
        raise ApiError(409, f"a region named '{name}' exists", errors=[("body.name", "taken")])


def _schools(session: Any, row: RegionRow) -> str | None:
    schools = count(session, SchoolRow.directorate, row.name)
    return f"region '{row.region_id}' still has {schools} school(s)" if schools else None


REGIONS = Resource(
    spec=REGION,
    models=REGION_MODELS,
    row=RegionRow,
    what="region",
    writers=("admin",),
    visible=_visible,
    order_by=(RegionRow.name,),
    paged=False,
    routes={
        "list": Route("list_regions", "Regions the caller sees"),
        "get": Route("get_region", "One region"),
        "create": Route("create_region", "Add a region (admin)"),
        "update": Route("update_region", "Change a region's area (admin)"),
        "delete": Route("delete_region", "Remove a region without schools (admin)"),
    },
    prepare=_region_id,
    on_write=_name_free,
    in_use=_schools,
)
add_routes(router, REGIONS)
