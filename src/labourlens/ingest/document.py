"""The document that ingest hands to the pipeline, and the one place that finishes it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from labourlens.errors import InvalidInput
from labourlens.ingest.limits import check_text_length
from labourlens.ingest.text import normalize_text
from labourlens.settings import Settings

__all__ = ["FORMATS", "Document", "iso_date", "make_document"]

# The formats ingest reads, as Document.format spells them.
FORMATS: tuple[str, ...] = ("txt", "md", "html", "pdf", "docx", "eml", "jsonl")


@dataclass
class Document:
    """One input document: normalised text plus what is known about where it came from.

    id: the caller's id (JSONL "id"), else None; the pipeline then derives sha256:<hex>.
    text: the normalised text (normalize_text applied) that all offsets point into.
    source: where it came from: a path, "-" for stdin, "file.jsonl:12" for JSONL line 12.
    format: txt, md, html, pdf, docx, eml or jsonl.
    title, date (ISO 8601 date: YYYY-MM-DD, or YYYY-MM / YYYY when that is all that is known),
    author: when the format carries them.
    metadata: everything else: other JSONL keys, email headers, PDF page count, encoding.
    """

    id: str | None
    text: str
    source: str
    format: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


_ISO_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][0-9:.+\-Z]*)?")


def iso_date(value: str | None) -> str | None:
    """The ISO 8601 date in value ("2024-03-05", "2024-03", "2024"; a time part is dropped), else None.

    value: a date string from a file's metadata.
    """
    match = _ISO_DATE_RE.fullmatch((value or "").strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return "-".join(part for part in (year, month, day) if part)


def _clean_field(value: str | None) -> str | None:
    """Normalise a short metadata field; empty becomes None."""
    if value is None:
        return None
    value = " ".join(normalize_text(value).split())
    return value or None


def make_document(
    raw_text: str,
    *,
    name: str,
    format: str,
    settings: Settings,
    id: str | None = None,
    source: str | None = None,
    title: str | None = None,
    date: str | None = None,
    author: str | None = None,
    metadata: dict[str, Any] | None = None,
    empty_hint: str | None = None,
    empty_error: InvalidInput | None = None,
) -> Document:
    """Normalise extracted text, check it is neither empty nor too long, and build the Document.

    A date that is not ISO 8601 is kept in metadata["date_unparsed"] instead of Document.date.
    raw_text: the text as extracted; name: the input's name for messages; format: see FORMATS;
    source: defaults to name; empty_hint: what to say when no text is left; empty_error: the
    error to raise instead when no text is left.
    """
    if len(raw_text) > 2 * settings.max_text_chars:
        check_text_length(raw_text, name, settings)  # refuse before spending time normalising
    text = normalize_text(raw_text)
    if not text:
        if empty_error is not None:
            raise empty_error
        raise InvalidInput(
            f"'{name}' is empty." if not raw_text else f"'{name}' is empty (it holds no readable text).",
            hint=empty_hint or "Give a document that contains text.",
        )
    check_text_length(text, name, settings)
    metadata = dict(metadata or {})
    date = _clean_field(date)
    if date is not None and iso_date(date) is None:
        metadata["date_unparsed"] = date  # kept, not silently dropped
    return Document(
        id=id,
        text=text,
        source=source if source is not None else name,
        format=format,
        title=_clean_field(title),
        date=iso_date(date),
        author=_clean_field(author),
        metadata=metadata,
    )


def document_metadata(doc: Document) -> dict[str, Any]:
    """The content metadata a document carries into its analysis.

    Its own metadata (other JSONL keys, email headers, encoding...), then title, date, author,
    format and source. A JSONL record's own "source" key is kept; the file and line then go
    under "input".
    """
    meta: dict[str, Any] = dict(doc.metadata)
    for key in ("title", "date", "author"):
        value = getattr(doc, key)
        if value is not None:
            meta[key] = value
    meta["format"] = doc.format
    if meta.get("source") not in (None, doc.source):
        meta["input"] = doc.source
    else:
        meta["source"] = doc.source
    return meta
