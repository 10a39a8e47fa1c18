"""Study records: one primary paper's experiment, curated from its own abstract and record.

A :class:`StudyRecord` holds the fields EV scientists extract in systematic reviews (EV
source, preconditioning and engineering, isolation, characterisation, dose, route, timing,
model, group size, outcome, cargo and whether its necessity was shown, targets and
pathways). The curated-source reader turns each study into claims that point back to it
(``Context.study``) and one piece of evidence per claim: the curator's own one-line summary
of the abstract, never a sentence copied from it.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from evkg.model.curie import Curie
from evkg.model.vocabularies import CargoType, EvidenceLevel, Outcome, Predicate

__all__ = [
    "NOT_REPORTED",
    "STUDY_ID_PATTERN",
    "Characterisation",
    "DoseBasis",
    "DoseUnit",
    "IsolationMethod",
    "Necessity",
    "Product",
    "Regimen",
    "StudyCargo",
    "StudyDose",
    "StudyEV",
    "StudyFinding",
    "StudyModel",
    "StudyRecord",
    "StudyTiming",
]

#: What a curator writes for a field the paper (or its abstract) does not report.
NOT_REPORTED = "not reported"
#: Study identifiers: first author, year and a short topic, e.g. ``bruno2009-glycerol-aki``;
#: ``nd`` stands for the year when the page the curator read prints none (``lind-sci-rat``).
STUDY_ID_PATTERN = r"^[a-z][a-z0-9]*(?:[0-9]{4}|nd)[a-z]?(-[a-z0-9]+)+$"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Product(StrEnum):
    """What was given: vesicles, or a non-EV product reported beside them."""

    EV = "ev"  # isolated extracellular vesicles (exosomes, sEV, MVs, apoptotic bodies)
    CONDITIONED_MEDIUM = "conditioned_medium"  # whole secretome, not an EV product
    EV_IN_BIOMATERIAL = "ev_in_biomaterial"  # EVs in a hydrogel, scaffold or patch


class IsolationMethod(StrEnum):
    """How the EVs were separated (as reported)."""

    ULTRACENTRIFUGATION = "ultracentrifugation"
    DENSITY_GRADIENT = "density_gradient"
    SIZE_EXCLUSION = "size_exclusion_chromatography"
    TANGENTIAL_FLOW = "tangential_flow_filtration"
    ULTRAFILTRATION = "ultrafiltration"
    PRECIPITATION = "precipitation"  # polymer precipitation (e.g. ExoQuick, PEG)
    COMMERCIAL_KIT = "commercial_kit"
    IMMUNOAFFINITY = "immunoaffinity"
    NOT_REPORTED = "not_reported"


class Characterisation(StrEnum):
    """Characterisation the study reports."""

    TEM = "electron_microscopy"
    NTA = "nanoparticle_tracking"
    DLS = "dynamic_light_scattering"
    TRPS = "resistive_pulse_sensing"
    WESTERN_BLOT = "western_blot"
    FLOW_CYTOMETRY = "flow_cytometry"
    PROTEIN_ASSAY = "protein_assay"
    SEQUENCING = "rna_sequencing"
    PROTEOMICS = "proteomics"
    NOT_REPORTED = "not_reported"


class DoseUnit(StrEnum):
    """Unit of a normalised dose."""

    UG_PROTEIN = "ug_protein"
    PARTICLES = "particles"
    CELL_EQUIVALENTS = "cell_equivalents"  # EVs released by N cells
    UL = "ul"  # volume of an EV suspension of unstated concentration


class DoseBasis(StrEnum):
    """What a normalised dose is given per."""

    PER_ANIMAL = "per_animal"
    PER_KG = "per_kg"
    PER_PATIENT = "per_patient"
    PER_ML = "per_ml"  # in vitro concentration


class Regimen(StrEnum):
    """When the EVs were given relative to the injury or disease."""

    PREVENTION = "prevention"  # before or at induction
    TREATMENT = "treatment"  # after the disease is established or the injury done
    BOTH = "both"
    NOT_REPORTED = "not_reported"


class Necessity(StrEnum):
    """Whether the study showed that the cargo is needed for the effect."""

    SHOWN = "shown"  # loss of function (knockdown, antagomir, Drosha KO, RNase) removed it
    ENGINEERED = "engineered"  # the cargo was loaded or over-expressed and added the effect
    NOT_TESTED = "not_tested"  # detected in, or attributed to, the EVs only


class StudyEV(_Strict):
    """The vesicles: where they come from and how they were made and checked."""

    source: Curie = Field(description="evkg.source term of the producing cells")
    species: Curie | None = Field(default=None, description="ncbitaxon: of the producing cells")
    tissue: str = Field(default=NOT_REPORTED, description="Tissue of origin as reported")
    donor_state: str = Field(default=NOT_REPORTED, description="e.g. healthy, aged, diabetic")
    passage: str = Field(default=NOT_REPORTED, description="Passage of the cells as reported")
    ev_type: str = Field(description="As the paper names them: exosomes, sEV, EVs, MVs")
    size: str = Field(default=NOT_REPORTED, description="Size as reported, e.g. '30-150 nm'")
    isolation: tuple[IsolationMethod, ...] = Field(
        default=(IsolationMethod.NOT_REPORTED,), min_length=1
    )
    characterisation: tuple[Characterisation, ...] = Field(
        default=(Characterisation.NOT_REPORTED,), min_length=1
    )
    markers: tuple[str, ...] = Field(default=(), description="EV markers reported (CD63, TSG101)")


class StudyDose(_Strict):
    """A dose as reported, with a normalised figure where the unit allows."""

    reported: str = Field(min_length=1, description="As reported, or 'not reported'")
    amount: float | None = Field(default=None, gt=0)
    unit: DoseUnit | None = None
    basis: DoseBasis | None = None

    @model_validator(mode="after")
    def _normalised_together(self) -> StudyDose:
        given = [self.amount is not None, self.unit is not None, self.basis is not None]
        if any(given) and not all(given):
            raise ValueError("a normalised dose needs amount, unit and basis together")
        return self


class StudyTiming(_Strict):
    """When and how often the EVs were given."""

    regimen: Regimen = Regimen.NOT_REPORTED
    start: str = Field(default=NOT_REPORTED, description="e.g. '1 h after reperfusion'")
    doses: int | None = Field(default=None, ge=1, description="Number of administrations")


class StudyModel(_Strict):
    """The disease model or trial population."""

    term: Curie | None = Field(default=None, description="evkg.model term, when one fits")
    species: Curie | None = Field(default=None, description="ncbitaxon: of the model or patients")
    strain: str | None = Field(default=None, description="Strain as reported (C57BL/6, SD)")
    induction: str = Field(default=NOT_REPORTED, description="How the disease was induced")
    population: str | None = Field(default=None, description="Trial or case population")


class StudyCargo(_Strict):
    """A cargo the study credits, with its type and whether its necessity was shown."""

    id: Curie = Field(description="mirbase.mature:, hgnc:, chebi:, evkg.cargo: …")
    type: CargoType
    necessity: Necessity = Necessity.NOT_TESTED
    method: str | None = Field(default=None, description="How necessity was shown")


class StudyFinding(_Strict):
    """A mechanistic finding of the study (target regulation, pathway, process)."""

    subject: Curie
    predicate: Predicate
    object: Curie
    outcome: Outcome | None = None
    level: EvidenceLevel | None = Field(
        default=None, description="Set when this part of the study used a weaker system"
    )


class StudyRecord(_Strict):
    """One primary study, curated from its own abstract and bibliographic record."""

    id: str = Field(pattern=STUDY_ID_PATTERN, description="Stable study identifier")
    pmid: str | None = Field(default=None, pattern=r"^[1-9]\d{0,8}$")
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    pmcid: str | None = Field(default=None, pattern=r"^PMC\d+$")
    nct: str | None = Field(default=None, pattern=r"^NCT\d{8}$")
    review_reference: Curie | None = Field(
        default=None, description="evkg.ref: id when the founding review cites this study"
    )
    title: str = Field(min_length=5)
    authors: tuple[str, ...] = Field(min_length=1, description="First authors, 'Surname AB'")
    et_al: bool = True
    year: int | None = Field(
        default=None,
        ge=1990,
        le=2030,
        description="Year printed on the page read; null when it prints none (never inferred)",
    )
    journal: str = Field(min_length=2)
    volume: str | None = None
    pages: str | None = None
    read_from: str = Field(default="abstract", pattern=r"^(abstract|full_text|record)$")
    summary: str = Field(
        min_length=20, max_length=400, description="Curator's own one-line summary"
    )
    design: EvidenceLevel = Field(description="Strongest experimental system of the study")
    product: Product = Product.EV
    disease: Curie = Field(description="Disease or injury studied")
    outcome: Outcome = Field(description="Direction of the main outcome for the model")
    outcome_measures: tuple[str, ...] = Field(default=(), description="What was measured")
    ev: StudyEV
    modifications: tuple[Curie, ...] = Field(default=(), description="evkg.mod: terms")
    modification_detail: str | None = None
    dose: StudyDose = Field(default_factory=lambda: StudyDose(reported=NOT_REPORTED))
    route: Curie | None = Field(default=None, description="evkg.route: term; null if unstated")
    timing: StudyTiming = Field(default_factory=StudyTiming)
    model: StudyModel = Field(default_factory=StudyModel)
    n_per_group: int | None = Field(default=None, ge=1)
    n_total: int | None = Field(default=None, ge=1)
    cargo: tuple[StudyCargo, ...] = ()
    findings: tuple[StudyFinding, ...] = ()
    note: str | None = Field(default=None, description="Curator remark")

    @model_validator(mode="after")
    def _identified(self) -> StudyRecord:
        if not (self.pmid or self.doi):
            raise ValueError("a study needs a pmid or a doi")
        if self.design == EvidenceLevel.REVIEW_STATEMENT:
            raise ValueError("a study's design cannot be 'review_statement'")
        written = "nd" if self.year is None else str(self.year)
        if not re.fullmatch(rf"[a-z][a-z0-9]*{written}[a-z]?", self.id.split("-", 1)[0]):
            raise ValueError(
                f"id {self.id!r} should carry {written!r} after the first author's name"
                + (" (the page read prints no year)" if self.year is None else "")
            )
        return self

    @property
    def reference_id(self) -> str:
        """CURIE of the study's reference: the review's id when cited there, else PMID/DOI."""
        if self.review_reference:
            return self.review_reference
        return f"pubmed:{self.pmid}" if self.pmid else f"doi:{self.doi}"
