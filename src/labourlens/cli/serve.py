"""`labourlens serve`: the web app (FastAPI + uvicorn) over the evidence base."""

from __future__ import annotations

import tempfile
from importlib.resources import files
from pathlib import Path

import click

from labourlens.cli.store_common import db_option, open_store
from labourlens.settings import Settings, load_settings

__all__ = ["serve_command"]


def _demo_base(settings: Settings) -> tuple[str, str]:
    """Ingest the bundled examples into a temporary base; add an admin with a one-time password."""
    from labourlens.ingest import read_path
    from labourlens.service.accounts import create_user, new_password
    from labourlens.store import Store
    from labourlens.store.ingest import ingest

    folder = Path(tempfile.mkdtemp(prefix="labourlens-demo-"))
    url = f"sqlite:///{folder / 'demo.db'}"
    examples = files("labourlens") / "examples"
    paths = sorted(Path(str(examples)).iterdir())
    with Store.open(url) as store:
        items = [doc for p in paths if p.is_file() for doc in read_path(p, settings)]
        ingest(store, items, settings=settings, user="demo", jobs=1)
        password = new_password()
        create_user(store, "admin", "admin", password)
    return url, password


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port.")
@click.option(
    "--demo",
    is_flag=True,
    help="Serve the bundled example corpus from a temporary base, with a new admin and one-time password.",
)
def serve_command(db: str | None, host: str, port: int, demo: bool) -> None:
    """Serve the web app: dashboard, documents, search, cases, upload, and the REST API under /api.

    Binds 127.0.0.1 unless --host says otherwise. Users come from `labourlens user add`.
    """
    import uvicorn

    from labourlens.service import create_app

    settings = load_settings()
    if demo:
        db, password = _demo_base(settings)
    store = open_store(db)
    app = create_app(store, settings)
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    click.echo(f"labourlens: serving {store.display_url} at http://{shown}:{port}/", err=True)
    if demo:
        click.echo(f"labourlens: sign in as 'admin' with the one-time password: {password}", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        store.close()
