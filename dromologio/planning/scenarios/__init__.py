"""What-if scenarios: the baseline problem plus named changes, written in YAML or JSON.

A scenario file (see ``examples/scenarios.yaml`` and ``docs/scenarios.md``)::

    problem: sample                 # a name the caller knows, or a problem folder / .json / .xlsx
    start: 2026-11-23               # first simulated working day (optional)
    reference: baseline             # the scenario the others are compared with (default: the first)
    arrivals: {model: fitted, tickets_per_day: 22}
    scenarios:
      - name: baseline
      - name: one technician fewer
        changes:
          - remove_technician: T05
      - name: ferry strike
        changes:
          - ferry_strike: {days: [3, 4, 5]}

Each change is a mapping with one key, its kind (:data:`CHANGE_KINDS`):

- ``add_technician``: a new technician (``technician_id``, ``base_id``, ``skills`` ... or
  ``like: T05`` to copy another one's base, skills, shift and employer);
- ``remove_technician``: one id or a list of ids;
- ``move_base``: ``base_id``, ``lat``, ``lon`` (and ``island``); the new place must lie
  within :data:`MAX_BASE_DISTANCE_KM` of a school or port of that island (or of the
  mainland), else it is "off the map";
- ``change_skills``: ``technician_id`` with ``set``, ``add`` and/or ``remove`` lists;
- ``house_partners``: partner bodies' technicians housed ``at: centre`` (option A.1,
  at the KE.PLI.NE.T. base nearest their partner's site, or ``base_id``) or
  ``at: partner_site`` (option A.2), all of them or the ``technicians`` listed;
- ``scale_tickets``: the daily ticket arrivals times a factor (``2`` doubles them);
- ``ferry_strike``: no sailing on the given ``dates`` / ``days`` on the given ``routes``
  (``"JSY-JNX"`` or ``[JSY, JNX]``, both directions unless ``both_directions: false``;
  every route when ``routes`` is left out);
- ``winter_closure``: schools of the given ``terrain`` (default ``mountainous``) and/or the
  listed ``schools`` cannot be reached on the given ``dates`` / ``days``: their tickets are
  held back those days with the reason "closed by snow on <date>";
- ``preventive_visits``: ``true``: the days also plan the preventive visits due (schools with
  ``maintenance_days``), each visit made moving the school's ``last_maintenance``;
- ``policy``: fields of ``policy.json`` overridden (mappings such as
  ``priority_value_eur`` are merged).

``dates`` are ISO dates or inclusive ranges ``2026-12-01..2026-12-04``; ``days`` are working
days of the simulated horizon counted from 1 (``3`` or ``"3..5"``).  Dates outside the
horizon have no effect.

Every change is checked against the problem as changed so far; every finding of every
scenario is reported at once in a :class:`ScenarioError`, each naming the scenario and the
change, e.g. ``scenario 'fewer', change 1 (remove_technician): unknown technician 'T99'``.

Modules: :mod:`.parsing` (errors, values, day selections, the ``Change`` base), :mod:`.staff`
and :mod:`.conditions` (the changes), :mod:`.prepare` (scenarios made concrete for a horizon),
:mod:`.files` (scenario files).
"""

from .conditions import FerryStrike, PolicyChange, ScaleTickets, WinterClosure
from .files import (
    ARRIVAL_MODELS,
    ArrivalSettings,
    NamedProblems,
    ScenarioSet,
    load_baseline,
    load_scenarios,
    parse_scenarios,
)
from .parsing import Change, DaySelection, ScenarioError
from .prepare import (
    CHANGE_KINDS,
    PreparedScenario,
    Scenario,
    parse_change,
    prepare_scenario,
    prepare_scenarios,
)
from .preventive import PreventiveVisits
from .staff import (
    MAX_BASE_DISTANCE_KM,
    AddTechnician,
    ChangeSkills,
    HousePartners,
    MoveBase,
    RemoveTechnicians,
)

__all__ = [
    "ARRIVAL_MODELS",
    "CHANGE_KINDS",
    "MAX_BASE_DISTANCE_KM",
    "AddTechnician",
    "ArrivalSettings",
    "Change",
    "ChangeSkills",
    "DaySelection",
    "FerryStrike",
    "HousePartners",
    "MoveBase",
    "NamedProblems",
    "PolicyChange",
    "PreparedScenario",
    "PreventiveVisits",
    "RemoveTechnicians",
    "ScaleTickets",
    "Scenario",
    "ScenarioError",
    "ScenarioSet",
    "WinterClosure",
    "load_baseline",
    "load_scenarios",
    "parse_change",
    "parse_scenarios",
    "prepare_scenario",
    "prepare_scenarios",
]
