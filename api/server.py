"""``dromologio serve``: the service on a database (the embedded sample by default)."""

from __future__ import annotations

import logging

from pydantic import ValidationError
from rich.console import Console
from sqlalchemy.engine import make_url

from .db import make_engine, make_sessionmaker, migrate
from .main import bootstrap, create_app
from .settings import Settings

DEFAULT_DATABASE_URL = "sqlite:///dromologio.db"


def make_key_command(url: str) -> str:
    """The ``curl`` line that makes a dispatcher key through ``POST /keys``."""
    body = '{"name": "<who holds it>", "role": "dispatcher", "directorates": ["<Directorate>"]}'
    return (
        f'  curl -X POST {url}/keys -H "X-API-Key: $ADMIN_KEY" '
        f"-H 'content-type: application/json' -d '{body}'"
    )


def serve(
    host: str = "127.0.0.1", port: int = 8000, database_url: str | None = None, seed_sample: bool = True
) -> None:
    """Migrate the database, seed it with the sample when empty, print new keys, and serve until stopped.

    Keys are made once.  The first start of an empty database generates and prints an
    admin key (unless ``DROMOLOGIO_API_KEY`` is set) and a demo dispatcher key for every
    Directorate; later starts print only that keys exist and how to make more.
    """
    import uvicorn

    console = Console(stderr=True, soft_wrap=True)
    overrides: dict[str, object] = {"seed_sample": seed_sample}
    if database_url:
        overrides["database_url"] = database_url
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:  # a bad setting stops the start with its name, not a traceback
        for issue in error.errors():
            name = "DROMOLOGIO_" + "_".join(str(part) for part in issue["loc"]).upper()
            console.print(f"Ρύθμιση / setting {name}: {issue['msg']}", markup=False, highlight=False)
        raise SystemExit(2) from None
    engine = make_engine(settings.database_url)
    migrate(engine)
    made = bootstrap(
        make_sessionmaker(engine), settings, generate_admin=settings.api_key is None, demo_key=True
    )
    engine.dispose()
    url = f"http://{host}:{port}"
    console.print(f"Δρομολόγιο / dispatch service on [bold]{url}[/] — docs: [bold]{url}/docs[/]")
    console.print(f"Πίνακας διανομής / dispatch board: [bold]{url}/board/[/] (sign in with a key below)")
    console.print(f"Database: {make_url(settings.database_url).render_as_string(hide_password=True)}")
    if made.sample_imported:
        console.print("Seeded with the embedded sample (Epirus and the Cyclades).")
    if made.admin_generated and made.admin_key:
        console.print(
            f"Admin key (generated once; keep it, it is not shown again): [bold]{made.admin_key}[/]"
        )
    elif settings.api_key is not None:
        console.print("Admin key: the one in DROMOLOGIO_API_KEY")
    if made.demo_key:
        console.print(f"Demo dispatcher key (every Directorate; shown once): [bold]{made.demo_key}[/]")
        console.print(f'Try: curl -H "X-API-Key: {made.demo_key}" {url}/schools?limit=3')
    if made.keys_before:
        console.print(
            f"{made.keys_before} API key(s) exist already; their secrets were shown when they were made."
        )
    console.print("Make a key for each person with the admin key:")
    console.print(make_key_command(url), markup=False, highlight=False)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
