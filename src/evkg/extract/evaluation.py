"""Scoring the extractor against annotated corpora: precision, recall and F1 per entity and
relation type.

The SCAI miRNA corpus (Bagewadi et al. 2014; DDI-style XML, training half) is read here;
scoring on the founding review lives in :mod:`evkg.api.mining`, which can see the curated
knowledge.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from evkg.extract.ner import Recognizer, find_mirna_mentions
from evkg.extract.relations import classify_regulation

__all__ = [
    "CorpusError",
    "ScaiSentence",
    "Score",
    "read_scai",
    "score_scai",
]

_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


class CorpusError(ValueError):
    """An evaluation corpus is missing or malformed; the message names the file."""


@dataclass
class Score:
    """Counts of true positives, false positives and false negatives."""

    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: AbstractSet[Hashable], predicted: AbstractSet[Hashable]) -> None:
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    def row(self) -> list[object]:
        return [
            self.name,
            self.tp + self.fn,
            self.tp,
            self.fp,
            self.fn,
            round(self.precision, 3),
            round(self.recall, 3),
            round(self.f1, 3),
        ]


@dataclass(frozen=True)
class ScaiSentence:
    """One annotated sentence: entities as (start, end, type, text), pairs as
    (e1, e2, type, interaction)."""

    id: str
    text: str
    entities: dict[str, tuple[int, int, str, str]]
    pairs: tuple[tuple[str, str, str, bool], ...]


def read_scai(path: Path) -> list[ScaiSentence]:
    """Sentences of a SCAI corpus XML file (``charOffset`` ends are inclusive)."""
    try:
        root = etree.parse(str(path), etree.XMLParser(**_SAFE)).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise CorpusError(f"{path}: cannot read the SCAI corpus ({error})") from error
    sentences = []
    for sentence in root.iter("sentence"):
        entities = {}
        for entity in sentence.iterfind("entity"):
            offsets = entity.get("charOffset", "")
            first = offsets.split(",")[0]
            try:
                start, end = (int(x) for x in first.split("-"))
            except ValueError as error:
                line = entity.sourceline
                raise CorpusError(f"{path} line {line}: bad charOffset {offsets!r}") from error
            entities[entity.get("id", "")] = (
                start,
                end + 1,
                entity.get("type", ""),
                entity.get("text", ""),
            )
        pairs = tuple(
            (p.get("e1", ""), p.get("e2", ""), p.get("type", ""), p.get("interaction") == "True")
            for p in sentence.iterfind("pair")
        )
        sentences.append(
            ScaiSentence(sentence.get("id", ""), sentence.get("text", ""), entities, pairs)
        )
    if not sentences:
        raise CorpusError(f"{path}: no <sentence> elements; is this the SCAI corpus?")
    return sentences


_SCAI_KINDS = {"Genes/Proteins": ("gene",), "Diseases": ("disease",)}


def _spans(entities: Iterable[tuple[int, int, str, str]], kind: str) -> set[tuple[int, int]]:
    return {(s, e) for s, e, t, _ in entities if t == kind}


def score_scai(sentences: list[ScaiSentence], recognizer: Recognizer | None) -> list[Score]:
    """Entity scores (exact spans) and miRNA–gene relation scores (pairs of gold entities
    classified by the relation rules)."""
    mirna = Score("entity Specific_miRNAs (exact span)")
    mirna_overlap = Score("entity Specific_miRNAs (overlap)")
    scores = [mirna, mirna_overlap]
    dictionary = {name: Score(f"entity {name} (exact span)") for name in _SCAI_KINDS}
    if recognizer is not None:
        scores += dictionary.values()
    relation = Score("relation Specific_miRNAs–Genes/Proteins")
    relation_all = Score("relation miRNAs (any)–Genes/Proteins")
    scores += [relation, relation_all]
    for sentence in sentences:
        gold = _spans(sentence.entities.values(), "Specific_miRNAs")
        found = {(s, e) for s, e, _ in find_mirna_mentions(sentence.text)}
        mirna.add(gold, found)
        for start, end in sorted(gold - found):
            mirna.errors.append(f"missed {sentence.text[start:end]!r} in {sentence.id}")
        for start, end in sorted(found - gold):
            mirna.errors.append(f"spurious {sentence.text[start:end]!r} in {sentence.id}")
        overlap_tp = {g for g in gold if any(_overlaps(g, f) for f in found)}
        mirna_overlap.tp += len(overlap_tp)
        mirna_overlap.fn += len(gold) - len(overlap_tp)
        mirna_overlap.fp += sum(1 for f in found if not any(_overlaps(g, f) for g in gold))
        if recognizer is not None:
            mentions = recognizer.mentions(sentence.text)
            for name, kinds in _SCAI_KINDS.items():
                predicted = {(m.start, m.end) for m in mentions if m.kind in kinds}
                dictionary[name].add(_spans(sentence.entities.values(), name), predicted)
        for e1, e2, pair_type, interaction in sentence.pairs:
            if "Genes/Proteins" not in pair_type or "miRNAs" not in pair_type:
                continue
            first, second = sentence.entities[e1], sentence.entities[e2]
            agent, target = (first, second) if "miRNA" in first[2] else (second, first)
            between = sum(
                1
                for s, e, t, _ in sentence.entities.values()
                if t in ("Specific_miRNAs", "Genes/Proteins")
                and min(agent[1], target[1]) <= s < max(agent[0], target[0])
            )
            verdict = classify_regulation(
                sentence.text, agent[:2], target[:2], between_entities=between
            )
            predicted_true = verdict is not None and not verdict.negated
            key: set[tuple[str, str]] = {(e1, e2)}
            nothing: set[tuple[str, str]] = set()
            for score in (
                (relation, relation_all) if pair_type.startswith("Specific") else (relation_all,)
            ):
                score.add(key if interaction else nothing, key if predicted_true else nothing)
                if predicted_true != interaction and score is relation:
                    what = "missed" if interaction else "spurious"
                    score.errors.append(
                        f"{what} {agent[3]!r}–{target[3]!r} in {sentence.id}: {sentence.text[:160]}"
                    )
    return scores


def _overlaps(first: tuple[int, int], second: tuple[int, int]) -> bool:
    return first[0] < second[1] and second[0] < first[1]
