"""Records of an EV preparation (one lot) and of a release specification, for QC.

A :class:`Preparation` says how a lot was made and characterised: the producing cells
(with their MSC identity), every separation and concentration step with its parameters,
particle measurements (instrument export files or values), protein and other amounts,
markers with method and antibody, single-vesicle imaging, storage, functional and potency
assays (with value, unit and reference standard), safety tests (endotoxin, sterility,
mycoplasma, tissue factor/procoagulant activity), tested impurities and membrane integrity.
Numbers and dates are read in the usual lab spellings (:mod:`evkg.model.spellings`).
Missing information is not a validation error: the QC checklist reports it. Only
impossible values (a negative g-force, a viability above 100 %) are rejected here.

A :class:`~evkg.model.release.ReleaseSpecification` (re-exported here) holds a user's
acceptance criteria, checked lot by lot.

The JSON Schema of both is rendered to ``schema/preparation.schema.json``
(:func:`render_preparation_schema`); a test fails when the committed copy is stale.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import models_json_schema

from evkg.model.release import PotencyLimit, Range, ReleaseSpecification
from evkg.model.spellings import LabDate, LabFloat, LabInt

__all__ = [
    "PREPARATION_SCHEMA_ID",
    "Antibody",
    "Donor",
    "FunctionalAssay",
    "IdentityMarker",
    "Imaging",
    "Impurity",
    "Integrity",
    "MarkerCategory",
    "MarkerResult",
    "MscIdentity",
    "OtherQuantification",
    "ParticleMeasurement",
    "ParticleValues",
    "PotencyLimit",
    "Preparation",
    "ProteinQuantification",
    "Range",
    "ReleaseSpecification",
    "SafetyTests",
    "SeparationStep",
    "SourceCells",
    "Storage",
    "preparation_json_schema",
    "render_preparation_schema",
]

PREPARATION_SCHEMA_ID = "https://evkg.org/schema/preparation.schema.json"

Presence = Literal["present", "absent", "not_tested"]
MarkerCategory = Literal[
    "transmembrane_or_gpi",  # MISEV2018 category 1
    "cytosolic",  # category 2
    "non_ev_contaminant",  # category 3 (purity / negative markers)
    "other_compartment",  # category 4
    "secreted_soluble",  # category 5
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Donor(_Frozen):
    """Who the producing cells came from."""

    id: str | None = Field(default=None, description="Donor code (never a name)")
    age_years: LabFloat | None = Field(default=None, ge=0, le=130)
    sex: Literal["female", "male", "unknown"] | None = None
    health: str | None = Field(default=None, description="Donor state, e.g. 'healthy', 'T2D'")
    pooled_donors: LabInt | None = Field(
        default=None, ge=1, description="Number of donors pooled (1 = single donor)"
    )


class IdentityMarker(_Frozen):
    """One MSC identity marker measured on the producing cells."""

    name: str = Field(min_length=1, description="Marker, e.g. CD73, CD90, CD105, CD45, HLA-DR")
    expected: Literal["positive", "negative"] = Field(
        description="Whether MSCs are expected to express it"
    )
    percent_positive: LabFloat | None = Field(default=None, ge=0, le=100)
    method: str | None = Field(default=None, description="e.g. flow cytometry")


class MscIdentity(_Frozen):
    """Identity of the producing MSCs (surface markers, differentiation, adherence)."""

    markers: tuple[IdentityMarker, ...] = ()
    trilineage_differentiation: Literal["shown", "not_shown", "not_tested"] | None = Field(
        default=None, description="Osteo-, chondro- and adipogenic differentiation in vitro"
    )
    plastic_adherence: bool | None = None


class SourceCells(_Frozen):
    """The EV-producing cells and how they were conditioned."""

    species: str = Field(min_length=1, description="ncbitaxon CURIE or common name (human)")
    tissue: str | None = Field(default=None, description="e.g. bone marrow, umbilical cord")
    cell_type: str | None = Field(default=None, description="e.g. MSC, iPSC-derived MSC")
    donor: Donor | None = None
    passage: LabInt | None = Field(default=None, ge=0)
    culture_mode: Literal["2D", "3D"] | None = None
    culture_system: str | None = Field(
        default=None, description="flask, spheroids, microcarriers, hollow-fibre bioreactor…"
    )
    medium: str | None = Field(default=None, description="Basal medium during conditioning")
    serum: (
        Literal[
            "none",
            "fbs",
            "ev_depleted_fbs",
            "human_platelet_lysate",
            "ev_depleted_hpl",
            "human_serum",
            "serum_free_defined",
            "other",
        ]
        | None
    ) = Field(default=None, description="Serum or supplement during conditioning")
    ev_depletion: str | None = Field(
        default=None, description="How the supplement was depleted of EVs (method, g, time)"
    )
    preconditioning: tuple[str, ...] = Field(
        default=(), description="e.g. 'hypoxia 1% O2 48 h', 'IL-1β 10 ng/ml 24 h'"
    )
    seeding_density: str | None = Field(default=None, description="As reported, with unit")
    confluence_percent: LabFloat | None = Field(default=None, ge=0, le=100)
    conditioning_time_h: LabFloat | None = Field(default=None, gt=0)
    conditioned_medium_volume_ml: LabFloat | None = Field(default=None, gt=0)
    cell_count: LabFloat | None = Field(default=None, gt=0, description="Cells at harvest")
    viability_percent: LabFloat | None = Field(default=None, ge=0, le=100)
    identity: MscIdentity | None = None


Separation = Literal[
    "centrifugation",
    "ultracentrifugation",
    "filtration",
    "ultrafiltration",
    "tangential_flow_filtration",
    "size_exclusion_chromatography",
    "density_gradient",
    "precipitation",
    "immunoaffinity",
    "field_flow_fractionation",
    "ion_exchange",
    "other",
]


class SeparationStep(_Frozen):
    """One separation or concentration step, in the order performed."""

    method: Separation
    purpose: (
        Literal["clarification", "separation", "concentration", "wash", "validation"] | None
    ) = None
    g_force: LabFloat | None = Field(default=None, gt=0, description="Average or maximum g")
    time_min: LabFloat | None = Field(default=None, gt=0)
    temperature_c: LabFloat | None = Field(default=None, ge=-20, le=60)
    rotor: str | None = Field(default=None, description="Rotor type and model")
    k_factor: LabFloat | None = Field(default=None, gt=0)
    pore_size_nm: LabFloat | None = Field(default=None, gt=0, description="Filters")
    mwco_kda: LabFloat | None = Field(default=None, gt=0, description="Ultrafiltration / TFF")
    column: str | None = Field(default=None, description="SEC column or resin")
    fractions: str | None = Field(default=None, description="Fractions pooled, e.g. '7-9'")
    gradient: str | None = Field(default=None, description="e.g. 'iodixanol 5-40 %'")
    density_g_ml: LabFloat | None = Field(default=None, gt=0, description="Density of EV fraction")
    reagent: str | None = Field(default=None, description="Precipitation or capture reagent")
    notes: str | None = None


class ParticleValues(_Frozen):
    """Particle values typed in from a report, when no export file is attached."""

    concentration_per_ml: LabFloat | None = Field(default=None, ge=0, description="Undiluted")
    mean_nm: LabFloat | None = Field(default=None, gt=0)
    mode_nm: LabFloat | None = Field(default=None, gt=0)
    d10_nm: LabFloat | None = Field(default=None, gt=0)
    d50_nm: LabFloat | None = Field(default=None, gt=0)
    d90_nm: LabFloat | None = Field(default=None, gt=0)


class ParticleMeasurement(_Frozen):
    """A particle count and size measurement (NTA, TRPS, flow…), from a file or as values."""

    method: Literal["nta", "trps", "flow_cytometry", "nanoflow", "dls", "other"]
    instrument: str | None = Field(default=None, description="e.g. NanoSight NS300, ZetaView")
    export: str | None = Field(
        default=None, description="Instrument export file, relative to the record file"
    )
    dilution_factor: LabFloat | None = Field(
        default=None,
        ge=1,
        description="Dilution before measurement; applied only when the export records none",
    )
    values: ParticleValues | None = None
    settings: str | None = Field(default=None, description="Camera level, threshold, SOP")
    calibration: str | None = Field(default=None, description="e.g. 100 nm polystyrene beads")


class ProteinQuantification(_Frozen):
    """Total protein of the preparation."""

    method: Literal["bca", "micro_bca", "bradford", "qubit", "a280", "lowry", "other"]
    concentration_ug_per_ml: LabFloat | None = Field(default=None, gt=0)
    total_ug: LabFloat | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _some_amount(self) -> ProteinQuantification:
        if self.concentration_ug_per_ml is None and self.total_ug is None:
            raise ValueError("give concentration_ug_per_ml or total_ug")
        return self


class OtherQuantification(_Frozen):
    """A further global quantification (lipid, RNA), with its unit as reported."""

    analyte: Literal["lipid", "rna", "dna", "other"]
    method: str = Field(min_length=1)
    amount: float = Field(gt=0)
    unit: str = Field(min_length=1, description="e.g. nmol/ml, ng/ml")


class Antibody(_Frozen):
    """What identifies an antibody for replication."""

    clone: str | None = None
    catalogue_number: str | None = None
    supplier: str | None = None
    dilution: str | None = Field(default=None, description="e.g. '1:1000'")
    host: str | None = None


class MarkerResult(_Frozen):
    """One protein marker tested on the EVs."""

    name: str = Field(min_length=1, description="e.g. CD63, TSG101, calnexin")
    category: MarkerCategory | None = Field(
        default=None,
        description="MISEV2018 category; inferred from the shipped marker table when absent",
    )
    result: Presence
    method: (
        Literal[
            "western_blot",
            "flow_cytometry",
            "bead_flow_cytometry",
            "elisa",
            "mass_spectrometry",
            "single_ev_imaging",
            "other",
        ]
        | None
    ) = None
    antibody: Antibody | None = None
    lysis_buffer: str | None = Field(default=None, description="Composition, for lysates")
    amount_loaded: str | None = Field(default=None, description="e.g. '10 µg' or '1e9 particles'")
    percent_positive: LabFloat | None = Field(
        default=None, ge=0, le=100, description="Vesicles positive (single-EV or bead flow)"
    )


class Imaging(_Frozen):
    """Images of single EVs."""

    method: Literal["tem", "cryo_em", "sem", "afm", "super_resolution", "other"]
    wide_field: bool = Field(default=False, description="A wide-field view is shown")
    close_up: bool = Field(default=False, description="A close-up of single EVs is shown")
    image_file: str | None = None
    notes: str | None = None


class Storage(_Frozen):
    """How the preparation is stored."""

    temperature_c: LabFloat | None = Field(default=None, ge=-273, le=40)
    buffer: str | None = None
    additives: tuple[str, ...] = ()
    container: str | None = None
    freeze_thaw_cycles: LabInt | None = Field(default=None, ge=0)
    duration_days: LabFloat | None = Field(default=None, ge=0)


class FunctionalAssay(_Frozen):
    """A functional or potency assay."""

    name: str = Field(min_length=1)
    kind: Literal["potency", "in_vitro", "in_vivo"]
    readout: str | None = None
    result: str | None = None
    dose: str | None = Field(default=None, description="Dose with unit, as used")
    dose_response: bool | None = Field(default=None, description="More than one dose tested")
    controls: tuple[str, ...] = Field(
        default=(), description="e.g. vehicle, EV-depleted fraction, non-EV fraction"
    )
    route: str | None = Field(default=None, description="In vivo route of administration")
    value: LabFloat | None = Field(default=None, description="Numeric result, for release")
    unit: str | None = Field(default=None, description="Unit of value, e.g. '% of reference'")
    reference_standard: str | None = Field(
        default=None, description="Reference standard measured alongside (lot or material)"
    )


class SafetyTests(_Frozen):
    """Microbiological safety and procoagulant activity of the lot."""

    endotoxin_eu_per_ml: LabFloat | None = Field(default=None, ge=0, description="LAL assay")
    endotoxin_method: str | None = Field(default=None, description="e.g. kinetic chromogenic LAL")
    sterility: Literal["no_growth", "growth", "not_tested"] | None = Field(
        default=None, description="Sterility test result (e.g. Ph. Eur. 2.6.1, BacT/ALERT)"
    )
    mycoplasma: Literal["negative", "positive", "not_tested"] | None = Field(
        default=None, description="Mycoplasma test result (qPCR or culture)"
    )
    tissue_factor_percent: LabFloat | None = Field(
        default=None, ge=0, le=100, description="CD142-positive vesicles, % of vesicles"
    )
    procoagulant_activity: LabFloat | None = Field(
        default=None, ge=0, description="Tissue-factor / procoagulant activity assay result"
    )
    procoagulant_unit: str | None = Field(default=None, description="Unit of that result")
    procoagulant_method: str | None = Field(
        default=None, description="e.g. TF activity assay, thrombin generation, ROTEM"
    )


class Impurity(_Frozen):
    """A non-vesicular component tested in the preparation (albumin, lipoprotein, free DNA…)."""

    analyte: str = Field(
        min_length=1, description="e.g. albumin, ApoA1, ApoB, calnexin, dsDNA outside vesicles"
    )
    result: Presence
    amount: LabFloat | None = Field(default=None, ge=0)
    unit: str | None = Field(default=None, description="Unit of amount, e.g. 'ng/ml'")
    method: str | None = Field(default=None, description="e.g. ELISA, DNase + PicoGreen")


class Integrity(_Frozen):
    """Evidence of intact lipid-membrane vesicles."""

    detergent_lysis_percent: LabFloat | None = Field(
        default=None,
        ge=0,
        le=100,
        description="Particles lost after detergent (e.g. 1 % Triton X-100): membrane evidence",
    )
    protease_protection: Literal["shown", "not_shown", "not_tested"] | None = Field(
        default=None, description="Luminal cargo protected from protease without detergent"
    )
    method: str | None = None


class Preparation(_Frozen):
    """One EV preparation (lot) and its characterisation."""

    id: str = Field(min_length=1, description="Lot or preparation identifier")
    name: str | None = None
    date: LabDate | None = Field(
        default=None,
        description="Date of production: 2025-03-04, 04.03.2025, 4 March 2025 (never 03/04/2025)",
    )
    source_cells: SourceCells
    separation: tuple[SeparationStep, ...] = ()
    particles: tuple[ParticleMeasurement, ...] = ()
    final_volume_ml: LabFloat | None = Field(default=None, gt=0, description="Volume of the lot")
    protein: ProteinQuantification | None = None
    other_quantification: tuple[OtherQuantification, ...] = ()
    markers: tuple[MarkerResult, ...] = ()
    topology: str | None = Field(default=None, description="How topology was assessed")
    imaging: tuple[Imaging, ...] = ()
    storage: Storage | None = None
    functional_assays: tuple[FunctionalAssay, ...] = ()
    cargo_profile: str | None = Field(
        default=None, description="miRNA/protein list or count table, relative to the record"
    )
    ev_track_id: str | None = Field(default=None, description="EV-TRACK submission ID")
    safety: SafetyTests | None = None
    impurities: tuple[Impurity, ...] = ()
    integrity: Integrity | None = None
    process_version: str | None = Field(
        default=None, description="Manufacturing process or SOP version"
    )
    qualified: bool | None = Field(
        default=None,
        description="A qualified lot: its values set the control limits when lots are trended",
    )
    notes: str | None = None


def preparation_json_schema() -> dict[str, Any]:
    """One JSON Schema document defining Preparation and ReleaseSpecification; its root
    accepts a file that is either (the files `evkg qc` reads)."""
    refs, schema = models_json_schema(
        [(Preparation, "validation"), (ReleaseSpecification, "validation")],
        title="evkg preparation record",
        description="An EV preparation (lot) with its characterisation, and a release "
        "specification (YAML or JSON files read by `evkg qc`).",
    )
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = PREPARATION_SCHEMA_ID
    schema["anyOf"] = [
        refs[(Preparation, "validation")],
        refs[(ReleaseSpecification, "validation")],
    ]
    return schema


def render_preparation_schema() -> str:
    """The schema as canonical JSON text (sorted keys, 2-space indent, final newline)."""
    return (
        json.dumps(preparation_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
