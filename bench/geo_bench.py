"""Travel-matrix build time: the direct estimate and the road network, cold and from the cache.

    python -m bench.geo_bench [--sizes 500,2000,5000] [--repeats 3] [--seed 1]

Places are drawn around the settlements of the embedded sample
(``dromologio/sample/data/settlements.csv``: Epirus and the Cyclades, with their
islands and terrain classes): a settlement at random, moved by a normal offset
of about 1.5 km, keeping its island and terrain.  For each size and model:

- ``cold_s``: ``model.matrices(places)``;
- ``cached_s``: a new :class:`~dromologio.geo.cache.CachedTravelModel` over a
  filled cache folder answering the same call (key hashing and mapping the
  arrays from the file);
- ``cached_read_s``: the same, reading the arrays into memory instead of mapping them.

Each is the median of ``--repeats`` runs timed with ``time.perf_counter``.
``vs_direct`` is the network's cold time over the direct estimate's;
``speedup`` is cold over cached.  For the network, ``dist_median`` and
``dist_p95`` compare its distances with the direct estimate's over the pairs
of one island more than 1 km apart (1.000 = equal); the direct estimate
charges a whole trip at the rougher end's circuity while the network charges
each link its own, so ``plain_median`` and ``plain_p95`` repeat the comparison
with every place made plain (open roads, one terrain: the network's own detour).  Targets: 5,000 places
in under 2 s cold, under 0.2 s from the cache.

Writes ``bench/results/geo.csv`` and prints a markdown table.  Timings on a
shared or busy machine are not comparable: run it with nothing else going on.
"""

from __future__ import annotations

import argparse
import csv
import gc
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from importlib import resources
from pathlib import Path

import numpy as np

from bench.report import RESULTS_DIR, code_version, command_line, machine, markdown_table, now
from dromologio.geo import CachedTravelModel, NetworkTravelModel, Place, RoadEstimateModel, TravelModel
from dromologio.geo.travel import UNREACHABLE_M, TravelMatrices
from dromologio.models import Policy

SIZES = (500, 2000, 5000)
TARGET_SIZE = 5000
COLD_TARGET_S = 2.0
CACHED_TARGET_S = 0.2
#: standard deviation of the offset from the settlement, km.
SPREAD_KM = 1.5
FIELDS = (
    "places",
    "model",
    "islands",
    "cold_s",
    "cached_s",
    "cached_read_s",
    "speedup",
    "vs_direct",
    "dist_median",
    "dist_p95",
    "plain_median",
    "plain_p95",
    "repeats",
)


def settlements() -> list[dict[str, str]]:
    data = resources.files("dromologio.sample").joinpath("data/settlements.csv")
    with data.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["lat"] and row["lon"]]


def random_places(rows: Sequence[dict[str, str]], n: int, seed: int) -> list[Place]:
    rng = np.random.default_rng(seed)
    pick = rng.integers(len(rows), size=n)
    north = rng.normal(0.0, SPREAD_KM / 111.2, size=n)
    east = rng.normal(0.0, SPREAD_KM / 111.2, size=n)
    places = []
    for i, row_index in enumerate(pick.tolist()):
        row = rows[row_index]
        lat = float(row["lat"]) + float(north[i])
        lon = float(row["lon"]) + float(east[i]) / np.cos(np.radians(lat))
        places.append(Place(lat, lon, row["island"], row["terrain"]))
    return places


def median_time(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def agreement(network: TravelMatrices, direct: TravelMatrices) -> tuple[float, float]:
    """Median and 95th percentile of network / direct distance, same island, more than 1 km apart."""
    ratios = []
    rows = max(1, (1 << 22) // max(direct.size, 1))
    for top in range(0, direct.size, rows):
        near = direct.distance_m[top : top + rows]
        routed = network.distance_m[top : top + rows]
        mask = (near > 1000) & (near < UNREACHABLE_M)
        ratios.append(routed[mask] / near[mask])
    joined = np.concatenate(ratios)
    return float(np.median(joined)), float(np.percentile(joined, 95))


def run(sizes: Sequence[int], repeats: int, seed: int) -> list[dict[str, object]]:
    policy = Policy()
    direct = RoadEstimateModel(policy.road_speed_kmh, policy.road_circuity)
    models: dict[str, TravelModel] = {"direct": direct, "network": NetworkTravelModel.from_policy(policy)}
    rows = settlements()
    results: list[dict[str, object]] = []
    for n in sizes:
        places = random_places(rows, n, seed)
        cold_of: dict[str, float] = {}
        for name, model in models.items():
            model.matrices(places[:50])  # first calls load code: not part of the timing
            cold = cold_of[name] = median_time(partial(model.matrices, places), repeats)
            with tempfile.TemporaryDirectory(prefix="geo-bench-") as folder:
                CachedTravelModel(model, folder).matrices(places)  # fills the cache
                mapped = partial(CachedTravelModel, model, folder)
                read = partial(CachedTravelModel, model, folder, mmap=False)
                cached = median_time(lambda: mapped().matrices(places), repeats)  # noqa: B023
                cached_read = median_time(lambda: read().matrices(places), repeats)  # noqa: B023
            print(
                f"{n:>6} {name:<8} cold {cold:.3f} s, cached {cached:.4f} s (read {cached_read:.3f} s)",
                flush=True,
            )
            results.append(
                {
                    "places": n,
                    "model": name,
                    "islands": len({p.island for p in places}),
                    "cold_s": round(cold, 4),
                    "cached_s": round(cached, 4),
                    "cached_read_s": round(cached_read, 4),
                    "speedup": round(cold / cached, 1),
                    "vs_direct": round(cold / cold_of["direct"], 2) if name != "direct" else "",
                    "repeats": repeats,
                }
            )
        row = results[-1]
        plain = [Place(p.lat, p.lon, p.island) for p in places]
        for prefix, sample in (("dist", places), ("plain", plain)):
            median, p95 = agreement(models["network"].matrices(sample), direct.matrices(sample))
            row[f"{prefix}_median"], row[f"{prefix}_p95"] = round(median, 3), round(p95, 3)
            gc.collect()
    return results


def report(results: Sequence[dict[str, object]]) -> str:
    header = ["places", "model", "cold (s)", "cached (s)", "cached, read (s)", "cold/cached", "vs direct"]
    header += ["dist. median", "dist. p95", "plain median", "plain p95"]
    table = markdown_table(
        header,
        [
            [
                r.get(field, "")
                for field in (
                    "places",
                    "model",
                    "cold_s",
                    "cached_s",
                    "cached_read_s",
                    "speedup",
                    "vs_direct",
                    "dist_median",
                    "dist_p95",
                    "plain_median",
                    "plain_p95",
                )
            ]
            for r in results
        ],
        right=[True, False, *([True] * 9)],
    )
    verdicts = []
    for r in results:
        if r["places"] == TARGET_SIZE and r["model"] == "network":
            cold, cached = float(str(r["cold_s"])), float(str(r["cached_s"]))
            verdicts.append(
                f"Targets at {TARGET_SIZE:,} places (network): cold {cold:.2f} s "
                f"({'met' if cold < COLD_TARGET_S else 'missed'}, < {COLD_TARGET_S} s), "
                f"cached {cached:.3f} s ({'met' if cached < CACHED_TARGET_S else 'missed'}, "
                f"< {CACHED_TARGET_S} s)."
            )
    repeats = results[0]["repeats"] if results else 0
    lines = [
        f"Medians of {repeats} runs; {machine()}; {code_version()}; {now()}.",
        f"`{command_line('bench.geo_bench')}`",
        "",
        table,
        "",
        *verdicts,
    ]
    return "\n".join(lines).rstrip() + "\n"


def write_csv(results: Sequence[dict[str, object]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, restval="")
        writer.writeheader()
        writer.writerows(results)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.geo_bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=",".join(str(s) for s in SIZES), help="place counts, comma-separated"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--results", type=Path, default=RESULTS_DIR, help="folder of geo.csv")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results = run(sizes, args.repeats, args.seed)
    write_csv(results, args.results / "geo.csv")
    print()
    print(report(results))


if __name__ == "__main__":
    main()
