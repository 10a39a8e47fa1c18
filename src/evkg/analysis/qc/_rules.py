"""The QC rule files as typed records: checklist items, purity bands, marker categories.

The files live in ``evkg/data/qc/`` (``checklist.yaml``, ``purity.yaml``, ``markers.yaml``);
:mod:`evkg.api.qc` reads them. Parsing validates the structure of every check so that a
mistyped rule fails when the file is loaded, naming the item.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "CHECK_FORMS",
    "ChecklistRules",
    "ContaminantClassEntry",
    "ContaminantTable",
    "Guideline",
    "MarkerEntry",
    "MarkerTable",
    "PurityBand",
    "PurityBands",
    "RuleItem",
    "validate_check",
]

Level = Literal["mandatory", "if_applicable", "encouraged"]
CHECK_FORMS = ("field", "any", "all", "count", "every", "equals")
_KEYS: dict[str, set[str]] = {
    "field": {"field"},
    "any": {"any"},
    "all": {"all"},
    "count": {"count", "where", "min", "max"},
    "every": {"every", "where", "check"},
    "equals": {"equals", "value"},
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def validate_check(check: Any, where: str = "check") -> None:
    """Raise ``ValueError`` naming the place when ``check`` is not a valid check form.

    >>> validate_check({"count": "markers", "where": {"result": "present"}, "min": 1})
    >>> validate_check({"feild": "x"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: check: unknown check form {'feild'}; expected one of field, any, all, count, ...
    """
    if not isinstance(check, Mapping):
        raise ValueError(f"{where}: a check is a mapping, got {check!r}")
    form = next((f for f in CHECK_FORMS if f in check), None)
    if form is None:
        raise ValueError(
            f"{where}: unknown check form {set(check)}; expected one of {', '.join(CHECK_FORMS)}"
        )
    extra = set(check) - _KEYS[form]
    if extra:
        raise ValueError(f"{where}: unexpected keys {sorted(extra)} in a '{form}' check")
    if form in ("any", "all"):
        parts = check[form]
        if not isinstance(parts, list) or not parts:
            raise ValueError(f"{where}: '{form}' needs a non-empty list of checks")
        for k, part in enumerate(parts):
            validate_check(part, f"{where}.{form}[{k}]")
    elif form in ("field", "count", "every", "equals") and not isinstance(check[form], str):
        raise ValueError(f"{where}: '{form}' needs a field path")
    if form == "count" and not all(isinstance(check.get(k, 1), int) for k in ("min", "max")):
        raise ValueError(f"{where}: 'min' and 'max' must be integers")
    if "where" in check and not isinstance(check["where"], Mapping):
        raise ValueError(f"{where}: 'where' must map fields to values")
    if form == "every":
        if "check" not in check:
            raise ValueError(f"{where}: 'every' needs a 'check'")
        validate_check(check["check"], f"{where}.check")


class Guideline(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(min_length=1)
    citation: str = Field(min_length=10)
    source_note: str | None = None


class RuleItem(_Frozen):
    """One checklist item with its level, citation and check."""

    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    guideline: str
    area: str = Field(min_length=1)
    text: str = Field(min_length=1)
    level: Level
    verified: bool
    source: str = Field(min_length=1, description="Citation of the item")
    note: str | None = Field(default=None, description="What must be checked, if unverified")
    verified_against: tuple[str, ...] = Field(
        default=(),
        description="Where the wording was read (citation with DOI/PMID/PMC and table or "
        "section); required when verified",
    )
    checked: str | None = Field(
        default=None,
        description="What the text named in verified_against states, in our words, and which "
        "parts of the item are our reading; required when verified",
    )
    level_verified: bool = Field(
        default=False, description="The level (mandatory, encouraged…) was read in the source too"
    )
    operationalisation: str | None = Field(
        default=None, description="How evkg checks the item, where the source sets no measure"
    )
    check: dict[str, Any]
    applies_if: dict[str, Any] | None = None
    not_applicable: str | None = Field(default=None, description="Reason when it does not apply")
    fail_if: dict[str, Any] | None = Field(
        default=None, description="A check that, when it passes, flags the item as a failure"
    )
    warn_if: dict[str, Any] | None = Field(
        default=None, description="A check that, when it passes, flags the item as a warning"
    )
    flag_reason: str | None = None

    @field_validator("check", "applies_if", "fail_if", "warn_if")
    @classmethod
    def _valid_check(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is not None:
            validate_check(value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RuleItem:
        if not self.verified and not self.note:
            raise ValueError(f"{self.id}: an unverified item needs a note saying what to check")
        if self.verified and not self.verified_against:
            raise ValueError(f"{self.id}: a verified item must say where it was verified")
        if self.verified and not self.checked:
            raise ValueError(f"{self.id}: a verified item must say what was checked ('checked')")
        if self.level_verified and not self.verified:
            raise ValueError(f"{self.id}: a level cannot be verified when the wording is not")
        if (self.fail_if is not None or self.warn_if is not None) and not self.flag_reason:
            raise ValueError(f"{self.id}: fail_if/warn_if need a 'flag_reason'")
        if self.applies_if is not None and not self.not_applicable:
            raise ValueError(f"{self.id}: applies_if needs a 'not_applicable' reason")
        return self


class ChecklistRules(_Frozen):
    """A versioned checklist: guidelines and their items."""

    version: str = Field(min_length=1)
    guidelines: tuple[Guideline, ...] = Field(min_length=1)
    items: tuple[RuleItem, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> ChecklistRules:
        known = {g.id for g in self.guidelines}
        seen: set[str] = set()
        for item in self.items:
            if item.guideline not in known:
                raise ValueError(f"{item.id}: unknown guideline {item.guideline!r}")
            if item.id in seen:
                raise ValueError(f"{item.id}: duplicate item id")
            seen.add(item.id)
        return self

    def guideline(self, guideline_id: str) -> Guideline:
        return next(g for g in self.guidelines if g.id == guideline_id)


class PurityBand(_Frozen):
    label: str = Field(min_length=1)
    min: float | None = None
    max: float | None = None


class PurityBands(_Frozen):
    """Particles-per-µg bands with the citation they come from."""

    version: str
    unit: str
    source: dict[str, str]
    verified: bool
    note: str | None = None
    classes: tuple[PurityBand, ...] = Field(min_length=1)

    @property
    def citation(self) -> str:
        return self.source.get("citation", "")


class MarkerEntry(_Frozen):
    name: str
    synonyms: tuple[str, ...] = ()
    category: Literal[
        "transmembrane_or_gpi",
        "cytosolic",
        "non_ev_contaminant",
        "other_compartment",
        "secreted_soluble",
    ]
    named_in_source: bool
    msc_identity: Literal["positive", "negative"] | None = Field(
        default=None,
        description="Expected on MSC-derived vesicles (positive) or a non-MSC, haematopoietic "
        "antigen that should be absent (negative)",
    )
    contaminant: str | None = Field(
        default=None, description="Contaminant class (contaminants.yaml) the marker reports"
    )


class MarkerTable(_Frozen):
    """Marker name → MISEV2018 category, for records that give no category."""

    version: str
    source: str
    markers: tuple[MarkerEntry, ...]

    def category(self, name: str) -> str | None:
        """Category of ``name`` (case-insensitive, synonyms too), or None.

        >>> MarkerTable(version="1", source="s", markers=(MarkerEntry(name="CANX",
        ...     synonyms=("calnexin",), category="non_ev_contaminant", named_in_source=True),
        ... )).category("Calnexin")
        'non_ev_contaminant'
        """
        entry = self.entry(name)
        return entry.category if entry else None

    def entry(self, name: str) -> MarkerEntry | None:
        """The table entry of ``name`` (case-insensitive, synonyms too), or None."""
        key = name.strip().casefold()
        for entry in self.markers:
            if key == entry.name.casefold() or key in (s.casefold() for s in entry.synonyms):
                return entry
        return None


class ContaminantClassEntry(_Frozen):
    id: Literal[
        "albumin", "lipoprotein", "cell_debris", "ribonucleoprotein", "extravesicular_nucleic_acid"
    ]
    title: str = Field(min_length=1)
    severity: Literal["fail", "warn"]
    why: str = Field(min_length=1)
    names: tuple[str, ...] = ()


class ContaminantTable(_Frozen):
    """Contaminant classes with their default release severity (``contaminants.yaml``)."""

    version: str
    classes: tuple[ContaminantClassEntry, ...] = Field(min_length=1)

    def get(self, class_id: str) -> ContaminantClassEntry:
        return next(c for c in self.classes if c.id == class_id)

    def class_of(self, analyte: str) -> str | None:
        """The class an impurity analyte name belongs to, or None.

        >>> table = ContaminantTable(version="1", classes=(ContaminantClassEntry(
        ...     id="albumin", title="albumin", severity="warn", why="w", names=("bsa",)),))
        >>> table.class_of("BSA"), table.class_of("albumin"), table.class_of("CD63")
        ('albumin', 'albumin', None)
        """
        key = analyte.strip().casefold()
        for entry in self.classes:
            if key == entry.id.replace("_", " ") or key == entry.id or key in entry.names:
                return entry.id
        return None
