"""Tests of ingest.sniff: the format comes from the content; the suffix is only a hint."""

from __future__ import annotations

import io
import json
import zipfile
from email.message import EmailMessage

import pytest

from labourlens.errors import InvalidInput, UnsupportedFormat
from labourlens.ingest import sniff_format

HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Camp</title></head>"
    b"<body><p>Workers lived in containers next to the site.</p></body></html>"
)


def _pdf_bytes() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "A short page of text.")
    return bytes(pdf.output())


def _email_bytes() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Field Office <field@example.org>"
    msg["To"] = "desk@example.org"
    msg["Subject"] = "Notes from the visit"
    msg.set_content("We met six workers at the dormitory.")
    return bytes(msg)


def test_ingest_sniff_pdf_named_txt() -> None:
    assert sniff_format(_pdf_bytes(), "notes.txt") == "pdf"


@pytest.mark.parametrize("name", ["page.txt", "page", "-", "page.md"])
def test_ingest_sniff_html_whatever_the_name(name: str) -> None:
    assert sniff_format(HTML_PAGE, name) == "html"


def test_ingest_sniff_html_fragment_needs_many_tags_or_a_hint() -> None:
    fragment = b"<p>One</p><p>Two</p><div>Three</div><ul><li>Four</li></ul>"
    assert sniff_format(fragment, "x.txt") == "html"
    assert sniff_format(b"<b>bold</b> text that merely starts with a tag", "x.txt") == "txt"
    assert sniff_format(b"<b>bold</b> text", "x.html") == "html"
    assert sniff_format(b"Use <b> for bold in some markup.", "x.md") == "md"


def test_ingest_sniff_email_from_headers() -> None:
    assert sniff_format(_email_bytes(), "message.txt") == "eml"
    assert sniff_format(b"Note: this is prose.\nAnother line.\n\nBody.", "n.txt") == "txt"


def test_ingest_sniff_jsonl_from_content() -> None:
    data = b"".join(json.dumps({"id": i, "text": f"doc {i}"}).encode() + b"\n" for i in range(3))
    assert sniff_format(data, "batch.txt") == "jsonl"
    assert sniff_format(data, "-") == "jsonl"
    # A .jsonl file whose first line is broken is still JSON lines (the reader names the line).
    assert sniff_format(b"{broken\n", "batch.jsonl") == "jsonl"
    assert sniff_format(b'{"no_text_key": 1}\n', "x.txt") == "txt"


def test_ingest_sniff_docx_from_zip_content() -> None:
    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Hello.")
    document.save(buf)
    assert sniff_format(buf.getvalue(), "report.bin") == "docx"


def test_ingest_sniff_other_zip_is_unsupported() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")
    with pytest.raises(UnsupportedFormat, match="ZIP archive"):
        sniff_format(buf.getvalue(), "data.zip")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "JPEG image"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "ELF executable"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 16, "gzip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old Microsoft Office"),
    ],
)
def test_ingest_sniff_known_binary(data: bytes, what: str) -> None:
    with pytest.raises(UnsupportedFormat, match=f"'x.bin' does not look like text.*{what}"):
        sniff_format(data, "x.bin")


def test_ingest_sniff_binary_junk() -> None:
    junk = bytes((i * 37 + 11) % 256 for i in range(4096))  # every byte value, NUL included
    with pytest.raises(InvalidInput, match=r"'junk.txt' does not look like text .*NUL"):
        sniff_format(junk, "junk.txt")
    controls = bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 20 + b"readable" * 10
    with pytest.raises(InvalidInput, match="control characters"):
        sniff_format(controls, "ctl.txt")


@pytest.mark.parametrize(
    ("data", "claim", "what"),
    [
        (b"Just some words, not a PDF at all.", "x.pdf", "not a valid PDF \\(it is plain text\\)"),
        (HTML_PAGE, "x.pdf", "not a valid PDF \\(it is an HTML page"),
        (b"plain words", "x.docx", "not a valid Word .docx document"),
    ],
)
def test_ingest_sniff_suffix_claim_contradicted(data: bytes, claim: str, what: str) -> None:
    with pytest.raises(InvalidInput, match=f"Can't read '{claim}': it is {what}"):
        sniff_format(data, claim)


def test_ingest_sniff_text_starting_like_a_magic_word() -> None:
    assert sniff_format(b"BMW and MZ are letters, not images or programs.", "x.txt") == "txt"
    assert sniff_format(b"plain text", "x.md") == "md"
    assert sniff_format("Ünïcödé text".encode("utf-16"), "x.txt") == "txt"
