"""Tests of ingest.text: normalize_text and decode_bytes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labourlens.errors import InvalidInput
from labourlens.ingest import normalize_text
from labourlens.ingest.text import decode_bytes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),
        ("a\u00a0b\u2009c\u3000d", "a b c d"),
        ("wo\u200brk\u200ders\ufeff paid", "workers paid"),
        ("tab\t\there  and   spaces", "tab here and spaces"),
        ("line with trailing   \nnext", "line with trailing\nnext"),
        ("para one\n\n\n\n\npara two", "para one\n\npara two"),
        ("  \n\n  padded  \n\n ", "padded"),
        ("bell\x07 and\x00 nul", "bell and nul"),
        ("cafe\u0301", "café"),
        ("first\u2029second\u2028third", "first\n\nsecond\nthird"),
        ("page one\x0cpage two", "page one\npage two"),
        ("lone \ud800surrogate", "lone surrogate"),
        ("soft\u00adhyphen and \u202eoverride", "softhyphen and override"),
    ],
)
def test_ingest_normalize_text_cases(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_ingest_normalize_text_keeps_quotes_and_dashes() -> None:
    text = "He said \u201cwe were never paid\u201d \u2014 and \u2018twelve\u2019 hours \u2013 daily\u2026"
    assert normalize_text(text) == text


def test_ingest_normalize_text_encodes_as_utf8() -> None:
    # Lone surrogates would make the sha256 id (UTF-8 of the text) fail.
    normalize_text("a\udfffb\ud83d").encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(codec="utf-8"),
            st.sampled_from(list(" \t\n\r\u00a0\u200b\u2028\u2029\u0301\u0327\x0c\x85\ufeff\u00ad")),
        )
    )
)
def test_ingest_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\r" not in once and "\t" not in once and "\n\n\n" not in once
    assert once == once.strip()
    assert not re.search(r" \n|\n | {2}", once)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs", "Cc", "Cf", "Mn"])))
def test_ingest_normalize_text_drops_controls(text: str) -> None:
    out = normalize_text(text)
    assert all(ch in "\n" or ch.isprintable() or ch == " " for ch in out)


def test_ingest_decode_utf8_and_bom() -> None:
    assert decode_bytes("naïve “x”".encode(), "a.txt") == ("naïve “x”", "utf-8")
    assert decode_bytes(b"\xef\xbb\xbfhello", "a.txt") == ("hello", "utf-8")
    assert decode_bytes("workers’ pay".encode("utf-16"), "a.txt")[0] == "workers’ pay"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Le café était fermé, dit-elle.", "latin-1"),
        ("The café owner said “we paid nothing” – naïve, wasn’t it?", "cp1252"),
        ("café", "latin-1"),
    ],
)
def test_ingest_decode_western_legacy(text: str, encoding: str) -> None:
    decoded, used = decode_bytes(text.encode(encoding), "old.txt")
    assert decoded == text
    assert used == "cp1252"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Рабочим не платили зарплату три месяца, сказал бригадир.", "cp1251"),
        ("Pracownicy nie dostali wypłaty przez trzy miesiące, żalił się brygadzista.", "cp1250"),
    ],
)
def test_ingest_decode_other_legacy(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding), "old.txt")[0] == text


def test_ingest_decode_rejects_binary() -> None:
    with pytest.raises(InvalidInput, match=r"'x\.bin' does not look like text"):
        decode_bytes(b"abc\x00def", "x.bin")
    with pytest.raises(InvalidInput, match="control characters"):
        decode_bytes(bytes(range(1, 9)) * 50 + b"some text", "x.bin")
