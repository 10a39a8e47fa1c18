"""Search ranked by relevance and claims: the vocabulary's name index, plus an index of the
names that hold evidence in the store (so that a name with claims is never crowded out of
the shortlist by thousands of names without), claim counts read in one batch from the
counts the store maintains on write.

Order: the exact resolution first, then names holding evidence before names without;
within each, by how the name matched (exact, prefix, words, corrected, joined), then by the
number of claims, then by relevance. Diseases named alike in several vocabularies (DOID,
MONDO, MeSH) appear once.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from evkg.model import EntityKind
from evkg.vocab import Lexicon, Match, Vocabulary, fold_name
from evkg.vocab.name_search import NameIndex

if TYPE_CHECKING:
    from evkg.store import SqlStore

__all__ = ["EvidenceNames", "ranked_search"]

#: Bands of hits after the exact one, by how the name matched: within a band, claims decide.
_BANDS = {"exact": 0, "prefix": 1, "words": 2, "corrected": 3, "joined": 4}
#: Names read from each index per hit shown.
_POOL_PER_HIT = 5


class EvidenceNames:
    """The names of the identifiers some claim names, indexed; rebuilt when the store's
    write generation moves (a keyed look-up per search)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: tuple[int, Lexicon, NameIndex] | None = None

    def index(self, store: SqlStore, vocabulary: Vocabulary) -> tuple[Lexicon, NameIndex]:
        generation = store.count_generation()
        with self._lock:
            if self._built is None or self._built[0] != generation:
                generation, curies = store.mentioned()
                known = (vocabulary.lexicon.get(c) for c in curies)
                lexicon = Lexicon.from_entries(entry for entry in known if entry is not None)
                self._built = (generation, lexicon, NameIndex(lexicon))
            return self._built[1], self._built[2]


def ranked_search(
    store: SqlStore,
    vocabulary: Vocabulary,
    evidence_names: EvidenceNames,
    text: str,
    limit: int,
) -> list[tuple[Match, int]]:
    """Up to ``limit`` (match, claims) for ``text``, in the order the module describes."""
    pool = max(limit * _POOL_PER_HIT, 50)
    found = vocabulary.search(text, limit=pool)
    exact = found[:1] if found and found[0].how != "fuzzy" else []
    seen = {c for m in found for c in m.curies}
    held_lexicon, held_index = evidence_names.index(store, vocabulary)
    for hit in held_index.search(text, limit=pool):
        for curie in held_lexicon.curies_for_key(hit.key):
            if curie not in seen:
                seen.add(curie)
                entry = held_lexicon.entries[curie]
                found.append(
                    Match((curie,), entry.kind, entry.label, hit.key, hit.relevance, "fuzzy",
                          ("fuzzy", hit.how))
                )  # fmt: skip
    counts = store.claim_mentions(sorted({c for m in found for c in m.curies}))
    head = [(m, sum(counts[c] for c in m.curies)) for m in exact]
    rest = [(m, sum(counts[c] for c in m.curies)) for m in found[len(exact) :]]
    return (head + sorted(_once_per_name(head, rest), key=lambda item: _order(*item)))[:limit]


def _once_per_name(
    head: Sequence[tuple[Match, int]], scored: Sequence[tuple[Match, int]]
) -> list[tuple[Match, int]]:
    """Diseases of the same name (one disease in several vocabularies) kept once: the one
    with most claims, and none named as the exact hit is."""
    taken = {(m.kind.value, fold_name(label)) for m, _ in head for label in m.label.split(" / ")}
    best: dict[tuple[str, str], tuple[Match, int]] = {}
    kept: list[tuple[Match, int]] = []
    for match, n in scored:
        if match.kind != EntityKind.DISEASE:
            kept.append((match, n))
            continue
        key = (match.kind.value, fold_name(match.label))
        if key not in taken and (key not in best or n > best[key][1]):
            best[key] = (match, n)
    return kept + list(best.values())


def _order(match: Match, n_claims: int) -> tuple[bool, int, int, float, str]:
    how = match.flags[1] if len(match.flags) > 1 and match.how == "fuzzy" else "exact"
    return (n_claims == 0, _BANDS.get(how, len(_BANDS)), -n_claims, -match.score, match.label)
