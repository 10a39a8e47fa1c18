"""Normalisers: names of miRNAs, genes, diseases, EV sources, modifications, routes, species,
models and pathways to identifiers, returning a :class:`Match` or ``None``; plus fuzzy search
with suggestions over every kind."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from evkg.model import EntityKind
from evkg.vocab.identity import DiseaseIdentity, curated_disease_mappings, disease_rank
from evkg.vocab.lexicon import Lexicon, fold_name
from evkg.vocab.match import Match
from evkg.vocab.mirna import MirnaNormaliser, parse_mirna_name

__all__ = ["SPECIES_CODES", "Vocabulary"]

#: miRBase species codes for NCBI taxa the normalisers accept.
SPECIES_CODES = {"ncbitaxon:9606": "hsa", "ncbitaxon:10090": "mmu", "ncbitaxon:10116": "rno"}

_CARGO_KINDS = (EntityKind.MIRNA, EntityKind.GENE, EntityKind.CARGO)


class Vocabulary:
    """All normalisers over one lexicon (the shipped compact one or a full one)."""

    def __init__(self, lexicon: Lexicon, fingerprint: str = "") -> None:
        self.lexicon = lexicon
        #: What the lexicon was built from (shipped files, reference files): caches of
        #: anything derived from this vocabulary are keyed by it.
        self.fingerprint = fingerprint or f"lexicon-{len(lexicon)}"
        self._mirna = MirnaNormaliser(lexicon)
        self._fuzzy_keys: dict[tuple[EntityKind, ...] | None, dict[str, list[str]]] = {}
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
        if text.strip() in self.lexicon:
            entry = self.lexicon.entries[text.strip()]
            if wanted is None or entry.kind in wanted:
                return Match((entry.curie,), entry.kind, entry.label, text, 1.0, "identifier")
        if (wanted is None or EntityKind.MIRNA in wanted) and parse_mirna_name(text):
            hit = self.mirna(text)
            if hit:
                return hit
        return self._by_name(text, wanted)

    def search(
        self, text: str, kinds: Iterable[EntityKind] | None = None, limit: int = 10
    ) -> list[Match]:
        """Exact hits first, then fuzzy suggestions, best first."""
        wanted = tuple(kinds) if kinds is not None else None
        results: list[Match] = []
        exact = self.resolve(text, wanted)
        if exact:
            results.append(exact)
        seen = {c for m in results for c in m.curies}
        keys = self._fuzzy_index(wanted)
        query = fold_name(text)
        if not query:
            return results
        for key, score, _ in process.extract(
            query, list(keys), scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=60
        ):
            for curie in keys[key]:
                if curie in seen:
                    continue
                seen.add(curie)
                entry = self.lexicon.entries[curie]
                results.append(
                    Match((curie,), entry.kind, entry.label, key, score / 100, "fuzzy", ("fuzzy",))
                )
        return results[:limit]

    # -- internals ------------------------------------------------------------------------
    def _fuzzy_index(self, kinds: tuple[EntityKind, ...] | None) -> dict[str, list[str]]:
        if kinds not in self._fuzzy_keys:
            self._fuzzy_keys[kinds] = self.lexicon.keys_for(kinds)
        return self._fuzzy_keys[kinds]

    @property
    def diseases(self) -> DiseaseIdentity:
        """Merged disease identities over this lexicon (built on first use)."""
        if self._identity is None:
            self._identity = DiseaseIdentity(self.lexicon, curated_disease_mappings())
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
        if any(self.lexicon.entries[curie].kind == EntityKind.DISEASE for curie, _ in hits):
            hits = self._prefer_diseases(hits)
        labels = [curie for curie, how in hits if how == "label"]
        chosen = labels or [curie for curie, _ in hits]
        first = self.lexicon.entries[chosen[0]]
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
            if self.lexicon.entries[curie].kind != EntityKind.DISEASE:
                continue
            canonical = self.canonical_disease(curie)
            order = (how != "label", disease_rank(curie))
            if canonical not in mapped or order < mapped[canonical]:
                mapped[canonical] = order
        ranked = sorted(mapped, key=lambda c: (mapped[c], disease_rank(c), c))
        return [(curie, "label" if mapped[curie][0] == 0 else "synonym") for curie in ranked]
