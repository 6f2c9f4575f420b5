"""A safe full-text query language, turned into an SQLite FTS5 or PostgreSQL tsquery expression.

What people type is parsed here and never handed to the database's own query syntax:

    passport wages          both words (in any order, anywhere in the document)
    "locked in"             the phrase
    debt OR loan            either word (OR in capitals; it binds two neighbouring terms)
    -tax   NOT tax          leave out documents with the word
    recruit*                words starting with "recruit"
    sixteen-hour            the words as a phrase

Words are letters and digits; every other character separates words, so quotes, SQL
fragments, FTS operators (NEAR, ^, :, parentheses) and stray symbols are either words or
nothing. A quote left open runs to the end. Matching is by stem ("passports" finds
"passport") on both backends; PostgreSQL ignores English stop words ("the", "and").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from labourlens.errors import InvalidInput

__all__ = ["MAX_QUERY_CHARS", "MAX_TERMS", "Term", "TextQuery", "parse_query"]

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32

_WORD = re.compile(r"[^\W_]+")
# A quoted phrase (the closing quote optional), or a bare token with an optional '-' in front and
# '*' behind. Bare tokens keep inner hyphens and apostrophes ("sixteen-hour", "o'clock").
_TOKEN = re.compile(
    r"""(?P<neg>-)?(?:["“”](?P<phrase>[^"“”]*)["“”]?|(?P<bare>[^\W_]+(?:['’\-][^\W_]+)*)(?P<star>\*)?)"""
)
_HELP = 'Type words ("passport wages"), a "quoted phrase", OR between words, -word to leave one out.'


@dataclass(frozen=True, slots=True)
class Term:
    """Words that must appear together (one word, or a phrase); prefix: the last word is a prefix."""

    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False

    def fts5(self) -> str:
        """This term as an FTS5 string (words hold letters and digits only, so no escaping is needed)."""
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")

    def tsquery(self) -> str:
        """This term in to_tsquery syntax."""
        parts = [f"'{w.lower()}'" for w in self.words]
        if self.prefix:
            parts[-1] += ":*"
        return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


@dataclass(frozen=True, slots=True)
class TextQuery:
    """A parsed query: all of `clauses` must match (each clause: any of its terms); none of `excluded`."""

    clauses: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()
    text: str = ""

    def fts5(self) -> str:
        """The FTS5 MATCH expression."""
        positive = " AND ".join("(" + " OR ".join(t.fts5() for t in clause) + ")" for clause in self.clauses)
        if not self.excluded:
            return positive
        return f"({positive}) NOT (" + " OR ".join(t.fts5() for t in self.excluded) + ")"

    def tsquery(self) -> str:
        """The to_tsquery('english', ...) expression."""
        parts = ["(" + " | ".join(t.tsquery() for t in clause) + ")" for clause in self.clauses]
        parts.extend("!" + t.tsquery() for t in self.excluded)
        return " & ".join(parts)

    def any_term(self) -> TextQuery:
        """A query that matches any of this one's terms (to mark every matched word in a quote)."""
        return TextQuery((tuple(t for clause in self.clauses for t in clause),), (), self.text)

    @property
    def words(self) -> list[str]:
        """The words searched for (not the excluded ones)."""
        return [w for clause in self.clauses for t in clause for w in t.words]


def parse_query(text: str) -> TextQuery | None:
    """Parse what a person typed; None when it holds no word at all (an empty search).

    Raises InvalidInput when it is too long, has too many terms, or only excludes words.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidInput(
            f"The search text has {len(text):,} characters, over the limit of {MAX_QUERY_CHARS:,}.",
            hint="Search for fewer words.",
        )
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False  # the previous token was OR, after a term to look for
    negate_next = False  # the previous token was NOT
    after_term = False  # the previous token was a term to look for
    for match in _TOKEN.finditer(text):
        bare = match.group("bare")
        if bare in ("OR", "AND", "NOT") and not match.group("neg"):
            if bare == "OR":
                join_next = after_term and not negate_next
            elif bare == "NOT":
                negate_next = True
                join_next = False
            continue
        raw = match.group("phrase") if match.group("phrase") is not None else bare
        words = tuple(_WORD.findall(raw or ""))
        if not words:
            continue
        term = Term(words, prefix=bool(match.group("star")), negated=bool(match.group("neg")) or negate_next)
        negate_next = False
        if term.negated:
            excluded.append(term)
        elif join_next and clauses:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
        after_term = not term.negated
        if len(clauses) + len(excluded) > MAX_TERMS:
            raise InvalidInput(f"The search has more than {MAX_TERMS} terms.", hint="Search for fewer words.")
    if not clauses:
        if excluded:
            raise InvalidInput(
                f"The search '{text.strip()}' only leaves words out; give at least one word to look for.",
                hint=_HELP,
            )
        return None
    return TextQuery(tuple(tuple(c) for c in clauses), tuple(excluded), text.strip())


def require_query(text: str) -> TextQuery:
    """parse_query, but an empty search is an error (InvalidInput that says what to type)."""
    query = parse_query(text)
    if query is None:
        shown = text.strip()
        raise InvalidInput(
            f"The search '{shown}' has no word to look for." if shown else "The search is empty.", hint=_HELP
        )
    return query
