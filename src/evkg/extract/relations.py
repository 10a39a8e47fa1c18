"""Relation rules over one sentence: trigger words between two mentions, their direction,
passive forms, negation and hedging.

Every rule reads only the sentence text and the spans of the two mentions, so the same
rules score gold-standard entity pairs in the evaluation and recognised mentions in mining.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evkg.extract._clause_regulation import (
    DOWN_VERBS,
    UP_VERBS,
    acted_on_by_target,
    breakdown_follows,
    chained_target,
    continued_regulation,
    in_later_clause,
    regulation_by_means,
)
from evkg.extract._loss_of_function import flipped
from evkg.extract._outcome_wording import (
    benefit_owned,
    lost_benefit_passive,
    masked_outcome_window,
    negated_near,
)
from evkg.extract.ner import MIRNA_PATTERN
from evkg.model import Predicate

__all__ = [
    "PairVerdict",
    "classify_agent_disease",
    "classify_agent_effect",
    "classify_agent_pathway",
    "classify_carries",
    "classify_regulation",
    "inhibited_predicate",
    "is_hedged",
    "is_negated",
    "lost_benefit_after",
    "negated_benefit",
    "structural_regulation",
    "vesicle_binding",
]

_MAX_TOKENS = 14
_MAX_DISEASE_TOKENS = 18
_INSTRUMENT = re.compile(r"\b(?:by|with|after|following|using|through|via)\b", re.I)
#: Where a participial clause continues the subject's action ("…, thereby reducing …").
#: Where a clause continues the agent's own: "thereby …", ", ameliorating …", and a
#: coordinated predicate of the same subject (", and were superior … for the treatment of").
_CONTINUATION = re.compile(
    r"\b(?:thereby|thus|hence|consequently)\b|,\s+(?:and\s+)?\w+ing\b|"
    r",\s+and\s+(?:was|were|is|are)\b",
    re.I,
)

_DOWN = rf"{DOWN_VERBS}|negatively\s+regulat\w*|bind\w*|3'?\s*-?\s*UTR|loss"
_UP = rf"{UP_VERBS}|positively\s+regulat\w*"
_NEUTRAL = (
    r"regulat\w*|modulat\w*|mediat\w*|control\w*|interact\w*|affect\w*|"
    r"(?:inversely|negatively|positively)\s+correlat\w*|depend\w*|axis|via|through"
)
_TRIGGER = re.compile(rf"\b(?:{_DOWN}|{_UP}|{_NEUTRAL})", re.IGNORECASE)
_BINDING = re.compile(r"bind\w*|3'?\s*-?\s*UTR", re.IGNORECASE)
_MIRNA_WORD = re.compile(r"(?:micro[\s-]?RNA|miRNA|miR)s?", re.IGNORECASE)


def _is_mirna(name: str) -> bool:
    """A miRNA's name (``miR-21``) or a miRNA word (``miRNAs``)."""
    return bool(MIRNA_PATTERN.fullmatch(name) or _MIRNA_WORD.fullmatch(name))


_DOWN_RE = re.compile(rf"\b(?:{_DOWN})", re.IGNORECASE)
_UP_RE = re.compile(rf"\b(?:{_UP})", re.IGNORECASE)
_PASSIVE = re.compile(r"\b(?:by|of|for)\b", re.IGNORECASE)
_AXIS = re.compile(r"^\s*(?:[/-]|-mediated\s|\s*and\s)\s*$")
_AXIS_AFTER = re.compile(r"^\s*(?:[/-]\w+)*\s*(?:axis|signal\w*|pathway|loop|feedback)", re.I)
_NEGATION = re.compile(
    r"\b(?:not|no|neither|nor|without|failed\s+to|unable\s+to|lack\s+of|absence\s+of|"
    r"independent(?:ly)?\s+of|unaffected|unchanged|did\s+not|does\s+not|do\s+not|cannot)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:may|might|could|possibly|potential(?:ly)?|suggest\w*|putative|predicted|"
    r"hypothes\w*|likely|appear\w*\s+to|speculat\w*|whether|unknown|unclear)\b",
    re.IGNORECASE,
)

_BENEFIT = re.compile(
    r"\b(?:alleviat\w*|attenuat\w*|ameliorat\w*|improv\w*|protect\w*|cardioprotect\w*|"
    r"neuroprotect\w*|prevent\w*|rescu\w*|"
    r"restor\w*|reliev\w*|mitigat\w*|revers\w*|repair\w*|treat\w*|therap\w*|heal\w*|"
    r"reduc\w*|suppress\w*|inhibit\w*|decreas\w*|lessen\w*|retard\w*|delay\w*|slow\w*|"
    r"relie\w*|benefi\w*|efficac\w*|effective\w*|resolv\w*|abolish\w*|eliminat\w*|"
    r"counteract\w*|combat\w*|regenerat\w*|lower\w*|limit\w*|less\b|milder|smaller|fewer|"
    r"slower|outperform\w*|superior)",
    re.IGNORECASE,
)
_HARM = re.compile(
    r"\b(?:aggravat\w*|exacerbat\w*|worsen\w*|promot\w*|accelerat\w*|enhanc\w*|induc\w*|"
    r"increas\w*|facilitat\w*|contribut\w*|driv\w*|caus\w*|trigger\w*|impair\w*|"
    r"deteriorat\w*|progress\w*|metasta\w*|higher|greater|larger|faster|worse\b|"
    r"more\s+severe)",
    re.IGNORECASE,
)
#: A benefit taken away is harm: "abolished their protection", "reversed the therapeutic
#: effect of the EVs", "lost their ability to attenuate" (the words of a rescue experiment,
#: in which the agent is an inhibitor).
_LOST_BENEFIT = re.compile(
    r"\b(?:abolish|revers|block|eliminat|abrogat|annul|counteract|negat|impair|diminish|attenuat|"
    r"weaken|compromis|prevent|los[est])\w*\s+(?:(?:the|their|its|this|these|of)\s+)*"
    r"(?:(?:[\w-]+\s+){0,2}?(?:protect|cardioprotect|neuroprotect|therapeutic|beneficial|"
    r"benefit|ameliorat|anti-[a-z]+|reparative|restorative|regenerative|improvement|"
    r"inhibit(?=\w*\s+of\b))\w*|"
    r"(?:abilit|capacit|potential|power)\w*\s+(?:of\s+(?:the\s+|their\s+)?[\w-]+\s+)?to\s+\w+)",
    re.IGNORECASE,
)
#: Outcome words without a direction: negated, they say the agent changed nothing ("had no
#: effect on the severity of asthma", "did not change the course of").
_NEUTRAL_OUTCOME = re.compile(
    r"\b(?:effects?|influenc\w*|impact\w*|chang\w*|alter\w*|affect\w*|difference)\b",
    re.IGNORECASE,
)
_GOOD_AFTER_HARM = re.compile(
    r"^\W*(?:\w+\W+){0,4}?(?:recover\w*|repair\w*|regenerat\w*|heal\w*|surviv\w*|function\w*|"
    r"remission|resolution|closure|chemosensitiv\w*|(?:chemo|radio|drug\s+)?sensitivity)",
    re.IGNORECASE,
)
_ASSOCIATION = re.compile(
    r"\b(?:associat\w*|correlat\w*|biomarker\w*|marker\w*|(?:over|under|dys|aberrant(?:ly)?\s+)"
    r"express\w*|(?:up|down)-?regulated\s+in|elevated\s+in|expressed\s+in|diagnos\w*|"
    r"prognos\w*|level\w*\s+(?:in|of))",
    re.IGNORECASE,
)
_CARRY = re.compile(
    r"\b(?:carr\w*|contain\w*|enrich\w*|deliver\w*|transfer\w*|transmit\w*|shuttl\w*|packag\w*|load\w*|"
    r"encapsulat\w*|harbo\w*|secret\w*|derived|exosomal|vesicular|-borne|from|in|"
    r"present\s+(?:in|into|within|on))\b",
    re.IGNORECASE,
)
_CARRY_AMOUNT = re.compile(
    r"^[\s-]*(?:(?:also|were|was|are|is|which|that)\s+)*(?P<verb>contain\w*|carr\w*|harbou?r\w*|"
    r"enriched\s+(?:in|with)|rich\s+in)\s+(?:(?:a|an|the|high|higher|large|larger|substantial|"
    r"abundant|significant|considerable|great|amounts?|quantit(?:y|ies)|levels?|of|rich)\s+)*$",
    re.IGNORECASE,
)
_DELIVERED = re.compile(
    r"\b(?:via|by|through)\s+(?:the\s+)?(?:deliver|transfer|transmi|shuttl)\w*\s+"
    r"(?:of\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_ACTIVATE = re.compile(r"\b(?:activat\w*|promot\w*|enhanc\w*|stimulat\w*|induc\w*|increas\w*)")
_INHIBIT = re.compile(
    r"\b(?:inhibit\w*|suppress\w*|block\w*|attenuat\w*|reduc\w*|decreas\w*|inactivat\w*|"
    r"down-?regulat\w*|repress\w*|prevent\w*|alleviat\w*)"
)
_MODULATE = re.compile(r"\b(?:regulat\w*|modulat\w*|via|through|mediat\w*|by\s+targeting)")


@dataclass(frozen=True, slots=True)
class PairVerdict:
    """What the rules say about two mentions in one sentence."""

    predicate: Predicate
    trigger: str
    negated: bool
    strong: bool  # a trigger right between the two (≤ 5 words), not a looser pattern
    lost_benefit: bool = False  # harm read from a benefit taken away ("abolished the …")


def is_negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


def is_hedged(sentence: str) -> bool:
    return bool(_HEDGE.search(sentence))


def negated_benefit(verdict: PairVerdict) -> bool:
    """Is the verdict a benefit the sentence denies ("failed to protect")? Said of the
    inhibition of a cargo, that is the cargo's benefit shown by its loss."""
    return (
        verdict.predicate == Predicate.NO_EFFECT_ON
        and not verdict.lost_benefit
        and bool(_BENEFIT.fullmatch(verdict.trigger))
    )


def _between(sentence: str, first: tuple[int, int], second: tuple[int, int]) -> tuple[str, bool]:
    """Text between two spans and whether the first span comes first."""
    if first[0] <= second[0]:
        return sentence[first[1] : second[0]], True
    return sentence[second[1] : first[0]], False


def _direction(text: str) -> Predicate:
    """The direction word nearest the end of ``text`` wins (closest to the target)."""
    last_down = max((m.end() for m in _DOWN_RE.finditer(text)), default=-1)
    last_up = max((m.end() for m in _UP_RE.finditer(text)), default=-1)
    return Predicate.REGULATES_UP if last_up > last_down else Predicate.REGULATES_DOWN


def structural_regulation(
    sentence: str, agent: tuple[int, int], target: tuple[int, int]
) -> PairVerdict | None:
    """Regulation read from sentence structure alone (:mod:`evkg.extract._clause_regulation`):
    a target later in a slash chain the agent heads, the agent named as the means after
    the target, or a target of a coordinated verb phrase of which the agent is the subject.
    """
    if chained_target(sentence, agent, target):
        return PairVerdict(Predicate.REGULATES_DOWN, "axis", False, True)
    means = regulation_by_means(sentence, agent, target)
    if means is not None:
        window = sentence[max(0, min(agent[0], target[0]) - 25) : max(agent[1], target[1])]
        return PairVerdict(means[0], means[1], is_negated(window), True)
    continued = continued_regulation(sentence, agent, target)
    if continued is not None:
        return PairVerdict(continued[0], continued[1], False, False)
    return None


#: "the expression of <agent>": ``of`` that belongs to the agent's own noun phrase.
_OF_AGENT = re.compile(
    r"(?:express\w*|levels?|production|abundance|secretion|release)\s+$", re.IGNORECASE
)


def _passive(between: str, strict: bool) -> bool:
    """Does the text between a target and a later agent make the agent the actor
    (``TRAF6 was suppressed by miR-146a``, ``regulation of PKM2 by miR-326``)? Strictly,
    not an ``of`` of the agent's own expression (``IL-1β, which upregulated the expression
    of miR-146a``)."""
    for found in _PASSIVE.finditer(between):
        if not strict or found.group(0).lower() == "by":
            return True
        if not _OF_AGENT.search(between[: found.start()]):
            return True
    return False


def classify_regulation(
    sentence: str,
    agent: tuple[int, int],
    target: tuple[int, int],
    *,
    between_entities: int = 0,
    structural: bool = True,
) -> PairVerdict | None:
    """Does the agent (a miRNA or other cargo) regulate the gene at ``target``, and which way?

    With ``structural`` (the default, as mining reads) the sentence structure counts as
    well (:func:`structural_regulation`), a target acting on the agent (``miR-135b,
    stimulated by TGF-β1``) is no relation of the agent's, and raising a target's
    breakdown lowers it; without it only trigger words do (the learned classifier's
    features keep that reading)."""
    between = _between(sentence, agent, target)[0]
    if _AXIS.match(between) and (
        _AXIS_AFTER.match(sentence[max(agent[1], target[1]) :]) or "mediated" in between
    ):
        return PairVerdict(Predicate.REGULATES_DOWN, "axis", False, True)
    if structural:
        if acted_on_by_target(sentence, agent, target) or in_later_clause(sentence, agent, target):
            return None
        # "lowered SOCS1 by upregulating miR-155": the verb on SOCS1, not the one on the
        # miRNA; "X …, reduced elevated IL-1β": the phrase's verb, not the participle
        if regulation_by_means(sentence, agent, target) or continued_regulation(
            sentence, agent, target
        ):
            return structural_regulation(sentence, agent, target)
        verdict = _trigger_regulation(
            sentence, agent, target, between_entities=between_entities, strict=True
        )
        return verdict or structural_regulation(sentence, agent, target)
    return _trigger_regulation(
        sentence, agent, target, between_entities=between_entities, strict=False
    )


def _trigger_regulation(
    sentence: str,
    agent: tuple[int, int],
    target: tuple[int, int],
    *,
    between_entities: int,
    strict: bool,
) -> PairVerdict | None:
    """Regulation by a trigger word between the two (or right after the target)."""
    between, forward = _between(sentence, agent, target)
    tokens = between.split()
    after_target = sentence[target[1] : target[1] + 60]
    if len(tokens) > _MAX_TOKENS or between_entities > 3:
        return None
    triggers = list(_TRIGGER.finditer(between))
    if strict and not _is_mirna(sentence[agent[0] : agent[1]]):
        # a protein binding its ligand or receptor ("CXCR4 binds CXCL12") regulates neither
        triggers = [t for t in triggers if not _BINDING.fullmatch(t.group(0))]
    if not triggers:
        # "miR-21 … PTEN downregulation": the trigger follows the target
        tail = re.match(
            r"^\W{0,3}(?:\w+\W+)?(\w*regulat\w*|suppression|repression|"
            r"inhibition|silencing|expression)",
            after_target,
            re.I,
        )
        if forward and tail and len(tokens) <= 4 and "expression" not in tail.group(1).lower():
            return PairVerdict(_direction(tail.group(1)), tail.group(1), is_negated(between), True)
        return None
    if not forward and not _passive(between, strict) and not re.search(r"\btarget", between, re.I):
        return None
    trigger = triggers[-1].group(0) if forward else triggers[0].group(0)
    negated = is_negated(between) or is_negated(
        sentence[max(0, min(agent[0], target[0]) - 25) : min(agent[0], target[0])]
    )
    predicate = _direction(between if forward else triggers[0].group(0))
    if strict and forward and breakdown_follows(after_target):
        predicate = Predicate.REGULATES_DOWN  # "promotes YAP degradation"
    return PairVerdict(predicate, trigger, negated, len(tokens) <= 5)


def classify_agent_disease(
    sentence: str,
    agent: tuple[int, int],
    disease: tuple[int, int],
    *,
    mirna: bool = False,
    chain: bool = False,
    vesicle: bool = False,
) -> PairVerdict | None:
    """Does the agent (EV or cargo) treat, worsen or leave unchanged the disease?

    Beyond 18 words, a disease still counts in a clause that continues the agent's own
    (``miR-X reduces A by targeting B…, thus ameliorating C … in RA``): the window is then
    that clause, at most 12 words. Callers pass ``chain=False`` when another agent is named
    in between (it would be the clause's subject).

    Wording that describes the disease rather than the agent's action is read as such
    (:mod:`evkg.extract._outcome_wording`): ``attenuated LPS-induced lung injury`` treats.
    A benefit taken away (``abolished their protection``) is harm done by the agent that
    takes it away; of ``vesicle`` agents (``vesicle=True``) it is their own benefit, so the
    vesicles treat: "knockdown of miR-X abolished the protection of the EVs" shows miR-X
    necessary and leaves the plain EVs beneficial.
    """
    between, forward = _between(sentence, agent, disease)
    if len(between.split()) > _MAX_DISEASE_TOKENS:
        continued = list(_CONTINUATION.finditer(between)) if forward and chain else []
        if not continued or len(between[continued[-1].start() :].split()) > 12:
            return None
        between = between[continued[-1].start() :]
    if not forward and not _INSTRUMENT.search(between):
        window = ""
    elif not forward:
        # "EVs attenuate DISEASE through miR-182": the verb before the disease, in its clause
        before = sentence[: disease[0]]
        start = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
        window = " ".join(before[start:].split()[-6:]) + " " + between
        passive = lost_benefit_passive(before[start:] + between)
        if passive is not None:  # "the protection … was abolished by <agent>"
            return _lost(passive.group(0), vesicle, len(between.split()) <= 6)
    else:
        window = between
    window = masked_outcome_window(window)
    benefit = list(_BENEFIT.finditer(window))
    harm = list(_HARM.finditer(window))
    lost = list(_LOST_BENEFIT.finditer(window))
    if lost:  # the benefit words inside a lost benefit count as its harm
        benefit = [b for b in benefit if not any(m.start() <= b.start() < m.end() for m in lost)]
        harm = sorted(harm + lost, key=lambda m: m.end())
    if forward and not benefit and not harm:
        owned = benefit_owned(sentence[: agent[0]])
        if owned is not None and len(between.split()) <= 6:  # "the protection of <agent> in"
            return PairVerdict(Predicate.TREATS, owned.strip(), False, True)
    if benefit or harm:
        last_benefit = benefit[-1].end() if benefit else -1
        last_harm = harm[-1].end() if harm else -1
        beneficial = last_benefit >= last_harm
        # "promoted (skin wound) healing": the good thing may follow the disease's name
        if not beneficial and _GOOD_AFTER_HARM.match(
            window[last_harm:] + " " + sentence[disease[0] : disease[1] + 30]
        ):
            beneficial = True
        chosen = benefit[-1] if beneficial and benefit else harm[-1]
        if forward and _WHOSE.search(window[: chosen.start()]):
            return None  # "miR-X targeted PTEN, whose upregulation reversed …": PTEN's doing
        if not beneficial and _PROCESS_IN_SETTING.match(window[chosen.start() :]):
            return None  # "promotes M2 polarization in SCI": what it promotes, not the SCI
        trigger = chosen.group(0)
        if negated_near(window, chosen.start()):
            return PairVerdict(Predicate.NO_EFFECT_ON, trigger, True, False)
        if not beneficial and lost and chosen is lost[-1]:
            return _lost(trigger, vesicle, len(between.split()) <= 6)
        predicate = Predicate.TREATS if beneficial else Predicate.WORSENS
        return PairVerdict(predicate, trigger, False, len(between.split()) <= 6)
    neutral = list(_NEUTRAL_OUTCOME.finditer(window))
    if neutral and negated_near(window, neutral[-1].start()):  # "had no effect on"
        return PairVerdict(Predicate.NO_EFFECT_ON, neutral[-1].group(0), True, False)
    if mirna:
        association = _ASSOCIATION.search(between) or _ASSOCIATION.search(
            sentence[max(agent[1], disease[1]) : max(agent[1], disease[1]) + 40]
        )
        if association and len(between.split()) <= 10:
            return PairVerdict(
                Predicate.ASSOCIATED_WITH, association.group(0), is_negated(between), False
            )
    return None


#: A generic increase of something named before the disease, which is only its setting
#: ("promotes M2 macrophage polarization in spinal cord injury"): no direction for it.
_PROCESS_IN_SETTING = re.compile(
    r"(?:promot|enhanc|induc|increas|facilitat)\w*\s+(?:[\w-]+\s+){1,4}?in\s+"
    r"(?:the\s+)?(?:(?:rats?|mice|mouse|patients?|models?)\s+(?:with|of)\s+)?$",
    re.IGNORECASE,
)
#: A relative clause of another noun: what follows is said of that noun, not of the agent.
_WHOSE = re.compile(r",\s*whose\b", re.IGNORECASE)


def lost_benefit_after(text: str) -> str | None:
    """The benefit ``text`` says was taken away ("abrogated the protective effects of"),
    when it follows within a clause."""
    found = _LOST_BENEFIT.search(text[:120])
    return found.group(0) if found else None


def _lost(trigger: str, vesicle: bool, strong: bool) -> PairVerdict:
    """A benefit taken away: harm done by the agent, or the vesicles' own benefit."""
    predicate = Predicate.TREATS if vesicle else Predicate.WORSENS
    return PairVerdict(predicate, trigger, False, strong, lost_benefit=True)


def classify_agent_pathway(
    sentence: str, agent: tuple[int, int], pathway: tuple[int, int]
) -> PairVerdict | None:
    """Does the agent inhibit, activate or modulate the pathway or process?"""
    between, forward = _between(sentence, agent, pathway)
    if not forward or len(between.split()) > 12:
        return None
    negated = is_negated(between)
    last = {
        Predicate.INHIBITS: max((m.end() for m in _INHIBIT.finditer(between)), default=-1),
        Predicate.ACTIVATES: max((m.end() for m in _ACTIVATE.finditer(between)), default=-1),
        Predicate.MODULATES: max((m.end() for m in _MODULATE.finditer(between)), default=-1),
    }
    predicate, position = max(last.items(), key=lambda item: item[1])
    if position < 0:
        return None
    lost = _LOST_BENEFIT.search(between)
    if lost is not None and lost.end() < position:
        # "abrogated the protective effects of the EVs in attenuating fission": the agent
        # takes the attenuation away, so it acts the other way
        return PairVerdict(
            flipped(predicate), between[:position].split()[-1], negated, False, lost_benefit=True
        )
    return PairVerdict(
        predicate, between[:position].split()[-1], negated, len(between.split()) <= 5
    )


def classify_carries(
    sentence: str, vesicle: tuple[int, int], cargo: tuple[int, int]
) -> PairVerdict | None:
    """Do the EVs carry the cargo (``EVs carrying miR-X``, ``exosomal miR-X``,
    ``miR-X in EVs``)?"""
    between, forward = _between(sentence, vesicle, cargo)
    if len(between.split()) > 4:
        # "exosomes protect against liver fibrosis via delivering miR-148a"
        delivered = forward and len(between.split()) <= 12 and _DELIVERED.search(between)
        if delivered and not _CLAUSE_END.search(between):
            return PairVerdict(Predicate.CARRIES, delivered.group(0).split()[-1], False, True)
        # "MVs also contained a substantial quantity of Ang-1 mRNA"
        amount = forward and len(between.split()) <= 8 and _CARRY_AMOUNT.match(between)
        if amount:
            return PairVerdict(Predicate.CARRIES, amount.group("verb"), False, True)
        return None
    stripped = between.strip(" -")
    found = _CARRY.search(between)
    if not stripped or found:
        trigger = found.group(0) if found else "adjacent"
        return PairVerdict(Predicate.CARRIES, trigger, is_negated(between), True)
    return None


#: Outcome words that attribute a therapeutic effect on their own, without a named disease
#: in the clause ("attenuated apoptosis" is not enough, "ameliorated" or "repair" is).
_THERAPEUTIC = re.compile(
    r"\b(?:alleviat\w*|ameliorat\w*|improv\w*|protect\w*|cardioprotect\w*|"
    r"neuroprotect\w*|prevent\w*|rescu\w*|restor\w*|reliev\w*|relie\w*|mitigat\w*|revers\w*|"
    r"repair\w*|treat\w*|therap\w*|heal\w*|benefi\w*|regenerat\w*|recover\w*)",
    re.IGNORECASE,
)
_INSTRUMENT_BEFORE = re.compile(
    r"\b(?:by|via|through|with|using|of)\s+(?:\w+\s+){0,2}$", re.IGNORECASE
)
_CLAUSE_END = re.compile(r"[;:]|\.\s|\bwhereas\b|\bwhile\b|\bbut\b", re.IGNORECASE)


def classify_agent_effect(sentence: str, agent: tuple[int, int]) -> PairVerdict | None:
    """Does the agent have a therapeutic effect in this sentence, the disease left unnamed
    (a review's statement under a disease heading, or about a cited study)?
    "Attenuated apoptosis" is not a therapeutic effect on its own.

    Only explicit therapeutic wording counts (``ameliorates``, ``protects``, ``repair``),
    in the agent's clause: after the agent as its subject (at most 15 words on), or, for an
    agent named as the means (``by delivering miR-X``), anywhere before it in the clause.
    Negated effects give ``no_effect_on``; harmful wording gives nothing (too uncertain
    without the disease).

    >>> verdict = classify_agent_effect("GDF-15 EVs attenuated apoptosis, improved repair.", (0, 6))
    >>> verdict.predicate.value, verdict.trigger
    ('treats', 'improved')
    >>> classify_agent_effect("miR-9 levels rose in serum.", (0, 5)) is None
    True
    """
    after = sentence[agent[1] :]
    end = _CLAUSE_END.search(after)
    window = " ".join((after[: end.start()] if end else after).split()[:15])
    before = sentence[: agent[0]]
    if _INSTRUMENT_BEFORE.search(before):
        start = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
        window = before[start:] + " " + window
    found = list(_THERAPEUTIC.finditer(window))
    if not found:
        return None
    negated = bool(_NEGATION.search(window[: found[-1].start()]))
    predicate = Predicate.NO_EFFECT_ON if negated else Predicate.TREATS
    return PairVerdict(predicate, found[0].group(0), negated, False)


_BINDS_BEFORE_VESICLE = re.compile(
    r"^[\s-]*(?:@|(?:highly\s+)?(?:containing|enriched|loaded|rich|carrying|bearing|"
    r"overexpressing|expressing|positive|bound|engineered|modified)|"
    r"overexpress\w*\s+(?:by|in)|(?:carried|delivered|transferred)\s+by|"
    r"(?:contained|present|packaged|encapsulated)\s+(?:with)?in(?:to)?(?:\s+the)?|"
    r"(?:in|from)(?:\s+the)?)?[\s-]*(?:derived\s+)?"
    r"(?:(?:human|rat|mouse|murine|canine|feline|porcine|bovine)\s+)?[\s-]*$",
    re.IGNORECASE,
)
_BINDS_AFTER_VESICLE = re.compile(
    r"^[\s,(-]*(?:(?:highly|significantly|that|which|also|were|was|are|is)\s+){0,2}"
    r"(?:carry|carries|carried|carrying|contain\w*|enriched\s+(?:with|for|in)|"
    r"loaded\s+with|possess\w*|harbou?r\w*|bearing|deliver\w*|overexpress\w*|with)"
    r"\s+(?:[\w-]+[\s,]+){0,6}$",
    re.IGNORECASE,
)
_ADJACENT_TO_VESICLE = re.compile(r"^[\s-]*(?:antigen|protein|cargo)?\s*$", re.IGNORECASE)
_VERBISH = re.compile(rf"\b(?:{_DOWN}|{_UP})|\b(?:is|are|was|were)\b", re.IGNORECASE)


def vesicle_binding(sentence: str, vesicle: tuple[int, int], cargo: tuple[int, int]) -> bool:
    """Is the cargo part of the vesicle's noun phrase (``GDF-15-containing EVs``,
    ``EVs enriched with VEGF``, ``MSC-EV antigen CD73``), so that what the vesicles do is
    credited to it? Words between the two that belong to an EV source name must be removed
    by the caller.

    >>> text = "GDF-15-containing EVs rose; EVs enriched with VEGF protein; EVs inhibit CD73"
    >>> vesicle_binding(text, (18, 21), (0, 6)), vesicle_binding(text, (28, 31), (46, 50))
    (True, True)
    >>> vesicle_binding(text, (60, 63), (72, 76))
    False
    """
    if cargo[1] <= vesicle[0]:
        between = sentence[cargo[1] : vesicle[0]]
        return bool(_BINDS_BEFORE_VESICLE.match(between))
    between = sentence[vesicle[1] : cargo[0]]
    if _ADJACENT_TO_VESICLE.match(between):
        return True
    if not _BINDS_AFTER_VESICLE.match(between):
        return False
    return not any(_VERBISH.fullmatch(w.strip(",()")) for w in between.split()[1:])


def inhibited_predicate(verdict: PairVerdict) -> Predicate:
    """What a cargo does when its inhibition gets ``verdict``: the opposite, except that a
    benefit the inhibition denies ("EVs lacking miR-124 failed to protect") or takes from
    the vesicles (their protection, lost with it) is the cargo's own benefit."""
    if negated_benefit(verdict) or (verdict.lost_benefit and verdict.predicate == Predicate.TREATS):
        return Predicate.TREATS
    return flipped(verdict.predicate)
