"""The on-disk matrix cache: a second build is read back, any change of input is a miss."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from dromologio.geo import (
    CachedTravelModel,
    Closure,
    NetworkTravelModel,
    Place,
    RoadEstimateModel,
    TravelMatrices,
    cache_key,
    default_cache_dir,
)
from dromologio.geo.cache import model_fingerprint
from dromologio.models import Policy

POLICY = Policy()
PLACES = [
    Place(39.665, 20.853),
    Place(39.7706, 21.1822, terrain="mountainous"),
    Place(39.55, 20.75, terrain="semi_mountainous"),
    Place(37.4412, 24.9401, "Σύρος"),
]


class Counting:
    """A travel model that counts how often it is asked."""

    def __init__(self, inner: RoadEstimateModel | NetworkTravelModel) -> None:
        self.inner = inner
        self.calls = 0

    def cache_fingerprint(self) -> str:
        return model_fingerprint(self.inner)

    def matrices(self, places: Sequence[Place]) -> TravelMatrices:
        self.calls += 1
        return self.inner.matrices(places)


def road() -> RoadEstimateModel:
    return RoadEstimateModel(POLICY.road_speed_kmh, POLICY.road_circuity)


def same(a: TravelMatrices, b: TravelMatrices) -> bool:
    return np.array_equal(a.distance_m, b.distance_m) and np.array_equal(a.duration_s, b.duration_s)


@pytest.mark.parametrize("mmap", [True, False], ids=["mapped", "read"])
def test_a_second_build_is_read_from_the_cache(tmp_path: Path, mmap: bool) -> None:
    counting = Counting(road())
    cached = CachedTravelModel(counting, tmp_path, mmap=mmap)
    first = cached.matrices(PLACES)
    again = CachedTravelModel(counting, tmp_path, mmap=mmap).matrices(PLACES)
    assert counting.calls == 1
    assert same(first, again) and same(again, road().matrices(PLACES))
    assert again.distance_m.dtype == np.int64
    assert len(list(tmp_path.glob("*.npz"))) == 1
    again.duration_s[0, 1] = 0  # the caller may change its copy ...
    assert same(CachedTravelModel(counting, tmp_path).matrices(PLACES), first)  # ... not the file


def test_any_change_of_input_misses(tmp_path: Path) -> None:
    counting = Counting(road())
    cached = CachedTravelModel(counting, tmp_path)
    cached.matrices(PLACES)
    moved = [dataclasses.replace(PLACES[0], lat=39.6651), *PLACES[1:]]
    other_island = [*PLACES[:3], dataclasses.replace(PLACES[3], island="Τήνος")]
    rougher = [dataclasses.replace(PLACES[0], terrain="semi_mountainous"), *PLACES[1:]]
    for variant in (moved, other_island, rougher, PLACES[::-1], PLACES[:3]):
        cached.matrices(variant)
    assert counting.calls == 6 and cached.misses == 6 and cached.hits == 0
    cached.matrices(moved)
    assert counting.calls == 6 and cached.hits == 1


def test_model_parameters_day_and_profile_are_part_of_the_key() -> None:
    base = NetworkTravelModel.from_policy(POLICY)
    snow = Closure("closed by snow", date(2026, 12, 3), date(2026, 12, 3), terrain="mountainous")
    slower = dict(POLICY.road_speed_kmh) | {"mountainous": 30.0}
    variants = [
        base,
        base.on(date(2026, 12, 3)),
        base.on(date(2026, 12, 4)),
        base.on(None, "4x4"),
        dataclasses.replace(base, closures=(snow,)),
        dataclasses.replace(base, speed_kmh=slower),
        dataclasses.replace(base, k=6),
        dataclasses.replace(base, place_ids={PLACES[0]: "S1"}),
        road(),
    ]
    keys = {cache_key(model, PLACES) for model in variants}
    assert len(keys) == len(variants)
    assert cache_key(NetworkTravelModel.from_policy(Policy()), PLACES) == cache_key(base, PLACES)


def test_the_network_model_is_cached_per_day(tmp_path: Path) -> None:
    model = NetworkTravelModel.from_policy(POLICY)
    counting = Counting(model)
    cached = CachedTravelModel(counting, tmp_path)
    first = cached.matrices(PLACES)
    assert same(cached.matrices(PLACES), first) and counting.calls == 1
    counting.inner = model.on(date(2026, 12, 3))
    cached.matrices(PLACES)
    assert counting.calls == 2


def test_the_cache_folder_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DROMOLOGIO_CACHE_DIR", str(tmp_path / "here"))
    assert default_cache_dir() == tmp_path / "here"
    CachedTravelModel(road()).matrices(PLACES)
    assert len(list((tmp_path / "here").glob("*.npz"))) == 1
    monkeypatch.delenv("DROMOLOGIO_CACHE_DIR")
    assert default_cache_dir() == Path.home() / ".cache" / "dromologio" / "matrices"


def test_a_damaged_entry_is_computed_again(tmp_path: Path) -> None:
    counting = Counting(road())
    cached = CachedTravelModel(counting, tmp_path)
    cached.matrices(PLACES)
    cached.path_for(PLACES).write_bytes(b"not a zip file")
    assert same(cached.matrices(PLACES), road().matrices(PLACES))
    assert counting.calls == 2
    assert same(cached.matrices(PLACES), road().matrices(PLACES)) and counting.calls == 2


def test_empty_place_lists_are_cached_too(tmp_path: Path) -> None:
    counting = Counting(road())
    cached = CachedTravelModel(counting, tmp_path)
    assert cached.matrices([]).size == 0
    assert cached.matrices([]).size == 0
    assert counting.calls == 1


def test_models_that_cannot_be_fingerprinted_are_refused(tmp_path: Path) -> None:
    class Opaque:
        def matrices(self, places: Sequence[Place]) -> TravelMatrices:
            return road().matrices(places)

    with pytest.raises(TypeError, match="cache_fingerprint"):
        CachedTravelModel(Opaque(), tmp_path).matrices(PLACES)
