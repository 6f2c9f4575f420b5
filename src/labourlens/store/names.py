"""Turn what people type for a country, nationality, sector or entity into the values stored.

"Qatar", "QA" and "qa" are all the country QA; "North Korean", "North Korea" and "DPRK" are the
nationality KP. A gazetteer lookup (given by the caller, so that the store does not load
knowledge itself) comes first, then the canonical names already in the base.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from labourlens.errors import InvalidInput
from labourlens.store.repository import Store
from labourlens.store.tables import entities

__all__ = ["Resolver"]

_ISO2 = re.compile(r"[A-Za-z]{2}")


@dataclass
class Resolver:
    """Resolves names against an optional gazetteer and the base's entities.

    country_of: name -> ISO code or None (Gazetteer.country_of); canonical: (name, type) ->
    canonical name or None (Gazetteer.canonical).
    """

    store: Store
    country_of: Callable[[str], str | None] | None = None
    canonical: Callable[[str, str], str | None] | None = None

    def country_code(self, value: str, what: str = "country") -> str:
        """The ISO 3166-1 alpha-2 code for a country or nationality name or code.

        Raises InvalidInput when neither the gazetteer nor the base knows it.
        """
        text = " ".join(value.split())
        if not text:
            raise InvalidInput(
                f"An empty {what} was given.", hint="Give a code such as QA or a name such as Qatar."
            )
        if self.country_of is not None:
            for candidate in dict.fromkeys((text, text.title())):
                code = self.country_of(candidate)
                if code:
                    return code
        if _ISO2.fullmatch(text):
            return text.upper()
        with self.store.read() as conn:
            code = conn.execute(
                sa.select(entities.c.country)
                .where(
                    entities.c.type.in_(("place", "nationality")),
                    sa.func.lower(entities.c.name) == text.lower(),
                    entities.c.country.is_not(None),
                )
                .limit(1)
            ).scalar_one_or_none()
        if code:
            return str(code)
        raise InvalidInput(
            f"Unknown {what} '{value}'.",
            hint="Give an ISO 3166 code such as QA, or a name such as Qatar or Qatari.",
        )

    def name(self, value: str, type: str | None = None) -> str:
        """The canonical name of an entity ("DPRK" -> "North Korea"), else the name as given.

        type: the entity type to look up (sector, place, organization...); None tries them all.
        """
        text = " ".join(value.split())
        if not text:
            raise InvalidInput("An empty name was given.", hint="Give a name such as 'construction'.")
        if self.canonical is not None:
            types = (type,) if type else ("place", "nationality", "organization", "sector", "role")
            for t in types:
                for candidate in dict.fromkeys((text, text.lower())):
                    found = self.canonical(candidate, t)
                    if found:
                        return found
        return text
