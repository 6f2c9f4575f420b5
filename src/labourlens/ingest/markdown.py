"""Read Markdown as prose: front matter and the common inline markup removed, words kept."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = ["MarkdownText", "markdown_to_text"]

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(\n|\Z)", re.S)
_FENCE_RE = re.compile(r"^[ \t]*(```|~~~).*$", re.M)
_HEADING_RE = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M)
_SETEXT_RULE_RE = re.compile(r"^[ \t]{0,3}(=+|-{3,}|\*{3,}|_{3,})[ \t]*$", re.M)
_QUOTE_RE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.M)
_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_DEF_RE = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]+\S+.*$", re.M)
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_RE = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?![\w*])")
_CODE_RE = re.compile(r"`([^`\n]+)`")
_HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_H1_TITLE_RE = re.compile(r"^[ \t]{0,3}#[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)


@dataclass
class MarkdownText:
    """What was read from a Markdown file: prose text, plus front matter fields when present."""

    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split YAML front matter off the text; ({}, text) when there is none or it is not a mapping."""
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text  # not front matter after all: keep the lines as text
    if not isinstance(data, dict):
        return {}, text
    return data, text[match.end() :]


def _as_str(value: Any) -> str | None:
    """A front matter value as a string (dates in ISO form); None when absent or not scalar."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def markdown_to_text(text: str) -> MarkdownText:
    """Strip Markdown markup that is not prose: front matter, heading marks, emphasis, link targets.

    List bullets and the words of links, images (alt text) and code spans are kept.
    text: the decoded Markdown.
    """
    front, body = _front_matter(text)
    h1 = _H1_TITLE_RE.search(body)
    body = _HTML_COMMENT_RE.sub("", body)
    body = _FENCE_RE.sub("", body)
    body = _REF_DEF_RE.sub("", body)
    body = _HEADING_RE.sub(r"\2", body)
    body = _SETEXT_RULE_RE.sub("", body)
    body = _QUOTE_RE.sub("", body)
    body = _IMAGE_RE.sub(r"\1", body)
    body = _LINK_RE.sub(r"\1", body)
    body = _STRONG_RE.sub(r"\2", body)
    body = _EM_RE.sub(r"\1", body)
    body = _CODE_RE.sub(r"\1", body)
    title = _as_str(front.get("title")) or (h1.group(1) if h1 else None)
    extra = {k: v for k, v in ((k, _as_str(v)) for k, v in front.items()) if v is not None}
    for key in ("title", "date", "author"):
        extra.pop(key, None)
    return MarkdownText(
        text=body,
        title=title,
        date=_as_str(front.get("date")),
        author=_as_str(front.get("author")),
        metadata={"front_matter": extra} if extra else {},
    )
