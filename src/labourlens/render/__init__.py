"""Renderers of an analysis: a terminal report and a standalone HTML page."""

from __future__ import annotations

from collections.abc import Callable

from labourlens.errors import InvalidInput
from labourlens.model.analysis import Analysis
from labourlens.render.common import indicator_label
from labourlens.render.html import render_html
from labourlens.render.text import render_text

RENDERERS: dict[str, Callable[[Analysis], str]] = {
    "text": render_text,
    "html": render_html,
}


def render(analysis: Analysis, fmt: str) -> str:
    """Render an analysis in a named format.

    analysis: the result to show. fmt: a key of RENDERERS ("text", "html").
    """
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise InvalidInput(
            f"Unknown report format {fmt!r}.", hint=f"Use one of: {', '.join(sorted(RENDERERS))}."
        ) from None
    return renderer(analysis)


__all__ = ["RENDERERS", "indicator_label", "render", "render_html", "render_text"]
