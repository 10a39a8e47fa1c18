"""The studies of a disease as a table a systematic reviewer reads: one row per primary
study (source, isolation, dose, route, model, species, n, outcome, design), with filters,
the evidence map (disease × EV source) and what no study of the disease has reported."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from evkg.api.labels import Labels
from evkg.api.responses import EvidenceMapCell, StudiesOut, StudyRowOut
from evkg.api.service import Knowledge
from evkg.model import NOT_REPORTED, StudyRecord
from evkg.store import StudyFilter

__all__ = ["StudyQuery", "studies_answer"]


@dataclass(frozen=True)
class StudyQuery:
    """Filters on a disease's studies; names or CURIEs, as a user types them."""

    species: str | None = None  # of the model (mouse, rat, human)
    route: str | None = None
    source: str | None = None  # EV source (bone marrow MSC, UC-MSC)
    design: str | None = None  # clinical, in_vivo, ex_vivo, in_vitro
    outcome: str | None = None  # beneficial, detrimental, no_effect, contested


def _resolve(knowledge: Knowledge, field: str, value: str | None) -> str | None:
    if value is None:
        return None
    from evkg.api.filters import resolve_filter

    return resolve_filter(knowledge, field, value)[0]


def _dose(study: StudyRecord) -> str:
    dose = study.dose
    if dose.amount is None or dose.unit is None or dose.basis is None:
        return dose.reported
    unit = {"ug_protein": "µg protein", "cell_equivalents": "cell equivalents"}.get(
        dose.unit.value, dose.unit.value
    )
    return f"{dose.amount:g} {unit} {dose.basis.value.replace('_', ' ')}"


def _row(study: StudyRecord, labels: Labels) -> StudyRowOut:
    isolation = [m.value.replace("_", " ") for m in study.ev.isolation]
    return StudyRowOut(
        id=study.id,
        reference=study.reference_id,
        citation=labels.citation(study.reference_id),
        pmid=study.pmid,
        doi=study.doi,
        year=study.year,
        disease=study.disease,
        disease_label=labels.label(study.disease),
        summary=study.summary,
        design=study.design.value,
        product=study.product.value,
        outcome=study.outcome.value,
        ev_source=study.ev.source,
        ev_source_label=labels.label(study.ev.source),
        source_species=labels.label(study.ev.species) if study.ev.species else NOT_REPORTED,
        isolation=isolation,
        dose=_dose(study),
        route=labels.label(study.route) if study.route else NOT_REPORTED,
        model=labels.label(study.model.term) if study.model.term else study.model.induction,
        model_species=labels.label(study.model.species) if study.model.species else NOT_REPORTED,
        n_per_group=study.n_per_group,
        modifications=[labels.label(m) for m in study.modifications],
        cargo=[labels.label(c.id) for c in study.cargo],
    )


def _missing(rows: list[StudyRowOut]) -> list[str]:
    """What no study (or no study of an EV source) reports, as sentences."""
    if not rows:
        return []
    gaps = []
    for field, what in (
        ("dose", "a dose"),
        ("route", "a route"),
        ("n_per_group", "a group size"),
    ):
        by_source: Counter[str] = Counter()
        reported: Counter[str] = Counter()
        for row in rows:
            by_source[row.ev_source_label] += 1
            value = getattr(row, field)
            if value not in (None, NOT_REPORTED):
                reported[row.ev_source_label] += 1
        for source, n in sorted(by_source.items()):
            if not reported[source]:
                counted = f"{n} study" if n == 1 else f"{n} studies"
                gaps.append(f"no study of {source} EVs reports {what} ({counted})")
    if not any(r.design == "clinical" for r in rows):
        gaps.append("no clinical study")
    if not any(r.outcome in ("no_effect", "detrimental") for r in rows):
        gaps.append("no negative or harmful result recorded (publication bias is likely)")
    if all(r.isolation == ["not reported"] for r in rows):
        gaps.append("no study states its isolation method")
    return gaps


def studies_answer(
    knowledge: Knowledge, labels: Labels, name: str, query: StudyQuery | None = None
) -> StudiesOut:
    """The primary studies of the disease named ``name`` and of its narrower diseases."""
    query = query or StudyQuery()
    match = knowledge.disease_match(name)
    diseases = sorted(knowledge.store.descendants(match.curie))
    where = StudyFilter(
        diseases=diseases,
        model_species=_resolve(knowledge, "species", query.species),
        route=_resolve(knowledge, "route", query.route),
        ev_source=_resolve(knowledge, "source", query.source),
        design=query.design,
        outcome=query.outcome,
    )
    studies = knowledge.store.studies(where)
    rows = [_row(s, labels) for s in studies]
    cells: Counter[tuple[str, str, str]] = Counter()
    for row in rows:
        cells[(row.disease_label, row.ev_source_label, row.outcome)] += 1
    evidence_map = [
        EvidenceMapCell(disease=d, ev_source=s, outcome=o, studies=n)
        for (d, s, o), n in sorted(cells.items())
    ]
    return StudiesOut(
        disease=match.curie,
        disease_label=labels.label(match.curie),
        filters={k: v for k, v in vars(query).items() if v is not None},
        n_studies=len(rows),
        studies=rows,
        evidence_map=evidence_map,
        missing=_missing(rows),
    )
