"""`labourlens user add|list|token`: the people who may use the web app and the API."""

from __future__ import annotations

import click

from labourlens.cli.store_common import db_option, open_store

__all__ = ["user_group"]


@click.group("user")
def user_group() -> None:
    """Users of the web app and API, with roles: admin, analyst (reads, reviews, uploads), viewer (reads)."""


@user_group.command("add")
@click.argument("name")
@click.option(
    "--role", type=click.Choice(["admin", "analyst", "viewer"]), default="viewer", show_default=True
)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="LABOURLENS_PASSWORD",
    help="The password (asked for when not given; or LABOURLENS_PASSWORD).",
)
@db_option
def add_command(name: str, role: str, password: str, db: str | None) -> None:
    """Add a user; the password is kept only as an argon2 hash."""
    from labourlens.service.accounts import create_user

    with open_store(db) as store:
        user = create_user(store, name, role, password)
    click.echo(f"added {user.name} ({user.role})")


@user_group.command("list")
@db_option
def list_command(db: str | None) -> None:
    """List the users and their roles."""
    from labourlens.service.accounts import list_users

    with open_store(db) as store:
        for u in list_users(store):
            click.echo(f"{u['name']}\t{u['role']}\t{u['created_at']}")


@user_group.command("token")
@click.argument("name")
@click.option("--label", default="api", show_default=True, help="What the token is for.")
@db_option
def token_command(name: str, label: str, db: str | None) -> None:
    """Make an API token for a user (sent as `Authorization: Bearer TOKEN`); it is shown only once."""
    from labourlens.service.accounts import create_token

    with open_store(db) as store:
        click.echo(create_token(store, name, label))
