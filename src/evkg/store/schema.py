"""SQL tables (SQLAlchemy Core). Rows stay apart from domain records; see ``sql.py``.

Changing this file needs a new Alembic revision under ``migrations/versions/``;
``tests/test_store.py`` fails when the migrated schema and this metadata disagree.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
)

__all__ = [
    "chain_claims",
    "claim_modifications",
    "claims",
    "datasets",
    "entities",
    "entity_parents",
    "evidence",
    "metadata",
    "references",
    "review_placements",
    "studies",
    "tallies",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    }
)

_CURIE = String(255)

entities = Table(
    "entities",
    metadata,
    Column("curie", _CURIE, primary_key=True),
    Column("kind", String(32), nullable=False, index=True),
    Column("label", String(500), nullable=False, index=True),
    Column("synonyms", JSON, nullable=False),
    Column("xrefs", JSON, nullable=False),
    Column("description", Text),
)

entity_parents = Table(
    "entity_parents",
    metadata,
    Column("child", _CURIE, primary_key=True),
    Column("parent", _CURIE, primary_key=True, index=True),
)

references = Table(
    "references",
    metadata,
    Column("curie", _CURIE, primary_key=True),
    Column("authors", JSON, nullable=False),
    Column("et_al", Boolean, nullable=False),
    Column("year", Integer, index=True),
    Column("title", Text, nullable=False),
    Column("journal", String(500), nullable=False),
    Column("volume", String(50)),
    Column("pages", String(50)),
    Column("pmid", String(20), index=True),
    Column("doi", String(255), index=True),
    Column("pmcid", String(20), index=True),
    Column("publication_type", String(32)),
    Column("note", Text),
)

claims = Table(
    "claims",
    metadata,
    Column("hash", String(32), primary_key=True),
    Column("subject", _CURIE, nullable=False),  # indexed in rank order below
    Column("predicate", String(32), nullable=False, index=True),
    Column("object", _CURIE, nullable=False, index=True),
    Column("outcome", String(16), index=True),
    Column("disease", _CURIE, index=True),
    Column("ev_source", _CURIE),  # indexed in rank order below
    Column("donor_state", String(255)),
    Column("modifications", JSON, nullable=False),
    Column("cargo_type", String(16)),
    Column("model", _CURIE),  # indexed in rank order below
    Column("species", _CURIE),  # indexed in rank order below
    Column("route", _CURIE),  # indexed in rank order below
    Column("dose", String(255)),
    # derived from evidence, refreshed by every load that touches the claim
    Column("n_evidence", Integer, nullable=False),
    Column("n_references", Integer, nullable=False),
    Column("best_level", String(32), nullable=False, index=True),
    Column("strength", String(32), nullable=False),
    Column("strength_rank", Integer, nullable=False, index=True),
    Column("confidence", Float, nullable=False),
    Column("latest_year", Integer),
)

claim_modifications = Table(
    "claim_modifications",
    metadata,
    Column("claim_hash", String(32), ForeignKey("claims.hash"), primary_key=True),
    Column("modification", _CURIE, primary_key=True, index=True),
)

evidence = Table(
    "evidence",
    metadata,
    Column("hash", String(32), primary_key=True),
    Column("claim_hash", String(32), ForeignKey("claims.hash"), nullable=False, index=True),
    Column("reference", _CURIE, nullable=False, index=True),
    Column("quote", Text, nullable=False),
    Column("quoted_from", _CURIE),
    Column("section", String(500)),
    Column("printed_citation", String(50)),
    Column("method", String(16), nullable=False, index=True),
    Column("extractor", String(100)),
    Column("level", String(32), nullable=False, index=True),
    Column("confidence", Float, nullable=False),
    Column("curator_note", Text),
    Column("errata", JSON, nullable=False),
    Column("review_status", String(16), nullable=False, index=True),
)

chain_claims = Table(
    "chain_claims",
    metadata,
    Column("chain", String(255), primary_key=True),
    Column("claim_hash", String(32), ForeignKey("claims.hash"), primary_key=True, index=True),
)

studies = Table(
    "studies",
    metadata,
    Column("id", String(255), primary_key=True),
    Column("reference", _CURIE, nullable=False, index=True),
    Column("disease", _CURIE, nullable=False, index=True),
    Column("ev_source", _CURIE, nullable=False, index=True),
    Column("source_species", _CURIE),
    Column("model_species", _CURIE),
    Column("route", _CURIE),
    Column("design", String(32), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("product", String(32), nullable=False),
    Column("year", Integer),
    Column("record", JSON, nullable=False),
)

review_placements = Table(
    "review_placements",
    metadata,
    Column("claim_hash", String(32), ForeignKey("claims.hash"), primary_key=True),
    Column("disease", _CURIE, primary_key=True, index=True),
    Column("listed_as", Text, nullable=False),
    Column("location", Text, nullable=False),
    Column("reason", Text, nullable=False),
)

datasets = Table(
    "datasets",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("n_claims", Integer, nullable=False),
    Column("n_evidence", Integer, nullable=False),
)

#: counts maintained on write (``evkg.store._tallies``): ``db stats``, ``/api/stats`` and
#: the claim counts of search read these instead of counting rows
tallies = Table(
    "tallies",
    metadata,
    Column("family", String(64), primary_key=True),
    Column("key", _CURIE, primary_key=True),
    Column("n", Integer, nullable=False),
)

Index("ix_claims_subject_object", claims.c.subject, claims.c.object)
# ranked listings (ORDER BY strength_rank DESC, confidence DESC, hash) without a full sort
Index("ix_claims_rank", claims.c.strength_rank.desc(), claims.c.confidence.desc(), claims.c.hash)
Index(
    "ix_claims_outcome_rank",
    claims.c.outcome,
    claims.c.strength_rank.desc(),
    claims.c.confidence.desc(),
    claims.c.hash,
    claims.c.n_evidence,  # covering: counts and pages of visible claims never read the table
)
# a disease's claims (by context disease, or as the object of a disease edge) in rank order,
# covering what counts, strategy candidates and contradiction checks need
Index(
    "ix_claims_disease_rank",
    claims.c.disease,
    claims.c.strength_rank.desc(),
    claims.c.confidence.desc(),
    claims.c.hash,
    claims.c.n_evidence,
    claims.c.predicate,
    claims.c.outcome,
    claims.c.subject,
)
Index(
    "ix_claims_object_rank",
    claims.c.object,
    claims.c.strength_rank.desc(),
    claims.c.confidence.desc(),
    claims.c.hash,
    claims.c.n_evidence,
    claims.c.disease,
    claims.c.predicate,
    claims.c.outcome,
    claims.c.subject,
)
# the claims having an EV source, route, model or species in their context, or a subject,
# in rank order (an entity page pages through its claims)
for _column in (
    claims.c.ev_source,
    claims.c.route,
    claims.c.model,
    claims.c.species,
    claims.c.subject,
):
    Index(
        f"ix_claims_{_column.name}_rank",
        _column,
        claims.c.strength_rank.desc(),
        claims.c.confidence.desc(),
        claims.c.hash,
        claims.c.n_evidence,
    )
del _column
# a DOI looked up in any case (DOIs are case-insensitive) through an index
Index("ix_references_doi_lower", func.lower(references.c.doi))
