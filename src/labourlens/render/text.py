"""Terminal report of one analysis, rendered with rich.

Document text is always passed to rich as `Text` (never as markup), and control characters are
shown as escapes, so a document can neither inject rich markup nor drive the terminal.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from labourlens.model.analysis import Analysis, Evidence, IndicatorResult
from labourlens.render.common import (
    dropped_counts,
    entity_groups,
    fact_extra,
    fact_unit,
    fact_value,
    forced_labour_label,
    header_fields,
    indicator_colour,
    indicator_label,
    language_note,
    rich_to_text,
    safe_text,
    shorten,
)

_STATUS_STYLE = {
    "indicated": "bold white on red3",
    "possible": "bold black on yellow3",
    "not_indicated": "bold white on green4",
}


def render_text(analysis: Analysis, *, width: int = 100, color: bool = False) -> str:
    """Render an analysis as a plain-text (or ANSI-coloured) terminal report.

    analysis: the result to show.
    width: line width in characters (at least 60).
    color: emit ANSI colours; otherwise the report is plain text.
    """
    return rich_to_text(_report(analysis), width=max(width, 60), color=color, color_system="truecolor")


def _report(analysis: Analysis) -> list[RenderableType]:
    parts: list[RenderableType] = [_header(analysis)]
    note = language_note(analysis.language)
    if note is not None:
        parts.append(
            Panel(Text(note, style="bold"), title="Not analysed", border_style="yellow", box=box.HEAVY)
        )
    parts += [_section("Assessment"), _assessment(analysis)]
    parts += [_section(f"Indicators ({len(analysis.indicators)} of 11)"), _indicators(analysis)]
    parts += [_section(f"Facts ({len(analysis.facts)})"), _facts(analysis)]
    parts += [_section(f"Entities ({len(analysis.entities)})"), _entities(analysis)]
    parts.append(_dropped(analysis))
    return parts


def _section(title: str) -> Rule:
    return Rule(Text(title.upper(), style="bold"), align="left", style="dim")


def _header(analysis: Analysis) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for name, value in header_fields(analysis):
        grid.add_row(Text(name), Text(value, style="bold" if name == "title" else ""))
    return Panel(grid, title=Text("labourlens report", style="bold"), title_align="left", box=box.ROUNDED)


def _keys_line(keys: list[str]) -> Text:
    if not keys:
        return Text("none", style="dim")
    out = Text()
    for i, key in enumerate(keys):
        if i:
            out.append(", ")
        out.append(safe_text(indicator_label(key)), style=indicator_colour(key))
    return out


def _assessment(analysis: Analysis) -> RenderableType:
    a = analysis.assessment
    rows: list[RenderableType] = []
    status = Text()
    status.append(
        f" {forced_labour_label(safe_text(a.forced_labour)).upper()} ",
        style=_STATUS_STYLE.get(a.forced_labour, "bold"),
    )
    status.append(f"  ({safe_text(a.forced_labour)})", style="dim")
    rows.append(status)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(overflow="fold")
    grid.add_row(Text(f"Involuntariness ({len(a.involuntariness)})"), _keys_line(a.involuntariness))
    grid.add_row(Text(f"Coercion ({len(a.coercion)})"), _keys_line(a.coercion))
    rows.append(grid)
    if a.reasons:
        rows.append(Text("Reasons", style="bold"))
        rows.append(_bullets([Text(safe_text(r)) for r in a.reasons]))
    if a.legal:
        rows.append(Text("Legal hooks", style="bold"))
        hooks = []
        for hook in a.legal:
            line = Text(safe_text(hook.instrument), style="bold")
            if hook.id:
                line.append(f" [{safe_text(hook.id)}]", style="dim")
            if hook.why:
                line.append(f": {safe_text(hook.why)}")
            hooks.append(line)
        rows.append(_bullets(hooks))
    return Padding(Group(*rows), (0, 0, 1, 1))


def _bullets(items: list[Text]) -> RenderableType:
    """A bulleted list with a hanging indent."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row(Text("•"), item)
    return Padding(grid, (0, 0, 0, 2))


def _evidence_line(ev: Evidence) -> RenderableType:
    quote = Text()
    quote.append("“" + shorten(ev.quote) + "”", style="dim strike" if ev.negated else "italic")
    meta = Text(f"{ev.start}–{ev.end} · confidence {ev.confidence:.2f}", style="dim")
    meta.append(" · ")
    meta.append(safe_text(ev.speaker) if ev.speaker else "reporter", style="cyan" if ev.speaker else "dim")
    if ev.hedged:
        meta.append(" · ")
        meta.append("hedged", style="yellow")
    if ev.negated:
        meta.append(" · ")
        meta.append("NEGATED (not counted)", style="bold magenta")
    return Padding(Group(quote, meta), (0, 0, 0, 4))


def _indicator_block(ind: IndicatorResult) -> RenderableType:
    head = Text()
    head.append("■ ", style=indicator_colour(ind.indicator))
    head.append(safe_text(indicator_label(ind.indicator)), style="bold")
    head.append(f"  [{safe_text(ind.dimension)}]", style="dim")
    head.append(f"  confidence {ind.confidence:.2f}")
    head.append(f"  · {len(ind.evidence)} quote{'s' if len(ind.evidence) != 1 else ''}", style="dim")
    return Group(head, *(_evidence_line(ev) for ev in ind.evidence), Text(""))


def _indicators(analysis: Analysis) -> RenderableType:
    if not analysis.indicators:
        msg = (
            "No indicator was looked for."
            if analysis.language != "en"
            else "No indicator of forced labour found."
        )
        return Padding(Text(msg, style="dim"), (0, 0, 1, 1))
    ordered = sorted(analysis.indicators, key=lambda i: -i.confidence)
    return Padding(Group(*(_indicator_block(i) for i in ordered)), (0, 0, 0, 1))


def _facts(analysis: Analysis) -> RenderableType:
    if not analysis.facts:
        return Padding(Text("No facts found.", style="dim"), (0, 0, 1, 1))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column("kind", no_wrap=True, style="bold")
    table.add_column("value", no_wrap=True)
    table.add_column("unit", no_wrap=True)
    table.add_column("quote", ratio=1, overflow="fold")
    for fact in sorted(analysis.facts, key=lambda f: (f.start, f.kind)):
        quote = Text("“" + shorten(fact.quote, 160) + "”", style="italic")
        quote.append(f"  {fact.start}–{fact.end}", style="dim")
        extra = fact_extra(fact)
        if extra:
            quote.append(f"  ({extra})", style="dim")
        table.add_row(Text(safe_text(fact.kind)), Text(fact_value(fact)), Text(fact_unit(fact)), quote)
    return Padding(table, (0, 0, 1, 1))


def _entities(analysis: Analysis) -> RenderableType:
    if not analysis.entities:
        return Padding(Text("No entities found.", style="dim"), (0, 0, 1, 1))
    rows: list[RenderableType] = []
    for etype, ents in entity_groups(analysis.entities):
        line = Text()
        line.append(f"{safe_text(etype)}: ", style="bold")
        for i, ent in enumerate(ents):
            if i:
                line.append(", ")
            line.append(safe_text(ent.name))
            details = [safe_text(d) for d in (ent.country, ent.role) if d]
            details.append(f"×{len(ent.mentions)}")
            line.append(f" ({', '.join(details)})", style="dim")
        rows.append(line)
    return Padding(Group(*rows), (0, 0, 1, 1))


def _dropped(analysis: Analysis) -> RenderableType:
    counts = dropped_counts(analysis.dropped)
    if not counts:
        return Text("Note: no values were dropped.", style="dim")
    total = sum(n for _, n in counts)
    detail = ", ".join(f"{label} {n}" for label, n in counts)
    return Text(
        f"Note: {total} value{'s' if total != 1 else ''} could not be normalised and "
        f"{'were' if total != 1 else 'was'} dropped ({detail}).",
        style="yellow",
    )
