"""Turn bytes into text (encoding detection) and text into normalised text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import charset_normalizer

from labourlens.errors import InvalidInput, UnsupportedFormat

__all__ = ["control_share", "decode_bytes", "normalize_text", "not_text_error"]

# Byte order marks, longest first (UTF-32 LE starts with the UTF-16 LE mark).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)

# Past this share of control characters (after decoding) the input is treated as binary.
_MAX_CONTROL_SHARE = 0.05

# Non-ASCII characters that are common in Western European text in cp1252.
_WESTERN_PUNCT = frozenset("‘’‚“”„–—…•€£¥¢°©®™«»¡¿§¶·×÷±\u00a0")
# cp1252 letters that are rare in Western text but are what Turkish cp1254 bytes read as.
_NOT_WESTERN = frozenset("ðÐþÞýÝ")
# At most this share of letters may be non-ASCII for cp1252 to be taken without detection.
_MAX_ACCENTED_SHARE = 0.4

# Line and paragraph breaks of other systems and of Unicode.
_NEWLINES_RE = re.compile("\r\n?|[\x0b\x0c\x1c\x1d\x1e\x85\u2028]")
# Control characters that do not occur in text (whitespace and ESC excepted), and U+FFFD.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f\ufffd]+")
_SPACE_RUN_RE = re.compile("[ \t]+")
_LINE_EDGE_RE = re.compile(" *\n *")
_BLANK_LINES_RE = re.compile("\n{3,}")


def _char_class(codepoints: list[int]) -> str:
    """Build a regex character class body from code points, as ranges."""
    parts: list[str] = []
    start = prev = -2
    for cp in [*sorted(codepoints), -1]:
        if cp == prev + 1:
            prev = cp
            continue
        if start >= 0:
            parts.append(
                re.escape(chr(start)) if start == prev else f"{re.escape(chr(start))}-{re.escape(chr(prev))}"
            )
        start = prev = cp
    return "".join(parts)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compile (once) the patterns for characters to drop and Unicode spaces to map to ' '.

    Drop: control characters (Cc) except tab and newline, format characters (Cf: zero-width
    spaces and joiners, soft hyphen, bidi controls, BOM) and lone surrogates (Cs).
    Map: every space separator (Zs) other than the ASCII space.
    """
    drop: list[int] = []
    spaces: list[int] = []
    # Format characters live in planes 0, 1 and 14; surrogates and controls in plane 0.
    for block in (range(0, 0x20000), range(0xE0000, 0xE1000)):
        for cp in block:
            cat = unicodedata.category(chr(cp))
            if cat in ("Cc", "Cf", "Cs") and cp not in (0x09, 0x0A):
                drop.append(cp)
            elif cat == "Zs" and cp != 0x20:
                spaces.append(cp)
    return re.compile(f"[{_char_class(drop)}]+"), re.compile(f"[{_char_class(spaces)}]")


def normalize_text(text: str) -> str:
    """Normalise text so that offsets into it are stable and comparable.

    Unicode NFC; CRLF, CR and other line breaks become LF (a paragraph separator becomes a
    blank line); control characters other than LF and tab, zero-width and other format
    characters, and lone surrogates are removed; Unicode spaces and tabs become a plain space
    and runs of them collapse to one; spaces at the start and end of lines are stripped; three
    or more line breaks collapse to one blank line; the ends are stripped. Quotes and dashes are
    left as they are. The function is idempotent.

    text: any string.
    """
    drop_re, space_re = _patterns()
    text = _NEWLINES_RE.sub("\n", text.replace("\u2029", "\n\n"))
    text = drop_re.sub("", text)
    if not text.isascii():
        text = space_re.sub(" ", unicodedata.normalize("NFC", text))
    text = _SPACE_RUN_RE.sub(" ", text)
    text = _LINE_EDGE_RE.sub("\n", text)
    text = _BLANK_LINES_RE.sub("\n\n", text)
    return text.strip(" \n")


def control_share(text: str) -> float:
    """Share of characters that are control characters (not whitespace) or U+FFFD.

    text: decoded text.
    """
    if not text:
        return 0.0
    return sum(len(run) for run in _CONTROL_RE.findall(text)) / len(text)


def not_text_error(name: str, why: str) -> InvalidInput:
    """Build the error for input that is neither text nor a supported document.

    name: the file name shown to the user; why: what it looks like instead.
    """
    return UnsupportedFormat(
        f"'{name}' does not look like text or a supported document format ({why}).",
        hint="Give a .txt, .md, .html, .pdf, .docx, .eml or .jsonl file, or convert it to one first.",
    )


def _strict(data: bytes, encoding: str) -> str | None:
    """Decode strictly; None when the bytes are not valid in that encoding."""
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _suspicious(text: str) -> int:
    """Count non-ASCII characters that are neither letters, marks nor common punctuation."""
    return sum(
        1
        for ch in text
        if ord(ch) > 0x7F and ch not in _WESTERN_PUNCT and unicodedata.category(ch)[0] not in "LM"
    )


def _is_latin_script(text: str) -> bool:
    """True when every non-ASCII letter in the text is a Latin letter."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ord(ch) > 0x7F and ch.isalpha())


def _plausible_cp1252(text: str) -> bool:
    """True when text decoded as cp1252 reads like Western European text.

    No stray symbols, no Icelandic letters (which is what Turkish cp1254 turns into), and mostly
    ASCII letters (Cyrillic or Greek bytes read as cp1252 give words of accented letters only).
    """
    if _suspicious(text) or any(ch in _NOT_WESTERN for ch in text):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    accented = sum(1 for ch in letters if ord(ch) > 0x7F)
    return accented <= _MAX_ACCENTED_SHARE * len(letters)


def _guess_legacy(data: bytes) -> tuple[str, str] | None:
    """Decode bytes that are not UTF-8: cp1252 when it reads plausibly, else charset-normalizer's guess.

    charset-normalizer often calls short Western text cp1250 (turning 'naïve' into 'naďve') or
    even UTF-16; so cp1252 is tried first, and also wins over any Latin-script guess that reads
    no better.
    """
    cp1252 = _strict(data, "cp1252")
    if cp1252 is not None and _plausible_cp1252(cp1252):
        return cp1252, "cp1252"
    # Without a byte order mark, UTF-16/32 is not believed (such text of any script has NUL bytes
    # or reads as CJK noise); charset-normalizer proposes it for very short inputs.
    best = next(
        (m for m in charset_normalizer.from_bytes(data) if not m.encoding.startswith(("utf_16", "utf_32"))),
        None,
    )
    if best is None:
        return (cp1252, "cp1252") if cp1252 is not None else None
    guess = str(best)
    if (
        cp1252 is not None
        and _is_latin_script(guess)
        and not any(ch in _NOT_WESTERN for ch in cp1252)
        and _suspicious(cp1252) <= _suspicious(guess)
    ):
        return cp1252, "cp1252"
    return guess, best.encoding


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes to text: byte order mark, else UTF-8, else a detected legacy encoding.

    Returns (text, encoding name). Raises InvalidInput when the bytes are binary (NUL bytes
    without a UTF-16/32 byte order mark, or a high share of control characters).
    name: the file name used in messages.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data, encoding)
            if text is None:
                raise InvalidInput(
                    f"Can't read '{name}': it starts with a {encoding} byte order mark but is not valid "
                    f"{encoding}.",
                    hint="Re-save the file as UTF-8.",
                )
            return _check_text(text.lstrip("\ufeff"), name), encoding.removesuffix("-sig")
    if b"\x00" in data:
        raise not_text_error(name, "it contains NUL bytes, so it is binary")
    text = _strict(data, "utf-8")
    if text is not None:
        return _check_text(text, name), "utf-8"
    guessed = _guess_legacy(data)
    if guessed is None:
        raise not_text_error(name, "no text encoding fits its bytes")
    return _check_text(guessed[0], name), guessed[1]


def _check_text(text: str, name: str) -> str:
    """Reject decoded text that is mostly control characters."""
    sample = text[:65536]
    share = control_share(sample)
    if share > _MAX_CONTROL_SHARE:
        raise not_text_error(name, f"{share:.0%} of its characters are control characters")
    return text
