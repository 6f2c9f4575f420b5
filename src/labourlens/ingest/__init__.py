"""Ingest: read documents (txt, md, html, pdf, docx, eml, jsonl, stdin) into normalised text.

    from labourlens.ingest import read_path, detect_language
    for doc in read_path(Path("article.html"), settings):
        print(doc.format, doc.title, detect_language(doc.text))

The format is sniffed from the content (the suffix is a hint), sizes are checked before
reading, and every failure is an InvalidInput (or InputTooLarge) naming the input.
"""

from labourlens.ingest.document import FORMATS, Document, make_document
from labourlens.ingest.language import detect_language
from labourlens.ingest.readers import READERS
from labourlens.ingest.sniff import sniff_format
from labourlens.ingest.source import (
    STDIN_NAME,
    iter_jsonl,
    read_bytes,
    read_path,
    read_stdin_bytes,
    read_stream,
)
from labourlens.ingest.text import decode_bytes, normalize_text

__all__ = [
    "FORMATS",
    "READERS",
    "STDIN_NAME",
    "Document",
    "decode_bytes",
    "detect_language",
    "iter_jsonl",
    "make_document",
    "normalize_text",
    "read_bytes",
    "read_path",
    "read_stdin_bytes",
    "read_stream",
    "sniff_format",
]
