"""Presentation helpers shared by the renderers: labels, colours, and value formatting.

Nothing here reads files or the environment; every function is pure and cheap.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from io import StringIO
from typing import Any

from rich.console import Console, RenderableType

from labourlens.model.analysis import INDICATOR_KEYS, Analysis, Entity, Fact

# Human labels for the indicator keys. The lead will later read these from the knowledge files
# (indicators/<key>.yaml `label:`); until then this is the one place they live.

# One colour per indicator, in INDICATOR_KEYS order: the ten "category10" hues plus a yellow,
# chosen to stay distinguishable from each other as tinted backgrounds and as underlines.
_PALETTE: tuple[str, ...] = (
    "#9467bd",  # abuse_of_vulnerability: purple
    "#e6b800",  # deception: yellow
    "#1f77b4",  # restriction_of_movement: blue
    "#17becf",  # isolation: cyan
    "#d62728",  # physical_sexual_violence: red
    "#ff7f0e",  # intimidation_threats: orange
    "#8c564b",  # retention_of_identity_documents: brown
    "#2ca02c",  # withholding_of_wages: green
    "#e377c2",  # debt_bondage: pink
    "#bcbd22",  # abusive_working_living_conditions: olive
    "#5b5b5b",  # excessive_overtime: dark grey
)
_FALLBACK_COLOUR = "#a0a0a0"

FORCED_LABOUR_LABELS: dict[str, str] = {
    "indicated": "Forced labour indicated",
    "possible": "Forced labour possible",
    "not_indicated": "Forced labour not indicated",
}

ENTITY_TYPE_ORDER: tuple[str, ...] = ("person", "organization", "place", "nationality", "sector", "role")

# Metadata keys shown in report headers, in this order, when present.
METADATA_KEYS: tuple[str, ...] = ("title", "source", "url", "author", "published", "date")

# C0/C1 control characters (except tab and newline) and bidirectional overrides: shown as
# visible escapes so that a document can't drive a terminal or reorder what the reader sees.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACE_RUN = re.compile(r"\s+")


def indicator_label(key: str) -> str:
    """Human label of an indicator key, from its knowledge file ("debt_bondage" -> "Debt bondage")."""
    from labourlens.knowledge import load_knowledge

    label = load_knowledge().labels.get(key)
    if label is not None:
        return label
    return key.replace("_", " ").strip().capitalize() or "(unnamed indicator)"


def indicator_index(key: str) -> int | None:
    """Position of a key in INDICATOR_KEYS, or None for an unknown key."""
    try:
        return INDICATOR_KEYS.index(key)
    except ValueError:
        return None


def indicator_colour(key: str) -> str:
    """Hex colour (#rrggbb) of an indicator; grey for an unknown key."""
    idx = indicator_index(key)
    return _FALLBACK_COLOUR if idx is None else _PALETTE[idx]


def rgba(hex_colour: str, alpha: float) -> str:
    """CSS rgba() of a #rrggbb colour with the given opacity."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha:g})"


def forced_labour_label(status: str) -> str:
    """Human phrase for assessment.forced_labour."""
    return FORCED_LABOUR_LABELS.get(status, f"Forced labour: {status}")


def safe_text(text: str) -> str:
    """Replace control and bidi-override characters with visible \\xNN / \\uNNNN escapes."""
    return _UNSAFE_CHARS.sub(_escape_char, text)


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shorten(text: str, limit: int = 240) -> str:
    """One-line display form of a quote: spaces collapsed, long ones cut in the middle at words.

    text: the quote. limit: the longest result, in characters (at least 40).
    """
    flat = safe_text(_SPACE_RUN.sub(" ", text).strip())
    limit = max(limit, 40)
    if len(flat) <= limit:
        return flat
    keep = (limit - 3) // 2
    head = flat[:keep]
    tail = flat[len(flat) - keep :]
    # Cut at a word boundary where one is near, so words are not split.
    cut = head.rfind(" ")
    if cut > keep * 2 // 3:
        head = head[:cut]
    cut = tail.find(" ")
    if 0 <= cut < keep // 3:
        tail = tail[cut + 1 :]
    return f"{head.rstrip()} … {tail.lstrip()}"


def number(value: float | int | None) -> str:
    """A number for display: whole numbers without decimals, thousands separated."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def fact_value(fact: Fact) -> str:
    """The value or range of a fact, with its qualifier ("more than 18", "100–200")."""
    if fact.value is not None:
        shown = str(int(fact.value)) if fact.kind == "year" else number(fact.value)
    elif fact.min is not None and fact.max is not None:
        shown = f"{number(fact.min)}–{number(fact.max)}"
    elif fact.min is not None:
        shown = f"≥ {number(fact.min)}"
    elif fact.max is not None:
        shown = f"≤ {number(fact.max)}"
    else:
        shown = "—"
    if fact.qualifier:
        shown = f"{fact.qualifier.replace('_', ' ')} {shown}"
    return safe_text(shown)


def fact_unit(fact: Fact) -> str:
    """Unit, currency and period of a fact ("USD per month", "m", "per year")."""
    parts = [p for p in (fact.currency, fact.unit) if p]
    if fact.per:
        parts.append(f"per {fact.per}")
    return safe_text(" ".join(parts))


def fact_extra(fact: Fact) -> str:
    """Kind-specific extra keys of a fact as "key: value" pairs."""
    return safe_text("; ".join(f"{k.replace('_', ' ')}: {_plain(v)}" for k, v in sorted(fact.extra.items())))


def _plain(value: Any) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return number(value)
    return str(value)


def entity_groups(entities: Iterable[Entity]) -> list[tuple[str, list[Entity]]]:
    """Entities grouped by type (known types first), most mentioned first within a group."""
    groups: dict[str, list[Entity]] = {}
    for ent in entities:
        groups.setdefault(ent.type, []).append(ent)
    order = [t for t in ENTITY_TYPE_ORDER if t in groups] + sorted(
        t for t in groups if t not in ENTITY_TYPE_ORDER
    )
    return [(t, sorted(groups[t], key=lambda e: (-len(e.mentions), e.name))) for t in order]


def dropped_counts(dropped: Iterable[dict[str, Any]]) -> list[tuple[str, int]]:
    """Counts of dropped values by their kind (or stage, or reason), largest first."""
    counts: Counter[str] = Counter()
    for item in dropped:
        label = item.get("kind") or item.get("stage") or item.get("reason") or "other"
        counts[safe_text(str(label))] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def header_fields(analysis: Analysis) -> list[tuple[str, str]]:
    """(name, value) pairs for a report header: id, metadata, language and word count."""
    rows = [("id", safe_text(analysis.id))]
    for key in METADATA_KEYS:
        val = analysis.metadata.get(key)
        if isinstance(val, str | int | float) and not isinstance(val, bool) and str(val).strip():
            rows.append((key, safe_text(str(val).strip())))
    rows.append(("language", safe_text(analysis.language)))
    rows.append(("words", f"{word_count(analysis.text):,}"))
    return rows


def word_count(text: str) -> int:
    """Whitespace-separated words in a text."""
    return len(text.split())


def language_note(language: str) -> str | None:
    """The notice for a document that is not in English, or None for English."""
    if language == "en":
        return None
    lang = safe_text(language) or "unknown"
    return (
        f"This document's language is '{lang}', not English. labourlens analyses English text only, "
        "so it was not analysed: no indicators, facts or entities were looked for."
    )


def rich_to_text(
    parts: Iterable[RenderableType], *, width: int = 100, color: bool = False, color_system: str = "standard"
) -> str:
    """Render rich renderables to a string, deterministically (no environment lookups).

    parts: tables, text...; width: line width; color: emit ANSI colours in `color_system`.
    Trailing blanks that rich pads lines with are removed: they are noise in files and diffs.
    """
    buf = StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        color_system=color_system if color else None,  # type: ignore[arg-type]
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        _environ={},  # ignore COLUMNS, NO_COLOR, FORCE_COLOR, TERM
    )
    for part in parts:
        console.print(part)
    return "\n".join(line.rstrip(" ") for line in buf.getvalue().split("\n"))
