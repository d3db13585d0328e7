"""Solomon / Gehring-Homberger VRPTW instances as :class:`RoutingInstance` (DIMACS convention).

Distances and times are ``floor(10 * euclid)`` (tenths, truncated), the convention
of CVRPLIB and of ``bks.csv``'s ``dimacs_trunc1_distance_only`` rows.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dromologio.dispatch.instance import RoutingInstance

#: the 56 Solomon instances and their best-known solutions, shipped with the benchmarks.
INSTANCE_DIR = Path(__file__).resolve().parent / "instances" / "solomon"
BKS_CSV = Path(__file__).resolve().parent / "instances" / "bks.csv"
DIMACS = "dimacs_trunc1_distance_only"


@dataclass(frozen=True)
class SolomonData:
    name: str
    num_vehicles: int
    capacity: int
    xy: np.ndarray
    demand: np.ndarray
    ready: np.ndarray
    due: np.ndarray
    service: np.ndarray

    def matrix(self) -> np.ndarray:
        diff = self.xy[:, None, :] - self.xy[None, :, :]
        matrix: np.ndarray = np.floor(10.0 * np.sqrt((diff**2).sum(axis=2)) + 1e-9).astype(np.int64)
        return matrix


def read_solomon(path: Path) -> SolomonData:
    lines = [line.strip() for line in path.read_text().replace("\r", "").splitlines()]
    name = lines[0]
    vehicle_line = next(i for i, line in enumerate(lines) if line.startswith("NUMBER"))
    num_vehicles, capacity = (int(v) for v in lines[vehicle_line + 1].split())
    rows = [
        [int(float(v)) for v in line.split()]
        for line in lines[vehicle_line + 2 :]
        if line and line.split()[0].isdigit()
    ]
    data = np.array(rows, dtype=np.int64)
    return SolomonData(
        name=name,
        num_vehicles=num_vehicles,
        capacity=capacity,
        xy=data[:, 1:3].astype(np.float64),
        demand=data[:, 3],
        ready=data[:, 4],
        due=data[:, 5],
        service=data[:, 6],
    )


def first_customers(data: SolomonData, count: int) -> SolomonData:
    """The classic small Solomon variant: the depot and the first ``count`` customers."""
    keep = slice(0, count + 1)
    return dataclasses.replace(
        data,
        xy=data.xy[keep],
        demand=data.demand[keep],
        ready=data.ready[keep],
        due=data.due[keep],
        service=data.service[keep],
    )


def to_instance(data: SolomonData) -> RoutingInstance:
    """Node 0 is the depot for every vehicle; all customers are mandatory; cost = distance."""
    n = len(data.demand)
    m = data.num_vehicles
    distance = data.matrix()
    windows = np.stack([data.ready * 10, data.due * 10], axis=1)
    return RoutingInstance(
        distance=distance,
        duration=distance.copy(),
        service=data.service * 10,
        time_windows=windows,
        drop_penalty=np.full(n, -1, dtype=np.int64),
        allowed_vehicles=tuple(None for _ in range(n)),
        vehicle_start=np.zeros(m, dtype=np.int64),
        vehicle_end=np.zeros(m, dtype=np.int64),
        vehicle_windows=np.tile(windows[0], (m, 1)),
        vehicle_distance_cost=np.ones(m),
        vehicle_time_cost=np.zeros(m),
        vehicle_max_distance=np.full(m, -1, dtype=np.int64),
        location=np.arange(n, dtype=np.int64),
        demand=data.demand.copy(),
        vehicle_capacity=np.full(m, data.capacity, dtype=np.int64),
        name=data.name,
    )


def instance_path(name: str) -> Path:
    path = INSTANCE_DIR / f"{name.upper()}.txt"
    if not path.exists():
        raise FileNotFoundError(f"no Solomon instance {name!r} in {INSTANCE_DIR}")
    return path


def instance_names() -> list[str]:
    """All shipped instances, in class order (C1, C2, R1, R2, RC1, RC2)."""
    return sorted((p.stem for p in INSTANCE_DIR.glob("*.txt")), key=lambda n: (instance_class(n), n))


def instance_class(name: str) -> str:
    """``C101`` -> ``C1``, ``RC208`` -> ``RC2``."""
    match = re.fullmatch(r"([A-Z]+)(\d)\d+", name.upper())
    if match is None:
        raise ValueError(f"{name!r} is not a Solomon instance name")
    return match.group(1) + match.group(2)


def read_bks(path: Path = BKS_CSV, convention: str = DIMACS) -> dict[str, tuple[float, int]]:
    """instance -> (best-known distance, vehicles) for one convention of ``bks.csv``."""
    with path.open(newline="") as handle:
        return {
            row["instance"]: (float(row["distance"]), int(row["vehicles"]))
            for row in csv.DictReader(handle)
            if row["convention"] == convention
        }
