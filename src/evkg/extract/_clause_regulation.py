"""Regulation stated through sentence structure rather than a verb between the two names:

- the agent named as the means (``EVs reduce IRAK1 expression by upregulating miR-146b``,
  ``MSCs target MECP2 via miR-22-rich EVs``): the verb before the target is the agent's;
- a miRNA-headed slash chain (``miR-369-3p/YAF2/PDCD5``): the miRNA's targets;
- a coordinated clause that continues the agent's own (``X interacted with miR-497-5p …,
  reduced IL-1β, IL-6 and TNF-α levels``): the agent is the subject of every verb;
- a passive participle right before the target (``miR-135b, stimulated by TGF-β1``): the
  target acts on the agent, not the reverse.

Each function reads the sentence and the two spans only, and returns the direction and the
trigger word, or None.
"""

from __future__ import annotations

import re

from evkg.model import Predicate

__all__ = [
    "DOWN_VERBS",
    "UP_VERBS",
    "acted_on_by_target",
    "breakdown_follows",
    "chained_target",
    "continued_regulation",
    "in_later_clause",
    "regulation_by_means",
    "verb_direction",
]

Span = tuple[int, int]

#: Verbs that lower or raise what they act on (``relations`` adds the non-verbal triggers).
DOWN_VERBS = (
    r"down-?regulat\w*|suppress\w*|inhibit\w*|repress\w*|silenc\w*|decreas\w*|reduc\w*|"
    r"attenuat\w*|knock\w*\s*down|degrad\w*|block\w*|abrogat\w*|diminish\w*|lower\w*|"
    r"target\w*"
)
UP_VERBS = (
    r"up-?regulat\w*|increas\w*|enhanc\w*|promot\w*|activat\w*|induc\w*|elevat\w*|"
    r"stimulat\w*|augment\w*|restor\w*|rais\w*"
)
_DOWN = re.compile(rf"\b(?:{DOWN_VERBS})", re.IGNORECASE)
_UP = re.compile(rf"\b(?:{UP_VERBS})", re.IGNORECASE)
#: "promote YAP ubiquitination and degradation": raising the target's breakdown lowers it.
_BREAKDOWN_AFTER = re.compile(
    r"^\s*(?:protein\s+)?(?:ubiquitination|degradation|breakdown|turnover|cleavage)\b", re.I
)
#: Words that may stand between a verb and its object ("reduce the expression of").
_OBJECT_LEAD = re.compile(
    r"(?P<verb>\b[\w-]+)\s+(?:(?:the|its|their|gene|protein|mRNA|expression|levels?|"
    r"activity|production|secretion|release|of|significantly|upregulated|elevated|"
    r"increased)\s+){0,4}$",
    re.IGNORECASE,
)
#: "… by upregulating miR-146b", "… via (the) miR-22", "… through delivering miR-X".
_MEANS_BEFORE_AGENT = re.compile(
    r"\b(?:by|via|through)\s+(?:(?:\w+ing|the|exosomal|vesicular|EV|EVs|delivery\s+of|"
    r"transfer\s+of)\s+){0,2}$",
    re.IGNORECASE,
)
#: "… the Wee1 3'-UTR was performed by miR array": the means belongs to another predicate.
_OTHER_PREDICATE = re.compile(r"\b(?:is|are|was|were|been|be|being)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:]|\.\s|\bwhereas\b|\bwhile\b|\bbut\b|\bwhich\b", re.I)
_MAX_MEANS_WORDS = 12
#: Members of a slash chain after the first: names without clause punctuation (at most two
#: words, "NF-κB p65").
_CHAIN = re.compile(r"^(?:\s*/\s*[^\s/,;.()]+(?:\s[^\s/,;.()]+)?)*\s*/\s*$")
#: ", (and) (significantly) reduced …", "… and increased …": a coordinated verb phrase
#: sharing the subject.
_COORDINATED_VERB = re.compile(
    r"(?:,\s+(?:and\s+)?|\s+and\s+)(?:\w+ly\s+)?(?P<verb>[a-z]+ed)\b(?!\s+by\b)"
)
#: Words after a mention up to its verb: "-enriched MSC-derived EVs modulated".
_NEXT_WORD = re.compile(r"[\s-]*(?P<word>[^\s,;:()\[\]-]+)")
_NOT_SUBJECT = frozenset(
    ["to", "with", "by", "of", "in", "for", "and", "or", "from", "into", "on", "at", "via",
     "through", "that", "which", "was", "were", "is", "are"]
)  # fmt: skip
_PRESENT_VERB = re.compile(
    r"(?:inhibit|suppress|reduce|decrease|target|regulate|downregulate|upregulate|promote|"
    r"increase|enhance|activate|induce|attenuate|repress|block|restore|alleviate|"
    r"ameliorate|improve|protect|interact|bind|mitigate|prevent)e?s",
    re.IGNORECASE,
)
_PARTICIPLES = frozenset(
    ["derived", "based", "mediated", "induced", "loaded", "enriched", "treated", "related",
     "associated", "isolated", "primed", "engineered", "modified", "upregulated",
     "downregulated", "elevated", "increased", "decreased", "reduced", "expressed"]
)  # fmt: skip
_MAX_CONTINUED_WORDS = 45
#: ", stimulated by", "induced by": the mention after ``by`` is the actor.
_PASSIVE_PARTICIPLE_BEFORE = re.compile(
    r"^\s*,?\s*(?:\w+ly\s+)?[a-z]+(?:ed|en)\s+by\s+(?:the\s+)?$", re.I
)


def _is_subject(sentence: str, agent: Span) -> bool:
    """Is the agent (or the noun phrase it heads, ``ovalbumin-enriched MSC-derived EVs``)
    the subject of a verb: a past-tense or present regulation verb within five words, no
    preposition, ``to`` or clause punctuation before it?"""
    position = agent[1]
    for _ in range(5):
        found = _NEXT_WORD.match(sentence, position)
        if found is None or sentence[position : found.start("word")].strip(" -"):
            return False  # punctuation between
        word = found["word"].lower()
        if word in _NOT_SUBJECT:
            return False
        if (word.endswith("ed") and word not in _PARTICIPLES) or _PRESENT_VERB.fullmatch(word):
            return not sentence[found.end() : found.end() + 8].lstrip().lower().startswith("by ")
        position = found.end()
    return False


def breakdown_follows(after_target: str) -> bool:
    """Is the target named as the thing broken down (``YAP ubiquitination and
    degradation``), so that raising it lowers the target?"""
    return _BREAKDOWN_AFTER.match(after_target) is not None


#: "<target>, which upregulated the expression of (anti-inflammatory) <agent>".
_ACTS_ON_AGENT = re.compile(
    r"^\s*,?\s*(?:(?:which|that)\s+)?(?:\w+ly\s+)?[a-z]+(?:ed|es)\s+(?:the\s+)?"
    r"(?:expression|levels?|production|release|secretion|transcription)\s+of\s+"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


def verb_direction(verb: str, after_target: str = "") -> Predicate:
    """Direction of one verb (``reduced``, ``upregulating``); raising the target's
    breakdown (``promote YAP degradation``) lowers it."""
    down = _DOWN.search(verb) is not None
    up = _UP.search(verb) is not None and not down
    if up and _BREAKDOWN_AFTER.match(after_target):
        return Predicate.REGULATES_DOWN
    return Predicate.REGULATES_UP if up else Predicate.REGULATES_DOWN


def _governing_verb(text_before_target: str) -> str | None:
    """The regulation verb whose object the target is (``reduce`` in ``reduce the
    expression of``), or None."""
    lead = _OBJECT_LEAD.search(text_before_target)
    if lead is None:
        return None
    verb = lead["verb"]
    return verb if _DOWN.fullmatch(verb) or _UP.fullmatch(verb) else None


def regulation_by_means(sentence: str, agent: Span, target: Span) -> tuple[Predicate, str] | None:
    """The agent named as the means after the target: ``EVs reduce IRAK1 expression …
    by upregulating miR-146b``, ``target MECP2 via miR-22-rich EVs``, ``upregulating
    survivin expression via the miR-199a-3p…``. The verb governing the target, in the same
    clause, gives the direction."""
    if target[1] > agent[0]:
        return None
    between = sentence[target[1] : agent[0]]
    if len(between.split()) > _MAX_MEANS_WORDS or _CLAUSE_BREAK.search(between):
        return None
    if _MEANS_BEFORE_AGENT.search(between) is None or _OTHER_PREDICATE.search(between):
        return None
    verb = _governing_verb(sentence[max(0, target[0] - 80) : target[0]])
    if verb is None:
        return None
    return verb_direction(verb, sentence[target[1] : target[1] + 40]), verb


def chained_target(sentence: str, agent: Span, target: Span) -> bool:
    """Is the target a later member of a slash chain the agent heads
    (``miR-369-3p/YAF2/PDCD5/p53``)?"""
    return agent[1] <= target[0] and _CHAIN.match(sentence[agent[1] : target[0]]) is not None


def continued_regulation(sentence: str, agent: Span, target: Span) -> tuple[Predicate, str] | None:
    """The agent, the subject of its clause (a past-tense verb follows it), regulates a
    target named in a later coordinated verb phrase: ``X interacted with miR-497-5p to
    upregulate MG53, …, reduced upregulated IL-1β, IL-6, and TNF-α levels`` gives X
    reduces IL-1β, IL-6 and TNF-α. The verb is the phrase's own, not a participle
    describing the target (``upregulated IL-1β``)."""
    if agent[1] > target[0] or not _is_subject(sentence, agent):
        return None
    between = sentence[agent[1] : target[0]]
    if len(between.split()) > _MAX_CONTINUED_WORDS or _CLAUSE_BREAK.search(between):
        return None
    verbs = [
        m
        for m in _COORDINATED_VERB.finditer(between)
        if _DOWN.fullmatch(m["verb"]) or _UP.fullmatch(m["verb"])
    ]
    if not verbs or len(between[verbs[-1].end() :].split()) > 8:
        return None
    verb = verbs[-1]["verb"]
    return verb_direction(verb, sentence[target[1] : target[1] + 40]), verb


#: A relative clause on a name after the agent: "… decreased IRAK1, which inhibited …".
_RELATIVE_ON_OTHER = re.compile(
    r"\S\s+(?:[\w/αβγδκ-]*[A-Z0-9][\w/αβγδκ-]*)\s*,\s*(?:which|that)\s+(?:in\s+turn\s+)?"
    r"(?!is\b|are\b|was\b|were\b)\w+"
)


def in_later_clause(sentence: str, agent: Span, target: Span) -> bool:
    """Is the target in a later clause whose subject is not the agent: a coordinated verb
    phrase (``X interacted with miR-497-5p to upregulate MG53, …, reduced IL-1β``: X
    reduced IL-1β, not miR-497-5p; the agent is then an object in the first phrase), or a
    relative clause on a name after the agent (``miR-146a-5p decreased IRAK1, which
    inhibited NF-κB p65``: IRAK1 acts on p65)?"""
    if agent[1] > target[0]:
        return False
    between = sentence[agent[1] : target[0]]
    if ("which" in between or "that" in between) and _RELATIVE_ON_OTHER.search(between):
        return True
    if _is_subject(sentence, agent):
        return False
    if _CLAUSE_BREAK.search(between):
        return False
    later = next(
        (
            m
            for m in _COORDINATED_VERB.finditer(between)
            if m.group(0).startswith(",")
            and (_DOWN.fullmatch(m["verb"]) or _UP.fullmatch(m["verb"]))
        ),
        None,
    )
    # the agent's own phrase has a verb of its own ("… to upregulate MG53, …, reduced"),
    # unlike an apposition ("miR-122, a liver-specific miRNA, reduced …")
    first = between[: later.start()] if later else ""
    return bool(later) and bool(_DOWN.search(first) or _UP.search(first))


def acted_on_by_target(sentence: str, agent: Span, target: Span) -> bool:
    """Is the target the actor on the agent: the agent of a passive participle
    (``miR-135b, stimulated by TGF-β1``) or the subject of a verb on the agent's expression
    (``IL-1β, which upregulated the expression of miR-146a``)?"""
    if agent[1] <= target[0]:
        return bool(_PASSIVE_PARTICIPLE_BEFORE.match(sentence[agent[1] : target[0]]))
    return bool(_ACTS_ON_AGENT.match(sentence[target[1] : agent[0]]))
