"""Literal strings that every match of a regular expression must contain (a cheap pre-filter).

`required_literals(pattern)` walks the parsed expression and returns a set of lower-case strings
such that any match contains at least one of them, or None when it cannot tell. Checking
`any(lit in text.lower() for lit in lits)` before running the regex is therefore always safe: it
only skips sentences where the pattern cannot match.
"""

from __future__ import annotations

import re
from re import _constants as sre_constants  # type: ignore[attr-defined]  # the parser behind `re`
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

MIN_LENGTH = 3

_LITERAL = sre_constants.LITERAL
_SUBPATTERN = sre_constants.SUBPATTERN
_BRANCH = sre_constants.BRANCH
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)


def required_literals(pattern: str, flags: int = re.IGNORECASE) -> frozenset[str] | None:
    """Lower-case strings one of which every match contains, or None if none can be found."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return None
    found = _sequence(list(parsed))
    if not found or min(len(s) for s in found) < MIN_LENGTH:
        return None
    return frozenset(found)


def _sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The most selective required set among the items of a sequence (runs of literals merged)."""
    candidates: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is _LITERAL:
            run += chr(av).lower()
            continue
        if run:
            candidates.append({run})
            run = ""
        if op in _ZERO_WIDTH:
            continue
        found = _item(op, av)
        if found:
            candidates.append(found)
    if run:
        candidates.append({run})
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(len(x) for x in s), -len(s)))


def _item(op: Any, av: Any) -> set[str] | None:
    if op is _SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is _BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _sequence(list(branch))
            if not found:
                return None
            union |= found
        return union
    if op in _REPEATS:
        low, _high, sub = av
        if low >= 1:
            return _sequence(list(sub))
    return None
