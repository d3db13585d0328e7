"""The forms a Greek office signs: travel orders and monthly statements."""

from __future__ import annotations

from fastapi import APIRouter

from ..errors import PROBLEM_RESPONSES

router = APIRouter(prefix="/forms", tags=["forms"], responses=PROBLEM_RESPONSES)
