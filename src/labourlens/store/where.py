"""The small condition language of `--where` (cases), and the one place facets become Filters.

    nationality=KP and country=RU
    country = "Russia, China" and indicator=withholding_of_wages and since=2022
    sector=construction and text="passport"

Conditions are `key=value` (or `key:value`) joined by `and`; every condition must hold. A value
may be quoted ("..." or '...'); commas separate alternatives, any of which will do. Keys:
nationality, country, sector, indicator, status, entity, review, since, until, text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from labourlens.errors import InvalidInput
from labourlens.ingest.document import iso_date
from labourlens.store.filters import Filters
from labourlens.store.names import Resolver
from labourlens.store.query import TextQuery, require_query

__all__ = ["WHERE_KEYS", "Condition", "build_filters", "parse_date", "parse_where"]

WHERE_KEYS: tuple[str, ...] = (
    "nationality",
    "country",
    "sector",
    "indicator",
    "status",
    "entity",
    "review",
    "since",
    "until",
    "text",
)
_KEY = re.compile(r"\s*([A-Za-z_]+)\s*[=:]\s*")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_TRAILING_AND = re.compile(r"\s+and\s*$", re.IGNORECASE)
MAX_WHERE_CHARS = 2000
_HELP = 'Write key=value conditions joined by "and", e.g. nationality=KP and country=RU.'


@dataclass(frozen=True)
class Condition:
    """One key=value condition; values: the alternatives."""

    key: str
    values: tuple[str, ...]


def _split_values(raw: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in raw.split(",") if v.strip())


def parse_where(text: str) -> list[Condition]:
    """Parse a --where expression into conditions.

    Raises InvalidInput, saying where and what, for an unknown key, a missing '=', an unclosed
    quote or an empty value.
    """
    if len(text) > MAX_WHERE_CHARS:
        raise InvalidInput(f"The --where expression is over {MAX_WHERE_CHARS} characters.", hint=_HELP)
    conditions: list[Condition] = []
    pos = 0
    text = text.strip()
    if not text:
        raise InvalidInput("The --where expression is empty.", hint=_HELP)
    if _TRAILING_AND.search(text):
        raise InvalidInput("The --where expression ends with 'and'.", hint=_HELP)
    while pos < len(text):
        match = _KEY.match(text, pos)
        if not match:
            shown = text[pos:].strip()[:40]
            raise InvalidInput(f"Expected key=value in --where at '{shown}'.", hint=_HELP)
        key = match.group(1).lower()
        if key not in WHERE_KEYS:
            raise InvalidInput(
                f"Unknown --where key '{match.group(1)}'.", hint=f"Keys: {', '.join(WHERE_KEYS)}."
            )
        pos = match.end()
        if pos < len(text) and text[pos] in "\"'":
            quote = text[pos]
            end = text.find(quote, pos + 1)
            if end < 0:
                raise InvalidInput(
                    f"The value of '{key}' opens a quote ({quote}) that is never closed.", hint=_HELP
                )
            raw = text[pos + 1 : end]
            pos = end + 1
            rest = text[pos:]
            if rest.strip() and not _AND.match(rest):
                raise InvalidInput(f"Expected 'and' after the quoted value of '{key}'.", hint=_HELP)
        else:
            found = _AND.search(text, pos)
            end = found.start() if found else len(text)
            raw = text[pos:end]
            pos = end
        values = (raw.strip(),) if key == "text" else _split_values(raw)
        if not values or not values[0]:
            raise InvalidInput(f"'{key}' is given no value in --where.", hint=_HELP)
        conditions.append(Condition(key, values))
        found_and = _AND.match(text, pos)
        if found_and:
            pos = found_and.end()
        elif text[pos:].strip():
            raise InvalidInput(f"Expected 'and' in --where at '{text[pos:].strip()[:40]}'.", hint=_HELP)
        else:
            break
    return conditions


def parse_date(value: str, *, end: bool = False) -> dt.date:
    """A date from YYYY-MM-DD, YYYY-MM or YYYY: the first day of the period, or its last with end=True.

    Raises InvalidInput for anything else.
    """
    iso = iso_date(value.strip())
    if iso is None:
        raise InvalidInput(f"'{value}' is not a date.", hint="Write it as YYYY-MM-DD, YYYY-MM or YYYY.")
    parts = [int(p) for p in iso.split("-")]
    year = parts[0]
    if len(parts) == 3:
        return dt.date(year, parts[1], parts[2])
    if len(parts) == 2:
        month = parts[1]
        if not end:
            return dt.date(year, month, 1)
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)


def build_filters(
    conditions: Iterable[Condition], resolver: Resolver, *, base: Filters | None = None
) -> Filters:
    """Filters for the conditions: names resolved (country names to codes, aliases to canonical
    names), dates parsed, keys and statuses checked. base: conditions to add to."""
    text: TextQuery | None = None
    groups: dict[str, list[tuple[str, ...]]] = {
        k: [] for k in ("indicator", "country", "nationality", "sector", "entity")
    }
    statuses: list[str] = []
    review: list[str] = []
    since: dt.date | None = None
    until: dt.date | None = None
    for cond in conditions:
        key, values = cond.key, cond.values
        if key == "text":
            query = require_query(values[0])
            text = query if text is None else Filters(text=text).merged(Filters(text=query)).text
        elif key in ("country", "nationality"):
            groups[key].append(tuple(resolver.country_code(v, key) for v in values))
        elif key == "sector":
            groups[key].append(tuple(resolver.name(v, "sector") for v in values))
        elif key == "entity":
            groups[key].append(tuple(resolver.name(v) for v in values))
        elif key == "indicator":
            groups[key].append(tuple(v.strip().lower().replace("-", "_").replace(" ", "_") for v in values))
        elif key == "status":
            statuses.extend(v.strip().lower().replace("-", "_").replace(" ", "_") for v in values)
        elif key == "review":
            review.extend(v.strip().lower() for v in values)
        elif key == "since":
            day = parse_date(_single(key, values))
            since = max(since, day) if since else day
        elif key == "until":
            day = parse_date(_single(key, values), end=True)
            until = min(until, day) if until else day
    built = Filters(
        text=text,
        indicators=tuple(groups["indicator"]),
        countries=tuple(groups["country"]),
        nationalities=tuple(groups["nationality"]),
        sectors=tuple(groups["sector"]),
        entities=tuple(groups["entity"]),
        since=since,
        until=until,
        statuses=tuple(dict.fromkeys(statuses)),
        reviews=tuple(dict.fromkeys(review)),
    )
    return base.merged(built) if base is not None else built


def _single(key: str, values: Sequence[str]) -> str:
    if len(values) != 1:
        raise InvalidInput(f"'{key}' takes one date, not a list.", hint="Write e.g. since=2022-01-01.")
    return values[0]
