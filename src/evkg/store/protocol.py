"""The storage interface every backend implements, and the records its queries return."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from evkg.assemble import Assembly
from evkg.model import Claim, Entity, Evidence, Predicate, Reference, ReviewPlacement, StudyRecord

__all__ = [
    "PREDICATE_STEP",
    "Chain",
    "ClaimCount",
    "ClaimFilter",
    "ClaimSketch",
    "Contradiction",
    "LoadBundle",
    "LoadReport",
    "Store",
    "StoredClaim",
    "StudyFilter",
    "rank_key",
]

#: Position of a predicate in a mechanism chain (source -> cargo -> target -> pathway -> disease).
PREDICATE_STEP: dict[Predicate, int] = {
    Predicate.ENHANCES: 0,
    Predicate.CARRIES: 1,
    Predicate.SPONGES: 2,
    Predicate.REGULATES_DOWN: 2,
    Predicate.REGULATES_UP: 2,
    Predicate.INHIBITS: 3,
    Predicate.ACTIVATES: 3,
    Predicate.MODULATES: 3,
    Predicate.TREATS: 4,
    Predicate.WORSENS: 4,
    Predicate.NO_EFFECT_ON: 4,
    Predicate.ASSOCIATED_WITH: 4,
}


@dataclass(frozen=True)
class ClaimFilter:
    """Conjunctive filters on claims; every field is optional. Identifiers are CURIEs.

    ``disease`` matches the claim's object or its context disease, including descendant
    diseases; ``cargo`` and ``gene`` match subject or object; ``pathway`` the object.
    """

    disease: str | None = None
    cargo: Sequence[str] = ()
    gene: str | None = None
    pathway: str | None = None
    source: str | None = None
    modification: str | None = None
    route: str | None = None
    model: str | None = None
    species: str | None = None
    outcome: str | None = None
    predicate: str | None = None
    level: str | None = None
    method: str | None = None
    reference: str | None = None
    include_descendants: bool = True


@dataclass(frozen=True)
class StoredClaim:
    """A claim as stored: the assertion, its evidence and the support derived from it."""

    hash: str
    claim: Claim
    evidence: tuple[Evidence, ...]
    chains: tuple[str, ...]
    n_references: int
    strength: str
    confidence: float
    latest_year: int | None

    @property
    def references(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.reference for e in self.evidence))

    @property
    def ends(self) -> tuple[str, str]:
        """Subject and object."""
        return self.claim.subject, self.claim.object


@dataclass(frozen=True)
class ClaimCount:
    """How many claims match a filter; ``is_lower_bound`` when counting stopped at a cap
    (there are more than ``total``)."""

    total: int
    is_lower_bound: bool = False


def rank_key(strength_rank: int, confidence: float, claim_hash: str) -> tuple[int, float, str]:
    """The Python sort key of the rank order every claim listing uses: ``ORDER BY
    strength_rank DESC, confidence DESC, hash`` (hashes are lower-case hex)."""
    return (-strength_rank, -confidence, claim_hash)


@dataclass(frozen=True)
class ClaimSketch:
    """The columns of a stored claim that group, filter and pair claims, read without its
    evidence (cheap enough to scan thousands per request)."""

    hash: str
    subject: str
    predicate: str
    object: str
    outcome: str | None
    disease: str | None
    ev_source: str | None
    route: str | None
    model: str | None
    strength: str
    modifications: tuple[str, ...]
    strength_rank: int = 0
    confidence: float = 0.0

    @property
    def rank_key(self) -> tuple[int, float, str]:
        """Sort key of the rank order every claim listing uses (strongest first)."""
        return rank_key(self.strength_rank, self.confidence, self.hash)


@dataclass(frozen=True)
class Chain:
    """The claims of one study linking an EV product to a disease, in mechanism order."""

    id: str
    claims: tuple[StoredClaim, ...]


@dataclass(frozen=True)
class Contradiction:
    """Two claims about the same agent and object that disagree (or one marked contested)."""

    first: StoredClaim
    second: StoredClaim | None
    reason: str


@dataclass
class LoadBundle:
    """Everything one load writes, in one transaction."""

    dataset: str
    fingerprint: str
    entities: list[Entity] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    assembly: Assembly = field(default_factory=Assembly)
    parents: list[tuple[str, str]] = field(default_factory=list)  # (child, parent) is_a
    studies: list[StudyRecord] = field(default_factory=list)
    placements: list[ReviewPlacement] = field(default_factory=list)


@dataclass(frozen=True)
class StudyFilter:
    """Conjunctive filters on studies; identifiers are CURIEs, values as stored."""

    diseases: Sequence[str] = ()  # any of these (a disease and its narrower ones)
    model_species: str | None = None
    route: str | None = None
    ev_source: str | None = None
    design: str | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class LoadReport:
    """What a load changed."""

    dataset: str
    new_claims: int
    new_evidence: int
    new_entities: int
    new_references: int
    skipped: bool = False  # the same dataset fingerprint was already loaded


@runtime_checkable
class Store(Protocol):
    """Storage of the evidence graph. Implementations: :class:`evkg.store.sql.SqlStore`."""

    def initialise(self) -> None:
        """Create or migrate the schema to the current version."""

    def load(self, bundle: LoadBundle) -> LoadReport:
        """Write a bundle transactionally and idempotently."""

    def dataset_fingerprint(self, dataset: str) -> str | None:
        """Fingerprint of the last successful load of ``dataset``, if any."""

    def entity(self, curie: str) -> Entity | None: ...

    def entities(self, kind: str | None = None) -> Iterator[Entity]: ...

    def reference(self, curie: str) -> Reference | None: ...

    def claims(
        self, where: ClaimFilter, *, limit: int | None = None, offset: int = 0
    ) -> list[StoredClaim]: ...

    def count_claims(self, where: ClaimFilter) -> int: ...

    def count_claims_upto(self, where: ClaimFilter, cap: int) -> ClaimCount:
        """Like :meth:`count_claims`, but stops counting past ``cap``."""

    def claim_sketches(self, where: ClaimFilter, *, limit: int) -> list[ClaimSketch]:
        """The first ``limit`` matching claims in rank order, without evidence."""

    def claim_hashes(
        self, wheres: Sequence[ClaimFilter], *, limit: int, offset: int = 0
    ) -> list[str]:
        """Hashes of the claims matching any of ``wheres``, in rank order, ``limit`` from
        ``offset`` (an entity's claims: as subject or object, or in context)."""

    def claims_by_hash(
        self, hashes: Sequence[str], known: Mapping[str, StoredClaim] | None = None
    ) -> list[StoredClaim]:
        """The visible claims with these hashes, in the order given; claims in ``known``
        (read earlier in the same request) are not read again."""

    def chains_for(
        self, hashes: Sequence[str], known: Mapping[str, StoredClaim] | None = None
    ) -> list[Chain]:
        """Mechanism chains having at least one of these claims (``known`` as above)."""

    def mechanism_chains(self, hashes: Sequence[str]) -> set[str]:
        """Ids of the chains of these claims that hold a mechanism (non-outcome) claim."""

    def diseases_with_claims(self, curie: str) -> set[str]:
        """``curie`` and its descendants that visible claims name as disease or object."""

    def chains(self, where: ClaimFilter) -> list[Chain]:
        """Mechanism chains having at least one claim that matches ``where``."""

    def contradictions(self, where: ClaimFilter) -> list[Contradiction]: ...

    def counts(self) -> dict[str, dict[str, int]]:
        """Counts of claims, evidence, references and entities, broken down."""

    def totals_upto(self, cap: int) -> dict[str, ClaimCount]:
        """Rows of claims, evidence, references, entities and chains, each counted no
        further than ``cap`` (what a page can show without scanning a large store)."""

    def descendants(self, curie: str) -> set[str]:
        """``curie`` and every entity below it in the is_a hierarchy."""
