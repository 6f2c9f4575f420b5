"""Tell a document's format from its content; the file suffix is only a hint."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import PurePath

from labourlens.errors import InvalidInput
from labourlens.ingest.text import not_text_error

__all__ = ["JSONL_SUFFIXES", "SNIFF_BYTES", "describe_binary", "sniff_format", "suffix_hint"]

# How much of the start of an input the sniffer needs.
SNIFF_BYTES = 64 * 1024

# Suffix -> the format it claims.
_SUFFIXES: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".eml": "eml",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
JSONL_SUFFIXES = frozenset(s for s, f in _SUFFIXES.items() if f == "jsonl")

# Signatures of binary formats we do not read: (offset, magic bytes, what it is). Short
# signatures that are also plain words ("BM", "MZ") are left out: those files hold NUL bytes and
# are caught as binary anyway.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (0, b"\x7fELF", "an ELF executable"),
    (0, b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (0, b"\xca\xfe\xba\xbe", "a Java class or Mach-O file"),
    (0, b"\x00asm", "a WebAssembly module"),
    (0, b"\x1f\x8b", "a gzip archive"),
    (0, b"\xfd7zXZ\x00", "an xz archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc, .xls or .msg)"),
    (0, b"SQLite format 3\x00", "an SQLite database"),
    (0, b"{\\rtf", "an RTF document"),
    (0, b"ID3\x03", "an MP3 audio file"),
    (0, b"ID3\x04", "an MP3 audio file"),
    (0, b"OggS", "an Ogg media file"),
    (0, b"fLaC", "a FLAC audio file"),
    (4, b"ftyp", "an MP4 or QuickTime media file"),
    (0, b"RIFF", "a RIFF media file (WAV, AVI or WebP)"),
)

# Where a PDF header may start (the PDF spec tolerates junk before it).
_PDF_MAGIC_WINDOW = 1024
_BOMS_16_32 = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
# Control bytes that do not occur in text (whitespace and ESC excepted).
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32), 127])
_MAX_CONTROL_BYTE_SHARE = 0.05

_HTML_START_RE = re.compile(r"<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*(<!doctype\s+html|<html[\s>])", re.I)
_HTML_SKELETON_RE = re.compile(r"<(html|head|body)[\s>]", re.I)
_HTML_TAG_RE = re.compile(
    r"</?(p|div|span|a|br|hr|h[1-6]|ul|ol|li|table|tr|td|article|section|header|footer|nav|main|"
    r"script|style|meta|title|link|img|strong|em|b|i|blockquote|figure)(\s[^>]*)?/?>",
    re.I,
)
_HTML_MIN_TAGS = 5
_HEADER_LINE_RE = re.compile(r"[!-9;-~]+:[ \t]?")
_MBOX_FROM_RE = re.compile(r"From \S+ ")
_MAIL_HEADERS = frozenset(
    (
        "from",
        "to",
        "cc",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "received",
        "return-path",
        "reply-to",
        "content-type",
        "delivered-to",
        "in-reply-to",
        "references",
        "sender",
    )
)
_MAIL_MIN_KNOWN = 2
_JSON_OBJECT_START_RE = re.compile(r'\s*\{\s*"[^"\\]*"\s*:')
_JSON_TEXT_KEY_RE = re.compile(r'[{,]\s*"text"\s*:\s*"')
_MAIL_MAX_HEADER_LINES = 500


def suffix_hint(name: str) -> str | None:
    """The format a file name's suffix claims, or None.

    name: a file name or path ("-" for stdin has none).
    """
    return _SUFFIXES.get(PurePath(name).suffix.lower())


def describe_binary(head: bytes) -> str | None:
    """Say what a known binary format is ("a PNG image"), or None.

    head: the first bytes of the input.
    """
    for offset, magic, what in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return what
    return None


def _is_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:_PDF_MAGIC_WINDOW]


def _zip_kind(data: bytes, partial: bool) -> str:
    """What a ZIP file is: "docx" (a Word document), "zip" (another archive) or "broken"."""
    if partial:
        # Only the start is known: a Word document names its parts in the first entries.
        return "docx" if b"word/" in data else "zip"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "docx" if b"word/document.xml" in data else "broken"
    return "docx" if "word/document.xml" in names else "zip"


def _looks_like_html(head: str, hint: str | None) -> bool:
    stripped = head.lstrip()
    if _HTML_START_RE.match(stripped) or _HTML_SKELETON_RE.search(head):
        return hint != "md" or bool(_HTML_START_RE.match(stripped))
    tags = len(_HTML_TAG_RE.findall(head, 0, 16384))
    if hint == "html":
        return tags > 0 or stripped.startswith("<")
    return hint != "md" and stripped.startswith("<") and tags >= _HTML_MIN_TAGS


def _looks_like_email(head: str, min_known: int = _MAIL_MIN_KNOWN) -> bool:
    """True when the text starts with an RFC 5322 header block naming min_known mail headers."""
    lines = head.splitlines()
    if lines and _MBOX_FROM_RE.match(lines[0]):
        lines = lines[1:]
    known = 0
    seen_header = False
    for line in lines[:_MAIL_MAX_HEADER_LINES]:
        if not line.strip():
            return seen_header and known >= min_known
        if line[0] in " \t" and seen_header:
            continue  # folded continuation of the previous header
        if not _HEADER_LINE_RE.match(line):
            return False
        seen_header = True
        if line.split(":", 1)[0].lower() in _MAIL_HEADERS:
            known += 1
    return False


def _looks_like_jsonl(head: str) -> bool:
    """True when the first non-blank line is a JSON object with a "text" key.

    A first line that runs past the end of head (a long document) counts when it starts like a
    JSON object and has a "text" key.
    """
    lines = head.split("\n")  # as the JSON lines reader splits them (not at U+2028 or \r)
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if not line.lstrip().startswith("{"):
            return False
        if index == len(lines) - 1:  # no newline after it: it may go on past the sniffed bytes
            return bool(_JSON_OBJECT_START_RE.match(line) and _JSON_TEXT_KEY_RE.search(line))
        try:
            value = json.loads(line)
        except ValueError:
            return False
        return isinstance(value, dict) and "text" in value
    return False


def _what_it_is(data: bytes) -> str:
    """A short description of the content, for 'not a valid PDF/DOCX' messages."""
    if _is_pdf(data):
        return "it is a PDF"
    if data.startswith(b"PK\x03\x04"):
        return "it is a ZIP archive but not a Word document"
    what = describe_binary(data)
    if what:
        return f"it looks like {what}"
    head = data[:SNIFF_BYTES].decode("utf-8", errors="replace")
    if _looks_like_html(head, None) or _HTML_TAG_RE.search(head):
        return "it is an HTML page, perhaps a saved error page"
    if b"\x00" in data[:SNIFF_BYTES]:
        return "it is binary data"
    return "it is plain text"


def sniff_format(data: bytes, name: str, *, partial: bool = False) -> str:
    """Return the format of the input (one of ingest.FORMATS) from its content.

    Content decides: PDF magic, a ZIP holding word/document.xml, RFC 5322 mail headers, HTML
    markup, JSON lines. The suffix of `name` only breaks ties (.md, .html, .eml, .jsonl) and a
    .pdf or .docx suffix on content that is neither is an error. Raises InvalidInput
    (UnsupportedFormat) for known binary formats and for binary junk.

    data: the input, or its first SNIFF_BYTES when partial; name: for messages and the hint;
    partial: data is only the start of the input.
    """
    hint = suffix_hint(name)
    if _is_pdf(data):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data, partial)
        if kind == "docx" or (kind == "broken" and hint == "docx"):
            return "docx"  # a broken one fails in read_docx, which says so
        if kind == "broken":
            raise not_text_error(name, "it is a damaged or incomplete ZIP archive")
        raise not_text_error(name, "it is a ZIP archive that is not a Word .docx document")
    if hint in ("pdf", "docx"):
        label = "PDF" if hint == "pdf" else "Word .docx document"
        raise InvalidInput(
            f"Can't read '{name}': it is not a valid {label} ({_what_it_is(data)}).",
            hint=f"Check that the file is a complete {label}, or rename it to match what it holds.",
        )
    what = describe_binary(data)
    if what:
        raise not_text_error(name, f"it looks like {what}")
    head_bytes = data[:SNIFF_BYTES]
    if not head_bytes.startswith(_BOMS_16_32):
        if b"\x00" in head_bytes:
            raise not_text_error(name, "it contains NUL bytes, so it is binary")
        controls = len(head_bytes) - len(head_bytes.translate(None, _CONTROL_BYTES))
        if controls > _MAX_CONTROL_BYTE_SHARE * len(head_bytes):
            raise not_text_error(
                name, f"{controls / len(head_bytes):.0%} of its bytes are control characters"
            )
        head = head_bytes.decode("utf-8", errors="replace").lstrip("\ufeff")
    else:
        head = _decode_wide(head_bytes)
    return _sniff_text(head, hint)


def _decode_wide(head: bytes) -> str:
    """Decode the start of UTF-16/32 text, ignoring a character cut at the end."""
    encoding = "utf-32" if head.startswith((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")) else "utf-16"
    return head.decode(encoding, errors="ignore").lstrip("\ufeff")


def _sniff_text(head: str, hint: str | None) -> str:
    """Pick the format of text content: email, HTML, JSON lines, else the suffix's or txt."""
    if hint == "jsonl" or _looks_like_jsonl(head):
        return "jsonl"
    if _looks_like_email(head, 1 if hint == "eml" else _MAIL_MIN_KNOWN):
        return "eml"
    if _looks_like_html(head, hint):
        return "html"
    if hint == "md":
        return "md"
    return "txt"
