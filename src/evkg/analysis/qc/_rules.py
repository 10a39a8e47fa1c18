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
    "count": {"count", "where", "min"},
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
    if form == "count" and not isinstance(check.get("min", 1), int):
        raise ValueError(f"{where}: 'min' must be an integer")
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
    check: dict[str, Any]
    applies_if: dict[str, Any] | None = None
    not_applicable: str | None = Field(default=None, description="Reason when it does not apply")

    @field_validator("check", "applies_if")
    @classmethod
    def _valid_check(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is not None:
            validate_check(value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RuleItem:
        if not self.verified and not self.note:
            raise ValueError(f"{self.id}: an unverified item needs a note saying what to check")
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
        key = name.strip().casefold()
        for entry in self.markers:
            if key == entry.name.casefold() or key in (s.casefold() for s in entry.synonyms):
                return entry.category
        return None
