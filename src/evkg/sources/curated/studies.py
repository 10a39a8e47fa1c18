"""Study records curated from each study's own abstract (``evkg/data/curated/studies``).

Each :class:`~evkg.model.StudyRecord` becomes claims that point back to it through their
mechanism chain (``study.<id>``): the study's outcome for its disease (EV source → treats /
worsens / no_effect_on → disease, in the study's context), ``carries`` for each cargo, a
cargo → disease claim for each cargo whose necessity was shown or that was engineered in,
and the curator's mechanistic findings. The evidence of every such claim is the curator's
own one-line summary of the abstract, labelled as such with the PMID or DOI: no sentence of
the abstract is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evkg.model import (
    NOT_REPORTED,
    Claim,
    Context,
    Evidence,
    EvidenceLevel,
    EvidenceMethod,
    Outcome,
    Predicate,
    PublicationType,
    Reference,
    StudyRecord,
)
from evkg.model.studies import Necessity, Product
from evkg.recordfiles import RecordFileError, read_records
from evkg.sources.curated.api import Located, Statement, curated_root

__all__ = [
    "STUDY_CHAIN_PREFIX",
    "StudySource",
    "read_studies",
    "study_reference",
    "study_statements",
]

#: Mechanism-chain identifiers of study claims: ``study.<study id>``.
STUDY_CHAIN_PREFIX = "study."
#: Confidence of a study's evidence by its design (a curated reading of the abstract).
_CONFIDENCE = {
    EvidenceLevel.CLINICAL: 0.95,
    EvidenceLevel.IN_VIVO: 0.9,
    EvidenceLevel.EX_VIVO: 0.8,
    EvidenceLevel.IN_VITRO: 0.75,
}
_OUTCOME_PREDICATE = {
    Outcome.BENEFICIAL: Predicate.TREATS,
    Outcome.DETRIMENTAL: Predicate.WORSENS,
    Outcome.NO_EFFECT: Predicate.NO_EFFECT_ON,
    Outcome.CONTESTED: Predicate.TREATS,
}
#: Modifications a product implies, so that non-EV products are set apart when ranked.
_PRODUCT_MODIFICATION = {
    Product.CONDITIONED_MEDIUM: "evkg.mod:conditioned-medium",
    Product.EV_IN_BIOMATERIAL: "evkg.mod:hydrogel-encapsulation",
}


@dataclass
class StudySource:
    """The study files and their records, each with the file and line it was read from."""

    directory: Path
    studies: list[Located[StudyRecord]]


def read_studies(root: Path | None = None) -> StudySource:
    """Read and validate every ``studies/*.yaml`` file; a malformed record raises
    :class:`~evkg.recordfiles.RecordFileError` naming file, line and field. Two records with
    the same id, PMID or DOI are refused the same way."""
    directory = (root or curated_root()) / "studies"
    located: list[Located[StudyRecord]] = []
    if directory.is_dir():
        for path in sorted(directory.glob("*.yaml")):
            located += [Located(path, n, r) for n, r in read_records(path, StudyRecord)]
    seen: dict[str, Located[StudyRecord]] = {}
    for item in located:
        study = item.record
        keys = [f"id {study.id}", study.pmid and f"PMID {study.pmid}"]
        keys.append(study.doi and f"DOI {study.doi.lower()}")
        for key in filter(None, keys):
            first = seen.setdefault(key, item)
            if first is not item:
                raise RecordFileError(
                    item.path,
                    item.line,
                    "id",
                    f"{key} is already used by {first.record.id} ({first.path.name}, "
                    f"line {first.line}): one record per study",
                )
    return StudySource(directory, located)


def study_reference(study: StudyRecord) -> Reference:
    """The study's bibliographic reference (identified by PMID, else DOI)."""
    return Reference(
        id=study.reference_id,
        authors=study.authors,
        et_al=study.et_al,
        year=study.year,
        title=study.title,
        journal=study.journal,
        volume=study.volume,
        pages=study.pages,
        pmid=study.pmid,
        doi=study.doi,
        pmcid=study.pmcid,
        publication_type=PublicationType.PRIMARY,
    )


def _context(study: StudyRecord) -> Context:
    modifications = set(study.modifications)
    implied = _PRODUCT_MODIFICATION.get(study.product)
    if implied:
        modifications.add(implied)
    donor = study.ev.donor_state
    return Context(
        disease=study.disease,
        ev_source=study.ev.source,
        donor_state=None if donor == NOT_REPORTED else donor,
        modifications=tuple(sorted(modifications)),
        model=study.model.term,
        species=study.model.species,
        route=study.route,
        dose=None if study.dose.reported == NOT_REPORTED else study.dose.reported,
    )


def _summary_quote(study: StudyRecord) -> str:
    where = f"PMID {study.pmid}" if study.pmid else f"DOI {study.doi}"
    return f"Curator's summary of the abstract ({where}): {study.summary}"


def study_statements(study: StudyRecord) -> list[Statement]:
    """The claims a study asserts, each with the curator's summary as its evidence."""
    base = _context(study)
    chain = STUDY_CHAIN_PREFIX + study.id
    cargo_types = {cargo.id: cargo.type for cargo in study.cargo}
    claims: list[tuple[Claim, EvidenceLevel]] = []
    outcome = study.outcome if study.outcome == Outcome.CONTESTED else None
    predicate = _OUTCOME_PREDICATE[study.outcome]

    def add(subject: str, verb: Predicate, target: str, level: EvidenceLevel, **extra: Any) -> None:
        context = base.model_copy(update={"cargo_type": cargo_types.get(subject)})
        claim = Claim(subject=subject, predicate=verb, object=target, context=context, **extra)
        claims.append((claim, level))

    add(study.ev.source, predicate, study.disease, study.design, outcome=outcome)
    for cargo in study.cargo:
        add(study.ev.source, Predicate.CARRIES, cargo.id, study.design)
        if cargo.necessity in (Necessity.SHOWN, Necessity.ENGINEERED):
            add(cargo.id, predicate, study.disease, study.design, outcome=outcome)
    for finding in study.findings:
        add(
            finding.subject,
            finding.predicate,
            finding.object,
            finding.level or study.design,
            outcome=finding.outcome,
        )
    statements = []
    for claim, level in claims:
        evidence = Evidence(
            claim_hash=claim.hash,
            reference=study.reference_id,
            quote=_summary_quote(study),
            section="Abstract (curator's summary)",
            method=EvidenceMethod.CURATED,
            level=level,
            confidence=_CONFIDENCE.get(level, 0.5),
            curator_note=study.note,
        )
        statements.append(Statement(claim, evidence, chain, study.id))
    return statements
