"""Entity recognition: a dictionary matcher (Aho–Corasick over every name of the vocabulary),
the miRNA grammar, a pattern for EV mentions, and abbreviation propagation.

The automaton is built once per process and vocabulary (:func:`recognizer_for`); matching
runs on a length-preserving normalised copy of the text (lower case, Greek letters spelt in
Latin, punctuation as spaces) with spaces around every key, so that every hit falls on word
boundaries without a check in Python.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick

from evkg.extract._stopwords import GENERIC_PROCESS_WORDS, STOPWORDS
from evkg.model import EntityKind
from evkg.vocab import Vocabulary
from evkg.vocab.lexicon import GREEK_TO_LATIN

__all__ = [
    "EV",
    "EV_PATTERN",
    "MIRNA_PATTERN",
    "Mention",
    "Recognizer",
    "find_mirna_mentions",
    "recognizer_for",
]

#: Kind of a generic EV mention ("exosomes", "EVs"), which has no identifier of its own.
EV = "ev"

_DICTIONARY_KINDS = (
    EntityKind.EV_SOURCE,
    EntityKind.CARGO,
    EntityKind.MODIFICATION,
    EntityKind.ROUTE,
    EntityKind.MODEL,
    EntityKind.SPECIES,
    EntityKind.GENE,
    EntityKind.DISEASE,
    EntityKind.PATHWAY,
    EntityKind.PROCESS,
)
_DISEASE_PREFERENCE = ("doid", "mondo", "evkg.disease", "mesh")
_PRIORITY = {kind: rank for rank, kind in enumerate(_DICTIONARY_KINDS)}

_LIST_ITEM = r"\d{1,4}(?:[a-z]|-[a-z])?\d?(?:-\d)?(?:-[35]p)?"
MIRNA_PATTERN = re.compile(
    rf"""(?<![\w/-])
    (?:(?!pre-)[a-z]{{3}}-)?
    (?:
        (?:micro[\s-]?RNA|miRNA|miR|mir)[\s-]?\d{{1,4}}[a-z]?\d?
        (?:-\d{{1,3}}(?![\d.,]\d))*
        (?:-[35]p)?
        (?:/(?:\d{{1,4}}[a-z]?|[a-z])(?:-\d)?(?:-[35]p)?(?![\w]))*
        (?:[~∼]\d{{1,4}}[a-z]?)*
        (?:,\s*-{_LIST_ITEM})*
        (?:(?:,\s*\d{{2,4}}[a-z]?)+)?
        (?:,?\s*(?:and|or)\s*(?:-\d{{1,4}}|\d{{2,4}})(?:[a-z]|-[a-z])?\d?(?:-\d)?(?:-[35]p)?)?
      |
        let-?7[a-k]?(?:-\d)?(?:-[35]p)?
      |
        lin-4
    )
    (?![\w])""",
    re.IGNORECASE | re.VERBOSE,
)


_LIST_SPLIT = re.compile(r"\s*(?:,|/|~|∼|\band\b|\bor\b)\s*")

EV_PATTERN = re.compile(
    r"\b(?:extracellular[\s-]vesicles?|exosom(?:e|es|al)|s?EVs?|microvesicles?|"
    r"[Ee]xos?|nanovesicles?|small vesicles?)\b"
)


def _translation() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(128):
        char = chr(code)
        if not char.isalnum():
            table[code] = " "
    for greek, latin in GREEK_TO_LATIN.items():
        table[ord(greek)] = latin
    for char in "‐‑‒–—―−·•’‘“”″′":
        table[ord(char)] = " "
    return table


_CASE_KEEP = _translation()
_LOWER = dict(_CASE_KEEP)
for _code in range(ord("A"), ord("Z") + 1):
    _LOWER[_code] = chr(_code + 32)
for _greek, _latin in GREEK_TO_LATIN.items():
    _LOWER[ord(_greek)] = _latin.lower()


def _normalise(text: str, *, lower: bool = True) -> str:
    return text.translate(_LOWER if lower else _CASE_KEEP)


@dataclass(frozen=True, slots=True)
class Mention:
    """A recognised entity mention: offsets into the text it was found in."""

    start: int
    end: int
    text: str
    kind: str  # an EntityKind value, or EV
    curies: tuple[str, ...]
    how: str = "dictionary"  # dictionary | grammar | abbreviation | pattern

    @property
    def curie(self) -> str | None:
        return self.curies[0] if self.curies else None


def find_mirna_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of every miRNA name, a trailing ``*`` left out of the span.

    >>> find_mirna_mentions("miR-21, hsa-miR-146a-5p and let-7c but not MIRO1")
    [(0, 6, 'miR-21'), (8, 23, 'hsa-miR-146a-5p'), (28, 34, 'let-7c')]
    """
    return [(m.start(), m.end(), m.group(0)) for m in MIRNA_PATTERN.finditer(text)]


def _case_sensitive(name: str, kind: EntityKind) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    if kind == EntityKind.GENE:
        return len(name) <= 6 or " " not in name.strip() or not any(c.islower() for c in letters)
    return len(name) <= 6 and not any(c.islower() for c in letters)


def _usable(key: str, kind: EntityKind) -> bool:
    if len(key) < 3 or key.isdigit() or key in STOPWORDS:
        return False
    return not (kind in (EntityKind.PROCESS, EntityKind.PATHWAY) and key in GENERIC_PROCESS_WORDS)


class Recognizer:
    """Dictionary entity recognition over one vocabulary."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        # folded key -> curie -> [kind, is a label, exact spellings (None: any case)]
        grouped: dict[str, dict[str, list[Any]]] = defaultdict(dict)
        for entry in vocabulary.lexicon.entries.values():
            if entry.kind not in _PRIORITY:
                continue
            for name, how in entry.names():
                key = " ".join(_normalise(name).split())
                if not _usable(key, entry.kind):
                    continue
                sensitive = _case_sensitive(name, entry.kind)
                exact = " ".join(_normalise(name, lower=False).split())
                variants = {key}
                if " " in key and any(c.isdigit() for c in key):
                    variants.add(key.replace(" ", ""))  # IL-6 also as IL6
                for variant in variants:
                    if len(variant) < 3 or variant in STOPWORDS:
                        continue
                    slot = grouped[variant].setdefault(entry.curie, [entry.kind, False, set()])
                    slot[1] = slot[1] or how == "label"
                    if slot[2] is not None:
                        if sensitive:
                            slot[2].update({exact, exact.replace(" ", "")})
                        else:
                            slot[2] = None
        self._payloads: list[tuple[tuple[str, EntityKind, frozenset[str] | None], ...]] = []
        self._lengths: list[int] = []
        automaton = ahocorasick.Automaton()
        for key, bucket in grouped.items():
            ordered = sorted(
                bucket.items(), key=lambda item: (_PRIORITY[item[1][0]], not item[1][1], item[0])
            )
            payload = tuple(
                (curie, kind, frozenset(forms) if forms is not None else None)
                for curie, (kind, _label, forms) in ordered
            )
            automaton.add_word(f" {key} ", len(self._payloads))
            self._payloads.append(payload)
            self._lengths.append(len(key) + 2)
        automaton.make_automaton()
        self._automaton = automaton

    def __len__(self) -> int:
        return len(self._payloads)

    # -- dictionary -----------------------------------------------------------------------
    def dictionary_mentions(self, text: str) -> list[Mention]:
        """Longest non-overlapping dictionary mentions in ``text``."""
        padded = f" {_normalise(text)} "
        candidates = [
            (end - self._lengths[index] + 1, end - 1, index)
            for end, index in self._automaton.iter(padded)
        ]
        if not candidates:
            return []
        candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
        mentions: list[Mention] = []
        taken_until = -1
        keep_case: str | None = None
        for start, stop, index in candidates:
            if start < taken_until:
                continue
            curies: list[str] = []
            kind: EntityKind | None = None
            for curie, entry_kind, forms in self._payloads[index]:
                if forms is not None:
                    if keep_case is None:
                        keep_case = _normalise(text, lower=False)
                    exact = " ".join(keep_case[start:stop].split())
                    if exact not in forms and exact.replace(" ", "") not in forms:
                        continue
                if kind is None:
                    kind = entry_kind
                if entry_kind == kind:
                    curies.append(curie)
            if kind is None:
                continue
            if kind == EntityKind.DISEASE:
                curies = self._preferred_diseases(curies)
            mentions.append(Mention(start, stop, text[start:stop], kind.value, tuple(curies)))
            taken_until = stop
        return mentions

    def _preferred_diseases(self, curies: Sequence[str]) -> list[str]:
        canonical = list(dict.fromkeys(self.vocabulary.canonical_disease(c) for c in curies))
        best = min(_disease_rank(c) for c in canonical)
        return [c for c in canonical if _disease_rank(c) == best]

    # -- everything -----------------------------------------------------------------------
    def mentions(
        self, text: str, *, species: str = "hsa", abbreviations: Iterable[tuple[str, str]] = ()
    ) -> list[Mention]:
        """miRNA, EV and dictionary mentions of ``text``, abbreviations resolved through
        their long forms; sorted by offset, non-overlapping."""
        found: list[Mention] = []
        for start, end, surface in find_mirna_mentions(text):
            star = text[end : end + 1] == "*"
            # a list ("miR-26a, -34a and -145") resolves through its first member
            name = _LIST_SPLIT.split(surface)[0] + ("*" if star else "")
            hit = self.vocabulary.mirna(name, species)
            if hit is None and species != "hsa":
                hit = self.vocabulary.mirna(name, "hsa")
            curies = hit.curies if hit else ()
            found.append(Mention(start, end, surface, EntityKind.MIRNA.value, curies, "grammar"))
        for match in EV_PATTERN.finditer(text):
            found.append(Mention(match.start(), match.end(), match.group(0), EV, (), "pattern"))
        found.extend(self.dictionary_mentions(text))
        found = self._apply_abbreviations(text, found, abbreviations)
        return _non_overlapping(found)

    def _apply_abbreviations(
        self, text: str, mentions: list[Mention], abbreviations: Iterable[tuple[str, str]]
    ) -> list[Mention]:
        definitions = dict(abbreviations)
        if not definitions:
            return mentions
        resolved: dict[str, Mention | None] = {}
        for short, long in definitions.items():
            hits = self.dictionary_mentions(long)
            whole = [m for m in hits if m.end - m.start >= 0.6 * len(long)]
            resolved[short] = whole[-1] if whole else None
        kept = [m for m in mentions if m.how != "dictionary" or m.text not in resolved]
        for short, long_mention in resolved.items():
            if long_mention is None or _is_ev_words(short):
                continue
            for match in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text):
                kept.append(
                    Mention(
                        match.start(),
                        match.end(),
                        short,
                        long_mention.kind,
                        long_mention.curies,
                        "abbreviation",
                    )
                )
        return kept


def _disease_rank(curie: str) -> int:
    prefix = curie.split(":", 1)[0]
    return _DISEASE_PREFERENCE.index(prefix) if prefix in _DISEASE_PREFERENCE else 99


def _is_ev_words(short: str) -> bool:
    return bool(EV_PATTERN.fullmatch(short))


_HOW_RANK = {"grammar": 0, "abbreviation": 1, "pattern": 2, "dictionary": 3}


def _non_overlapping(mentions: list[Mention]) -> list[Mention]:
    ordered = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start), _HOW_RANK[m.how]))
    result: list[Mention] = []
    for mention in ordered:
        if result and mention.start < result[-1].end:
            previous = result[-1]
            # a miRNA or abbreviation inside a longer dictionary hit wins
            if _HOW_RANK[mention.how] < _HOW_RANK[previous.how] and mention.how == "grammar":
                result[-1] = mention
            continue
        result.append(mention)
    return result


_CACHE: dict[int, tuple[Vocabulary, Recognizer]] = {}


def recognizer_for(vocabulary: Vocabulary) -> Recognizer:
    """The recogniser of ``vocabulary``, built on first use in this process."""
    cached = _CACHE.get(id(vocabulary))
    if cached is None or cached[0] is not vocabulary:
        cached = (vocabulary, Recognizer(vocabulary))
        _CACHE[id(vocabulary)] = cached
    return cached[1]
