"""Who a sentence credits: the roles that must not become the vesicles' therapeutic cargo.

- Vesicles whose own noun phrase names the loss of a cargo (``exosomes from miR-146a-
  knockdown MSCs``, ``MSC-EVs lacking miR-124``, ``miR-125b knockdown in MSC-EVs``) are
  modified vesicles: what they do or fail to do is not said of the plain vesicles (their
  benefit lost with the cargo still is, see :mod:`evkg.extract.relations`).
- A gene named as the recipient cell's own (``macrophage SIRT1``, ``host PTEN``,
  ``endogenous TSG-6``) is a mediator in the recipient, never the vesicles' cargo.
- ``X mediates the protective effect of EVs`` says X is needed for the effect, not that the
  vesicles regulate X.
- Bystanders are credited with nothing: the cargo that induces the disease model
  (``doxorubicin-induced cardiotoxicity``), an agent named only in comparison
  (``outperformed dexamethasone``, ``unlike MSC-EVs``) and vesicles of another source
  (``tumour-derived EVs``), nor is an agent credited across such vesicles.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from evkg.extract.ner import EV, Mention
from evkg.model import EntityKind

__all__ = [
    "bystanders_of",
    "foreign_vesicles_between",
    "inducing_genes",
    "mediates_effect_of",
    "modified_vesicles",
    "recipient_mediators",
]

_VESICLE_KINDS = {EV, EntityKind.EV_SOURCE.value}
_CARGO_KINDS = {EntityKind.MIRNA.value, EntityKind.CARGO.value}
_AGENT_KINDS = _CARGO_KINDS | _VESICLE_KINDS
#: A cargo named as what induces the disease model ("doxorubicin-induced cardiotoxicity",
#: "injury induced by cisplatin") is the model's agent, not the vesicles' cargo.
_INDUCER_AFTER = re.compile(
    r"\s*-\s*(?:induced|driven|evoked|triggered|caused|elicited|provoked|challenged|"
    r"intoxicated|injured)\b",
    re.IGNORECASE,
)
#: "tumour-derived EVs", but not an MSC abbreviation evkg may not know ("hWJSC-derived").
_OTHER_SOURCE_BEFORE = re.compile(
    r"(?<![\w-])(?![\w-]*(?:MSC|SC|[Ss]tem|[Ss]tromal|[Mm]esenchymal))[\w-]+-"
    r"(?:derived|secreted|released)\s+$",
    re.IGNORECASE,
)
_BYSTANDER_WORDS = re.compile(
    r"induced|driven|evoked|triggered|caused|elicited|provoked|challenged|intoxicated|injured|"
    r"outperform|unlike|contrast|derived|secreted|released|treated|exposed",
    re.IGNORECASE,
)
#: "H9c2 cells treated with DOX", "mice exposed to cisplatin": the drug making the model,
#: unless the vesicles carry it ("treated with curcumin-loaded EVs").
_TREATED_BEFORE = re.compile(
    r"\b(?:cells|cardiomyocytes|neurons|macrophages|mice|rats|animals|H9c2|HK-2|PC12)\s+"
    r"(?:were\s+|was\s+)?(?:pre-?)?(?:treated|exposed|challenged)\s+(?:with|to)\s+$",
    re.IGNORECASE,
)
_CARRIED_AFTER = re.compile(
    r"^\s*-?\s*(?:loaded|encapsulated|laden|carrying|containing|(?:s?EV|exo|vesicle)\w*)",
    re.IGNORECASE,
)
_COMPARATOR = re.compile(
    r"\b(?:outperform\w*|unlike|in\s+contrast\s+to)\s+(?:[\w-]+\s+)?$", re.IGNORECASE
)
_INDUCER_BEFORE = re.compile(
    r"\b(?:induced|caused|triggered|elicited|provoked|challenged|intoxicated)\s+(?:by|with)\s+"
    r"(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
#: Words between a vesicle mention and a cargo loss in one noun phrase.
_SAME_PHRASE = re.compile(
    r"^[\s-]*(?:(?:from|of|derived\s+from|secreted\s+by|in|with|lacking|deficient\s+in|"
    r"depleted\s+of|loaded\s+with|carrying|containing|the|a|an|human|rat|mouse|murine)[\s-]+)*$",
    re.IGNORECASE,
)
_RECIPIENT_BEFORE = re.compile(
    r"\b(?:macrophages?|microglia[l]?|neurons?|neuronal|hepatocytes?|hepatic|cardiomyocytes?|"
    r"chondrocytes?|endothelial|epithelial|tubular|podocytes?|fibroblasts?|keratinocytes?|"
    r"osteoblasts?|osteoclasts?|host|recipient|endogenous|intracellular|myocardial|renal|"
    r"alveolar|synovial)\s+(?:cells?\s+)?$",
    re.IGNORECASE,
)
_MEDIATES_EFFECT = re.compile(
    r"^\s*(?:(?:is|was|are|were|which|that)\s+)?(?:mediat\w*|underl\w*|(?:is|was)\s+required\s+for|"
    r"contribut\w*\s+to|is\s+essential\s+for)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:effects?|protection|benefits?|actions?|efficacy)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def modified_vesicles(
    text: str, mentions: list[Mention], inhibited: Mapping[int, tuple[int, int]]
) -> set[int]:
    """``id`` of each vesicle or EV-source mention whose noun phrase names the loss of a
    cargo (its inhibited span, from :func:`evkg.extract._loss_of_function.inhibited_span`).

    >>> from evkg.extract.ner import Mention
    >>> text = "Exosomes from miR-146a-knockdown MSCs did not help."
    >>> ev, mirna = Mention(0, 8, "Exosomes", "ev", ()), Mention(14, 22, "miR-146a", "mirna", ())
    >>> modified_vesicles(text, [ev, mirna], {id(mirna): (14, 32)}) == {id(ev)}
    True
    """
    spans = list(inhibited.values())
    found: set[int] = set()
    for mention in mentions:
        if mention.kind not in _VESICLE_KINDS:
            continue
        for start, end in spans:
            between = (
                text[mention.end : start] if mention.end <= start else text[end : mention.start]
            )
            if start <= mention.start < end or _SAME_PHRASE.match(between):
                found.add(id(mention))
    return found


def recipient_mediators(text: str, mentions: list[Mention]) -> set[int]:
    """``id`` of each gene mention named as the recipient cell's own ("macrophage SIRT1").

    >>> from evkg.extract.ner import Mention
    >>> text = "Macrophage SIRT1 rose."
    >>> gene = Mention(11, 16, "SIRT1", "gene", ("hgnc:14929",))
    >>> recipient_mediators(text, [gene]) == {id(gene)}
    True
    """
    return {
        id(m)
        for m in mentions
        if m.kind == EntityKind.GENE.value
        and _RECIPIENT_BEFORE.search(text[max(0, m.start - 40) : m.start])
    }


def mediates_effect_of(text: str, mediator: Mention, agent: Mention) -> bool:
    """Does the text name ``mediator`` as what the agent's effect depends on ("SIRT1
    mediates the protective effect of MSC-EVs")?"""
    return mediator.end <= agent.start and bool(
        _MEDIATES_EFFECT.match(text[mediator.end : agent.start])
    )


def foreign_vesicles_between(
    mentions: list[Mention], bystanders: set[int], first: Mention, second: Mention
) -> bool:
    """Is a vesicle mention of another source (a bystander) named between the two?"""
    low, high = min(first.end, second.end), max(first.start, second.start)
    return any(m.kind == EV and id(m) in bystanders and low <= m.start < high for m in mentions)


def _vesicles_of_another_source(text: str, mentions: list[Mention]) -> set[int]:
    """Vesicle words whose own phrase names a source evkg does not know ("tumour-derived
    EVs"): they are not the document's MSC-EVs, so nothing they do is credited."""
    sources = [m for m in mentions if m.kind == EntityKind.EV_SOURCE.value]
    return {
        id(m)
        for m in mentions
        if m.kind == EV
        and _OTHER_SOURCE_BEFORE.search(text[max(0, m.start - 40) : m.start])
        and not any(0 <= m.start - s.end <= 12 for s in sources)
    }


def _bystander(text: str, mention: Mention) -> bool:
    """A cargo named as the inducer of the disease model, or an agent named only as the
    comparison ("outperformed dexamethasone", "unlike MSC-EVs")."""
    if mention.kind in _CARGO_KINDS and _named_as_inducer(text, mention):
        return True
    if (
        mention.kind == EntityKind.CARGO.value
        and _TREATED_BEFORE.search(text[max(0, mention.start - 40) : mention.start])
        and not _CARRIED_AFTER.match(text[mention.end : mention.end + 20])
    ):
        return True
    return mention.kind in _AGENT_KINDS and bool(
        _COMPARATOR.search(text[max(0, mention.start - 40) : mention.start])
    )


def inducing_genes(text: str, mentions: list[Mention]) -> set[int]:
    """``id`` of each gene named as what induces the model ("TGF-β1-induced fibroblasts",
    "cells induced by TGF-β1"): the experiment's stimulus, not what the agent regulates."""
    return {
        id(m) for m in mentions if m.kind == EntityKind.GENE.value and _named_as_inducer(text, m)
    }


def _named_as_inducer(text: str, mention: Mention) -> bool:
    """ "doxorubicin-induced …", "… induced by TGF-β1": the mention makes the model."""
    return bool(
        _INDUCER_AFTER.match(text, mention.end)
        or _INDUCER_BEFORE.search(text[max(0, mention.start - 40) : mention.start])
    )


def bystanders_of(text: str, mentions: list[Mention]) -> set[int]:
    """``id`` of each mention credited with nothing: a cargo inducing the disease model, an
    agent named only in comparison, vesicles of another source."""
    if not _BYSTANDER_WORDS.search(text):  # most sentences: one search, not one per mention
        return set()
    return {id(m) for m in mentions if _bystander(text, m)} | _vesicles_of_another_source(
        text, mentions
    )
