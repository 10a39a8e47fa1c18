"""The extraction pipeline for one document: sections → sentences → abbreviations →
entities → relations (with negation and hedging) → context → claims with evidence.

Documents come from any reader in :mod:`evkg.sources`; this module only needs their id and
titled sections (a structural type, so that extraction does not depend on the readers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from evkg.extract.abbreviations import find_abbreviations
from evkg.extract.context import DocumentContext, document_context, guess_species, sentence_level
from evkg.extract.ner import EV, Mention, Recognizer, recognizer_for
from evkg.extract.relations import (
    PairVerdict,
    classify_agent_disease,
    classify_agent_pathway,
    classify_carries,
    classify_regulation,
    is_hedged,
)
from evkg.extract.sentences import split_sentences
from evkg.model import (
    CargoType,
    Claim,
    Context,
    EntityKind,
    Evidence,
    EvidenceLevel,
    EvidenceMethod,
    Predicate,
)
from evkg.vocab import Vocabulary

__all__ = [
    "EXTRACTOR",
    "EXTRACTOR_VERSION",
    "DocumentResult",
    "Extractor",
    "SectionLike",
    "TextDocument",
]

EXTRACTOR_VERSION = "0.1.0"
EXTRACTOR = f"evkg-extract {EXTRACTOR_VERSION}"

#: Documents without any of these words cannot yield an EV or cargo claim; they are split
#: into sentences (for the counts) but not run through recognition.
_RELEVANT = re.compile(
    r"mi(?:R|RNA|croRNA)|let-7|exosom|vesicle|\bEVs?\b|secretome|stem\s+cell|stromal\s+cell",
    re.IGNORECASE,
)
_CARGO_KINDS = {EntityKind.MIRNA.value, EntityKind.CARGO.value}
_AGENT_KINDS = _CARGO_KINDS | {EntityKind.EV_SOURCE.value, EV}
_LEVEL_BONUS = {
    EvidenceLevel.CLINICAL: 0.1,
    EvidenceLevel.IN_VIVO: 0.05,
    EvidenceLevel.EX_VIVO: 0.0,
    EvidenceLevel.IN_VITRO: 0.0,
    EvidenceLevel.REVIEW_STATEMENT: -0.1,
}


class SectionLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def text(self) -> str: ...


class TextDocument(Protocol):
    """What the pipeline needs of a document (``evkg.sources.text.Document`` has it)."""

    @property
    def id(self) -> str: ...

    @property
    def sections(self) -> Sequence[SectionLike]: ...


@dataclass
class DocumentResult:
    """Claims with evidence from one document, and counts for the summary."""

    document_id: str
    n_sentences: int
    statements: list[tuple[Claim, Evidence]] = field(default_factory=list)
    mentioned: set[str] = field(default_factory=set)  # CURIEs used by the claims
    relevant: bool = False


@dataclass(frozen=True, slots=True)
class _Sentence:
    section: str
    text: str
    mentions: list[Mention]


class Extractor:
    """Turns documents into claims; build once per process (the automaton is costly)."""

    def __init__(self, vocabulary: Vocabulary, recognizer: Recognizer | None = None) -> None:
        self.vocabulary = vocabulary
        self.recognizer = recognizer or recognizer_for(vocabulary)

    def extract(self, document: TextDocument) -> DocumentResult:
        sentences = [
            (section.name, section.text[start:end])
            for section in document.sections
            for start, end in split_sentences(section.text)
        ]
        result = DocumentResult(document.id, len(sentences))
        full_text = "\n".join(text for _, text in sentences)
        if not _RELEVANT.search(full_text):
            return result
        result.relevant = True
        abbreviations = [pair for _, text in sentences for pair in find_abbreviations(text)]
        species = guess_species(full_text)
        code = {"ncbitaxon:10090": "mmu", "ncbitaxon:10116": "rno"}.get(species or "", "hsa")
        analysed = [
            _Sentence(
                name,
                text,
                self.recognizer.mentions(text, species=code, abbreviations=abbreviations),
            )
            for name, text in sentences
        ]
        context = document_context(full_text, [m for s in analysed for m in s.mentions])
        for sentence in analysed:
            self._relations(document.id, sentence, context, result)
        return result

    # -- relations ------------------------------------------------------------------------
    def _agent_curie(self, mention: Mention, context: DocumentContext) -> str | None:
        if mention.kind == EV:
            return context.ev_source
        return mention.curie

    def _relations(
        self,
        document_id: str,
        sentence: _Sentence,
        context: DocumentContext,
        result: DocumentResult,
    ) -> None:
        mentions = sentence.mentions
        if len(mentions) < 2:
            return
        text = sentence.text
        hedged = is_hedged(text)
        level = sentence_level(text, context.level)
        for index, agent in enumerate(mentions):
            if agent.kind not in _AGENT_KINDS:
                continue
            for other in mentions[index + 1 :] + mentions[:index]:
                if agent.kind in (EV, EntityKind.EV_SOURCE.value) and _cargo_between(
                    mentions, agent, other
                ):
                    continue  # the cargo named in between is credited, not the vesicles
                verdict = self._pair(text, agent, other, mentions, context)
                if verdict is None or (
                    verdict.negated and verdict.predicate != Predicate.NO_EFFECT_ON
                ):
                    continue
                subject = self._agent_curie(agent, context)
                if verdict.predicate == Predicate.CARRIES:
                    subject, target = self._agent_curie(agent, context), other.curie
                else:
                    target = other.curie
                if not subject or not target or subject == target:
                    continue
                self._emit(
                    document_id,
                    sentence,
                    agent,
                    subject,
                    verdict,
                    target,
                    context,
                    level,
                    hedged,
                    result,
                )

    def _pair(
        self,
        text: str,
        agent: Mention,
        other: Mention,
        mentions: list[Mention],
        context: DocumentContext,
    ) -> PairVerdict | None:
        a, b = (agent.start, agent.end), (other.start, other.end)
        if other.kind == EntityKind.GENE.value and (agent.kind != EV or context.ev_source):
            between = sum(
                1
                for m in mentions
                if m.kind in {"gene", "mirna"} and min(a[1], b[1]) <= m.start < max(a[0], b[0])
            )
            return classify_regulation(text, a, b, between_entities=between)
        if other.kind == EntityKind.DISEASE.value and (agent.kind != EV or context.ev_source):
            return classify_agent_disease(text, a, b, mirna=agent.kind == EntityKind.MIRNA.value)
        if other.kind in (EntityKind.PATHWAY.value, EntityKind.PROCESS.value) and (
            agent.kind != EV or context.ev_source
        ):
            return classify_agent_pathway(text, a, b)
        if other.kind in _CARGO_KINDS and agent.kind in (EV, EntityKind.EV_SOURCE.value):
            return classify_carries(text, a, b)
        return None

    def _emit(
        self,
        document_id: str,
        sentence: _Sentence,
        agent: Mention,
        subject: str,
        verdict: PairVerdict,
        target: str,
        context: DocumentContext,
        level: EvidenceLevel,
        hedged: bool,
        result: DocumentResult,
    ) -> None:
        disease_edge = verdict.predicate in (
            Predicate.TREATS,
            Predicate.WORSENS,
            Predicate.NO_EFFECT_ON,
            Predicate.ASSOCIATED_WITH,
        )
        cargo_type = CargoType.MIRNA if agent.kind == EntityKind.MIRNA.value else None
        ev_source = context.ev_source if context.is_ev else None
        if agent.kind == EntityKind.EV_SOURCE.value:
            ev_source = subject
        claim = Claim(
            subject=subject,
            predicate=verdict.predicate,
            object=target,
            context=Context(
                disease=target if disease_edge else None,
                ev_source=ev_source,
                cargo_type=cargo_type,
                species=context.species if level != EvidenceLevel.IN_VITRO else None,
                route=context.route if disease_edge else None,
            ),
        )
        confidence = 0.6 if verdict.strong else 0.45
        confidence += _LEVEL_BONUS[level] - (0.15 if hedged else 0.0)
        evidence = Evidence(
            claim_hash=claim.hash,
            reference=document_id,
            quote=sentence.text,
            section=sentence.section[:200] or None,
            method=EvidenceMethod.EXTRACTED,
            extractor=EXTRACTOR,
            level=level,
            confidence=round(min(0.9, max(0.1, confidence)), 3),
            curator_note=f"trigger {verdict.trigger!r}"
            + ("; hedged" if hedged else "")
            + ("; negated" if verdict.negated else ""),
        )
        if any(e.hash == evidence.hash for _, e in result.statements[-20:]):
            return
        result.statements.append((claim, evidence))
        result.mentioned.update(
            c for c in (subject, target, ev_source, claim.context.species, claim.context.route) if c
        )


def _cargo_between(mentions: list[Mention], first: Mention, second: Mention) -> bool:
    low, high = min(first.end, second.end), max(first.start, second.start)
    return any(m.kind in _CARGO_KINDS and low <= m.start < high for m in mentions) and (
        second.kind not in _CARGO_KINDS
    )
