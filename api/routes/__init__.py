"""One router per resource."""

from fastapi import APIRouter

from .absences import router as absences
from .bases import router as bases
from .budgets import router as budgets
from .campaigns import router as campaigns
from .closures import router as closures
from .costs import router as costs
from .days import router as days
from .escalation import router as escalation
from .estimates import router as estimates
from .feeds import router as feeds
from .forms import router as forms
from .health import router as health
from .imports import router as imports
from .keys import router as keys
from .operations import router as operations
from .plan_exports import router as plan_exports
from .plans import router as plans
from .regions import router as regions
from .reports import router as reports
from .schools import router as schools
from .slots import router as slots
from .technicians import router as technicians
from .tickets import router as tickets
from .travel import router as travel

api_router = APIRouter()
for router in (health, keys, regions, schools, bases, technicians, tickets, imports, plans, operations):
    api_router.include_router(router)
api_router.include_router(absences)
api_router.include_router(closures)
api_router.include_router(travel)
api_router.include_router(plan_exports)
for router in (costs, budgets, forms):
    api_router.include_router(router)
api_router.include_router(days)
api_router.include_router(feeds)

api_router.include_router(escalation)
api_router.include_router(reports)
api_router.include_router(slots)
api_router.include_router(campaigns)
api_router.include_router(estimates)

__all__ = ["api_router"]
