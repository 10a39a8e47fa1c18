"""The evidence service: names in, ranked and explained evidence out.

The CLI, the REST API and Python users all call these methods, so every way into evkg
answers the same question the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evkg.analysis import Strategy, rank_strategies
from evkg.api._ranked_search import EvidenceNames
from evkg.model import Entity, EntityKind, Reference
from evkg.settings import Settings, load_settings
from evkg.store import ClaimFilter, Contradiction, SqlStore, StoredClaim
from evkg.store.protocol import Chain
from evkg.vocab import Match, Vocabulary, load_vocabulary

if TYPE_CHECKING:
    from evkg.api.labels import Labels
    from evkg.api.responses import (
        DiseaseOut,
        EntityReportOut,
        ReferenceReportOut,
        SearchOut,
        StudiesOut,
    )

__all__ = [
    "DiseaseReport",
    "Knowledge",
    "UnknownNameError",
    "open_knowledge",
]


class UnknownNameError(LookupError):
    """A name evkg cannot resolve; carries suggestions to show instead of a traceback."""

    def __init__(self, name: str, kind: str, suggestions: list[Match]):
        self.name, self.kind, self.suggestions = name, kind, suggestions
        hint = ", ".join(dict.fromkeys(m.label for m in suggestions[:5]))
        message = f"no {kind} called {name!r}"
        super().__init__(message + (f"; did you mean: {hint}?" if hint else ""))


@dataclass(frozen=True)
class DiseaseReport:
    """Everything evkg knows for one disease (and its sub-diseases)."""

    disease: Entity
    included: tuple[str, ...]  # the disease and its descendants that have claims
    strategies: tuple[Strategy, ...]
    chains: tuple[Chain, ...]
    claims: tuple[StoredClaim, ...]
    contradictions: tuple[Contradiction, ...]


class Knowledge:
    """The evidence graph in a store, queried by name.

    Open one with :func:`evkg.open_knowledge`. The question methods (:meth:`disease`,
    :meth:`cargo`, :meth:`gene`, :meth:`reference`, :meth:`find`, :meth:`studies`) return the
    response models of :mod:`evkg.api.responses`, the same bodies the REST API returns and
    ``evkg --format json`` prints; each has ``to_frame()`` for pandas and an HTML view in
    notebooks.
    """

    def __init__(self, store: SqlStore, vocabulary: Vocabulary) -> None:
        self.store = store
        self.vocabulary = vocabulary
        self._labels: Labels | None = None
        self._evidence_names = EvidenceNames()

    @property
    def labels(self) -> Labels:
        """Labels and citations, looked up once per identifier."""
        if self._labels is None:
            from evkg.api.labels import Labels

            self._labels = Labels(self)
        return self._labels

    def __repr__(self) -> str:
        from evkg.store import redact_url

        return f"Knowledge(store={redact_url(self.store.url)!r})"

    # -- names ----------------------------------------------------------------------------
    def label(self, curie: str | None) -> str:
        if curie is None:
            return ""
        entity = self.store.entity(curie)
        if entity is not None:
            return entity.label
        return self.vocabulary.lexicon.label(curie)

    def resolve(self, name: str, kinds: Iterable[EntityKind], kind_name: str) -> Match:
        """Resolve ``name`` among ``kinds``, or raise :class:`UnknownNameError` with
        suggestions."""
        wanted = tuple(kinds)
        match = self.vocabulary.resolve(name, wanted)
        if match is None:
            suggestions = [
                m for m in self.vocabulary.search(name, wanted, limit=8) if m.how == "fuzzy"
            ]
            raise UnknownNameError(name, kind_name, suggestions)
        return match

    def disease_match(self, name: str) -> Match:
        """The disease identity ``name`` denotes: among the identities it names exactly,
        the first that holds evidence in the store (an abbreviation such as "RA" also names
        refractory anaemia), else the first; the match's identifier is canonical.

        Raises :class:`UnknownNameError` with suggestions (names containing the words
        typed first, diseases with evidence first) when nothing matches exactly."""
        candidates = self.vocabulary.disease_candidates(name)
        if not candidates:
            raise UnknownNameError(name, "disease", self.disease_suggestions(name))
        held = next((c for c in candidates if self.store.diseases_with_claims(c)), None)
        chosen = held or candidates[0]
        flags = ("ambiguous",) if len(candidates) > 1 else ()
        return Match((chosen,), EntityKind.DISEASE, self.label(chosen), name, 1.0, "name", flags)

    def disease_suggestions(self, name: str, limit: int = 8) -> list[Match]:
        """Diseases whose names resemble ``name``: those with evidence first, each once."""
        found = self.vocabulary.search(name, (EntityKind.DISEASE,), limit=limit * 3)
        by_identity: dict[str, Match] = {}
        for match in found:
            canonical = self.vocabulary.canonical_disease(match.curie)
            if canonical not in by_identity:
                by_identity[canonical] = Match(
                    (canonical,), match.kind, self.label(canonical), name, match.score, "fuzzy",
                    ("fuzzy",),
                )  # fmt: skip
        ranked = sorted(
            by_identity.values(),
            key=lambda m: (not self.store.diseases_with_claims(m.curie), -m.score),
        )
        return ranked[:limit]

    def nearest_evidence(self, curie: str, limit: int = 3) -> list[tuple[str, str]]:
        """For a disease without claims: the nearest broader identities that hold evidence,
        each with the diseases below it that do, as (broader disease, relation)."""
        found: list[tuple[str, str]] = []
        for ancestor in self.vocabulary.diseases.ancestors(curie):
            holding = self.store.diseases_with_claims(ancestor)
            if holding:
                names = ", ".join(sorted(self.label(d) for d in holding)[:5])
                found.append((ancestor, f"broader term; evidence for {names}"))
            if len(found) >= limit:
                break
        return found

    def search(self, text: str, limit: int = 20) -> list[tuple[Match, int]]:
        """Entities whose names match ``text``, each with the number of visible claims
        naming it (as subject, object or in their context): the exact resolution first,
        then names holding evidence, by how the name matched, then by claims
        (:mod:`evkg.api._ranked_search`)."""
        from evkg.api._ranked_search import ranked_search

        return ranked_search(self.store, self.vocabulary, self._evidence_names, text, limit)

    # -- questions ------------------------------------------------------------------------
    def disease(self, name: str, *, limit: int = 20) -> DiseaseOut:
        """What is known for a disease and its narrower diseases.

        Args:
            name: a disease name, synonym, abbreviation ("AKI") or identifier ("doid:7148").
            limit: the most strategies to return.

        Returns:
            The ``limit`` best EV strategies (ranked by evidence tier and primary studies,
            from the disease's strongest claims, with bounded work however large the store),
            their mechanism chains, contradicting evidence and gaps: the body of
            ``GET /api/diseases/{name}``. ``.to_frame()`` gives the strategies as a table.

        Raises:
            UnknownNameError: nothing is called ``name``; carries suggestions.
        """
        from evkg.api.diseases import disease_answer

        return disease_answer(self, self.labels, name, limit=limit)

    def studies(
        self,
        name: str,
        *,
        species: str | None = None,
        route: str | None = None,
        source: str | None = None,
        design: str | None = None,
        outcome: str | None = None,
    ) -> StudiesOut:
        """The primary studies of a disease (and its narrower diseases), one row each, with
        the evidence map and what no study reports; the filters take names as a person types
        them ("mouse", "intravenous", "bone marrow MSC") or identifiers."""
        from evkg.api.studies import StudyQuery, studies_answer

        query = StudyQuery(species, route, source, design, outcome)
        return studies_answer(self, self.labels, name, query)

    def disease_complete(self, name: str) -> DiseaseReport:
        """Every claim and chain of a disease, ranked in full: reads the whole match, so it
        costs what the disease holds; the bounded :meth:`disease` is checked against it."""
        match = self.disease_match(name)
        curie = match.curie
        where = ClaimFilter(disease=curie)
        claims = self.store.claims(where)
        chains = self.store.chains(where)
        entity = self.store.entity(curie) or Entity(
            id=curie, kind=EntityKind.DISEASE, label=match.label
        )
        below = self.store.descendants(curie)
        named = {c.claim.context.disease for c in claims} | {c.claim.object for c in claims}
        included = sorted(below & {d for d in named if d})
        return DiseaseReport(
            disease=entity,
            included=tuple(included),
            strategies=tuple(
                rank_strategies(claims, chains, focus=self.vocabulary.diseases.members(curie))
            ),
            chains=tuple(chains),
            claims=tuple(claims),
            contradictions=tuple(self.store.contradictions(where)),
        )

    def cargo_match(self, name: str, species: str = "hsa") -> Match:
        """A cargo by name (a bare miRNA name in ``species``), without reading claims."""
        match = self.vocabulary.cargo(name, species)
        if match is None:
            match = self.resolve(
                name, (EntityKind.MIRNA, EntityKind.GENE, EntityKind.CARGO), "cargo"
            )
        return match

    def gene_match(self, name: str) -> Match:
        return self.resolve(name, (EntityKind.GENE,), "gene")

    def cargo(self, name: str, species: str = "hsa", *, limit: int = 100) -> EntityReportOut:
        """The claims about a cargo (miRNA, protein, drug, siRNA…), strongest first.

        Args:
            name: the cargo's name; a bare miRNA name ("miR-146a") covers both arms.
            species: miRBase species code for bare miRNA names (``hsa``, ``mmu``, ``rno``).
            limit: the most claims to return.

        Returns:
            The body of ``GET /api/cargo/{name}``; ``.to_frame()`` gives the claims.
        """
        from evkg.api.entities import entity_answer

        return entity_answer(self, self.labels, self.cargo_match(name, species), limit=limit)

    def gene(self, name: str, *, limit: int = 100) -> EntityReportOut:
        """The claims about a gene (symbol, alias, rodent symbol or protein name), strongest
        first: the body of ``GET /api/genes/{name}``; ``.to_frame()`` gives the claims."""
        from evkg.api.entities import entity_answer

        return entity_answer(self, self.labels, self.gene_match(name), limit=limit)

    def find(self, text: str, *, limit: int = 10) -> SearchOut:
        """Entities of any kind whose names match ``text`` (exact first, then fuzzy), each
        with the number of claims mentioning it: the body of ``GET /api/search``."""
        from evkg.api.entities import search_answer

        return search_answer(self, text, limit=limit)

    def entity_match(self, name: str) -> Match:
        """Any entity by name or identifier, without reading claims."""
        match = self.vocabulary.resolve(name)
        if match is None:
            raise UnknownNameError(name, "entity", self.vocabulary.search(name, limit=8))
        return match

    def reference(self, identifier: str, *, limit: int = 500) -> ReferenceReportOut:
        """A reference by its evkg.ref: id, the number the founding review printed, a PMID,
        DOI or PMCID, with the claims citing it: the body of ``GET /api/references/{id}``."""
        from evkg.api.entities import reference_answer

        return reference_answer(self, self.labels, identifier, limit=limit)

    def find_reference(self, identifier: str) -> Reference:
        """A reference as :meth:`reference` finds it, without reading claims."""
        curie = self._reference_curie(identifier)
        reference = self.store.reference(curie) if curie else None
        if reference is None:
            candidates = [
                Match((r.id,), EntityKind.REFERENCE, r.citation(), identifier, 0.5, "fuzzy")
                for r in self.store.references_named(identifier)
            ]
            raise UnknownNameError(identifier, "reference", candidates)
        return reference

    def _reference_curie(self, identifier: str) -> str | None:
        """A reference id from an evkg.ref: id, a review number, a PMID, DOI or PMCID (with
        or without ``pubmed:``, ``doi:``, ``pmc:`` or a doi.org address)."""
        text = identifier.strip()
        if text.startswith("evkg.ref:"):
            return text
        if text.isascii() and text.isdigit() and int(text) in _review_numbers():
            return _review_numbers()[int(text)]
        for prefix in ("pubmed:", "pmid:", "doi:", "pmc:", "https://doi.org/", "http://doi.org/"):
            if text.lower().startswith(prefix):
                text = text[len(prefix) :]
        found = self.store.reference_by_identifier(text)
        return found.id if found else None


@functools.cache
def _review_numbers() -> dict[int, str]:
    """Reference id by the number the founding review printed (read once per process)."""
    from evkg.sources.curated import read_source

    return {
        located.record.review_number: located.record.id
        for located in read_source().references
        if located.record.review_number is not None
    }


def open_knowledge(
    *,
    database_url: str | None = None,
    data_dir: str | None = None,
    settings: Settings | None = None,
    load_curated: bool = True,
) -> Knowledge:
    """Open the configured store (creating and loading it on first use) with a vocabulary.

    Arguments override ``EVKG_*`` environment variables, which override the config file.
    """
    from evkg.api.knowledge import ensure_loaded

    settings = settings or load_settings(database_url=database_url, data_dir=data_dir)
    store = SqlStore(settings.database_url, origin=settings.origin("database_url"))
    if load_curated:
        ensure_loaded(store)
    vocabulary = load_vocabulary(settings.data_dir, settings.cache_dir)
    return Knowledge(store, vocabulary)
