"""Closed vocabularies of the evidence model: entity kinds, predicates, outcomes, levels."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "LEVEL_RANK",
    "PREDICATE_OUTCOME",
    "CargoType",
    "EntityKind",
    "ErratumKind",
    "EvidenceLevel",
    "EvidenceMethod",
    "ModelKind",
    "Outcome",
    "Predicate",
    "PublicationType",
]


class EntityKind(StrEnum):
    """What a node of the evidence graph is."""

    EV_SOURCE = "ev_source"
    MODIFICATION = "modification"
    MIRNA = "mirna"
    GENE = "gene"
    CARGO = "cargo"  # non-gene, non-miRNA cargo: drug, peptide, siRNA, circRNA, lncRNA, particle
    PATHWAY = "pathway"
    PROCESS = "process"
    DISEASE = "disease"
    MODEL = "model"
    ROUTE = "route"
    SPECIES = "species"
    CELL_TYPE = "cell_type"
    TISSUE = "tissue"
    REFERENCE = "reference"


class Predicate(StrEnum):
    """The documented predicate set (docs/architecture.md, 'Edge types')."""

    CARRIES = "carries"  # EV source -> cargo
    SPONGES = "sponges"  # circRNA/lncRNA -> miRNA it binds and sequesters
    ENHANCES = "enhances"  # modification -> EV source or cargo (yield, loading, potency)
    REGULATES_DOWN = "regulates_down"  # cargo -> gene (expression or activity lowered)
    REGULATES_UP = "regulates_up"  # cargo -> gene (expression or activity raised)
    INHIBITS = "inhibits"  # EV/cargo/gene -> pathway or process
    ACTIVATES = "activates"  # EV/cargo/gene -> pathway or process
    MODULATES = "modulates"  # EV/cargo -> pathway or process, direction not stated
    TREATS = "treats"  # EV/cargo -> disease, beneficial
    WORSENS = "worsens"  # EV/cargo -> disease, detrimental
    NO_EFFECT_ON = "no_effect_on"  # EV/cargo -> disease, tested and no effect
    ASSOCIATED_WITH = "associated_with"  # biomarker-type statement, no intervention


class Outcome(StrEnum):
    """Direction of an outcome for the patient or model."""

    BENEFICIAL = "beneficial"
    DETRIMENTAL = "detrimental"
    NO_EFFECT = "no_effect"
    CONTESTED = "contested"


#: The outcome a disease predicate implies (``contested`` may override any of them).
PREDICATE_OUTCOME: dict[Predicate, Outcome] = {
    Predicate.TREATS: Outcome.BENEFICIAL,
    Predicate.WORSENS: Outcome.DETRIMENTAL,
    Predicate.NO_EFFECT_ON: Outcome.NO_EFFECT,
}


class PublicationType(StrEnum):
    """What kind of publication a reference is: only primary studies count as studies."""

    PRIMARY = "primary"
    REVIEW = "review"
    TRIAL_REGISTRATION = "trial_registration"
    OTHER = "other"  # book, guideline, methods paper, editorial


class EvidenceLevel(StrEnum):
    """Strength of the experimental system behind one piece of evidence, strongest first."""

    CLINICAL = "clinical"
    IN_VIVO = "in_vivo"
    EX_VIVO = "ex_vivo"
    IN_VITRO = "in_vitro"
    REVIEW_STATEMENT = "review_statement"


#: Higher is stronger. ``in_vivo`` replicated across studies ranks between clinical and
#: in_vivo; that is a property of a claim's evidence set, computed in ``assemble``.
LEVEL_RANK: dict[EvidenceLevel, int] = {
    EvidenceLevel.CLINICAL: 5,
    EvidenceLevel.IN_VIVO: 3,
    EvidenceLevel.EX_VIVO: 2,
    EvidenceLevel.IN_VITRO: 1,
    EvidenceLevel.REVIEW_STATEMENT: 0,
}


class EvidenceMethod(StrEnum):
    """How a piece of evidence entered the graph."""

    CURATED = "curated"
    EXTRACTED = "extracted"
    IMPORTED = "imported"


class CargoType(StrEnum):
    """Molecular form of a cargo."""

    MIRNA = "miRNA"
    PROTEIN = "protein"
    MRNA = "mRNA"
    LNCRNA = "lncRNA"
    CIRCRNA = "circRNA"
    SIRNA = "siRNA"
    DRUG = "drug"
    PEPTIDE = "peptide"
    NANOPARTICLE = "nanoparticle"
    ANTIGEN = "antigen"


class ModelKind(StrEnum):
    """Kind of experimental system a disease model belongs to."""

    IN_VITRO = "in_vitro"
    EX_VIVO = "ex_vivo"
    IN_VIVO = "in_vivo"
    CLINICAL = "clinical"


class ErratumKind(StrEnum):
    """Kinds of problems a curator found in what a source printed."""

    GARBLED_NAME = "garbled_name"  # a name misspelt beyond recognition ("Concentroro")
    TRANSLATION = "translation"  # a term mangled in translation ("scorch death" = pyroptosis)
    CITATION_MISMATCH = "citation_mismatch"  # printed number cites a paper on another subject
    UNSUPPORTED = "unsupported"  # the cited paper's title does not support the statement
    MISATTRIBUTED_CONTEXT = (
        "misattributed_context"  # wrong disease/source/model for the cited study
    )
    MISSING_CITATION = "missing_citation"  # a claim printed with no citation
    FACTUAL = "factual"  # a plain factual error (e.g. CD63 called a growth factor)
