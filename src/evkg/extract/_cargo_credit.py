"""A cargo credited with what the vesicles do for the document's disease.

A study shows a cargo to carry the vesicles' effect in sentences that name no disease:
"knockdown of miR-183-5p abrogated the protective effects of the exosomes", "miR-21-5p
contributes to exosome-mediated heart repair", "restoring miR-21-5p expression rescued their
reparative function", "EVs loaded with miR-101a decreased infarct size". A curator records
that cargo against the disease the vesicles were shown to treat (or worsen) in the same
paper; mining does the same, quoting the sentence that credits the cargo and naming in the
evidence note where the disease and direction came from.

Only a cargo the paper shows inside the vesicles counts (a ``carries`` finding, or vesicles
named in the crediting sentence's own phrase), so a recipient-cell mediator ("Nrf2 mediates
the protection of MSC-EVs") is never credited.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from evkg.extract._loss_of_function import inhibited_span
from evkg.extract._roles import recipient_mediators
from evkg.extract.ner import EV, Mention
from evkg.extract.relations import PairVerdict, is_hedged, lost_benefit_after
from evkg.model import Claim, EntityKind, Evidence, Predicate

__all__ = ["CargoCredit", "CreditedCargo", "cargo_credit", "credited_cargo", "document_outcome"]

_VESICLE_WORD = r"(?:exosom\w*|vesic\w*|EVs?|sEVs?|[Ee]xos?|nanovesicles?|secretome)"
_BENEFIT_NOUN = (
    r"(?:effects?|efficacy|protection|benefits?|functions?|actions?|potential|capacity|"
    r"abilit(?:y|ies)|repair|regeneration|healing|recovery)"
)
#: "miR-X (partly) mediates / contributes to / is required for / plays a key role in …"
_MEDIATES = re.compile(
    r"^\W{0,3}(?:(?:is|was|are|were|which|that)\s+)?(?:(?:partly|partially|largely|mainly|"
    r"primarily|at\s+least\s+in\s+part|in\s+part)\s+)?"
    r"(?:mediat\w*|contribut\w*\s+to|underl\w*|"
    r"(?:is|was|are|were)\s+(?:required|essential|necessary|responsible|critical|crucial)\s+for|"
    r"play\w*\s+an?\s+(?:\w+\s+){0,2}?role\s+in|"
    r"(?:is|was)\s+(?:one\s+of\s+)?the\s+(?:key|main|major|critical|crucial|principal)\s+"
    r"(?:molecules?|mediators?|factors?|components?|effectors?))\b",
    re.IGNORECASE,
)
#: what a mediating cargo is said to carry: the vesicles' effect, or a benefit of theirs
_VESICLE_EFFECT = re.compile(
    rf"{_VESICLE_WORD}|\b(?:therapeutic|protective|beneficial|reparative|regenerative|"
    rf"cardioprotective|neuroprotective|renoprotective|hepatoprotective)\s+{_BENEFIT_NOUN}",
    re.IGNORECASE,
)
#: "restoring / overexpression of / loaded with (the) miR-X …" and "miR-X-loaded …" (not
#: "enriched in", which is what the vesicles carry of themselves)
_GAIN_BEFORE = re.compile(
    r"\b(?:restor\w*|overexpress\w*|over-express\w*|upregulat\w*|load\w*|"
    r"transfect\w*|engineer\w*)\s+(?:(?:of|with|in)\s+)?(?:the\s+)?(?:exosomal\s+)?$",
    re.IGNORECASE,
)
_GAIN_AFTER = re.compile(
    r"^[\s-]*(?:expression\s+)?(?:-?loaded|-?overexpress\w*|-?modified|"
    r"-?transfected|-?engineered)\b",
    re.IGNORECASE,
)
#: "… rescued / enhanced / further improved (the) (reparative) function / effects"
_GAIN_EFFECT = re.compile(
    rf"\b(?:rescu|restor|enhanc|augment|potentiat|strengthen|amplif|improv|boost)\w*\s+"
    rf"(?:(?:the|their|its|this|these)\s+)?(?:[\w'’-]+\s+){{0,3}}?{_BENEFIT_NOUN}\b",
    re.IGNORECASE,
)
#: "via / through transferring (exosomal) miR-X", "(partly) mediated by Ang-1 mRNA"
_CARRIED_BEFORE = re.compile(
    r"\b(?:(?:via|through|by)\s+(?:the\s+)?(?:transfer\w*|deliver\w*|shuttl\w*|transport\w*|"
    r"releas\w*)\s+(?:of\s+)?|(?:(?:partly|partially|largely|mainly|in\s+part)\s+)?"
    r"mediated\s+by\s+)(?:the\s+)?(?:exosomal\s+|vesicular\s+|EV-derived\s+)?$",
    re.IGNORECASE,
)
#: "blunting / suppressing (the) miR-X", "shRNA interfering miR-X"
_LOSS_BEFORE = re.compile(
    r"\b(?:(?:blunt|suppress|downregulat|silenc|inhibit)\w*|"
    r"(?:sh|si)RNAs?\s+(?:interfering(?:\s+with)?|against|targeting|for))\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: "KGF siRNA(-pretreatment)", "Ang-1 shRNA"
_SILENCED_AFTER = re.compile(r"^[\s-]*(?:mRNA\s+)?(?:si|sh)RNAs?\b(?:[\s-]+pretreat\w*)?", re.I)
#: a benefit the vesicles then lack: "exerted no protective effect", "failed to protect"
_NO_BENEFIT = re.compile(
    r"\b(?:no|little|lost\s+(?:their|its|the))\s+(?:\w+\s+){0,2}?(?:protective|therapeutic|"
    r"beneficial|reparative)\s+(?:effects?|efficacy|roles?|functions?)|"
    r"\bfailed\s+to\s+(?:protect|improve|attenuate|alleviate|ameliorate|reduce|rescue)\w*",
    re.IGNORECASE,
)
#: the lost cargo is the source cells' own: "… (pretreatment) of MSCs", "… in BMSCs"
_OF_SOURCE_CELLS = re.compile(
    r"^\W{0,3}(?:[\w-]+\s+)??(?:of|in)\s+(?:the\s+)?(?:human\s+)?[\w-]*(?:MSCs?|"
    r"stem\s+cells?|stromal\s+cells?)\b",
    re.IGNORECASE,
)
_TRAILING_INFERENCE = re.compile(r",\s+(?:suggesting|indicating|implying)\b", re.IGNORECASE)
_OUTCOMES = (Predicate.TREATS, Predicate.WORSENS)
_GENE = EntityKind.GENE.value
_CARGO_KINDS = frozenset({EntityKind.MIRNA.value, EntityKind.CARGO.value, EntityKind.GENE.value})
#: vesicles of cells that lack a cargo say what the cargo does, not what the vesicles do
_LOSS_MODIFICATIONS = frozenset({"evkg.mod:gene-knockdown"})


@dataclass(frozen=True, slots=True)
class CargoCredit:
    """Why a sentence credits a cargo with the vesicles' outcome."""

    trigger: str
    #: the sentence itself names the vesicles the cargo's credit is about
    names_vesicles: bool
    #: the sentence itself puts the cargo in the vesicles or their source cells ("through
    #: the transfer of KGF mRNA", "KGF siRNA pretreatment of MSCs abolished …")
    shows_in_vesicles: bool = False


@dataclass(frozen=True, slots=True)
class CreditedCargo:
    """A cargo credited with the vesicles' outcome for ``disease``, by the sentence
    ``index`` of the sentences given."""

    index: int
    mention: Mention
    subject: str
    verdict: PairVerdict
    disease: str
    #: the sentence is the paper's only statement that the vesicles carry it
    shown_carried: bool = False


def cargo_credit(text: str, cargo: Mention, mentions: Sequence[Mention]) -> CargoCredit | None:
    """How ``text`` makes ``cargo`` what the vesicles' effect rests on, if it does: its
    loss takes the effect away, it mediates the effect, or vesicles given more of it do
    better (or carry it to their target).

    >>> text = "Knockdown of miR-183-5p abrogated the protective effects of the exosomes."
    >>> mirna = Mention(13, 23, "miR-183-5p", "mirna", ("mirbase.mature:MIMAT0000212",))
    >>> cargo_credit(text, mirna, [mirna]).trigger
    'abrogated the protective'
    """
    vesicles = any(m.kind in (EV, EntityKind.EV_SOURCE.value) for m in mentions)
    before, after = text[: cargo.start], text[cargo.end :]
    lost = inhibited_span(text, cargo.start, cargo.end)
    if lost is None:
        blunted = _LOSS_BEFORE.search(before)
        silenced = _SILENCED_AFTER.match(after)
        if blunted:
            lost = (blunted.start(), cargo.end)
        elif silenced:
            lost = (cargo.start, cargo.end + silenced.end())
    if lost is not None:
        rest = text[lost[1] :]
        lacking = _NO_BENEFIT.search(rest[:160])
        trigger = lost_benefit_after(rest) or (lacking.group(0) if lacking else None)
        if trigger is None:
            return None
        return CargoCredit(trigger, vesicles, bool(_OF_SOURCE_CELLS.match(rest)))
    mediates = _MEDIATES.match(after)
    if mediates:
        effect = _VESICLE_EFFECT.search(after[mediates.end() : mediates.end() + 80])
        if effect or vesicles:
            return CargoCredit(mediates.group(0).strip(" ,("), vesicles or effect is not None)
        return None
    if _GAIN_BEFORE.search(before) or _GAIN_AFTER.match(after):
        gained = _GAIN_EFFECT.search(after)
        if gained:
            return CargoCredit(gained.group(0), vesicles)
        if vesicles:  # "EVs loaded with miR-101a decreased …": the sentence's own outcome
            return CargoCredit("engineered to carry it", True)
    carried = _CARRIED_BEFORE.search(before)
    if carried and vesicles:
        delivered = "mediated" not in carried.group(0).lower()
        return CargoCredit(carried.group(0).strip(), True, delivered)
    return None


def document_outcome(statements: Iterable[tuple[Claim, Evidence]]) -> tuple[str, Predicate] | None:
    """The disease the document's vesicles were shown to treat (or worsen) most often, and
    how; none when the vesicles' findings for it disagree in direction."""
    found: Counter[str] = Counter()
    directions: dict[str, set[Predicate]] = {}
    for claim, _ in statements:
        if not claim.subject.startswith("evkg.source:") or claim.predicate not in _OUTCOMES:
            continue
        if _LOSS_MODIFICATIONS.intersection(claim.context.modifications):
            continue
        found[claim.object] += 1
        directions.setdefault(claim.object, set()).add(claim.predicate)
    if not found:
        return None
    disease = found.most_common(1)[0][0]
    if len(directions[disease]) != 1:
        return None
    return disease, next(iter(directions[disease]))


def credited_cargo(
    sentences: Sequence[tuple[str, Sequence[Mention]]],
    statements: Sequence[tuple[Claim, Evidence]],
    agent_curie: Callable[[Mention], str | None],
) -> Iterator[CreditedCargo]:
    """Each cargo the study's sentences (text and the mentions its relations were read
    from) credit with the vesicles' outcome, once.
    A protein must be shown in the vesicles elsewhere (a ``carries`` finding); a miRNA may
    be shown so by the crediting sentence itself."""
    outcome = document_outcome(statements)
    if outcome is None:
        return
    disease, predicate = outcome
    claims = [claim for claim, _ in statements]
    carried = {c.object for c in claims if c.predicate == Predicate.CARRIES}
    credited = {c.subject for c in claims if c.object == disease and c.predicate in _OUTCOMES}
    for index, (text, read) in enumerate(sentences):
        if is_hedged(_TRAILING_INFERENCE.split(text, maxsplit=1)[0]):
            continue  # a hedge in the main clause ("… may mediate"), not in ", suggesting …"
        mentions = list(read)
        recipients = recipient_mediators(text, mentions)
        for cargo in mentions:
            if cargo.kind not in _CARGO_KINDS or id(cargo) in recipients:
                continue
            subject = agent_curie(cargo)
            if not subject or subject in credited:
                continue
            credit = cargo_credit(text, cargo, mentions)
            if credit is None:
                continue
            if (
                subject in carried
                or credit.shows_in_vesicles
                or (credit.names_vesicles and cargo.kind != _GENE)
            ):
                credited.add(subject)
                yield CreditedCargo(
                    index,
                    cargo,
                    subject,
                    PairVerdict(predicate, credit.trigger, False, False),
                    disease,
                    shown_carried=credit.shows_in_vesicles and subject not in carried,
                )
