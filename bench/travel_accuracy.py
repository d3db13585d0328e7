"""Travel times against real drive times, and how fast the travel models build the solver's matrices.

    python -m bench.travel_accuracy [--sizes 100,300,600] [--repeats 5] [--no-doc]

Accuracy.  ``bench/data/drive_times.csv`` lists pairs of real places (ELSTAT
settlement codes) with a typical published car driving time: see
``bench/data/README.md`` for where the figures come from.  Each pair is
priced by the old direct estimate (:class:`~dromologio.geo.RoadEstimateModel`:
great-circle distance, the circuity and speed of the rougher end) and by the
embedded road model (:class:`~dromologio.geo.roads.SettlementRoadModel`), both
with the default policy, between the settlement points (their terrain class,
their island).  The error of a model on a pair is its minutes minus the
table's; reported: median and worst absolute error (minutes) and median and
worst relative error (|error| / table minutes), over every pair, the
mainland and the islands.

Four parameters of the road model (``trip_minutes``, the motorway and
main-road speeds, ``island_speed_factor``) were chosen on this table, so
``--loo`` also reports the leave-one-out error: each pair priced with the
parameter values (of a small grid) that fit the other pairs best.

Speed.  Places drawn as in ``bench/geo_bench.py`` (around the settlements of the
embedded sample, Epirus and the Cyclades); for each size the median of
``--repeats`` calls of ``matrices(places)``: the direct estimate; the road model
as the first call of a process (no land graph, no route in memory) with an empty
route store and with the routes of these places stored by an earlier process;
the road model again in the same process; and both through
:class:`~dromologio.geo.cache.CachedTravelModel` on a filled cache.

Writes ``bench/results/travel_accuracy.csv`` (one row per pair) and
``bench/results/travel_speed.csv``, prints the tables and rewrites the
``travel`` section of ``docs/benchmarks.md`` unless ``--no-doc``.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np

from bench.geo_bench import median_time, random_places, settlements
from bench.report import (
    RESULTS_DIR,
    code_version,
    command_line,
    machine,
    markdown_table,
    now,
    replace_section,
)
from dromologio.geo import CachedTravelModel, Place, RoadEstimateModel, TravelModel
from dromologio.geo.roads import SettlementRoadModel, forget_routes
from dromologio.geo.settlements import load_settlements
from dromologio.models import Policy
from dromologio.models.vocab import TERRAINS

TABLE = Path(__file__).resolve().parent / "data" / "drive_times.csv"
SIZES = (100, 300, 600)
#: the grid of the leave-one-out check: trip_minutes, motorway, main road, island factor.
LOO_GRID = ((2.0, 3.0, 4.0, 5.0), (80.0, 90.0, 100.0), (70.0, 80.0), (0.75, 0.85, 1.0))


def read_table(path: Path = TABLE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def place_of(code: str) -> Place:
    s = load_settlements()
    i = s.index_of(code)
    land = s.land[i]
    return Place(float(s.lat[i]), float(s.lon[i]), land, TERRAINS[int(s.terrain[i])])


def minutes(model: TravelModel, a: Place, b: Place) -> tuple[float, float]:
    matrices = model.matrices([a, b])
    return matrices.duration_s[0, 1] / 60.0, matrices.distance_m[0, 1] / 1000.0


def summary(errors: Sequence[float], reference: Sequence[float]) -> dict[str, float]:
    absolute = np.abs(np.array(errors))
    relative = absolute / np.array(reference)
    return {
        "median_abs_min": float(np.median(absolute)),
        "worst_abs_min": float(absolute.max()),
        "median_rel": float(np.median(relative)),
        "worst_rel": float(relative.max()),
        "bias_min": float(np.median(np.array(errors))),
    }


def accuracy(rows: Sequence[dict[str, str]]) -> list[dict[str, object]]:
    policy = Policy()
    old = RoadEstimateModel(policy.road_speed_kmh, policy.road_circuity)
    new = SettlementRoadModel.from_policy(policy)
    out: list[dict[str, object]] = []
    for row in rows:
        a, b = place_of(row["from_code"]), place_of(row["to_code"])
        old_min, old_km = minutes(old, a, b)
        new_min, new_km = minutes(new, a, b)
        route = new.route(a, b)
        out.append(
            {
                "pair": f"{row['from_name']} – {row['to_name']}",
                "land": "mainland" if a.island == "" else "island",
                "minutes": int(row["minutes"]),
                "km": int(row["km"]),
                "old_min": round(old_min),
                "old_km": round(old_km, 1),
                "new_min": round(new_min),
                "new_km": round(new_km, 1),
                "via": " · ".join(route.roads) if route else "",
            }
        )
    return out


def leave_one_out(rows: Sequence[dict[str, str]]) -> list[float]:
    """Minutes of each pair by the grid values that fit the other pairs best (mean relative error)."""
    policy = Policy()
    base = SettlementRoadModel.from_policy(policy)
    pairs = [(place_of(r["from_code"]), place_of(r["to_code"])) for r in rows]
    reference = np.array([float(r["minutes"]) for r in rows])
    grid = list(itertools.product(*LOO_GRID))
    found = np.zeros((len(grid), len(rows)))
    for g, (trip, motorway, main, island) in enumerate(grid):
        model = replace(
            base,
            trip_minutes=trip,
            trunk_speed_kmh={"motorway": motorway, "main": main},
            island_speed_factor=island,
        )
        found[g] = [minutes(model, a, b)[0] for a, b in pairs]
    relative = np.abs(found - reference) / reference
    chosen = []
    for r in range(len(rows)):
        others = np.delete(np.arange(len(rows)), r)
        chosen.append(float(found[int(relative[:, others].mean(axis=1).argmin()), r]))
    return chosen


def _cached(model: TravelModel, folder: str, places: Sequence[Place]) -> None:
    CachedTravelModel(model, folder).matrices(places)


def _fresh_process(model: TravelModel, places: Sequence[Place], store: Path | None) -> None:
    """A call as the first of a new process: no land graph, no route in memory; ``store``: the
    route store to use (None: an empty one)."""
    with tempfile.TemporaryDirectory(prefix="travel-bench-") as empty:
        os.environ["DROMOLOGIO_CACHE_DIR"] = str(store or empty)
        forget_routes(graphs=True)
        model.matrices(places)


def speed(sizes: Sequence[int], repeats: int, seed: int) -> list[dict[str, object]]:
    policy = Policy()
    old = RoadEstimateModel(policy.road_speed_kmh, policy.road_circuity)
    new = SettlementRoadModel.from_policy(policy)
    rows = settlements()
    results: list[dict[str, object]] = []
    saved = os.environ.get("DROMOLOGIO_CACHE_DIR")
    try:
        for n in sizes:
            places = random_places(rows, n, seed)
            old.matrices(places[:10])
            with tempfile.TemporaryDirectory(prefix="travel-bench-") as folder:
                store = Path(folder) / "store"
                timings = {
                    "old_ms": median_time(partial(old.matrices, places), repeats),
                    "empty_ms": median_time(partial(_fresh_process, new, places, None), repeats),
                }
                _fresh_process(new, places, store)  # fills the route store
                timings["stored_ms"] = median_time(partial(_fresh_process, new, places, store), repeats)
                timings["again_ms"] = median_time(partial(new.matrices, places), repeats)
                for name, model in (("old_cached_ms", old), ("cached_ms", new)):
                    CachedTravelModel(model, folder).matrices(places)
                    timings[name] = median_time(partial(_cached, model, folder, places), repeats)
            row: dict[str, object] = {"places": n, **{k: round(v * 1000, 1) for k, v in timings.items()}}
            print("  ".join(f"{k} {v}" for k, v in row.items()), flush=True)
            results.append(row)
    finally:
        if saved is None:
            os.environ.pop("DROMOLOGIO_CACHE_DIR", None)
        else:
            os.environ["DROMOLOGIO_CACHE_DIR"] = saved
        forget_routes(graphs=True)
    return results


def report(
    pairs: Sequence[dict[str, object]],
    loo: Sequence[float] | None,
    timing: Sequence[dict[str, object]],
    repeats: int,
) -> str:
    reference = [float(str(p["minutes"])) for p in pairs]
    lines = [
        "## Travel times against real drive times",
        "",
        f"- Date: {now()}",
        f"- Machine: {machine()}; {code_version()}",
        f"- Command: `{command_line('bench.travel_accuracy')}` (writes `bench/results/travel_accuracy.csv`"
        " and `bench/results/travel_speed.csv`)",
        "",
        "The old travel estimate priced a whole trip at the speed and circuity of its rougher end"
        " (`RoadEstimateModel`: a mountain school at 35 km/h and ×1.6). The embedded road model"
        " (`geo/roads.py`, `SettlementRoadModel`, the default through `geo/known.py`) takes the fastest"
        " route over a proxy road network of the 13,178 ELSTAT settlements: neighbouring settlements"
        " joined by local roads priced by the terrain of both ends (the policy's speeds and circuity) and"
        " the climb (at most 8 %), motorways and main roads as chains of the towns they join"
        " (`geo/data/trunk_roads.csv`: 90 and 80 km/h), 0.85 of the speeds on islands, and 3 minutes per"
        " trip for leaving and parking. Those last four values were chosen on the table below (a small"
        " grid); the leave-one-out row prices each pair with the values that fit the other pairs best.",
        "",
        "The yardstick (`bench/data/drive_times.csv`, see `bench/data/README.md`) is typical published car"
        " driving times between the places (as common route planners give them), compiled by the"
        " maintainers on 2026-11-30 from well-known public figures and rounded to 5 minutes; route"
        " planners differ by about 10 %, so errors below that are noise.",
        "",
        "Error: minutes of the model minus the table's, between the settlement points (their terrain"
        " class, their island), the default policy.",
        "",
    ]
    header = [
        "model",
        "pairs",
        "median abs. (min)",
        "worst abs. (min)",
        "median rel.",
        "worst rel.",
        "median error (min)",
    ]
    body = []
    subsets = (
        ("all", lambda p: True),
        ("mainland", lambda p: p["land"] == "mainland"),
        ("islands", lambda p: p["land"] == "island"),
    )
    for label, key in (("old: rougher end decides", "old_min"), ("new: road model", "new_min")):
        for subset, keep in subsets:
            chosen = [p for p in pairs if keep(p)]
            s = summary(
                [float(str(p[key])) - float(str(p["minutes"])) for p in chosen],
                [float(str(p["minutes"])) for p in chosen],
            )
            body.append(
                [
                    f"{label} ({subset})",
                    len(chosen),
                    f"{s['median_abs_min']:.1f}",
                    f"{s['worst_abs_min']:.0f}",
                    f"{s['median_rel']:.0%}",
                    f"{s['worst_rel']:.0%}",
                    f"{s['bias_min']:+.1f}",
                ]
            )
    if loo is not None:
        s = summary([m - r for m, r in zip(loo, reference, strict=True)], reference)
        body.append(
            [
                "new, leave-one-out (all)",
                len(pairs),
                f"{s['median_abs_min']:.1f}",
                f"{s['worst_abs_min']:.0f}",
                f"{s['median_rel']:.0%}",
                f"{s['worst_rel']:.0%}",
                f"{s['bias_min']:+.1f}",
            ]
        )
    lines.append(markdown_table(header, body, right=[False, *([True] * 6)]))
    lines += ["", "Per pair (minutes; km of the route for the models, typical route km for the table):", ""]
    lines.append(
        markdown_table(
            ["pair", "table", "old", "new", "table km", "old km", "new km", "trunk roads taken"],
            [
                [
                    p["pair"],
                    p["minutes"],
                    p["old_min"],
                    p["new_min"],
                    p["km"],
                    p["old_km"],
                    p["new_km"],
                    p["via"],
                ]
                for p in pairs
            ],
            right=[False, *([True] * 6), False],
        )
    )
    lines += [
        "",
        f"Time to build the matrices between random places of the sample region, ms (median of {repeats}"
        " calls). Old: the direct estimate. New, first call of a process: no land graph nor route in"
        " memory, with an empty route store (the very first use on a machine) or with the routes of these"
        " places stored by an earlier process (`DROMOLOGIO_CACHE_DIR/routes`). New, again: the same places"
        " later in the same process. From the cache: `CachedTravelModel` on a filled cache (the same call"
        " again).",
        "",
    ]
    lines.append(
        markdown_table(
            [
                "places",
                "old",
                "new, first call, empty store",
                "new, first call, routes stored",
                "new, again",
                "old, from the cache",
                "new, from the cache",
            ],
            [
                [
                    t["places"],
                    t["old_ms"],
                    t["empty_ms"],
                    t["stored_ms"],
                    t["again_ms"],
                    t["old_cached_ms"],
                    t["cached_ms"],
                ]
                for t in timing
            ],
            right=[True] * 7,
        )
    )
    lines += [
        "",
        "Reading: a closed-form estimate needs no routing, so the road model's first call in a process is"
        " slower: it builds the land graphs (or reads them from the route store) and searches the routes"
        " from each settlement the places join (up to 4 h), which it then keeps in memory and in the"
        " route store. A planner asks for one matrix per planned day, so in practice the first call of a"
        " process costs the stored routes' reading (a fraction of a second next to the solver's seconds),"
        " later days and re-plans in the same process cost about what the old estimate did, and the"
        " matrices cache (`geo/cache.py`) answers a repeated call as fast for both.",
    ]
    return "\n".join(lines) + "\n"


def _read_csv(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


def write_csv(rows: Sequence[dict[str, object]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.travel_accuracy", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--loo", action="store_true", help="also the leave-one-out error (a minute or two)")
    parser.add_argument("--results", type=Path, default=RESULTS_DIR)
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the docs section from the CSV files of --results"
    )
    args = parser.parse_args(argv)
    if args.report_only:
        pairs_read = _read_csv(args.results / "travel_accuracy.csv")
        timing_read = _read_csv(args.results / "travel_speed.csv")
        loo_read = None
        if pairs_read and "loo_min" in pairs_read[0]:
            loo_read = [float(str(p["loo_min"])) for p in pairs_read]
        text = report(pairs_read, loo_read, timing_read, args.repeats)
        print(text)
        if not args.no_doc:
            replace_section("travel", text)
        return
    table = read_table()
    pairs = accuracy(table)
    loo = leave_one_out(table) if args.loo else None
    if loo is not None:
        for pair, value in zip(pairs, loo, strict=True):
            pair["loo_min"] = round(value)
    timing = speed([int(s) for s in args.sizes.split(",") if s.strip()], args.repeats, args.seed)
    write_csv(pairs, args.results / "travel_accuracy.csv")
    write_csv(timing, args.results / "travel_speed.csv")
    text = report(pairs, loo, timing, args.repeats)
    print(text)
    if not args.no_doc:
        replace_section("travel", text)


if __name__ == "__main__":
    main()
