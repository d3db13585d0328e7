"""``dromologio serve``: the service on a database (the embedded sample by default)."""

from __future__ import annotations

import logging

from rich.console import Console

from .db import make_engine, make_sessionmaker, migrate
from .main import bootstrap, create_app
from .settings import Settings

DEFAULT_DATABASE_URL = "sqlite:///dromologio.db"


def serve(
    host: str = "127.0.0.1", port: int = 8000, database_url: str | None = None, seed_sample: bool = True
) -> None:
    """Migrate the database, seed it with the sample when empty, print the keys, and serve until stopped.

    The admin key is ``DROMOLOGIO_API_KEY`` when set, else a new one is generated and
    printed (replacing the one generated at the previous start); a demo dispatcher key
    for every Directorate in the database is printed too.
    """
    import uvicorn

    console = Console(stderr=True, soft_wrap=True)
    overrides: dict[str, object] = {"seed_sample": seed_sample}
    if database_url:
        overrides["database_url"] = database_url
    settings = Settings(**overrides)  # type: ignore[arg-type]
    engine = make_engine(settings.database_url)
    migrate(engine)
    made = bootstrap(
        make_sessionmaker(engine), settings, generate_admin=settings.api_key is None, demo_key=True
    )
    engine.dispose()
    url = f"http://{host}:{port}"
    console.print(f"Δρομολόγιο / dispatch service on [bold]{url}[/] — docs: [bold]{url}/docs[/]")
    console.print(f"Database: {settings.database_url}")
    if made.sample_imported:
        console.print("Seeded with the embedded sample (Epirus and the Cyclades).")
    if made.admin_generated and made.admin_key:
        console.print(
            f"Admin key (generated; set DROMOLOGIO_API_KEY to choose one): [bold]{made.admin_key}[/]"
        )
    elif settings.api_key is not None:
        console.print("Admin key: the one in DROMOLOGIO_API_KEY")
    if made.demo_key:
        console.print(f"Demo dispatcher key (every Directorate): [bold]{made.demo_key}[/]")
        console.print(f'Try: curl -H "X-API-Key: {made.demo_key}" {url}/schools?limit=3')
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
