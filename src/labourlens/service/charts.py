"""Charts as inline SVG built on the server: no script, no library, nothing fetched.

Every label goes through markupsafe.escape; the numbers and colours are our own.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from labourlens.model.analysis import INDICATOR_KEYS
from labourlens.render.common import indicator_colour, indicator_label
from labourlens.store.aggregate import Stats

__all__ = ["bars", "heat_map", "over_time"]

_FONT = 'font-family="system-ui, sans-serif" font-size="11"'
_MAX_COLUMNS = 12


def _empty(text: str = "No documents yet.") -> Markup:
    return Markup('<p class="empty">{}</p>').format(text)


def heat_map(result: Stats) -> Markup:
    """Indicator (rows) by country (columns): documents per cell, darker for more."""
    cells: dict[tuple[str, str], int] = {}
    per_country: dict[str, int] = {}
    for row in result.rows:
        key, country = row.values
        if key is None or country is None:
            continue
        cells[(str(key), str(country))] = row.count
        per_country[str(country)] = per_country.get(str(country), 0) + row.count
    if not cells:
        return _empty()
    countries = sorted(per_country, key=lambda c: (-per_country[c], c))[:_MAX_COLUMNS]
    keys = [k for k in INDICATOR_KEYS if any((k, c) in cells for c in countries)]
    top = max(cells.values())
    left, cell, head = 230, 34, 22
    width, height = left + cell * len(countries) + 4, head + cell * len(keys) + 4
    parts = [
        f'<svg class="chart heat" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg" {_FONT}>'
    ]
    parts.append("<title>Documents per indicator and country</title>")
    for j, country in enumerate(countries):
        x = left + j * cell + cell / 2
        parts.append(f'<text x="{x}" y="14" text-anchor="middle">{escape(country)}</text>')
    for i, key in enumerate(keys):
        y = head + i * cell
        label = escape(indicator_label(key))
        parts.append(f'<text x="{left - 6}" y="{y + cell / 2 + 4}" text-anchor="end">{label}</text>')
        for j, country in enumerate(countries):
            n = cells.get((key, country), 0)
            opacity = 0.08 if n == 0 else 0.25 + 0.75 * n / top
            x = left + j * cell
            parts.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="#b4002d" fill-opacity="{opacity:.2f}"><title>{escape(indicator_label(key))}, '
                f"{escape(country)}: {n}</title></rect>"
            )
            if n:
                parts.append(
                    f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle">{n}</text>'
                )
    parts.append("</svg>")
    return Markup("".join(parts))


def over_time(result: Stats) -> Markup:
    """Documents per indicator and year, as one line per indicator."""
    series: dict[str, dict[int, int]] = {}
    years: set[int] = set()
    for row in result.rows:
        key, year = row.values
        if key is None or year is None:
            continue
        series.setdefault(str(key), {})[int(year)] = row.count
        years.add(int(year))
    if not years:
        return _empty("No dated documents yet.")
    span = list(range(min(years), max(years) + 1))
    top = max(n for s in series.values() for n in s.values())
    left, width, height, bottom = 36, 560, 200, 24
    step = (width - left - 30) / max(1, len(span) - 1)
    parts = [
        f'<svg class="chart time" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg" {_FONT}>',
        "<title>Documents per indicator and year</title>",
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="#888"/>',
        f'<text x="{left - 4}" y="14" text-anchor="end">{top}</text>',
    ]
    for i, year in enumerate(span):
        x = left + i * step
        parts.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle">{year}</text>')

    def y_of(n: int) -> float:
        return height - bottom - (height - bottom - 12) * n / top

    for key in INDICATOR_KEYS:
        if key not in series:
            continue
        points = " ".join(
            f"{left + i * step:.1f},{y_of(series[key].get(y, 0)):.1f}" for i, y in enumerate(span)
        )
        colour = indicator_colour(key)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2">'
            f"<title>{escape(indicator_label(key))}</title></polyline>"
        )
        for i, y in enumerate(span):
            cy = y_of(series[key].get(y, 0))
            parts.append(f'<circle cx="{left + i * step:.1f}" cy="{cy:.1f}" r="2.5" fill="{colour}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(rows: Sequence[tuple[str, int]]) -> Markup:
    """Horizontal bars: label and count."""
    if not rows:
        return _empty()
    top = max(n for _, n in rows)
    left, bar, width = 150, 20, 420
    height = bar * len(rows) + 4
    parts = [
        f'<svg class="chart bars" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg" {_FONT}>'
    ]
    for i, (label, n) in enumerate(rows):
        y = i * bar
        w = (width - left - 40) * n / top
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{escape(label[:28])}</text>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{bar - 6}" fill="#3a6ea5"/>')
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 14}">{n}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
