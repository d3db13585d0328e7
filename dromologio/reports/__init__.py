"""Presentation of plans, estimates and scenarios: files (CSV, Excel, markdown), charts, terminal tables.

- :mod:`.costs`: cost tables and reports to CSV and Excel, and as terminal tables;
- :mod:`.estimate`: an estimate's tables, chart and daily plans in a folder;
- :mod:`.scenarios`: the comparison report of simulated scenarios (KPIs, markdown, charts);
- :mod:`.terminal`: what the commands share on the terminal (input errors, reading a problem).

Everything here reads results computed by :mod:`dromologio.planning` and the solver.
"""
