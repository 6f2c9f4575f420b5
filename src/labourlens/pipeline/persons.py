"""Named persons: pseudonyms and full names found through cues, then every mention of them.

Witnesses in testimony often appear under one invented name ("Jin", "Tae"). A capitalised word
that no gazetteer knows counts as a name only when a cue says so: a speech verb after it
("Chan said"), a title before it ("Dr Lee"), an apposition ("One of the workers, Jin,"), an age
("Maria, 34,"), a naming phrase ("a worker named Ali"), a demonym before it ("North Korean Nam
once fell"), ", who" after it, or a possessive ("Jin's supervisor"). Once found, every other
mention of the name is tagged too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from labourlens.model import Sentence
from labourlens.pipeline.gazetteer import DocTokens, Gazetteer

MAX_NAME_WORDS = 4
HEADLINE_RATIO = 0.7
HEADLINE_MAX_WORDS = 20

# A person noun before a naming cue makes "named X" a name ("a man named Ali").
PERSON_NOUNS = frozenset(
    {
        "man", "woman", "boy", "girl", "person", "guy", "lady", "gentleman", "friend", "colleague",
        "brother", "sister", "son", "daughter", "wife", "husband", "mother", "father", "cousin",
        "uncle", "aunt", "nephew", "niece", "someone", "teenager", "youth",
    }
)  # fmt: skip
# Naming cues that need no person noun before them.
SELF_NAMING = frozenset({"pseudonym", "alias", "known as"})

_WHO_RE = re.compile(r"\s*,\s*who\b")
_AGE_RE = re.compile(r"\s*,\s*(?:aged\s+)?\d{1,2}\s*[,)]")
_NOT_REAL_RE = re.compile(r"\s*[(,]\s*not\s+(?:his|her|their)\s+real\s+name", re.IGNORECASE)
_APPOS_AFTER_RE = re.compile(
    r"\s*,\s*(?:a|an|the|one of the|another)\s+((?:[\w'’-]+[ \t]+){0,3}[\w'’-]+)", re.IGNORECASE
)
_PHRASE_WORD_RE = re.compile(r"[\w'’-]+")
_APPOS_TAIL_RE = re.compile(
    r"\s*(?:[,);:—–]|$|(?:from|at|in|of|with|for|on|who|whose|working|employed|based|aged)\b)", re.IGNORECASE
)
_APPOS_BEFORE_RE = re.compile(r"(\w+)\s*,\s*$")
_COMMA_AFTER_RE = re.compile(r"\s*,")
_ACCORDING_RE = re.compile(r"according\s+to\s+$", re.IGNORECASE)
_PART_SPLIT_RE = re.compile(r"[-'’]")
_INNER_STOP_RE = re.compile(r"[.!?]\s+\S")
_LINE_WORD_RE = re.compile(r"[^\W\d_]{4,}")
_SENTENCE_END_RE = re.compile(r"[.!?…](?=[\s\"”’')\]]|$)|\n")
_LOWER_WORD_RE = re.compile(r"[a-z]+")


@dataclass(slots=True)
class Unit:
    """A word that may be (part of) a name: tokens first..last joined by hyphens or apostrophes.

    poss: the word carries a possessive "'s" (the "s" token is not part of the unit).
    """

    first: int
    last: int
    start: int
    end: int
    text: str
    poss: bool = False


@dataclass(slots=True)
class PersonFound:
    """A named person: canonical name, mention spans and the role the text gives them."""

    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    role: str | None = None


@dataclass(slots=True)
class _Candidate:
    """Cues gathered for one name across the text."""

    roles: list[str] = field(default_factory=list)
    speech_spans: list[tuple[int, int]] = field(default_factory=list)
    titled: bool = False


class PersonFinder:
    """Find named persons in a tokenised text, given the spans other entities already hold.

    gazetteer: supplies the cue words (persons.yaml) and the demonyms, role nouns and titles.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        cues = gazetteer.persons
        self.cues = cues
        never = set(cues.non_names) | set(cues.titles)
        for group in (cues.speech_verbs, cues.person_verbs, cues.speech_adverbs, cues.role_nouns):
            never.update(w.capitalize() for w in group)
        self.never_names = frozenset(never)
        verbs = sorted(cues.speech_verbs, key=len, reverse=True)
        self.speech_before_re = re.compile(
            r"[,\"“”’']\s*(?:" + "|".join(re.escape(v) for v in verbs) + r")\s+$", re.IGNORECASE
        )
        naming = sorted(cues.naming_cues, key=len, reverse=True)
        self._shape_memo: dict[str, bool] = {}
        self.naming_re = re.compile(
            r"(?:^|\W)((?:[\w'’-]+\s+){0,4}?)("
            + "|".join(re.escape(c) for c in naming)
            + r")\s*:?\s*[\"“‘']?$",
            re.IGNORECASE,
        )

    def find(
        self,
        doc: DocTokens,
        hard: Sequence[int],
        soft: Sequence[int],
        nationality_ends: set[int],
        sentences: Sequence[Sentence],
        lower_words: set[str] | None = None,
    ) -> tuple[list[PersonFound], set[int]]:
        """Named persons and the soft (city) tokens they take over.

        hard: per token, 1 where another entity holds it; soft: per token, 1 where only a
        one-word city holds it; nationality_ends: last tokens of demonym mentions;
        sentences: sentence spans, used to judge a speaker's role; lower_words: the words the
        text writes in lower case somewhere (computed when None).
        """
        text = doc.text
        units = self._units(doc)
        if not units:
            return [], set()
        if lower_words is None:
            lower_words = {low for word, low in zip(doc.words, doc.lows, strict=True) if word[0].islower()}
        raw_runs, soft_only, soft_units = self._runs(units, hard, soft)
        runs: list[list[int]] = []
        for run in raw_runs:  # a common word that opens a sentence is not part of the name
            if (
                len(run) > 1
                and units[run[0]].text.lower() in lower_words
                and _sentence_initial(text, units[run[0]].start)
            ):
                run = run[1:]
            runs.append(run)
        headline_cache: dict[int, bool] = {}
        found: dict[str, _Candidate] = {}

        for run in runs:
            first, last = units[run[0]], units[run[-1]]
            if is_headline(text, first.start, headline_cache):
                continue
            names = [units[k].text for k in run]
            initial = _sentence_initial(text, first.start)
            if not initial and self._inside_longer_name(doc, first.first, nationality_ends):
                continue
            strong, medium, roles, speaks, titled = self._cues(doc, units, run, nationality_ends)
            if not strong and not medium:
                continue
            if not strong:
                if len(run) == 1 and names[0].lower() in lower_words:
                    continue
                if len(run) == 1 and initial and names[0].lower().endswith(self.cues.common_noun_endings):
                    continue
                if medium == {"poss"} and initial:
                    continue
                if medium == {"demonym"} and len(run) == 1 and names[0].endswith("s"):
                    continue
            cand = found.setdefault(" ".join(names), _Candidate())
            cand.roles.extend(roles)
            cand.titled = cand.titled or titled
            if speaks:
                cand.speech_spans.append((first.start, last.end))

        for k in soft_only:
            unit = units[k]
            if is_headline(text, unit.start, headline_cache):
                continue
            strong, _, roles, speaks, titled = self._cues(doc, units, [k], nationality_ends)
            if strong:
                cand = found.setdefault(unit.text, _Candidate())
                cand.roles.extend(roles)
                cand.titled = cand.titled or titled
                if speaks:
                    cand.speech_spans.append((unit.start, unit.end))

        if not found:
            return [], set()
        canon = _merge_partial_names(found)
        return self._mentions(
            doc, units, runs + [[k] for k in soft_only], soft_units, found, canon, sentences
        )

    # -----------------------------------------------------------------------------------------

    def _units(self, doc: DocTokens) -> list[Unit]:
        """Capitalised words of the text, joining tokens across hyphens and inner apostrophes.

        Only these can be names; a name run is a chain of units on consecutive tokens.
        """
        units: list[Unit] = []
        words, lows, gaps, starts, ends, text = doc.words, doc.lows, doc.gaps, doc.starts, doc.ends, doc.text
        n = len(words)
        free = 0
        for i in [k for k, word in enumerate(words) if word[0].isupper()]:
            if i < free:
                continue
            j = i
            poss = False
            while j + 1 < n:
                gap = gaps[j]
                if gap == "'" and lows[j + 1] == "s":
                    poss = True
                    break
                if (gap == "-" or gap == "'") and ends[j] + 1 == starts[j + 1]:
                    j += 1
                    continue
                break
            units.append(Unit(i, j, starts[i], ends[j], text[starts[i] : ends[j]], poss))
            free = j + 2 if poss else j + 1
        return units

    def _name_shaped(self, word: str) -> bool:
        """A capitalised word whose parts are lower-case after their first letter ("Jin", "O'Brien")."""
        known = self._shape_memo.get(word)
        if known is not None:
            return known
        result = word[:1].isupper() and word not in self.never_names
        if result:
            parts = _PART_SPLIT_RE.split(word)
            result = (len(parts) > 1 or len(word) >= 2) and all(
                part.isalpha() and part[1:] == part[1:].lower() for part in parts
            )
        if len(self._shape_memo) < 50_000:
            self._shape_memo[word] = result
        return result

    def _runs(
        self, units: list[Unit], hard: Sequence[int], soft: Sequence[int]
    ) -> tuple[list[list[int]], list[int], set[int]]:
        """Runs of name-shaped units joined by single spaces.

        Returns the runs that hold at least one free unit, the one-word runs held only by a
        generated city ("Preston", which only a strong cue makes a person), and the indices of
        all city-held units (a city word beside a free name is part of that name: "Maria Santos").
        """
        runs: list[list[int]] = []
        soft_only: list[int] = []
        soft_units: set[int] = set()
        current: list[int] = []
        too_long = False

        def close() -> None:
            nonlocal current, too_long
            if current and not too_long:
                if all(k in soft_units for k in current):
                    if len(current) == 1:
                        soft_only.append(current[0])
                else:
                    runs.append(current)
            current = []
            too_long = False

        for k, unit in enumerate(units):
            tokens = range(unit.first, unit.last + 1)
            if any(hard[t] for t in tokens):
                if unit.first == unit.last and soft[unit.first] and self._name_shaped(unit.text):
                    soft_units.add(k)
                else:
                    close()
                    continue
            elif not self._name_shaped(unit.text):
                close()
                continue
            if current:
                prev = units[current[-1]]
                if prev.poss or unit.first != prev.last + 1 or unit.start != prev.end + 1:
                    close()
            current.append(k)
            if len(current) > MAX_NAME_WORDS:
                too_long = True
        close()
        return runs, soft_only, soft_units

    def _inside_longer_name(self, doc: DocTokens, first: int, nationality_ends: set[int]) -> bool:
        """Whether a run continues a capitalised phrase ("the Domestic Workers Collective said"):
        the word before it is capitalised, mid-sentence, and neither a title nor a demonym."""
        prev = first - 1
        if prev < 0 or prev in nationality_ends:
            return False
        word = doc.words[prev]
        if not word[0].isupper() or word in self.cues.titles:
            return False
        if doc.text[doc.ends[prev] : doc.starts[first]] != " ":
            return False
        return not _sentence_initial(doc.text, doc.starts[prev])

    def _cues(
        self, doc: DocTokens, units: list[Unit], run: list[int], nationality_ends: set[int]
    ) -> tuple[bool, set[str], list[str], bool, bool]:
        """The cues around a run: (strong cue?, medium cues, roles given, speaks?, titled?)."""
        text = doc.text
        cues = self.cues
        first, last = units[run[0]], units[run[-1]]
        strong = False
        medium: set[str] = set()
        roles: list[str] = []
        speaks = False
        titled = False
        after_pos = last.end
        if last.poss:
            medium.add("poss")
        # after the name
        words, lows, starts, ends = doc.words, doc.lows, doc.starts, doc.ends
        n = len(words)
        nxt = last.last + 1  # the token after the name
        next_word = words[nxt] if nxt < n and text[after_pos : starts[nxt]].isspace() else ""
        if not last.poss and next_word:
            word = lows[nxt]
            if word in cues.speech_adverbs and nxt + 1 < n and text[ends[nxt] : starts[nxt + 1]].isspace():
                word = lows[nxt + 1]
            if word in cues.speech_verbs:
                medium.add("speech")
                speaks = True
            elif word in cues.person_verbs:
                medium.add("verb")
        if _WHO_RE.match(text, after_pos):
            medium.add("who")
        if _AGE_RE.match(text, after_pos) or _NOT_REAL_RE.match(text, after_pos):
            strong = True
        appos = _APPOS_AFTER_RE.match(text, after_pos)
        if appos:
            for wm in _PHRASE_WORD_RE.finditer(text, appos.start(1), appos.end(1)):
                role = cues.role_nouns.get(wm.group().lower())
                if role is None:
                    continue
                # an apposition closes ("Ramesh, a worker, said") or goes on with a preposition
                # ("Maria, a maid from Manila"); in "in Riyadh, a supervisor took..." a new clause starts
                if _APPOS_TAIL_RE.match(text, wm.end()):
                    strong = True
                    roles.append(role)
                break
        # before the name
        before = text[max(0, first.start - 80) : first.start]
        prev = first.first - 1  # the token before the name
        if prev >= 0:
            gap = text[ends[prev] : first.start]
            if gap in (" ", ". ", ".\u00a0", "\u00a0") and words[prev] in cues.titles:
                strong = True
                titled = True
                title_role = cues.titles[words[prev]]
                if title_role:
                    roles.append(title_role)
        ap = _APPOS_BEFORE_RE.search(before)
        if ap and _COMMA_AFTER_RE.match(text, after_pos):
            role = cues.role_nouns.get(ap.group(1).lower())
            if role:
                strong = True
                roles.append(role)
        named = self.naming_re.search(before)
        if named:
            cue = named.group(2).lower()
            lead = [w.lower() for w in named.group(1).split()]
            noun_role = next((cues.role_nouns[w] for w in reversed(lead) if w in cues.role_nouns), None)
            if cue in SELF_NAMING or noun_role or any(w in PERSON_NOUNS for w in lead):
                strong = True
                if noun_role:
                    roles.append(noun_role)
        if prev in nationality_ends and text[ends[prev] : first.start] == " " and next_word[:1].islower():
            medium.add("demonym")
        if self.speech_before_re.search(before):
            medium.add("speech")
            speaks = True
        if len(run) >= 2 and _ACCORDING_RE.search(before):
            medium.add("speech")
            speaks = True
        return strong, medium, roles, speaks, titled

    def _mentions(
        self,
        doc: DocTokens,
        units: list[Unit],
        runs: list[list[int]],
        soft_units: set[int],
        found: dict[str, _Candidate],
        canon: dict[str, str],
        sentences: Sequence[Sentence],
    ) -> tuple[list[PersonFound], set[int]]:
        """Tag every run that spells a found name, and settle each person's role."""
        people: dict[str, PersonFound] = {}
        taken: set[int] = set()
        last_parts: dict[str, set[str]] = {}
        for long_name in canon.values():
            parts = long_name.split(" ")
            if len(parts) > 1 and parts[-1] not in self.never_names:
                last_parts.setdefault(parts[-1], set()).add(long_name)
        for run in runs:
            name = " ".join(units[k].text for k in run)
            full = canon.get(name)
            if full is None and len(run) == 1:
                owners = last_parts.get(name)
                if owners and len(owners) == 1:
                    full = next(iter(owners))
            if full is None:
                continue
            person = people.setdefault(full, PersonFound(full))
            person.mentions.append((units[run[0]].start, units[run[-1]].end))
            taken.update(units[k].first for k in run if k in soft_units)
        starts = [s.start for s in sentences]
        for full, person in people.items():
            person.mentions.sort()
            roles: list[str] = []
            spans: list[tuple[int, int]] = []
            titled = False
            for name, target in canon.items():
                if target == full:
                    roles.extend(found[name].roles)
                    spans.extend(found[name].speech_spans)
                    titled = titled or found[name].titled
            if roles:
                person.role = roles[0]
            elif spans and not titled:
                person.role = "worker" if self._speaks_of_work(doc, spans, sentences, starts) else "witness"
        out = sorted(people.values(), key=lambda p: p.mentions[0])
        return [p for p in out if p.mentions], taken

    def _speaks_of_work(
        self,
        doc: DocTokens,
        spans: list[tuple[int, int]],
        sentences: Sequence[Sentence],
        starts: list[int],
    ) -> bool:
        """Whether any sentence where the person speaks holds a work word."""
        text = doc.text
        for start, end in spans:
            lo, hi = 0, len(text)
            k = bisect_right(starts, start) - 1
            if 0 <= k < len(sentences) and sentences[k].start <= start < sentences[k].end:
                lo, hi = sentences[k].start, sentences[k].end
            lo = max(lo, start - 300)
            for m in _SENTENCE_END_RE.finditer(text, lo, start):
                lo = m.end()
            stop = _SENTENCE_END_RE.search(text, end, min(hi, end + 300))
            hi = stop.start() + 1 if stop else min(hi, end + 300)
            for word in _LOWER_WORD_RE.findall(text[lo:hi].lower()):
                if word in self.cues.work_words:
                    return True
        return False


def is_headline(text: str, pos: int, cache: dict[int, bool]) -> bool:
    """Whether the line holding pos is a short title-case headline, where capitals prove nothing.

    cache: line start -> answer, shared by the calls for one text.
    """
    line_start = text.rfind("\n", 0, pos) + 1
    cached = cache.get(line_start)
    if cached is not None:
        return cached
    line_end = text.find("\n", pos)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    result = False
    stripped = line.rstrip()
    if (
        len(line.split()) <= HEADLINE_MAX_WORDS
        and not _INNER_STOP_RE.search(line)
        and not stripped.endswith((".", ",", ";"))
    ):
        words = _LINE_WORD_RE.findall(line)
        capitals = sum(1 for w in words if w[0].isupper())
        result = len(words) >= 3 and capitals / len(words) >= HEADLINE_RATIO
    cache[line_start] = result
    return result


def _merge_partial_names(found: dict[str, _Candidate]) -> dict[str, str]:
    """Map each found name to its canonical form: a one-word name that is the first or last word of
    exactly one longer found name joins it ("Santos" -> "Maria Santos")."""
    canon = {name: name for name in found}
    fulls = [name for name in found if " " in name]
    for name in found:
        if " " in name:
            continue
        owners = [f for f in fulls if name in (f.split(" ")[0], f.split(" ")[-1])]
        if len(owners) == 1:
            canon[name] = owners[0]
    return canon


def _sentence_initial(text: str, pos: int) -> bool:
    """Whether a word at pos opens a sentence, a line or the text (ignoring quotes and brackets)."""
    j = pos - 1
    while j >= 0 and text[j] in " \t\u00a0\"“‘'([*•–—-":
        j -= 1
    return j < 0 or text[j] in ".!?:;\n…"
