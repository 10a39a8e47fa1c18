"""A study's outcomes at the level it states them.

* A broad outcome word stands for the one specific disease the study names that falls under
  it: "decreased infarct size" in a paper on myocardial infarction treats myocardial
  infarction, "inhibited tumour growth" in a paper on breast cancer treats breast cancer.
* When the same agent is said to treat both a disease and a broader one, a curator records
  the specific disease; the broader claim is dropped for that agent (a question about the
  broader disease still reaches the specific one through the hierarchy).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from evkg.extract._sentence_mentions import disease_ancestors
from evkg.model import PREDICATE_OUTCOME, Claim, Evidence, Predicate
from evkg.vocab import Vocabulary

__all__ = ["at_stated_level"]

_OUTCOMES = frozenset(PREDICATE_OUTCOME)
#: a pathologic process read as such ("inhibited infarction") is the disease's outcome
_PROCESS_OUTCOME = {Predicate.INHIBITS: Predicate.TREATS, Predicate.ACTIVATES: Predicate.WORSENS}


def at_stated_level(
    vocabulary: Vocabulary,
    statements: Sequence[tuple[Claim, Evidence]],
    named_diseases: Iterable[str],
) -> list[tuple[Claim, Evidence]]:
    """``statements`` with broad outcomes read as the document's one specific disease under
    them (``named_diseases``: the diseases the document names), then without each agent's
    outcome for a disease that is an ancestor of another one the agent has."""

    def broader_of(disease: str) -> set[str]:
        ancestors = disease_ancestors(vocabulary, disease)
        return set(ancestors) | {vocabulary.canonical_disease(a) for a in ancestors}

    named = {vocabulary.canonical_disease(c) for c in named_diseases}
    under: dict[str, list[str]] = defaultdict(list)  # broad disease -> named ones under it
    for disease in named:
        for broad in broader_of(disease):
            under[broad].append(disease)
    specific = [_specific(claim, evidence, under, vocabulary) for claim, evidence in statements]
    diseases: dict[str, set[str]] = defaultdict(set)
    for claim, _ in specific:
        if claim.predicate in _OUTCOMES:
            diseases[claim.subject].add(claim.object)
    broader: dict[str, set[str]] = {
        subject: {b for d in found for b in broader_of(d)} & found
        for subject, found in diseases.items()
        if len(found) > 1
    }
    kept: list[tuple[Claim, Evidence]] = []
    seen: set[str] = set()
    for claim, evidence in specific:
        if claim.predicate in _OUTCOMES and claim.object in broader.get(claim.subject, ()):
            continue
        if evidence.hash not in seen:  # a broad claim may now repeat a specific one
            seen.add(evidence.hash)
            kept.append((claim, evidence))
    return kept


def _specific(
    claim: Claim, evidence: Evidence, under: dict[str, list[str]], vocabulary: Vocabulary
) -> tuple[Claim, Evidence]:
    """The claim about the one named disease under its broad object, if there is one."""
    predicate = claim.predicate
    if predicate not in _OUTCOMES and predicate not in _PROCESS_OUTCOME:
        return claim, evidence
    named = under.get(claim.object, [])
    if len(named) != 1:
        return claim, evidence
    disease = named[0]
    predicate = _PROCESS_OUTCOME.get(predicate, predicate)
    context = claim.context.model_copy(update={"disease": disease})
    read = Claim(subject=claim.subject, predicate=predicate, object=disease, context=context)
    label = vocabulary.lexicon.label(disease)
    note = f"{evidence.curator_note or ''}; {vocabulary.lexicon.label(claim.object)!r} read as "
    note += f"{label!r}, the study's disease under it"
    return read, evidence.model_copy(update={"claim_hash": read.hash, "curator_note": note})
