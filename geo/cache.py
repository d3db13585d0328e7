"""An on-disk cache of travel matrices.

:class:`CachedTravelModel` wraps any :class:`~dromologio.geo.travel.TravelModel`.
The matrices of a call are stored under a key that is the SHA-256 of
everything they depend on:

- the places, in order: coordinates (exact float64 bits), island and terrain;
- the model: its class, its ``cache_version`` and its parameters (every field
  of a dataclass model, e.g. speeds, circuity, profile, day and closures of a
  :class:`~dromologio.geo.network.NetworkTravelModel`), or what its
  ``cache_fingerprint()`` method returns;
- the version of the cache format and of the package.

Changing any of them gives another key, so a stale entry is never read;
entries are never invalidated, only left behind (delete the folder at will).

Entries are uncompressed ``.npz`` files (``distance_m``, ``duration_s``) in
``$DROMOLOGIO_CACHE_DIR``, else ``~/.cache/dromologio/matrices``.  They are
written to a temporary file and renamed into place, so readers never see half
a file.  By default a hit *maps* the arrays from the file (copy-on-write: the
caller may change them, the file is untouched) instead of reading them: the
5,000-place matrices are 400 MB, and the solver reads only the rows it needs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from .travel import Place, TravelMatrices, TravelModel

#: bump when the layout of the entries changes.
CACHE_FORMAT = 1
CACHE_DIR_VARIABLE = "DROMOLOGIO_CACHE_DIR"
_ARRAYS = ("distance_m", "duration_s")


def default_cache_dir() -> Path:
    """``$DROMOLOGIO_CACHE_DIR``, else ``~/.cache/dromologio/matrices``."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "dromologio" / "matrices"


def _canonical(value: Any) -> Any:
    """A JSON-ready form of ``value`` that is the same whenever the value is."""
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, datetime | date):
        return {"date": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "type": f"{type(value).__module__}.{type(value).__qualname__}",
            "fields": {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)},
        }
    if isinstance(value, Mapping):
        items = [[_canonical(k), _canonical(v)] for k, v in value.items()]
        return {"map": sorted(items, key=lambda item: json.dumps(item, sort_keys=True))}
    if isinstance(value, set | frozenset):
        return {"set": sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, np.ndarray):
        data = np.ascontiguousarray(value)
        return {"array": [str(data.dtype), list(data.shape), hashlib.sha256(data.tobytes()).hexdigest()]}
    raise TypeError(
        f"cannot fingerprint a {type(value).__name__}: give the model a cache_fingerprint() method"
    )


def model_fingerprint(model: object) -> str:
    """What identifies the model's results: its class, version and parameters."""
    custom: Callable[[], str] | None = getattr(model, "cache_fingerprint", None)
    kind = type(model)
    head = f"{kind.__module__}.{kind.__qualname__}/{getattr(kind, 'cache_version', 0)}"
    if custom is not None:
        return f"{head}:{custom()}"
    if not dataclasses.is_dataclass(model):
        raise TypeError(
            f"cannot fingerprint a {kind.__name__}: make it a dataclass or give it a cache_fingerprint() method"
        )
    return f"{head}:{json.dumps(_canonical(model), sort_keys=True, separators=(',', ':'))}"


def cache_key(model: object, places: Sequence[Place]) -> str:
    """SHA-256 (hex) of the places, the model's fingerprint and the versions."""
    n = len(places)
    digest = hashlib.sha256()
    digest.update(f"dromologio-matrices/{CACHE_FORMAT}/{version('dromologio')}\n".encode())
    digest.update(model_fingerprint(model).encode())
    digest.update(f"\n{n}\n".encode())
    digest.update(np.fromiter((p.lat for p in places), dtype="<f8", count=n).tobytes())
    digest.update(np.fromiter((p.lon for p in places), dtype="<f8", count=n).tobytes())
    digest.update("\x1f".join(p.island for p in places).encode())
    digest.update(b"\x1e")
    digest.update("\x1f".join(p.terrain for p in places).encode())
    return digest.hexdigest()


class CachedTravelModel:
    """A travel model that keeps the matrices of ``inner`` on disk, keyed by their inputs.

    ``hits`` and ``misses`` count the calls answered from disk and by ``inner``.
    With ``mmap`` (default) a hit maps the arrays from the file; without, it reads them.
    """

    def __init__(self, inner: TravelModel, directory: Path | str | None = None, *, mmap: bool = True) -> None:
        self.inner = inner
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.mmap = mmap
        self.hits = 0
        self.misses = 0

    def path_for(self, places: Sequence[Place]) -> Path:
        return self.directory / f"{cache_key(self.inner, places)}.npz"

    def matrices(self, places: Sequence[Place]) -> TravelMatrices:
        path = self.path_for(places)
        found = self._load(path, len(places))
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        matrices = self.inner.matrices(places)
        self._store(path, matrices)
        return matrices

    def _load(self, path: Path, n: int) -> TravelMatrices | None:
        if not path.is_file():
            return None
        try:
            arrays = _map_npz(path) if self.mmap else _read_npz(path)
            matrices = TravelMatrices(arrays["distance_m"], arrays["duration_s"])
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            return None  # unreadable: computed again and overwritten
        if matrices.distance_m.shape != (n, n) or matrices.distance_m.dtype != np.int64:
            return None
        return matrices

    def _store(self, path: Path, matrices: TravelMatrices) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".matrices-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as file:
                    np.savez(
                        file,
                        distance_m=np.ascontiguousarray(matrices.distance_m, dtype=np.int64),
                        duration_s=np.ascontiguousarray(matrices.duration_s, dtype=np.int64),
                    )
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a read-only or full disk: the cache is an optimisation, not a requirement


def _read_npz(path: Path) -> dict[str, np.ndarray[Any, Any]]:
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] for name in _ARRAYS}


def _map_npz(path: Path) -> dict[str, np.ndarray[Any, Any]]:
    """Map the uncompressed ``.npy`` members of an ``.npz`` file (copy-on-write)."""
    arrays: dict[str, np.ndarray[Any, Any]] = {}
    with zipfile.ZipFile(path) as archive, path.open("rb") as file:
        for name in _ARRAYS:
            info = archive.getinfo(f"{name}.npy")
            if info.compress_type != zipfile.ZIP_STORED:
                return _read_npz(path)
            file.seek(info.header_offset)
            local = file.read(30)
            if local[:4] != b"PK\x03\x04":
                raise ValueError(f"{path.name}: bad zip member header")
            name_length = int.from_bytes(local[26:28], "little")
            extra_length = int.from_bytes(local[28:30], "little")
            file.seek(info.header_offset + 30 + name_length + extra_length)
            version = np.lib.format.read_magic(file)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(file)
            elif version == (2, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(file)
            else:
                return _read_npz(path)
            if fortran or dtype.hasobject:
                return _read_npz(path)
            if int(np.prod(shape)) == 0:
                arrays[name] = np.zeros(shape, dtype=dtype)
                continue
            arrays[name] = np.memmap(file, dtype=dtype, mode="c", offset=file.tell(), shape=shape)
    return arrays
