"""Identify the language of a text (ISO 639-1), offline, with lingua."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

__all__ = ["LANGUAGES", "UNDETERMINED", "detect_language"]

UNDETERMINED = "und"

# The languages the detector chooses among (lingua's names). A closed set keeps the detector
# small, fast and deterministic: languages of the countries that send and receive migrant workers.
# lingua has no Nepali, Burmese, Khmer or Sinhala model; such text comes out as a near language
# or "und".
LANGUAGES: tuple[str, ...] = (
    "ENGLISH",
    "RUSSIAN",
    "UKRAINIAN",
    "KOREAN",
    "CHINESE",
    "JAPANESE",
    "ARABIC",
    "PERSIAN",
    "URDU",
    "HINDI",
    "BENGALI",
    "FRENCH",
    "SPANISH",
    "PORTUGUESE",
    "GERMAN",
    "ITALIAN",
    "DUTCH",
    "POLISH",
    "TURKISH",
    "INDONESIAN",
    "MALAY",
    "TAGALOG",
    "VIETNAMESE",
    "THAI",
)

# Only the start of the text is looked at: enough to identify the language, and bounded cost.
_SAMPLE_CHARS = 1000
# Below this many letters the answer is a guess, so the detector is not asked.
_MIN_LETTERS = 20

_detector: LanguageDetector | None = None
_lock = threading.Lock()


def _get_detector() -> LanguageDetector:
    """Build the lingua detector once (low accuracy mode: ~35 MB, ~0.2 s), then reuse it."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from lingua import Language, LanguageDetectorBuilder

                languages = [getattr(Language, name) for name in LANGUAGES]
                _detector = (
                    LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
                )
    return _detector


def _sample(text: str) -> str:
    """The first _SAMPLE_CHARS characters, cut back to a whitespace so no word is split."""
    if len(text) <= _SAMPLE_CHARS:
        return text
    cut = text.rfind(" ", _SAMPLE_CHARS // 2, _SAMPLE_CHARS)
    return text[: cut if cut > 0 else _SAMPLE_CHARS]


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language, or "und" when unknown or too short.

    text: the (normalised) document text; only its first 1,000 characters are used.
    """
    sample = _sample(text)
    if sum(1 for ch in sample if ch.isalpha()) < _MIN_LETTERS:
        return UNDETERMINED
    language = _get_detector().detect_language_of(sample)
    if language is None:
        return UNDETERMINED
    return str(language.iso_code_639_1.name).lower()
