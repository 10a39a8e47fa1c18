"""Wording around an outcome that trigger words misread.

- The cause of a disease is not the agent's doing: in ``attenuated LPS-induced lung
  injury``, ``the damage caused by stroke`` or ``the cell death that drives liver failure``
  the words ``induced``, ``caused`` and ``drives`` describe the disease, so they are masked
  before the direction is read; so are harm words that a determiner makes the object of the
  verb before them (``reversed the increased bone loss``, ``slowed the progression of``,
  ``inhibit the initiation and progression of``).
- ``not only`` negates nothing, and what follows ``rather than`` or ``instead of`` is the
  road not taken.
- A benefit can be named as the agent's own (``the protective effect of the exosomes
  against MI``, ``the cardioprotection conferred by MSC exosomes``), and a benefit can be
  taken away in the passive (``the protective effect … was abolished by a miR-X inhibitor``).

Masking keeps every character position (matches become spaces), so the spans the caller
found in the window stay valid.
"""

from __future__ import annotations

import re

__all__ = [
    "benefit_owned",
    "lost_benefit_passive",
    "masked_outcome_window",
    "negated_near",
]

_MASKED = re.compile(
    r"(?:[\w/]+\s*-\s*|\b)(?:induced|driven|triggered|caused|evoked|elicited|provoked|"
    r"aggravated|exacerbated)\s+(?:by|with)\b|"  # "damage induced by MI"
    r"[\w/]+-(?:induced|driven|triggered|caused|evoked|elicited|provoked|mediated)\b|"
    r"\b(?:that|which)\s+(?:\w+\s+)?(?:induc|caus|driv|trigger|promot|aggravat|exacerbat|"
    r"accelerat|contribut|increas)\w*|"  # "the cell death that drives ALF"
    r"\b(?:the|a|an|this|these|its|their)\s+(?:[\w-]+\s+(?:(?:and|or)\s+)?)?(?:increas|elevat|enhanc|"
    r"progress|induc|deteriorat|aggravat|exacerbat)\w*|"  # "reversed the increased bone loss"
    r"\bnot\s+only\b|"
    r"\b(?:metastatic|advanced|invasive)\s*$|"  # "… on metastatic prostate cancer": its kind
    r"\b(?:rather\s+than|instead\s+of)\s+\w+",
    re.IGNORECASE,
)


def masked_outcome_window(window: str) -> str:
    """``window`` with the wording masked that describes the disease, not the agent.

    >>> masked_outcome_window("attenuated LPS-induced ").strip()
    'attenuated'
    >>> masked_outcome_window("reduced rather than aggravated ").strip()
    'reduced'
    """
    return _MASKED.sub(lambda m: " " * len(m.group(0)), window)


_NEGATION_NEAR = re.compile(
    r"\b(?:not|no|neither|nor|never|without|fail(?:s|ed)?\s+to|unable\s+to|lack\s+of|"
    r"absence\s+of|cannot)\b",
    re.IGNORECASE,
)


def negated_near(window: str, trigger_start: int, words: int = 6) -> bool:
    """Is the outcome word at ``trigger_start`` negated by the words just before it (a
    negation in an earlier clause, ``caused no tumours and suppressed HCC``, is not)?

    >>> negated_near("did not significantly alleviate ", 25)
    True
    >>> negated_near("caused no tumours and suppressed ", 22)
    False
    """
    before = window[:trigger_start]
    clause = re.split(r",|;|\band\b|\bbut\b|\bwhereas\b", before)[-1]
    return bool(_NEGATION_NEAR.search(" ".join(clause.split()[-words:])))


_BENEFIT_NOUN = (
    r"(?:protect\w*|cardioprotect\w*|neuroprotect\w*|therapeutic|beneficial|benefits?|"
    r"anti-[a-z]+|reparative|restorative|regenerative|healing|pro-regenerative)"
)
_OWNED = re.compile(
    rf"{_BENEFIT_NOUN}(?:\s+(?:effects?|roles?|actions?|efficacy|potential|capacity))?\s+"
    r"(?:of|conferred\s+by|provided\s+by|exerted\s+by|mediated\s+by|afforded\s+by|"
    r"offered\s+by|produced\s+by)\s+(?:the\s+|their\s+|its\s+|these\s+)?[\w-]*\s*$",
    re.IGNORECASE,
)


def benefit_owned(before_agent: str) -> str | None:
    """The benefit that the text right before an agent names as the agent's own
    (``the protective effect of`` the exosomes), or None.

    >>> benefit_owned("abolished the protective effect of the ")
    'protective effect of the '
    >>> benefit_owned("the effect of ") is None
    True
    """
    found = _OWNED.search(before_agent[-80:])
    return found.group(0) if found else None


_LOST_PASSIVE = re.compile(
    rf"{_BENEFIT_NOUN}(?:\s+[\w-]+){{0,10}}?\s+(?:was|were|is|are|being|been)\s+"
    r"(?:\w+ly\s+)?(?:abolish|revers|block|abrogat|attenuat|weaken|diminish|lost|eliminat|"
    r"compromis|impair|negat|prevent)\w*\s+(?:by|after|upon|with|when|in)\b",
    re.IGNORECASE,
)


def lost_benefit_passive(window: str) -> re.Match[str] | None:
    """A benefit taken away in the passive, by what follows (``the protective effect of
    MSC-EVs against AKI was abolished by`` …).

    >>> bool(lost_benefit_passive("The protective effect of EVs was abolished by a "))
    True
    """
    return _LOST_PASSIVE.search(window)
