"""Named search settings for side-by-side benchmark runs (``--config`` of the benchmark scripts).

``default`` is the product's ``SearchParams()`` (guided local search here, the iterated local
search in a second process); the first rows retrace the tuning steps recorded in
``docs/benchmarks.md`` ("Tuning steps"), each changing one thing from the row before, in one
process; the others are variants that were tried and not kept.
"""

from __future__ import annotations

from dromologio.dispatch import SearchParams

#: before tuning: parallel cheapest insertion, guided local search (lambda 0.1), OR-Tools' operators.
LEGACY = SearchParams(num_workers=1)
#: the iterated local search as first tried (one SISR ruin of 10 visits, OR-Tools' default
#: annealing temperatures 100 -> 0.01, OR-Tools' operators, OR-Tools' insertion order).
ILS_FIRST = SearchParams(
    use_iterated_local_search=True,
    num_workers=1,
    ruin_visits=10,
    initial_temperature=100.0,
    final_temperature=0.01,
    recreate_random_order=False,
    ils_operators=(),
)
LEAN = SearchParams().ils_operators
#: the tuned iterated local search alone, in one process.
ILS = SearchParams(use_iterated_local_search=True, num_workers=1)

CONFIGS: dict[str, SearchParams] = {
    "legacy": LEGACY,
    # The flag alone: SolveWithParameters ignores it, so this is OR-Tools'
    # greedy descent, which stops at the first local optimum.
    "ils-flag-only": LEGACY.replace(metaheuristic="GREEDY_DESCENT"),
    "ils-sisr10": ILS_FIRST,
    "ils-sisr10-lean": ILS_FIRST.replace(ils_operators=LEAN),
    "ils-sisr20-lean": ILS_FIRST.replace(ils_operators=LEAN, ruin_visits=20),
    "ils-sisr20-auto": ILS_FIRST.replace(
        ils_operators=LEAN, ruin_visits=20, initial_temperature=0.0, final_temperature=0.0
    ),
    "ils": ILS,
    # The product: guided local search here, the iterated local search in a second process.
    "default": SearchParams(),
    # Variants tried and not kept.
    "ils-cost-insertion": ILS.replace(recreate="LOCAL_CHEAPEST_COST_INSERTION"),
    "ils-no-descent": ILS.replace(improve_perturbed=False),
    "ils-random-walk": ILS.replace(ruin="RANDOM_WALK", ruin_visits=10),
    "ils-close-routes": ILS.replace(ruin="SPATIALLY_CLOSE_ROUTES", ruin_routes=2),
    "gls-lean": LEGACY.replace(operators=LEAN),
    # Two iterated local searches (two processes, two cores), the best plan kept.
    "ils-x2": SearchParams(use_iterated_local_search=True, num_workers=2),
    # The product's search on one core (PyVRP's search, then OR-Tools' polish, one process):
    # the fair row beside PyVRP, which runs on one core.
    "one-core": SearchParams(num_workers=1),
}

#: one line per configuration for the tables.
DESCRIPTIONS: dict[str, str] = {
    "legacy": "before tuning: parallel cheapest insertion, guided local search (lambda 0.1), OR-Tools' operators",
    "ils-flag-only": "`use_iterated_local_search` set but solved with `SolveWithParameters`: OR-Tools "
    "ignores it, a greedy descent stops at the first local optimum",
    "ils-sisr10": "iterated local search run by `SolveWithIteratedLocalSearch`: SISR ruin of 10 visits, "
    "annealing 100 -> 0.01, OR-Tools' operators",
    "ils-sisr10-lean": "+ insertion-path LNS, subtrip, pair, Lin-Kernighan and expensive-chain operators off",
    "ils-sisr20-lean": "+ 20 visits removed per ruin on average",
    "ils-sisr20-auto": "+ annealing temperatures from the arc costs (a tenth to a thousandth of the mean arc)",
    "ils": "+ removed visits reinserted in random order: the tuned iterated local search, one process",
    "default": "the product: on days PyVRP can express (no crossings, 8 visits or more, 1 s or more) PyVRP's "
    "search, then OR-Tools' guided local search on the exact model from PyVRP's routes; on other days "
    "`num_workers` (2) searches, guided local search in this process and the tuned iterated local search "
    "in a second (two cores, 3 s or more), the better plan kept",
    "one-core": "the product's search in one process, one core: PyVRP's search on the instance, then "
    "OR-Tools' guided local search on the exact model from PyVRP's routes",
    "ils-cost-insertion": "ils, reinsertion by cheapest cost over all removed visits",
    "ils-no-descent": "ils without the descent after each ruin and recreate",
    "ils-random-walk": "ils with a random-walk ruin of 10 visits instead of SISR",
    "ils-close-routes": "ils with a ruin emptying 2 neighbouring routes instead of SISR",
    "gls-lean": "guided local search with the operators the iterated local search leaves out switched off",
    "ils-x2": "two tuned iterated local searches in two processes (two cores), the better kept",
}


def config(name: str) -> SearchParams:
    try:
        return CONFIGS[name]
    except KeyError:
        raise ValueError(f"unknown config {name!r}; known: {', '.join(CONFIGS)}") from None
