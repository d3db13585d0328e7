"""Planning over days and scenarios, on top of the solver core (:mod:`dromologio.dispatch`).

- :mod:`.costs`: what plans cost, route by route and added up by employer, directorate, island...;
- :mod:`.estimate`: a ticket history replayed day by day, cost against budget;
- :mod:`.scenarios`: what-if scenarios, the baseline problem plus named changes (YAML or JSON);
- :mod:`.simulate`: scenarios simulated over working days (arrivals, carry-over), side by side,
  and their KPIs as one tidy table (:mod:`.simulate.kpis`).

Computations only: tables, charts and terminal output are in :mod:`dromologio.reports` and the
command line.  Data comes in as arguments (a :class:`~dromologio.models.Problem`, paths); the
embedded sample is loaded by the callers above.  Solves run side by side through a
:class:`~dromologio.dispatch.executor.SolveExecutor`.
"""
