"""Scenarios simulated over weeks: daily arrivals, one real solve per working day, carry-over.

Each working day of the horizon the day's problem is the scenario's problem with the
tickets still open (their ``opened_at`` kept, so they age and gain value) plus the day's
new arrivals, and the timetable of that day (less the sailings a strike cancels).  It is
planned by :func:`dromologio.dispatch.solve` for that one day (:mod:`.day`).  Tickets visited, solved
remotely or sent to the vendor leave; the rest are carried over to the next working day.
Tickets at schools closed by snow are held back that day (not given to the solver) and
appear in the plan as unassigned with the reason
``κλειστό λόγω χιονιού στις <date> / closed by snow on <date>`` (code ``closed``).

Arrivals (:class:`TicketGenerator` or :class:`HistoryArrivals`, :mod:`.arrivals`) are drawn per calendar day:
the tickets opened from one working day up to the day before the next are planned on that
next day (Monday's plan takes Friday's, Saturday's and Sunday's).  The first simulated day
starts with the baseline's tickets as the open backlog.

Determinism: arrivals use a NumPy generator seeded by ``(seed, calendar day)``, so every
scenario sees the same base arrivals (common random numbers: differences between scenarios
come from their changes, not from different luck); a scenario that scales the volume draws
its extra tickets from a stream seeded by ``(seed, day, scenario name)``.  The solver runs
with ``seed`` too, but under a time limit how far its search gets depends on the machine's
load: plans (and so the KPIs) repeat exactly only when the search stops on a solution
count first, e.g. ``SimulationSettings(params=SearchParams(solution_limit=20))`` with a time
limit that is not reached (OR-Tools also bounds each large-neighbourhood move in time, so on a
very busy machine only the first plan, ``solution_limit=1``, is certain to repeat).

Parallel runs (:func:`run_scenarios`, :mod:`.runner`) go through a
:class:`~dromologio.dispatch.executor.SolveExecutor`: local worker processes by default (at
most one per core), this process (``"serial"``), or an existing Dask scheduler given by its
address (or a ``distributed.Client``).  The days of one scenario depend on each other
(carry-over), so each scenario is a chain of day tasks, each taking the previous day's state;
scenarios run side by side.  Progress is told per scenario and day; a failing task is reported
with its scenario, its day and the error.  The records kept are in :mod:`.records`; the KPIs
are computed from them by :mod:`.kpis`.
"""

from .arrivals import ArrivalSource, HistoryArrivals, TicketGenerator, make_arrivals, read_history
from .day import DayContext, advance, default_start, finish, start_state
from .records import (
    AREAS,
    DayRecord,
    PlanCheckError,
    ScenarioRun,
    ShiftRecord,
    SimulationSettings,
    SimulationState,
    TicketRecord,
    area_of,
    closed_reason,
)
from .runner import ScenarioFailure, SimulationError, SimulationResults, Tick, run_scenarios, simulate

__all__ = [
    "AREAS",
    "ArrivalSource",
    "DayContext",
    "DayRecord",
    "HistoryArrivals",
    "PlanCheckError",
    "ScenarioFailure",
    "ScenarioRun",
    "ShiftRecord",
    "SimulationError",
    "SimulationResults",
    "SimulationSettings",
    "SimulationState",
    "Tick",
    "TicketGenerator",
    "TicketRecord",
    "advance",
    "area_of",
    "closed_reason",
    "default_start",
    "finish",
    "make_arrivals",
    "read_history",
    "run_scenarios",
    "simulate",
    "start_state",
]
