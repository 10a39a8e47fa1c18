"""Normalisers: names of miRNAs, genes, diseases, EV sources, modifications, routes, species,
models and pathways to identifiers, returning a :class:`Match` or ``None``; plus fuzzy search
with suggestions over every kind."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable
from pathlib import Path

from evkg.model import EntityKind
from evkg.vocab.identity import (
    IDENTITY_FORMAT,
    DiseaseIdentity,
    curated_disease_mappings,
    curated_mappings_text,
    disease_rank,
)
from evkg.vocab.lexicon import Lexicon
from evkg.vocab.match import Match
from evkg.vocab.mirna import MirnaNormaliser, parse_mirna_name
from evkg.vocab.name_search import PAYLOAD_FORMAT, NameIndex
from evkg.vocab.pickle_cache import read_pickle_cache, write_pickle_cache

__all__ = ["SPECIES_CODES", "Vocabulary"]

#: miRBase species codes for NCBI taxa the normalisers accept.
SPECIES_CODES = {"ncbitaxon:9606": "hsa", "ncbitaxon:10090": "mmu", "ncbitaxon:10116": "rno"}

_CARGO_KINDS = (EntityKind.MIRNA, EntityKind.GENE, EntityKind.CARGO)


class Vocabulary:
    """All normalisers over one lexicon (the shipped compact one or a full one)."""

    def __init__(
        self, lexicon: Lexicon, fingerprint: str = "", *, cache_dir: Path | None = None
    ) -> None:
        self.lexicon = lexicon
        #: What the lexicon was built from (shipped files, reference files): caches of
        #: anything derived from this vocabulary are keyed by it.
        self.fingerprint = fingerprint or f"lexicon-{len(lexicon)}"
        #: Where derived indexes are cached (None: built in memory in each process).
        self.cache_dir = cache_dir if fingerprint else None
        self._mirna = MirnaNormaliser(lexicon)
        self._names: NameIndex | None = None
        self._names_lock = threading.Lock()
        self._identity: DiseaseIdentity | None = None

    # -- one kind -------------------------------------------------------------------------
    def mirna(self, text: str, species: str = "hsa") -> Match | None:
        """A miRNA name (any common spelling) to mature miRBase accession(s)."""
        return self._mirna.normalise(text, species=SPECIES_CODES.get(species, species))

    def gene(self, text: str) -> Match | None:
        """A gene symbol, alias, previous symbol, rodent symbol or protein name to HGNC."""
        return self._by_name(text, (EntityKind.GENE,))

    def disease(self, text: str) -> Match | None:
        return self._by_name(text, (EntityKind.DISEASE,))

    def disease_candidates(self, text: str) -> list[str]:
        """Every disease identity ``text`` names exactly (a label or synonym of any member,
        or an identifier), as canonical identifiers: label matches first, then by
        vocabulary. Callers choose among them (the service prefers those with evidence)."""
        name = text.strip()
        entry = self.lexicon.get(name)
        if entry is not None and entry.kind == EntityKind.DISEASE:
            return [self.canonical_disease(name)]
        hits = self.lexicon.lookup(name, (EntityKind.DISEASE,))
        return [curie for curie, _ in self._prefer_diseases(hits)]

    def ev_source(self, text: str) -> Match | None:
        cleaned = re.sub(r"[-\s]*(EVs?|exosomes?|Exos?|sEVs?)$", "", text.strip(), flags=re.I)
        return self._by_name(cleaned or text, (EntityKind.EV_SOURCE,))

    def modification(self, text: str) -> Match | None:
        return self._by_name(text, (EntityKind.MODIFICATION,))

    def route(self, text: str) -> Match | None:
        return self._by_name(text, (EntityKind.ROUTE,))

    def species(self, text: str) -> Match | None:
        return self._by_name(text, (EntityKind.SPECIES,))

    def model(self, text: str) -> Match | None:
        return self._by_name(text, (EntityKind.MODEL,))

    def pathway(self, text: str) -> Match | None:
        return self._by_name(text, (EntityKind.PATHWAY, EntityKind.PROCESS))

    def cargo(self, text: str, species: str = "hsa") -> Match | None:
        """Any cargo: a miRNA, a protein/gene, or another cargo term (drug, siRNA…)."""
        return self.mirna(text, species) or self._by_name(text, _CARGO_KINDS)

    # -- any kind -------------------------------------------------------------------------
    def resolve(self, text: str, kinds: Iterable[EntityKind] | None = None) -> Match | None:
        """Best exact resolution of ``text`` among ``kinds`` (all kinds when None)."""
        wanted = tuple(kinds) if kinds is not None else None
        entry = self.lexicon.get(text.strip())
        if entry is not None and (wanted is None or entry.kind in wanted):
            return Match((entry.curie,), entry.kind, entry.label, text, 1.0, "identifier")
        if (wanted is None or EntityKind.MIRNA in wanted) and parse_mirna_name(text):
            hit = self.mirna(text)
            if hit:
                return hit
        return self._by_name(text, wanted)

    def search(
        self, text: str, kinds: Iterable[EntityKind] | None = None, limit: int = 10
    ) -> list[Match]:
        """The exact resolution first, then names holding the words typed (or a correction
        of them), most relevant first; the cost follows the words, not the vocabulary's size
        (:class:`~evkg.vocab.name_search.NameIndex`). Every hit but the exact resolution has
        ``how == "fuzzy"``; its flags say how the name matched (``prefix``, ``words``,
        ``corrected``, ``joined``, or ``exact`` for a name of another entity), its score is
        the relevance (0–1]."""
        wanted = tuple(kinds) if kinds is not None else None
        results: list[Match] = []
        exact = self.resolve(text, wanted)
        if exact:
            results.append(exact)
        seen = {c for m in results for c in m.curies}
        allowed = set(wanted) if wanted is not None else None
        for hit in self.names.search(text, wanted, limit=limit):
            for curie in self.lexicon.curies_for_key(hit.key):
                entry = self.lexicon.entry(curie)
                if curie in seen or (allowed is not None and entry.kind not in allowed):
                    continue
                seen.add(curie)
                flags = ("fuzzy", hit.how)
                results.append(
                    Match((curie,), entry.kind, entry.label, hit.key, hit.relevance, "fuzzy", flags)
                )
        return results[:limit]

    @property
    def names(self) -> NameIndex:
        """The index :meth:`search` reads: built on first use (a few seconds for the full
        reference vocabularies) and then read from ``cache_dir`` by later processes."""
        with self._names_lock:
            if self._names is None:
                self._names = self._load_names()
            return self._names

    def _load_names(self) -> NameIndex:
        path = None
        if self.cache_dir is not None:
            path = self.cache_dir / f"names-v{PAYLOAD_FORMAT}-{_names_key(self.fingerprint)}.pickle"
            cached = read_pickle_cache(path, "name index", NameIndex.from_payload)
            if cached is not None:
                return cached
        index = NameIndex(self.lexicon)
        if path is not None:
            write_pickle_cache(path, index.to_payload(), "name index")
        return index

    def _load_identity(self) -> DiseaseIdentity:
        path = None
        if self.cache_dir is not None:
            key = _identity_key(self.fingerprint)
            path = self.cache_dir / f"diseases-v{IDENTITY_FORMAT}-{key}.pickle"
            cached = read_pickle_cache(path, "disease identity", DiseaseIdentity.from_payload)
            if cached is not None:
                return cached
        identity = DiseaseIdentity(self.lexicon, curated_disease_mappings())
        if path is not None:
            write_pickle_cache(path, identity.to_payload(), "disease identity")
        return identity

    # -- internals ------------------------------------------------------------------------
    @property
    def diseases(self) -> DiseaseIdentity:
        """Merged disease identities over this lexicon: built on first use (about a second
        for the full reference vocabularies, most of a warm CLI query) and then read from
        ``cache_dir`` by later processes."""
        if self._identity is None:
            self._identity = self._load_identity()
        return self._identity

    def canonical_disease(self, curie: str) -> str:
        """The identifier naming a disease's identity across DOID, MONDO, MeSH and evkg
        terms (:class:`~evkg.vocab.identity.DiseaseIdentity`).

        >>> Vocabulary(Lexicon()).canonical_disease("doid:7148")
        'doid:7148'
        """
        return self.diseases.canonical(curie)

    def _by_name(self, text: str, kinds: tuple[EntityKind, ...] | None) -> Match | None:
        hits = self.lexicon.lookup(text, kinds)
        if not hits:
            return None
        if any(self.lexicon.entry(curie).kind == EntityKind.DISEASE for curie, _ in hits):
            hits = self._prefer_diseases(hits)
        labels = [curie for curie, how in hits if how == "label"]
        chosen = labels or [curie for curie, _ in hits]
        first = self.lexicon.entry(chosen[0])
        how = "label" if labels else "synonym"
        flags = ("ambiguous",) if len(chosen) > 1 else ()
        score = 1.0 if labels else 0.9
        label = " / ".join(self.lexicon.label(c) for c in chosen)
        return Match(tuple(chosen), first.kind, label, text, score, how, flags)

    def _prefer_diseases(self, hits: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Disease hits as the identities they name, labels before synonyms, then by the
        preference of the vocabulary whose name matched (every candidate is kept: the
        service prefers among them the ones that hold evidence)."""
        mapped: dict[str, tuple[int, int]] = {}
        for curie, how in hits:
            if self.lexicon.entry(curie).kind != EntityKind.DISEASE:
                continue
            canonical = self.canonical_disease(curie)
            order = (how != "label", disease_rank(curie))
            if canonical not in mapped or order < mapped[canonical]:
                mapped[canonical] = order
        ranked = sorted(mapped, key=lambda c: (mapped[c], disease_rank(c), c))
        return [(curie, "label" if mapped[curie][0] == 0 else "synonym") for curie in ranked]


def _names_key(fingerprint: str) -> str:
    """Cache key of a name index: the vocabulary's fingerprint and the code that builds it."""
    digest = hashlib.sha256(fingerprint.encode())
    for module in ("name_search.py", "lexicon.py"):
        digest.update(Path(__file__).with_name(module).read_bytes())
    return digest.hexdigest()[:24]


def _identity_key(fingerprint: str) -> str:
    """Cache key of a disease identity: the vocabulary's fingerprint, the curated mappings
    and the code that merges them."""
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(curated_mappings_text().encode())
    for module in ("identity.py", "lexicon.py"):
        digest.update(Path(__file__).with_name(module).read_bytes())
    return digest.hexdigest()[:24]
