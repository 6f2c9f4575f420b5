"""What the evidence-base commands share: --db, --user, facets, name resolution, table/JSON/CSV output."""

from __future__ import annotations

import csv
import functools
import getpass
import io
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import click

from labourlens.cli.common import Output, render_rich, terminal_width, use_color
from labourlens.errors import InvalidInput
from labourlens.settings import resolve_db_url
from labourlens.store import REVIEW_STATES, Filters, Store, require_query
from labourlens.store.names import Resolver
from labourlens.store.tables import STATUSES
from labourlens.store.where import Condition, build_filters, parse_where

__all__ = [
    "country_names",
    "db_option",
    "dump_json",
    "facet_options",
    "filters_from_options",
    "open_store",
    "output_options",
    "resolver_for",
    "user_option",
    "write_csv",
    "write_rich",
]

F = TypeVar("F", bound=Callable[..., Any])

_DB_HELP = (
    "The evidence base: sqlite:///PATH or postgresql://USER@HOST:PORT/NAME "
    "[default: LABOURLENS_DB, else ~/.local/share/labourlens/labourlens.db]."
)


def db_option(func: F) -> F:
    """Add --db URL (value: `db`)."""
    return click.option("--db", "db", metavar="URL", envvar=None, help=_DB_HELP)(func)


def user_option(func: F) -> F:
    """Add --user NAME (value: `user`): who is acting, for the audit log; default the OS user."""
    return click.option(
        "--user", "user", metavar="NAME", help="Who is acting, for the audit log [default: the OS user]."
    )(func)


def current_user(user: str | None) -> str:
    """The --user value, else the OS user name, else 'unknown'."""
    if user and user.strip():
        return user.strip()
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):
        return "unknown"


def open_store(db: str | None, *, upgrade: bool = True) -> Store:
    """Open (and migrate) the evidence base that --db, LABOURLENS_DB or the default names."""
    return Store.open(resolve_db_url(db), upgrade=upgrade)


@functools.lru_cache(maxsize=1)
def _gazetteer() -> Any:
    from labourlens.pipeline.gazetteer import Gazetteer

    return Gazetteer.load()


def resolver_for(store: Store) -> Resolver:
    """A Resolver that knows the gazetteer's names and aliases (loaded on first use) and the base's."""

    def country_of(name: str) -> str | None:
        code: str | None = _gazetteer().country_of(name)
        return code

    def canonical(name: str, type: str) -> str | None:
        found: str | None = _gazetteer().canonical(name, type)
        return found

    return Resolver(store, country_of=country_of, canonical=canonical)


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO code -> country name, from the gazetteer."""
    return {e.country: e.name for e in _gazetteer().entries if e.kind == "country" and e.country}


# ------------------------------------------------------------------------------------------ facets

_FACETS: tuple[tuple[str, str, str], ...] = (
    ("indicator", "indicators", "Documents with evidence of this indicator key"),
    ("country", "countries", "Documents that name a place in this country (ISO code or name)"),
    ("nationality", "nationalities", "Documents that name this nationality (ISO code, 'Nepali', 'Nepal')"),
    ("sector", "sectors", "Documents about this sector (construction, fishing...)"),
    ("entity", "entities", "Documents that name this person, organisation or place"),
)


def facet_options(func: F) -> F:
    """Add the facet options: --indicator, --country, --nationality, --sector, --entity (repeatable;
    commas give alternatives), --since, --until, --status, --review, --where."""
    func = click.option(
        "--where",
        "where",
        metavar="EXPR",
        help="More conditions in the --where language of cases, e.g. 'nationality=KP and country=RU'.",
    )(func)
    func = click.option(
        "--review",
        "review",
        multiple=True,
        type=click.Choice(REVIEW_STATES),
        help="Only documents in this review state (repeatable: any of them).",
    )(func)
    func = click.option(
        "--status",
        "status",
        multiple=True,
        type=click.Choice(STATUSES),
        help="Only documents whose forced-labour assessment is this (repeatable: any of them).",
    )(func)
    func = click.option(
        "--until", "until", metavar="DATE", help="Documents dated up to this date (YYYY[-MM[-DD]])."
    )(func)
    func = click.option(
        "--since", "since", metavar="DATE", help="Documents dated from this date (YYYY[-MM[-DD]])."
    )(func)
    for name, _field, text in reversed(_FACETS):
        func = click.option(
            f"--{name}",
            name,
            multiple=True,
            metavar="VALUE",
            help=f"{text}; repeat for all of several, or separate alternatives with commas.",
        )(func)
    return func


def filters_from_options(
    store: Store,
    *,
    query: str | None = None,
    indicator: Sequence[str] = (),
    country: Sequence[str] = (),
    nationality: Sequence[str] = (),
    sector: Sequence[str] = (),
    entity: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    status: Sequence[str] = (),
    review: Sequence[str] = (),
    where: str | None = None,
) -> Filters:
    """Filters from a search text and the facet options (names resolved, dates parsed, keys checked)."""
    conditions: list[Condition] = []
    for key, values in (
        ("indicator", indicator),
        ("country", country),
        ("nationality", nationality),
        ("sector", sector),
        ("entity", entity),
    ):
        for raw in values:
            parts = tuple(p.strip() for p in raw.split(",") if p.strip())
            if not parts:
                raise InvalidInput(f"--{key} was given an empty value.")
            conditions.append(Condition(key, parts))
    for key, value in (("since", since), ("until", until)):
        if value is not None:
            conditions.append(Condition(key, (value,)))
    if status:
        conditions.append(Condition("status", tuple(status)))
    if review:
        conditions.append(Condition("review", tuple(review)))
    if where:
        conditions.extend(parse_where(where))
    resolver = resolver_for(store)
    filters = build_filters(conditions, resolver)
    if query is not None and query.strip():
        filters = filters.merged(Filters(text=require_query(query)))
    return filters


# ------------------------------------------------------------------------------------------ output


def output_options(formats: Sequence[str], default: str) -> Callable[[F], F]:
    """Add -f/--format (value: `fmt`), -o/--output and --color/--no-color."""

    def wrap(func: F) -> F:
        func = click.option(
            "--color/--no-color", default=None, help="Colour the table [default: on a terminal]."
        )(func)
        func = click.option(
            "-o",
            "--output",
            default="-",
            show_default=True,
            type=click.Path(dir_okay=False, allow_dash=True),
            help="Write to this file instead of standard output.",
        )(func)
        func = click.option(
            "-f",
            "--format",
            "fmt",
            type=click.Choice(formats),
            default=default,
            show_default=True,
            help="Output format.",
        )(func)
        return func

    return wrap


def dump_json(obj: Any) -> str:
    """Pretty JSON, UTF-8 kept, with a final newline."""
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n"


def write_rich(output: str, parts: Iterable[Any], color: bool | None) -> None:
    """Render rich renderables as text to the output (coloured on a terminal unless --no-color)."""
    out = Output(output)
    try:
        width = terminal_width() if out.is_stdout else 120
        out.write(render_rich(parts, width=width, color=use_color(color, out.is_stdout)))
    finally:
        out.close()


def write_text(output: str, text: str) -> None:
    """Write text to the output."""
    out = Output(output)
    try:
        out.write(text)
    finally:
        out.close()


def write_csv(output: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write rows as CSV (RFC 4180, a header first)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    write_text(output, buf.getvalue())
