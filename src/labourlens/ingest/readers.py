"""One reader per format: read_<fmt>(data, name, settings) -> Document.

Each reader takes the whole input as bytes, extracts its text and metadata, and finishes the
Document through make_document (normalisation, empty and length checks). Readers raise
InvalidInput (or InputTooLarge) with a message that names the input and says what to do.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any, cast

from labourlens.errors import InputTooLarge, InvalidInput
from labourlens.ingest.document import Document, make_document
from labourlens.ingest.html import decode_html, html_to_text
from labourlens.ingest.limits import human_bytes
from labourlens.ingest.markdown import markdown_to_text
from labourlens.ingest.text import decode_bytes
from labourlens.settings import Settings

__all__ = ["READERS", "read_docx", "read_eml", "read_html", "read_md", "read_pdf", "read_txt"]

Reader = Callable[[bytes, str, Settings], Document]

# pdfium is not thread-safe: one PDF at a time per process.
_PDF_LOCK = threading.Lock()
_PDF_DATE_RE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
# A .docx (a ZIP) may expand to at most this many times max_document_bytes.
_DOCX_MAX_EXPANSION = 10


def read_txt(data: bytes, name: str, settings: Settings) -> Document:
    """Read plain text: BOM, else UTF-8, else the detected legacy encoding (recorded in metadata).

    data: the file's bytes; name: for messages and Document.source.
    """
    text, encoding = decode_bytes(data, name)
    return make_document(text, name=name, format="txt", settings=settings, metadata={"encoding": encoding})


def read_md(data: bytes, name: str, settings: Settings) -> Document:
    """Read Markdown as text: decoded like .txt, front matter and inline markup stripped.

    data: the file's bytes; name: for messages and Document.source.
    """
    text, encoding = decode_bytes(data, name)
    md = markdown_to_text(text)
    return make_document(
        md.text,
        name=name,
        format="md",
        settings=settings,
        title=md.title,
        date=md.date,
        author=md.author,
        metadata={"encoding": encoding, **md.metadata},
    )


def read_html(data: bytes, name: str, settings: Settings) -> Document:
    """Read an HTML page: its main text (trafilatura, else all visible text), title, date, author.

    data: the page's bytes; name: for messages and Document.source.
    """
    html, encoding = decode_html(data, name)
    page = html_to_text(html)
    return make_document(
        page.text,
        name=name,
        format="html",
        settings=settings,
        title=page.title,
        date=page.date,
        author=page.author,
        metadata={"encoding": encoding, **page.metadata},
        empty_hint="The page has no visible text; if it builds its text with JavaScript, save the "
        "rendered page or copy its text into a .txt file.",
    )


def _pdf_date(value: str | None) -> str | None:
    """Turn a PDF date ("D:20240315120000+01'00'") into an ISO date ("2024-03-15")."""
    match = _PDF_DATE_RE.match(value or "")
    if not match:
        return None
    year, month, day = match.groups()
    return "-".join(part for part in (year, month, day) if part)


def _open_pdf(data: bytes, name: str) -> Any:
    """Open a PDF with pdfium, turning its failures into InvalidInput."""
    import pypdfium2 as pdfium

    if b"%PDF-" not in data[:1024]:
        raise InvalidInput(
            f"Can't read '{name}': it is not a valid PDF (it does not start with %PDF-).",
            hint="Check that the file is a complete PDF, or rename it to match what it holds.",
        )
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InvalidInput(
                f"Can't read '{name}': the PDF is password-protected.",
                hint="Remove the password first (e.g. `qpdf --decrypt in.pdf out.pdf`).",
            ) from exc
        raise InvalidInput(
            f"Can't read '{name}': it is not a valid PDF ({str(exc).rstrip('.')}).",
            hint="Check that the file downloaded completely, or re-export it as PDF.",
        ) from exc


def read_pdf(data: bytes, name: str, settings: Settings) -> Document:
    """Read a PDF's text layer with pdfium, page by page, pages separated by blank lines.

    Raises InputTooLarge over settings.max_pdf_pages, and InvalidInput for a PDF that is not
    valid or has no text layer (a scan: run OCR first).
    data: the file's bytes; name: for messages and Document.source.
    """
    with _PDF_LOCK:
        pdf = _open_pdf(data, name)
        try:
            count = len(pdf)
            if count > settings.max_pdf_pages:
                raise InputTooLarge(
                    f"'{name}' has {count} pages, over the limit of {settings.max_pdf_pages} pages.",
                    hint="Split the PDF, or raise the max_pdf_pages setting "
                    "(environment variable LABOURLENS_MAX_PDF_PAGES).",
                )
            pages: list[str] = []
            total = 0
            for index in range(count):
                page = pdf[index]
                try:
                    textpage = page.get_textpage()
                    try:
                        pages.append(textpage.get_text_bounded())
                    finally:
                        textpage.close()
                finally:
                    page.close()
                total += len(pages[-1])
                if total > 2 * settings.max_text_chars:
                    break  # make_document reports the length
            info = pdf.get_metadata_dict(skip_empty=True)
        finally:
            pdf.close()
    empty_pages = [i + 1 for i, text in enumerate(pages) if not text.strip()]
    if len(empty_pages) == count:
        raise InvalidInput(
            f"Can't read '{name}': the PDF has no text layer (it looks scanned; {count} page(s), no text).",
            hint="Run OCR on it first, e.g. `ocrmypdf in.pdf out.pdf`, then analyse the result.",
        )
    metadata: dict[str, Any] = {"pages": count}
    if empty_pages:
        metadata["pages_without_text"] = empty_pages
    for key in ("Subject", "Keywords", "Creator", "Producer"):
        if info.get(key):
            metadata[key.lower()] = info[key]
    return make_document(
        "\n\n".join(pages),
        name=name,
        format="pdf",
        settings=settings,
        title=info.get("Title"),
        date=_pdf_date(info.get("CreationDate")),
        author=info.get("Author"),
        metadata=metadata,
    )


def _check_zip_expansion(data: bytes, name: str, settings: Settings) -> None:
    """Refuse a .docx whose parts expand past _DOCX_MAX_EXPANSION x max_document_bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InvalidInput(
            f"Can't read '{name}': it is not a valid Word .docx document (broken ZIP: {exc}).",
            hint="Check that the file downloaded completely, or re-save it from Word as .docx.",
        ) from exc
    limit = _DOCX_MAX_EXPANSION * settings.max_document_bytes
    if expanded > limit:
        raise InputTooLarge(
            f"'{name}' expands to {human_bytes(expanded)} when unpacked, over the limit of "
            f"{human_bytes(limit)}.",
            hint="Split the document, or raise the max_document_bytes setting.",
        )


def _docx_blocks(container: Any) -> list[str]:
    """Texts of a document body or table cell in order: paragraphs, and each table cell once."""
    from docx.table import Table

    blocks: list[str] = []
    for item in container.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats across the row
                        continue
                    seen.add(id(cell._tc))
                    blocks.extend(_docx_blocks(cell))
        elif item.text.strip():
            blocks.append(item.text)
    return blocks


def read_docx(data: bytes, name: str, settings: Settings) -> Document:
    """Read a Word .docx: body paragraphs and table cells in order; title, author, date from its properties.

    data: the file's bytes; name: for messages and Document.source.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    _check_zip_expansion(data, name, settings)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _docx_blocks(document)
        props = document.core_properties
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise InvalidInput(
            f"Can't read '{name}': it is not a valid Word .docx document ({type(exc).__name__}: {exc}).",
            hint="Re-save it from Word or LibreOffice as .docx, or export its text to .txt.",
        ) from exc
    created = props.created
    metadata: dict[str, Any] = {"paragraphs": len(blocks)}
    for key in ("subject", "keywords", "category"):
        value = getattr(props, key, None)
        if value:
            metadata[key] = value
    return make_document(
        "\n\n".join(blocks),
        name=name,
        format="docx",
        settings=settings,
        title=props.title,
        date=created.date().isoformat() if created else None,
        author=props.author,
        metadata=metadata,
    )


def _header(msg: EmailMessage, key: str, problems: list[str]) -> Any:
    """A parsed header, or None; a header that fails to parse is noted in problems, not dropped silently."""
    try:
        return msg[key]
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        problems.append(f"{key}: {exc}")
        return None


def _part_text(part: EmailMessage, name: str) -> str:
    """The decoded text of a MIME part; an unknown charset falls back to detection."""
    try:
        return str(part.get_content())
    except (LookupError, UnicodeError):
        payload = part.get_payload(decode=True)
        raw = payload if isinstance(payload, bytes) else b""
        return decode_bytes(raw, name)[0] if raw else ""


def _author(from_header: Any) -> str | None:
    """The sender's display name, else address."""
    addresses = getattr(from_header, "addresses", ())
    if addresses:
        first = addresses[0]
        return str(first.display_name or first.addr_spec) or None
    return str(from_header) if from_header else None


def read_eml(data: bytes, name: str, settings: Settings) -> Document:
    """Read an email (.eml): the text/plain body, else the HTML body; Subject, From and Date as metadata.

    data: the message's bytes; name: for messages and Document.source.
    """
    msg = cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(data))  # policy.default
    problems: list[str] = []
    subject = _header(msg, "subject", problems)
    sender = _header(msg, "from", problems)
    date_header = _header(msg, "date", problems)
    when = getattr(date_header, "datetime", None)
    metadata: dict[str, Any] = {}
    for key in ("from", "to", "cc", "date", "message-id"):
        value = sender if key == "from" else _header(msg, key, problems)
        if value:
            metadata[key] = str(value)
    if when is not None:
        metadata["datetime"] = when.isoformat()
    attachments = [part.get_filename() or part.get_content_type() for part in msg.iter_attachments()]
    if attachments:
        metadata["attachments"] = attachments
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is None:
        raise InvalidInput(
            f"Can't read '{name}': the email has no text/plain or text/html body"
            + (f" (attachments: {', '.join(attachments)})." if attachments else "."),
            hint="Save the attachment that holds the text and analyse that file.",
        )
    text = _part_text(cast(EmailMessage, body), name)
    metadata["body"] = body.get_content_type()
    if body.get_content_subtype() == "html":
        page = html_to_text(text)
        text = page.text
    if problems:
        metadata["header_problems"] = problems
    return make_document(
        text,
        name=name,
        format="eml",
        settings=settings,
        title=str(subject) if subject else None,
        date=when.date().isoformat() if when is not None else None,
        author=_author(sender),
        metadata=metadata,
    )


# Format -> reader. JSON lines are read by ingest.jsonl, one Document per line.
READERS: dict[str, Reader] = {
    "txt": read_txt,
    "md": read_md,
    "html": read_html,
    "pdf": read_pdf,
    "docx": read_docx,
    "eml": read_eml,
}
