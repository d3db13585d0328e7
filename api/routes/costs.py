"""Travel costs by plan, day and month, and actual against budget."""

from __future__ import annotations

from fastapi import APIRouter

from ..errors import PROBLEM_RESPONSES

router = APIRouter(prefix="/costs", tags=["costs"], responses=PROBLEM_RESPONSES)
