"""Who says each sentence, and whether it is hedged.

For each sentence: a hedge cue ("allegedly", "according to") marks it hedged; the speaker is the
subject of a speech verb ("Jin said", "a South Korean official told the BBC", "said Tae"), the
object of "according to", or, for "he said", the person last named. A sentence that continues a
testimony (it opens with "He"/"His"/"She"/"Her" or a quotation mark, or a quotation is still
open) keeps the speaker of the sentence before, in the same paragraph. Unattributed sentences
are the reporter's (None).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from labourlens.knowledge.schema import CueFile
from labourlens.model import Entity, Sentence
from labourlens.pipeline.doc import Attribution

_WORD = re.compile(r"[\w’'-]+")
_OPENING_QUOTES = frozenset('"“‘')
_POSSESSIVE = re.compile(r"['’]s?\s")
_RELATIVE_OPENING = re.compile(r"^\W*(?:[\w’'-]+\s+){0,5}?who\b", re.IGNORECASE)
_DETERMINERS = frozenset(
    "a an the one two three several many most some all other another this these those".split()
)


def _alternation(phrases: Sequence[str]) -> str:
    parts = sorted((re.escape(p).replace(r"\ ", r"\s+") for p in phrases), key=len, reverse=True)
    return "|".join(parts)


class Attributor:
    """Builds the cue regexes once; call it per document."""

    def __init__(self, cues: CueFile) -> None:
        verbs = [v for v in cues.speech_verbs if v not in ("according to", "in the words of")]
        self._verb = re.compile(rf"\b(?:{_alternation(verbs)})\b", re.IGNORECASE)
        self._according = re.compile(
            r"\b(?:according to|in the words of)\s+((?:[\w’'-]+\s*){1,8}?)"
            r"(?=[,.;:]|\s+(?:that|who|which)\b|$)",
            re.IGNORECASE,
        )
        self._hedge = re.compile(rf"\b(?:{_alternation(cues.hedges)})\b", re.IGNORECASE)
        self._noun = re.compile(rf"\b(?:{_alternation(cues.speaker_nouns)})\b", re.IGNORECASE)
        self._pronoun_subject = re.compile(r"^(?:he|she|his|her)\b", re.IGNORECASE)
        self._said_pronoun = re.compile(
            rf"\b(?:he|she)\s+(?:{_alternation(verbs)})\b|\b(?:{_alternation(verbs)})\s+(?:he|she)\b",
            re.IGNORECASE,
        )

    def __call__(
        self, text: str, sentences: Sequence[Sentence], entities: Sequence[Entity]
    ) -> list[Attribution]:
        persons = sorted(
            ((s, e, ent.name) for ent in entities if ent.type == "person" for s, e in ent.mentions),
            key=lambda m: m[0],
        )
        out: list[Attribution] = []
        last_person: str | None = None
        prev: Attribution | None = None
        prev_para = -1
        quote_open = False
        for sent in sentences:
            hedged = bool(self._hedge.search(sent.text))
            in_sentence = [p for p in persons if sent.start <= p[0] < sent.end]
            speaker = self._speaker(sent, in_sentence, last_person)
            if (
                speaker is None
                and prev is not None
                and prev.speaker is not None
                and sent.paragraph == prev_para
                and (quote_open or self._pronoun_subject.match(sent.text) or sent.text[:1] in _OPENING_QUOTES)
            ):
                speaker = prev.speaker
            att = Attribution(speaker=speaker, hedged=hedged)
            out.append(att)
            if in_sentence:
                last_person = in_sentence[-1][2]
            if sent.paragraph != prev_para:
                quote_open = False
            quote_open = _quote_open_after(sent.text, quote_open)
            prev, prev_para = att, sent.paragraph
        return out

    def _speaker(
        self, sent: Sentence, persons: list[tuple[int, int, str]], last_person: str | None
    ) -> str | None:
        text = sent.text
        m = self._according.search(text)
        if m:
            return _clean_np(m.group(1))
        verb = self._verb.search(text)
        if not verb:
            return None
        before_end = sent.start + verb.start()
        # A named person in the subject, closest to the verb ("One of the workers, Jin, said").
        named = [p for p in persons if p[1] <= before_end]
        if named:
            start, end, name = named[-1]
            rel_end = end - sent.start
            if _POSSESSIVE.match(text, rel_end):  # "Jin's supervisor told him": the supervisor speaks
                return _clean_np(text[rel_end - (end - start) : verb.start()])
            return name
        after = [
            p for p in persons if p[0] >= sent.start + verb.end() and p[0] - (sent.start + verb.end()) <= 2
        ]
        if after:  # "..., said Jin"
            return after[0][2]
        if self._said_pronoun.search(text) and last_person:
            return last_person
        return self._noun_phrase(text[: verb.start()])

    def _noun_phrase(self, before: str) -> str | None:
        """The subject noun phrase before the speech verb, if it holds a speaker noun.

        "A South Korean professor who has travelled ... to interview workers said": the phrase
        that opens the sentence, before "who". "..., a strategy that experts say": the noun
        right before the verb. Otherwise an opening phrase within six words of the start.
        """
        words = list(_WORD.finditer(before))
        if not words:
            return None
        opening = self._opening_phrase(before, words)
        if opening and _RELATIVE_OPENING.match(before):
            return opening
        tail = words[-4:]
        for w in reversed(tail):
            if self._noun.fullmatch(w.group(0)):
                i = words.index(w)
                j = i
                while (
                    j > 0
                    and i - j < 4
                    and (words[j - 1].group(0)[:1].isupper() or words[j - 1].group(0).lower() in _DETERMINERS)
                ):
                    j -= 1
                return _clean_np(before[words[j].start() : w.end()])
        return opening

    def _opening_phrase(self, before: str, words: list[re.Match[str]]) -> str | None:
        """The phrase opening the sentence, up to its last speaker noun among the first six words."""
        last: int | None = None
        for m in self._noun.finditer(before):
            index = next((i for i, w in enumerate(words) if w.end() >= m.end()), len(words) - 1)
            if index > 5:
                break
            last = index
        if last is None:
            return None
        return _clean_np(before[words[0].start() : words[last].end()])


def _quote_open_after(text: str, open_before: bool) -> bool:
    """Whether a quotation is still open at the end of this sentence."""
    state = open_before
    for ch in text:
        if ch == "“":
            state = True
        elif ch == "”":
            state = False
        elif ch == '"':
            state = not state
    return state


_LEADING_ADVERB = re.compile(r"^(?:then|but|and|so|later|now|also|yet|still|however),?\s+", re.IGNORECASE)


def _clean_np(phrase: str) -> str | None:
    phrase = " ".join(phrase.split()).strip(" ,;:—–-\"“”'’")
    phrase = _LEADING_ADVERB.sub("", phrase)
    if not phrase or phrase.lower() in {"it", "this", "that", "he", "she", "they", "we", "i"}:
        return None
    return phrase
