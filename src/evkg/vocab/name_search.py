"""Search over every name of a lexicon, bounded in the vocabulary's size: an index built once
(the words of every name, the folded names in order) answers a query by looking up its
words, never by scoring every name.

A query's words are looked up in a sorted word list (the last word may be the start of a
word, as a person types it); the names holding the rarest word are read in order of length
(shortest first: the names a word covers best) and kept when they hold every other word too.
Only when that finds too little are the words corrected: each misspelt word is compared with
the index's words of similar length (rapidfuzz), never with the names themselves.

Relevance, highest first (each :class:`NameHit` carries one in ``(0, 1]``):

* ``exact``: the folded name is the query (1.0);
* ``prefix``: the name holds the query's words and starts with them (0.8–1.0, more the
  more of the name the query covers);
* ``words``: the name holds every word of the query (0.5–0.8, by coverage);
* ``corrected``: one of those after correcting misspelt words (scaled by their similarity);
* ``joined``: the folded name starts with the folded query across word boundaries
  ("nfkb" for "NF-kB p65"; 0.3–0.5), looked for only when the rest finds too little.

>>> from evkg.model import EntityKind
>>> from evkg.vocab.lexicon import Lexicon, LexiconEntry
>>> lexicon = Lexicon.from_entries([
...     LexiconEntry("doid:557", EntityKind.DISEASE, "kidney disease"),
...     LexiconEntry("doid:784", EntityKind.DISEASE, "chronic kidney disease"),
...     LexiconEntry("evkg.source:hek", EntityKind.EV_SOURCE, "human embryonic kidney 293"),
... ])
>>> [hit.key for hit in NameIndex(lexicon).search("kidney")]
['kidneydisease', 'chronickidneydisease', 'humanembryonickidney293']
>>> NameIndex(lexicon).search("kidny disease")[0].how
'corrected'
"""

from __future__ import annotations

import bisect
import heapq
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from rapidfuzz import fuzz, process

from evkg.model import EntityKind
from evkg.vocab.lexicon import Lexicon, fold_words

__all__ = ["NameHit", "NameIndex"]

#: Names read per query word at most: the shortest ones first, so a very common word (or
#: the first letter of one) costs the same as a rare one.
MAX_SCANNED = 5_000
#: Words a typed word start may stand for, at most (``"a"`` starts tens of thousands).
MAX_EXPANSIONS = 200
#: Lowest similarity (0–100) of a corrected word to the word typed.
CORRECTION_CUTOFF = 75.0
#: Corrections tried per misspelt word.
CORRECTIONS_PER_WORD = 5
#: Version of :meth:`NameIndex.to_payload`'s layout.
PAYLOAD_FORMAT = 1
_STATE = ("keys", "_kinds", "words", "_postings", "_alphabetical", "_alphabetical_keys",
          "_similar_words")  # fmt: skip
_KINDS = tuple(EntityKind)
_KIND_BIT = {kind: 1 << index for index, kind in enumerate(_KINDS)}
_ALL_KINDS = (1 << len(_KINDS)) - 1


@dataclass(frozen=True, slots=True)
class NameHit:
    """A folded name matching a query: ``how`` it matched and its ``relevance`` (0–1]."""

    key: str
    relevance: float
    how: str


class NameIndex:
    """Words and folded names of a lexicon, built once; queries cost what they find."""

    def __init__(self, lexicon: Lexicon) -> None:
        words_of: dict[str, set[str]] = defaultdict(set)
        kinds_of: dict[str, int] = defaultdict(int)
        for entry in lexicon.entries.values():
            bit = _KIND_BIT[entry.kind]
            for name, _how in entry.names():
                words = fold_words(name)
                key = "".join(words)
                if key:
                    words_of[key].update(words)
                    kinds_of[key] |= bit
        #: folded names, shortest first (ids follow this order), and each one's kinds
        self.keys: list[str] = sorted(words_of, key=lambda key: (len(key), key))
        self._kinds = array("q", (kinds_of[key] for key in self.keys))
        key_id = {key: index for index, key in enumerate(self.keys)}
        postings: dict[str, array[int]] = defaultdict(lambda: array("i"))
        for key in self.keys:  # in id order, so every posting list is sorted by length
            for word in words_of[key]:
                postings[word].append(key_id[key])
        #: distinct words, sorted, with the ids of the names holding each
        self.words: list[str] = sorted(postings)
        self._postings = [postings[word] for word in self.words]
        #: folded names in alphabetical order (for names starting with the query)
        self._alphabetical = sorted(range(len(self.keys)), key=self.keys.__getitem__)
        self._alphabetical_keys = [self.keys[i] for i in self._alphabetical]
        self._similar_words = _words_by_shape(self.words)

    def __len__(self) -> int:
        return len(self.keys)

    def to_payload(self) -> dict[str, object]:
        """Plain lists and arrays to cache (:meth:`from_payload` reads them back)."""
        return {"format": PAYLOAD_FORMAT} | {name: getattr(self, name) for name in _STATE}

    @classmethod
    def from_payload(cls, payload: object) -> NameIndex | None:
        """The index :meth:`to_payload` saved, or None when ``payload`` is not one."""
        if not isinstance(payload, dict) or payload.get("format") != PAYLOAD_FORMAT:
            return None
        if not all(name in payload for name in _STATE):
            return None
        index = cls.__new__(cls)
        for name in _STATE:
            setattr(index, name, payload[name])
        return index

    def search(
        self, text: str, kinds: Iterable[EntityKind] | None = None, limit: int = 30
    ) -> list[NameHit]:
        """Up to ``limit`` names matching ``text`` among ``kinds``, most relevant first."""
        mask = _ALL_KINDS if kinds is None else sum(_KIND_BIT[k] for k in set(kinds))
        query_words = fold_words(text)
        if not query_words:
            return []
        found: dict[str, NameHit] = {}
        for hit in self._holding(query_words, mask, 1.0):
            found.setdefault(hit.key, hit)
        if len(found) < limit:
            for corrected, similarity in self._corrections(query_words):
                for hit in self._holding(corrected, mask, similarity):
                    found.setdefault(hit.key, hit)
        if len(found) < limit:
            for hit in self._starting_with("".join(query_words), mask, limit):
                found.setdefault(hit.key, hit)
        ranked = sorted(found.values(), key=lambda h: (-h.relevance, len(h.key), h.key))
        return ranked[:limit]

    # -- how a name matches ---------------------------------------------------------------
    def _holding(self, query_words: Sequence[str], mask: int, similarity: float) -> list[NameHit]:
        """Names holding every query word (the last one may be a word's start), read in
        order of length from the rarest word's names."""
        postings = [self._postings_for(word, prefix=index == len(query_words) - 1)
                    for index, word in enumerate(query_words)]  # fmt: skip
        sizes = [sum(len(ids) for ids in lists) for lists in postings]
        driver = min(range(len(postings)), key=sizes.__getitem__)
        others = [(query_words[i], _membership(postings[i], sizes[i]))
                  for i in range(len(postings)) if i != driver]  # fmt: skip
        typed = "".join(query_words)
        corrected = similarity < 1.0
        hits = []
        for key_id in _shortest_first(postings[driver]):
            if not self._kinds[key_id] & mask:
                continue
            key = self.keys[key_id]
            if not all(word in key and holds(key_id) for word, holds in others):
                continue
            coverage = min(1.0, len(typed) / len(key))
            if key == typed:
                relevance, how = 1.0, "exact"
            elif key.startswith(typed):
                relevance, how = 0.8 + 0.2 * coverage, "prefix"
            else:
                relevance, how = 0.5 + 0.3 * coverage, "words"
            hits.append(NameHit(key, relevance * similarity, "corrected" if corrected else how))
        return hits

    def _starting_with(self, query: str, mask: int, limit: int) -> list[NameHit]:
        """Names whose folded form starts with the query across word boundaries ("nfkb"
        for "NF-kB p65"), shortest first: the weakest kind of match."""
        keys = self._alphabetical_keys
        start = bisect.bisect_left(keys, query)
        end = bisect.bisect_left(keys, query + "\U0010ffff", lo=start)
        ids = sorted(self._alphabetical[i] for i in range(start, min(end, start + MAX_SCANNED)))
        hits = []
        for key_id in ids:
            if self._kinds[key_id] & mask:
                key = self.keys[key_id]
                hits.append(NameHit(key, 0.3 + 0.2 * len(query) / len(key), "joined"))
                if len(hits) >= limit:
                    break
        return hits

    def _postings_for(self, word: str, *, prefix: bool) -> list[Sequence[int]]:
        """Id lists (each sorted, shortest names first) of the names holding ``word`` or,
        for ``prefix``, a word starting with it (at most :data:`MAX_EXPANSIONS` words)."""
        start = bisect.bisect_left(self.words, word)
        if not prefix:
            exact = start < len(self.words) and self.words[start] == word
            return [self._postings[start]] if exact else []
        end = bisect.bisect_left(self.words, word + "\U0010ffff", lo=start)
        return [self._postings[i] for i in range(start, min(end, start + MAX_EXPANSIONS))]

    def _corrections(self, query_words: Sequence[str]) -> list[tuple[list[str], float]]:
        """The query with its unknown words replaced by similar known words, each variant
        with its similarity (0–1]; only words of similar length are compared."""
        options: list[list[tuple[str, float]]] = []
        for index, word in enumerate(query_words):
            last = index == len(query_words) - 1
            if self._postings_for(word, prefix=last) or len(word) < 4:
                options.append([(word, 1.0)])
                continue
            nearby = [
                candidate
                for length in range(max(1, len(word) * 3 // 5), len(word) * 5 // 3 + 1)
                for shape in ((length, 0, word[0]), (length, 1, word[1]))
                for candidate in self._similar_words.get(shape, ())
            ]
            found = process.extract(
                word, nearby, scorer=fuzz.ratio, limit=CORRECTIONS_PER_WORD,
                score_cutoff=CORRECTION_CUTOFF,
            )  # fmt: skip
            if not found:
                return []
            options.append([(candidate, score / 100) for candidate, score, _ in found])
        variants: list[tuple[list[str], float]] = [([], 1.0)]
        for choices in options:
            variants = [
                ([*words, choice], similarity * score)
                for words, similarity in variants
                for choice, score in choices
            ][: CORRECTIONS_PER_WORD**2]
        return [(words, similarity) for words, similarity in variants if similarity < 1.0]


def _words_by_shape(words: Iterable[str]) -> dict[tuple[int, int, str], list[str]]:
    """Words by (length, position, letter) for their first and second letters: a misspelt
    word is compared with the words of similar length sharing one of those letters (a typo
    rarely changes both)."""
    shapes: dict[tuple[int, int, str], list[str]] = defaultdict(list)
    for word in words:
        for position, letter in enumerate(word[:2]):
            shapes[(len(word), position, letter)].append(word)
    return dict(shapes)


def _holds(ids: Sequence[int], key_id: int) -> bool:
    """Whether the sorted ``ids`` hold ``key_id`` (a binary search)."""
    at = bisect.bisect_left(ids, key_id)
    return at < len(ids) and ids[at] == key_id


def _shortest_first(lists: Sequence[Sequence[int]]) -> Sequence[int]:
    """The ids of several sorted lists merged, each once, at most :data:`MAX_SCANNED`."""
    if len(lists) == 1:
        return lists[0][:MAX_SCANNED]
    merged: list[int] = []
    for key_id in heapq.merge(*lists):
        if not merged or merged[-1] != key_id:
            merged.append(key_id)
            if len(merged) >= MAX_SCANNED:
                break
    return merged


#: Ids gathered into a set at most to test a typed word start that several words share;
#: past this the words' presence in the name (a substring test) decides alone.
_MAX_MEMBERSHIP_SET = 100_000


def _membership(lists: Sequence[Sequence[int]], size: int) -> Callable[[int], bool]:
    """A test of whether a name id is in any of ``lists``."""
    if len(lists) == 1:
        (ids,) = lists
        return lambda key_id: _holds(ids, key_id)
    if size > _MAX_MEMBERSHIP_SET:
        return lambda key_id: True
    members = frozenset(chain.from_iterable(lists))
    return members.__contains__
