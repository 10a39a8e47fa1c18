"""Contradictions among stored claims: opposing claims about one pair, and claims their
evidence marks contested."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from evkg.assemble import opposing
from evkg.store.protocol import Contradiction, StoredClaim

__all__ = ["among"]


def among(found: Sequence[StoredClaim]) -> list[Contradiction]:
    """The contradictions among ``found``, in their order."""
    by_pair: dict[tuple[str, str], list[StoredClaim]] = defaultdict(list)
    result: list[Contradiction] = []
    for stored in found:
        by_pair[(stored.claim.subject, stored.claim.object)].append(stored)
        if stored.claim.outcome is not None and stored.claim.outcome.value == "contested":
            result.append(Contradiction(stored, None, "marked contested by its evidence"))
    for group in by_pair.values():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                if opposing(first.claim, second.claim):
                    reason = f"{first.claim.predicate.value} vs {second.claim.predicate.value}"
                    result.append(Contradiction(first, second, reason))
    return result
