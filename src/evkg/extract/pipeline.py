"""The extraction pipeline for one document: sections → sentences → abbreviations →
entities → relations (with negation and hedging) → context → claims with evidence.

Documents come from any reader in :mod:`evkg.sources`; this module only needs their id and
titled sections (a structural type, so that extraction does not depend on the readers).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from evkg.extract._cargo_credit import credited_cargo
from evkg.extract._cargo_forms import (
    RNA_FORMS,
    cargo_forms,
    circular_rna_mentions,
    sponge_pairs,
)
from evkg.extract._coordinated_cargo import list_start
from evkg.extract._document_specificity import at_stated_level
from evkg.extract._heading_readings import heading_readings
from evkg.extract._loss_of_function import inhibited_span
from evkg.extract._mirna_anaphora import resolve_mirna_anaphora
from evkg.extract._reported_elsewhere import reports_other_work
from evkg.extract._roles import (
    bystanders_of,
    foreign_vesicles_between,
    inducing_genes,
    mediates_effect_of,
    modified_vesicles,
    recipient_mediators,
)
from evkg.extract._sentence_mentions import (
    disease_modifiers,
    relation_mentions,
    respective_targets,
    vesicle_cargo,
)
from evkg.extract._statements import ARMLESS, Reading, armless_note, cargo_type_of, statement
from evkg.extract._vesicle_content import cargo_between, carried_genes
from evkg.extract._vesicle_context import VesiclePreparation, vesicle_preparation
from evkg.extract.abbreviations import find_abbreviations
from evkg.extract.context import (
    Discourse,
    DocumentContext,
    document_context,
    guess_species,
    mirna_species,
    sentence_level,
    sentence_species,
    source_species,
)
from evkg.extract.ner import EV, Mention, Recognizer, recognizer_for
from evkg.extract.regulation import RegulationClassifier
from evkg.extract.relations import (
    PairVerdict,
    classify_agent_disease,
    classify_agent_pathway,
    classify_carries,
    classify_regulation,
    inhibited_predicate,
    is_hedged,
)
from evkg.extract.relevance import is_relevant
from evkg.extract.sentences import split_sentences, with_ascii_hyphens
from evkg.extract.tables import TableLike, named_curies, table_statements, table_text
from evkg.model import (
    CargoType,
    Claim,
    EntityKind,
    Evidence,
    EvidenceLevel,
    Predicate,
)
from evkg.vocab import Vocabulary

__all__ = [
    "ARMLESS",
    "EXTRACTOR",
    "EXTRACTOR_VERSION",
    "DocumentResult",
    "Extractor",
    "SectionLike",
    "TextDocument",
]

EXTRACTOR_VERSION = "0.4.0"
EXTRACTOR = f"evkg-extract {EXTRACTOR_VERSION}"

#: An agent named only as the comparison ("superior to untreated MSC-EVs") is no subject of
#: its own between an agent and a disease.
_COMPARED = re.compile(
    r"\b(?:than|to|versus|vs\.?|compared\s+(?:with|to)|relative\s+to|outperform\w*|over)\s+"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_CARGO_KINDS = {EntityKind.MIRNA.value, EntityKind.CARGO.value}
_AGENT_KINDS = _CARGO_KINDS | {EntityKind.EV_SOURCE.value, EV}
_GENE = EntityKind.GENE.value
_OUTCOMES = frozenset({Predicate.TREATS, Predicate.WORSENS, Predicate.NO_EFFECT_ON})
_DISEASE = EntityKind.DISEASE.value
_MODEL = EntityKind.MODEL.value


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
    n_sentences: int  # sentences analysed (none in a document that cannot yield a claim)
    statements: list[tuple[Claim, Evidence]] = field(default_factory=list)
    #: evidence hashes of the last statements appended (a hash costs a JSON dump: each is
    #: computed once, not once per later comparison)
    recent_evidence: deque[str] = field(
        default_factory=lambda: deque(maxlen=20), repr=False, compare=False
    )
    mentioned: set[str] = field(default_factory=set)  # CURIEs used by the claims
    relevant: bool = False


_MODIFICATION = (EntityKind.MODIFICATION,)


@dataclass(frozen=True, slots=True)
class _Sentence:
    section: str
    text: str
    mentions: list[Mention]


class Extractor:
    """Turns documents into claims; build once per process (the automaton is costly)."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        recognizer: Recognizer | None = None,
        *,
        cache_dir: Path | None = None,
        regulation: RegulationClassifier | None = None,
    ) -> None:
        """``cache_dir``: where the recogniser's automaton is saved after its first build
        and loaded from afterwards (keyed by the lexicon's content). ``regulation``: the
        miRNA–gene relation classifier (the learned one when the SCAI corpus is available,
        see :func:`evkg.extract.regulation.load_regulation_classifier`; rules otherwise)."""
        self.vocabulary = vocabulary
        self.recognizer = recognizer or recognizer_for(vocabulary, cache_dir=cache_dir)
        self.regulation = regulation or RegulationClassifier(None)

    def extract(self, document: TextDocument) -> DocumentResult:
        sections: Sequence[SectionLike] = document.sections
        tables: Sequence[TableLike] = getattr(document, "tables", ())
        tabled = " ".join(table_text(t) for t in tables)
        # Most documents cannot yield a claim: the relevance test runs on each section's raw
        # text (whitespace between sentences is all that splitting drops, so the verdict is
        # the same) and such documents are not split into sentences.
        if not any(is_relevant(s.text) for s in sections) and not is_relevant(tabled):
            return DocumentResult(document.id, 0)
        sections = with_ascii_hyphens(sections)
        sentences = [
            (section.name, section.text[start:end])
            for section in sections
            for start, end in split_sentences(section.text)
        ]
        result = DocumentResult(document.id, len(sentences))
        full_text = "\n".join(text for _, text in sentences)
        result.relevant = True
        abbreviations = [pair for _, text in sentences for pair in find_abbreviations(text)]
        # bare miRNA names are read in the species of the EV's source cells when the text
        # states it ("human cord MSC-EVs … in rats": hsa-), else in the model's
        whole = f"{full_text}\n{tabled}"
        code = mirna_species(source_species(whole) or guess_species(whole))
        analysed = [
            _Sentence(
                name,
                text,
                self.recognizer.mentions(
                    text, species=sentence_species(text, code), abbreviations=abbreviations
                ),
            )
            for name, text in sentences
        ]
        # "these exosomal miRNAs" after a sentence listing them: the listed miRNAs
        resolved = resolve_mirna_anaphora([(s.text, s.mentions) for s in analysed])
        analysed = [replace(s, mentions=m) for s, m in zip(analysed, resolved, strict=True)]
        context = document_context(full_text, [m for s in analysed for m in s.mentions])
        discourse = self._discourse(document, code, abbreviations)
        # a study's claims are its own findings, not its background or aim; a review's
        # sentences about earlier work are its content
        review = context.level == EvidenceLevel.REVIEW_STATEMENT
        own = [s for s in analysed if review or not reports_other_work(s.section, s.text)]
        read = [self._relations(document.id, s, context, result, discourse) for s in own]
        if not review:
            named = [
                m.curie for s in analysed for m in s.mentions if m.kind == _DISEASE and m.curie
            ]
            result.statements = at_stated_level(self.vocabulary, result.statements, named)
            self._credit_cargo(document.id, own, read, context, result)
        for table in tables:  # rows read cell by cell, never as sentences
            rows = table_statements(
                *(self.recognizer, document.id, table, context),
                species=code, extractor=EXTRACTOR, abbreviations=abbreviations,
                regulation=self.regulation,
            )  # fmt: skip
            result.statements += rows
            result.mentioned.update(named_curies(rows))
        return result

    def _credit_cargo(
        self,
        document_id: str,
        sentences: list[_Sentence],
        read: list[list[Mention]],
        context: DocumentContext,
        result: DocumentResult,
    ) -> None:
        """Cargo a study shows to carry its vesicles' effect, credited with the disease the
        vesicles treat (or worsen) in it (:mod:`evkg.extract._cargo_credit`); ``read``: the
        mentions each sentence's relations were read from."""
        found = credited_cargo(
            [(s.text, mentions) for s, mentions in zip(sentences, read, strict=True)],
            result.statements,
            lambda mention: self._agent_curie(mention, context),
        )
        for credit in list(found):
            sentence = sentences[credit.index]
            level = sentence_level(sentence.text, context.level)
            self._emit(
                *(document_id, sentence, credit.mention, credit.subject, credit.verdict),
                *(credit.disease, context, level, False, result),
                note="disease and direction from the study's findings on the vesicles",
            )
            if credit.shown_carried and context.ev_source:  # "KGF siRNA in MSCs abolished…"
                source = Mention(0, 0, "", EntityKind.EV_SOURCE.value, (context.ev_source,))
                carries = PairVerdict(Predicate.CARRIES, credit.verdict.trigger, False, False)
                self._emit(
                    *(document_id, sentence, source, context.ev_source, carries),
                    *(credit.subject, context, level, False, result),
                    note="the vesicles' effect rests on it",
                    cargo_form=cargo_type_of(credit.mention.kind),
                )

    def _discourse(
        self, document: TextDocument, species: str, abbreviations: list[tuple[str, str]]
    ) -> Discourse:
        """Headings and cited titles of the document, read for the diseases they name."""
        cited = {c.number: c.title for c in getattr(document, "cited", ())}

        def diseases_of(text: str) -> list[tuple[int, int, str]]:
            return [
                (m.start, m.end, m.curie)
                for m in self.recognizer.mentions(
                    text, species=species, abbreviations=abbreviations
                )
                if m.kind == EntityKind.DISEASE.value and m.curie
            ]

        return Discourse(diseases_of, cited)

    def _modification_named(self, name: str) -> str | None:
        """The modification the vocabulary calls ``name`` ("IL-6 priming")."""
        hits = self.vocabulary.lexicon.lookup(name, _MODIFICATION)
        return hits[0][0] if hits else None

    # -- relations ------------------------------------------------------------------------
    def _agent_curie(
        self, mention: Mention, context: DocumentContext, sentence: Sequence[Mention] = ()
    ) -> str | None:
        """The identifier of an agent: vesicles are credited to the EV source the same
        sentence names nearest to them ("Exosomes derived from hucMSCs"), else to the
        document's."""
        if mention.kind == EV:
            sources = [m for m in sentence if m.kind == EntityKind.EV_SOURCE.value and m.curie]
            if sources:
                nearest = min(sources, key=lambda m: abs(m.start - mention.start))
                return context.refined(nearest.curie)
            return context.ev_source
        if mention.kind == EntityKind.EV_SOURCE.value:
            return context.refined(mention.curie)
        return mention.curie

    def _relations(
        self,
        document_id: str,
        sentence: _Sentence,
        context: DocumentContext,
        result: DocumentResult,
        discourse: Discourse | None = None,
    ) -> list[Mention]:
        """Read the sentence's relations into ``result``; returns the mentions as the
        relations read them."""
        text = sentence.text
        mentions = circular_rna_mentions(
            self.vocabulary, text, relation_mentions(self.vocabulary, text, sentence.mentions)
        )
        if not mentions:
            return mentions
        forms = cargo_forms(self.vocabulary, text, mentions)
        sponged = sponge_pairs(text, mentions, forms)
        hedged = is_hedged(text)
        level = sentence_level(text, context.level)
        # modifications and donor state said of this sentence's vesicles (from the mentions
        # as recognised: relation_mentions reads "OVA-loaded" as its cargo)
        preparation = vesicle_preparation(text, sentence.mentions, self._modification_named)
        # a gene named as the recipient cell's own is a mediator, never the vesicles' cargo
        recipients = recipient_mediators(text, mentions)
        # nor is the agent the cells were primed with ("stimulated MSCs with IL-6")
        primers = {id(m) for m in mentions for a, b in preparation.primers if a <= m.start < b}
        bound = {
            vesicle: [c for c in cargo if id(c) not in recipients and id(c) not in primers]
            for vesicle, cargo in vesicle_cargo(text, mentions).items()
        }
        proteins = {id(c) for cargo in bound.values() for c in cargo if c.kind == _GENE}
        # neither the agent inducing the model nor the comparator is credited with anything
        bystanders = bystanders_of(text, mentions) | {id(mirna) for _, mirna, _ in sponged}
        inducing = inducing_genes(text, mentions)  # "TGF-β1-induced fibroblasts"
        bystanders |= primers | inducing
        agents = [
            m
            for m in mentions
            if (m.kind in _AGENT_KINDS or id(m) in proteins) and id(m) not in bystanders
        ]
        modifiers = disease_modifiers(text, mentions)
        # "miR-21 inhibitor", "knockdown of miR-21": the phrase is the agent, and what it does
        # the miRNA does the opposite of (also where vesicles carrying it are the agent)
        inhibition = {
            id(m): span
            for m in mentions
            if m.kind == EntityKind.MIRNA.value and (span := inhibited_span(text, m.start, m.end))
        }
        modified = modified_vesicles(text, mentions, inhibition) if inhibition else set()
        respective = respective_targets(text, mentions)
        self._bound_genes(document_id, sentence, mentions, bound, forms, context, result, level)
        for agent in agents:
            inhibited = inhibition.get(id(agent))
            acting = replace(agent, start=inhibited[0], end=inhibited[1]) if inhibited else agent
            for other in mentions:
                if other is agent or id(other) in modifiers or id(other) in inducing:
                    continue
                if inhibited and inhibited[0] <= other.start < inhibited[1]:
                    continue  # inside the phrase
                if id(other) in inhibition and agent.kind in (EV, EntityKind.EV_SOURCE.value):
                    continue  # vesicles that lack a cargo or carry its inhibitor
                if other.kind == _GENE and mediates_effect_of(text, other, agent):
                    continue
                if other.kind == _GENE and respective.get(id(agent), id(other)) != id(other):
                    continue  # "miR-A and miR-B, respectively, target G1 and G2"
                if foreign_vesicles_between(mentions, bystanders, agent, other):
                    continue  # "MSCs were used; fibroblast-derived EVs alleviated colitis"
                if agent.kind in (EV, EntityKind.EV_SOURCE.value) and cargo_between(
                    [m for m in mentions if id(m) not in bystanders], agent, other
                ):
                    continue  # the cargo named in between is credited, not the vesicles
                if (
                    other.kind == _GENE
                    and forms.get(id(other)) in RNA_FORMS
                    and agent.kind in (EV, EntityKind.EV_SOURCE.value)
                ):
                    # "EVs carrying VEGF mRNA": an RNA the vesicles carry, not a regulation
                    verdict = classify_carries(
                        text, (agent.start, agent.end), (other.start, other.end)
                    )
                else:
                    verdict = self._pair(text, acting, other, mentions, context)
                if verdict is None or (
                    verdict.negated and verdict.predicate != Predicate.NO_EFFECT_ON
                ):
                    continue
                if inhibited:
                    verdict = replace(
                        verdict, predicate=inhibited_predicate(verdict), negated=False
                    )
                credited = [(agent, self._agent_curie(agent, context, mentions))]
                cargo = [c for c in bound.get(id(agent), ()) if c is not other]
                if id(agent) in modified and not cargo and not verdict.lost_benefit:
                    continue  # what modified vesicles do is not said of the plain ones
                if verdict.predicate != Predicate.CARRIES and cargo:
                    # what "GDF-15-containing EVs" do, GDF-15 does: the most specific agent;
                    # an outcome for a disease stays the vesicles' too (they were given)
                    outcome = (
                        verdict.predicate in _OUTCOMES
                        and agent.kind != _GENE
                        and not any(id(c) in inhibition for c in cargo)
                    )
                    credited = (credited if outcome else []) + [(c, c.curie) for c in cargo]
                for who, subject in credited:
                    if not subject or not other.curie or subject == other.curie:
                        continue
                    inhibited_cargo = who is not agent and id(who) in inhibition
                    credited_verdict = (
                        replace(verdict, predicate=inhibited_predicate(verdict))
                        if inhibited_cargo
                        else verdict
                    )
                    self._emit(
                        document_id,
                        sentence,
                        who,
                        subject,
                        credited_verdict,
                        other.curie,
                        context,
                        level,
                        hedged,
                        result,
                        target_mention=other,
                        preparation=preparation,
                        cargo_form=forms.get(
                            id(other if credited_verdict.predicate == Predicate.CARRIES else who)
                        ),
                    )
        self._sponges(document_id, sentence, sponged, forms, context, level, hedged, result)
        if (
            discourse is not None
            and not hedged
            and not any(m.kind in (_DISEASE, _MODEL) for m in mentions)
        ):
            self._discourse_relations(
                document_id, sentence, agents, bound, context, hedged, result, discourse
            )
        return mentions

    def _bound_genes(
        self,
        document_id: str,
        sentence: _Sentence,
        mentions: list[Mention],
        bound: dict[int, list[Mention]],
        forms: dict[int, CargoType],
        context: DocumentContext,
        result: DocumentResult,
        level: EvidenceLevel,
    ) -> None:
        """The proteins and RNAs the vesicles carry (:func:`carried_genes`)."""
        for vesicle, gene in carried_genes(sentence.text, mentions, bound):
            subject = self._agent_curie(vesicle, context, mentions)
            if subject and subject.startswith("evkg.source:") and gene.curie:
                verdict = PairVerdict(Predicate.CARRIES, "bound", False, True)
                hedged = is_hedged(sentence.text)
                form = forms.get(id(gene), CargoType.PROTEIN)
                self._emit(
                    *(document_id, sentence, vesicle, subject, verdict, gene.curie, context),
                    *(level, hedged, result),
                    target_mention=gene,
                    cargo_form=form,
                )

    def _sponges(
        self,
        document_id: str,
        sentence: _Sentence,
        pairs: list[tuple[Mention, Mention, PairVerdict]],
        forms: dict[int, CargoType],
        context: DocumentContext,
        level: EvidenceLevel,
        hedged: bool,
        result: DocumentResult,
    ) -> None:
        """circRNAs and lncRNAs that sponge a miRNA ("circHIPK3 sponges miR-421")."""
        for rna, mirna, verdict in pairs:
            if rna.curie and mirna.curie:
                self._emit(
                    document_id,
                    sentence,
                    rna,
                    rna.curie,
                    verdict,
                    mirna.curie,
                    context,
                    level,
                    hedged,
                    result,
                    target_mention=mirna,
                    cargo_form=forms[id(rna)],
                )

    def _discourse_relations(
        self,
        document_id: str,
        sentence: _Sentence,
        agents: list[Mention],
        bound: dict[int, list[Mention]],
        context: DocumentContext,
        hedged: bool,
        result: DocumentResult,
        discourse: Discourse,
    ) -> None:
        """Cargo statements whose disease is the heading's or cited title's
        (:mod:`evkg.extract._heading_readings`)."""
        readings = heading_readings(sentence.section, sentence.text, agents, bound, discourse)
        for agent, verdict, disease in readings:
            subject = self._agent_curie(agent, context)
            if subject:
                level = EvidenceLevel.REVIEW_STATEMENT
                self._emit(
                    *(document_id, sentence, agent, subject, verdict, disease.curie, context),
                    *(level, hedged, result),
                    note=disease.origin,
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
            if agent.kind == EntityKind.MIRNA.value:
                neighbours = [
                    (m.start, m.end, m.kind)
                    for m in mentions
                    if m.kind in {"gene", "mirna"} and m is not agent and m is not other
                ]
                return self.regulation(text, a, b, between_entities=between, others=neighbours)
            return classify_regulation(text, a, b, between_entities=between)
        if other.kind == EntityKind.DISEASE.value and (agent.kind != EV or context.ev_source):
            others = sum(
                1
                for m in mentions
                if m.kind in _AGENT_KINDS
                and m is not agent
                and a[1] <= m.start < b[0]
                and not _COMPARED.search(text[max(0, m.start - 40) : m.start])
            )
            return classify_agent_disease(
                text,
                a,
                b,
                mirna=agent.kind == EntityKind.MIRNA.value,
                chain=others == 0,
                vesicle=agent.kind in (EV, EntityKind.EV_SOURCE.value),
            )
        if other.kind in (EntityKind.PATHWAY.value, EntityKind.PROCESS.value) and (
            agent.kind != EV or context.ev_source
        ):
            return classify_agent_pathway(text, a, b)
        if other.kind in _CARGO_KINDS and agent.kind in (EV, EntityKind.EV_SOURCE.value):
            if a[1] <= b[0]:  # a later member of a list stands where the list starts
                b = (max(a[1], list_start(text, mentions, other)), b[1])
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
        *,
        note: str | None = None,
        target_mention: Mention | None = None,
        preparation: VesiclePreparation | None = None,
        cargo_form: CargoType | None = None,
    ) -> None:
        notes = (
            (f"; {note}" if note else "")
            + armless_note(self.vocabulary.lexicon.label, agent, subject)
            + (
                armless_note(self.vocabulary.lexicon.label, target_mention, target)
                if target_mention
                else ""
            )
        )
        claim, evidence = statement(
            Reading(agent.kind, subject, verdict, target, level, hedged, notes),
            document_id=document_id,
            quote=sentence.text,
            section=sentence.section,
            context=context,
            extractor=EXTRACTOR,
            preparation=preparation,
            cargo_form=cargo_form,
        )
        evidence_hash = evidence.hash
        if evidence_hash in result.recent_evidence:
            return
        result.recent_evidence.append(evidence_hash)
        result.statements.append((claim, evidence))
        named = claim.context
        result.mentioned.update(
            c for c in (subject, target, named.ev_source, named.species, named.route) if c
        )
