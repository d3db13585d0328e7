"""Budget lines per employer."""

from __future__ import annotations

from fastapi import APIRouter

from ..errors import PROBLEM_RESPONSES

router = APIRouter(prefix="/budgets", tags=["budgets"], responses=PROBLEM_RESPONSES)
