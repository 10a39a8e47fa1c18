"""A miRNA named through its own inhibition: "miR-21 inhibitor", "anti-miR-155",
"knockdown of miR-146a", "miR-34a silencing". What such a phrase does, the miRNA does the
opposite of: "miR-200a inhibitors promoted EMT" states that miR-200a inhibits EMT.

The pipeline reads the whole phrase as the agent (so that "inhibitor" is not taken for the
verb of the sentence) and turns the direction of what it finds.
"""

from __future__ import annotations

import re

from evkg.model import Predicate

__all__ = ["flipped", "inhibited_span"]

#: Words right after the miRNA (or after the list it opens: "miR-200a and miR-429
#: inhibitors") that name its inhibition.
_AFTER = re.compile(
    r"(?:\s*(?:,|\band\b|\bor\b)\s*(?:(?:and|or)\s+)?(?:[a-z]{3}-)?(?:miR|let)-[\w-]+)*"  # a list
    r"[\s-]*(?:inhibitors?|antagomirs?|antagonists?|sponges?|knock-?down|silencing|silenced|"
    r"knocked[\s-]down|deficien(?:cy|t)|depletion|depleted|blockade|knock-?out|"
    r"antisense(?:\s+oligonucleotides?)?)\b",
    re.IGNORECASE,
)
#: Words right before it: "anti-miR-21", "an antagomir to miR-146a", "knockdown of (the)
#: miR-21", "silencing of exosomal miR-223", "silencing let-7c", "EVs lacking miR-124".
_BEFORE = re.compile(
    r"(?:\banti-?|\bantagomirs?(?:-|\s+(?:to|against|of|for)\s+)|"
    r"\b(?:inhibition|knock-?down|silencing|depletion|deletion|loss|blockade)\s+of\s+"
    r"(?:the\s+)?(?:endogenous\s+|exosomal\s+|vesicular\s+|EV-derived\s+)?|"
    r"\b(?:silencing|knocking\s+down|inhibiting|depleting|deleting|blocking|lacking|"
    r"deficient\s+in|depleted\s+of|devoid\s+of)\s+(?:the\s+)?(?:exosomal\s+)?)$",
    re.IGNORECASE,
)
_OPPOSITE = {
    Predicate.TREATS: Predicate.WORSENS,
    Predicate.WORSENS: Predicate.TREATS,
    Predicate.REGULATES_UP: Predicate.REGULATES_DOWN,
    Predicate.REGULATES_DOWN: Predicate.REGULATES_UP,
    Predicate.ACTIVATES: Predicate.INHIBITS,
    Predicate.INHIBITS: Predicate.ACTIVATES,
}


def inhibited_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the phrase naming the inhibition of the miRNA at ``start:end`` of
    ``text`` (the miRNA and its inhibition words), or None if it is named for itself.

    >>> text = "Knockdown of miR-21 raised PTEN; miR-155 inhibitor lowered it."
    >>> inhibited_span(text, 13, 19), inhibited_span(text, 33, 40)
    ((0, 19), (33, 50))
    """
    after = _AFTER.match(text, end)
    before = _BEFORE.search(text[max(0, start - 40) : start])
    if not after and not before:
        return None
    begin = start - (len(before.group(0)) if before else 0)
    return begin, after.end() if after else end


def flipped(predicate: Predicate) -> Predicate:
    """What the miRNA does when its inhibition does ``predicate`` (an association, a
    modulation or a no-effect stays as it is)."""
    return _OPPOSITE.get(predicate, predicate)
