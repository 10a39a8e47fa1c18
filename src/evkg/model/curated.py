"""Records of the curated-knowledge files shipped in ``evkg/data/curated``.

One :class:`CuratedRecord` is one claim with all the quoted evidence a curator found for it;
it turns into a :class:`~evkg.model.records.Claim` plus :class:`~evkg.model.records.Evidence`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from evkg.model.curie import Curie
from evkg.model.records import Claim, Context, Erratum, Reference
from evkg.model.vocabularies import EvidenceLevel, Outcome, Predicate

__all__ = [
    "RECORD_ID_PATTERN",
    "BackgroundCitation",
    "CuratedEvidence",
    "CuratedRecord",
    "CuratedReference",
    "ReviewPlacement",
    "TableRow",
]

RECORD_ID_PATTERN = r"^[a-z0-9]+(\.[a-z0-9-]+)+$"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class CuratedEvidence(_Strict):
    """One quote from the curated source supporting a record."""

    reference: Curie = Field(description="Primary reference the claim rests on (curated reading)")
    quote: str = Field(min_length=10, description="Verbatim text of the source document")
    section: str = Field(min_length=1, description="Section heading the quote stands under")
    printed_citation: str | None = Field(
        default=None,
        pattern=r"^\d+([,-]\d+)*$",
        description="Citation numbers printed with the quote ('18', '26-28', '44,45'); "
        "null when the source printed none",
    )
    level: EvidenceLevel = Field(description="Experimental system of the cited study")


class CuratedRecord(_Strict):
    """A curated claim with its evidence, curator notes and errata."""

    id: str = Field(pattern=RECORD_ID_PATTERN, description="Stable record identifier")
    subject: Curie
    predicate: Predicate
    object: Curie
    outcome: Outcome | None = None
    context: Context = Field(default_factory=Context)
    chain: str | None = Field(
        default=None,
        pattern=RECORD_ID_PATTERN,
        description="Mechanism-chain identifier shared by the claims of one study",
    )
    evidence: tuple[CuratedEvidence, ...] = Field(min_length=1)
    errata: tuple[Erratum, ...] = Field(default=(), description="Problems in what was printed")
    note: str | None = Field(default=None, description="Curator note")

    def claim(self) -> Claim:
        """The claim this record asserts."""
        return Claim(
            subject=self.subject,
            predicate=self.predicate,
            object=self.object,
            context=self.context,
            outcome=self.outcome,
        )


class TableRow(_Strict):
    """One row of a table in the curated source, mapped onto curated records."""

    table: str
    row: int = Field(ge=1)
    function: str
    disease: str = Field(description="The 'Disease' cell as printed")
    listed_under: Curie = Field(description="The disease the printed 'Disease' cell names")
    cargo: str = Field(description="The 'Exo' column as printed")
    effect: str
    printed_citation: str = Field(pattern=r"^\d+([,-]\d+)*$")
    records: tuple[str, ...] = Field(min_length=1, description="Curated record ids for the row")
    placement_reason: str | None = Field(
        default=None,
        min_length=10,
        description="Why the row's records are curated under a disease other than the one "
        "the row is listed under (required when they are)",
    )
    note: str | None = None


class ReviewPlacement(_Strict):
    """A claim the source lists under one disease but that is curated under another: the
    source's placement kept as a secondary link, so the listed disease's answer shows it."""

    claim_hash: str
    disease: Curie = Field(description="The disease the source lists the claim under")
    listed_as: str = Field(description="The disease as the source printed it")
    location: str = Field(description="Where the source lists it, e.g. 'Table 1, row 1'")
    reason: str = Field(description="Why the claim is curated under another disease")


class BackgroundCitation(_Strict):
    """A printed citation that supports no EV claim (background, definitions, epidemiology)."""

    printed_citation: str = Field(pattern=r"^\d+([,-]\d+)*$")
    reference: Curie
    quote: str = Field(min_length=10)
    section: str
    reason: str = Field(min_length=5, description="Why this citation yields no claim")


class CuratedReference(Reference):
    """A reference of a curated source, with the number the source printed for it."""

    review_number: int | None = Field(
        default=None, ge=1, description="Number printed in the source's reference list"
    )
