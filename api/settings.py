"""The service's settings: one :class:`Settings`, read from the environment."""

from __future__ import annotations

import os
import re
from functools import lru_cache

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///dromologio.db"
#: a Dask scheduler's address: protocol, host and port (``tcp://10.0.0.5:8786``, ``tls://host:8786``).
_SCHEDULER_ADDRESS = re.compile(r"(tcp|tls|inproc|ucx|ws|wss)://[^\s/:]+(:\d{1,5})?")


def normalise_database_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` use the psycopg 3 driver; anything else is kept."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Settings(BaseSettings):
    """Environment variables start with ``DROMOLOGIO_``; the database also reads ``DATABASE_URL``."""

    model_config = SettingsConfigDict(env_prefix="DROMOLOGIO_", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("database_url", "DROMOLOGIO_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL: an SQLite file by default, PostgreSQL with postgresql://...",
    )
    api_key: SecretStr | None = Field(
        default=None, description="the admin API key; generated and printed at start when unset"
    )
    max_upload_bytes: int = Field(
        default=20 * 1024 * 1024, gt=0, description="largest request body accepted, in bytes"
    )
    solver_workers: int = Field(
        default=0, ge=0, description="solver processes; 0 = one per CPU core (os.cpu_count())"
    )
    max_time_limit_s: float = Field(
        default=600.0, gt=0, description="longest solver time limit a client may ask"
    )
    max_job_attempts: int = Field(
        default=2,
        ge=1,
        description="a job interrupted by a restart is re-run until it has started this often",
    )
    seed_sample: bool = Field(default=False, description="import the embedded sample into an empty database")
    auth_failure_limit: int = Field(
        default=20,
        ge=0,
        description="wrong API keys one client address may send within the window before 429; 0 = no limit",
    )
    auth_failure_window_s: float = Field(
        default=60.0, gt=0, description="the window of auth_failure_limit, seconds"
    )
    scheduler: str = Field(
        default="",
        description="where campaign and estimate jobs solve: empty = local processes, 'local' = a Dask "
        "LocalCluster, 'tcp://host:8786' = an existing Dask scheduler",
    )

    @field_validator("database_url")
    @classmethod
    def _driver(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("scheduler")
    @classmethod
    def _scheduler(cls, value: str) -> str:
        value = value.strip()
        if value in ("", "local") or _SCHEDULER_ADDRESS.fullmatch(value):
            return value
        raise ValueError(
            f"DROMOLOGIO_SCHEDULER '{value}' is not 'local' nor a Dask scheduler address; "
            "leave it empty for local processes, or write local or tcp://host:8786"
        )

    @property
    def num_workers(self) -> int:
        return self.solver_workers or os.cpu_count() or 2


@lru_cache
def get_settings() -> Settings:
    return Settings()
