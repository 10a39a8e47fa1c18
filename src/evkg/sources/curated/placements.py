"""Where the curated source lists a claim, kept beside where it is curated.

A review's table files each finding under a disease ("RA", "Osteoarthritis"); the curator
records the finding under the disease its study actually modelled, which is sometimes
another one (a cartilage-repair study listed under RA). The listing is kept as a
:class:`~evkg.model.ReviewPlacement`, so that the listed disease's answer still shows the
claim, labelled as listed there and curated elsewhere, with the curator's reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from evkg.model import Claim, ReviewPlacement
from evkg.recordfiles import RecordFileError
from evkg.sources.curated.api import CuratedSource, Statement
from evkg.vocab.identity import DiseaseIdentity

__all__ = ["claim_diseases", "review_placements"]


def claim_diseases(claim: Claim, is_disease: Callable[[str], bool]) -> set[str]:
    """The diseases a claim is about: its object when that is a disease, and its context's."""
    found = {claim.object} if is_disease(claim.object) else set()
    if claim.context.disease:
        found.add(claim.context.disease)
    return found


def review_placements(
    source: CuratedSource,
    statements: Iterable[Statement],
    identity: DiseaseIdentity,
    is_disease: Callable[[str], bool],
) -> list[ReviewPlacement]:
    """A placement for each claim of a table row curated outside the row's disease (the
    listed identity and every identity below it).

    Raises :class:`~evkg.recordfiles.RecordFileError` on a row that names an unknown record,
    or whose records leave its disease without a ``placement_reason``."""
    by_record: dict[str, list[Claim]] = {}
    for statement in statements:
        by_record.setdefault(statement.record_id, []).append(statement.claim)
    placements: dict[tuple[str, str], ReviewPlacement] = {}
    for located in source.table_rows:
        row = located.record
        within = identity.descendants(row.listed_under)
        outside: dict[str, Claim] = {}
        for record_id in row.records:
            if record_id not in by_record:
                raise RecordFileError(
                    located.path, located.line, "records", f"no curated record {record_id!r}"
                )
            for claim in by_record[record_id]:
                diseases = {identity.canonical(d) for d in claim_diseases(claim, is_disease)}
                if diseases and not diseases & within:
                    outside[claim.hash] = claim
        if not outside:
            continue
        if row.placement_reason is None:
            elsewhere = sorted({d for c in outside.values() for d in claim_diseases(c, is_disease)})
            raise RecordFileError(
                located.path,
                located.line,
                "placement_reason",
                f"records of {row.table} row {row.row} are curated under {', '.join(elsewhere)}, "
                f"not under {row.listed_under} ({row.disease}): say why",
            )
        for claim_hash in sorted(outside):
            placements[(claim_hash, row.listed_under)] = ReviewPlacement(
                claim_hash=claim_hash,
                disease=row.listed_under,
                listed_as=row.disease,
                location=f"{row.table}, row {row.row}",
                reason=row.placement_reason,
            )
    return [placements[key] for key in sorted(placements)]
