"""Cost estimates over a period: a ticket history replayed day by day with the real solver.

- :mod:`.history`: the history (a ``tickets.csv`` over weeks) read against a problem;
- :mod:`.budget`: the budget file and the tables of cost against budget;
- :mod:`.regions`: technicians that can never serve each other's schools, planned apart;
- :mod:`.replay`: a region's days one after another, regions side by side on an executor;
- :mod:`.seasonality`: tickets per working day by weekday and month, the projection's weights;
- :mod:`.projection`: :func:`estimate_costs`, the whole estimate.

Charts and files of an estimate are written by :mod:`dromologio.reports.estimate`.
"""

from .budget import BUDGET_COLUMNS, month_share_of_year, read_budget, window_days
from .history import read_history
from .projection import DEFAULT_PLAN_AT, Estimate, EstimateDay, estimate_costs
from .regions import Region, independent_regions
from .seasonality import Seasonality, history_seasonality

__all__ = [
    "BUDGET_COLUMNS",
    "DEFAULT_PLAN_AT",
    "Estimate",
    "EstimateDay",
    "Region",
    "Seasonality",
    "estimate_costs",
    "history_seasonality",
    "independent_regions",
    "month_share_of_year",
    "read_budget",
    "read_history",
    "window_days",
]
