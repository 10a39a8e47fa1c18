"""Mining scored against the curated studies of the same papers (in-domain evaluation).

A user gives a folder of MSC-EV texts named by PMID (``12345678.txt``, an abstract or a
full text; a ``.meta.json`` sidecar may carry the PMID instead). Each text whose PMID is a
curated study is mined, and its claims are compared with the claims the study record
asserts, per pair type:

* **EV → cargo**: the cargo a study's EVs carry (miRNAs compared by name without species);
* **cargo → target**: genes a cargo regulates (either direction; the direction is scored
  apart);
* **cargo → disease** and **EV → disease**: the disease by identity, or up to two steps above
  or below it in the merged disease hierarchy (a text naming "renal ischaemia-reperfusion
  injury" for a study curated under acute kidney injury), with the outcome direction of the
  pairs found scored apart. A study credits a cargo with the disease only when its
  necessity was shown or engineered; a mined cargo → disease pair for a cargo the study
  carries without that proof is neither credited nor counted against;
* **EV source** and **modification**: the evkg.source and evkg.mod terms the claims carry,
  against the study's.

Texts stay outside the project (they are the papers' own words); only the scores and the
errors are printed. An *invented cargo* is a mined cargo whose name the text does not
contain under any spelling the vocabulary knows (an arm, species or family member the text
never wrote).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from evkg.api._mining_work import MiningError
from evkg.api.extraction_eval import CARGO_PREFIXES, pair_key
from evkg.extract.evaluation import Score
from evkg.extract.pipeline import ARMLESS, Extractor
from evkg.model import Claim, Predicate
from evkg.sources.curated.studies import read_studies, study_statements
from evkg.sources.text import ReadProblem, read_text
from evkg.vocab.identity import ancestors_within
from evkg.vocab.lexicon import fold_words
from evkg.vocab.mirna import CLUSTER_PREFIX, FAMILY_PREFIX

__all__ = ["PAIR_TYPES", "StudyEvaluation", "evaluate_study_texts", "study_pairs"]

_DISEASE = frozenset({Predicate.TREATS, Predicate.WORSENS, Predicate.NO_EFFECT_ON})
_TARGET = frozenset({Predicate.REGULATES_DOWN, Predicate.REGULATES_UP})

#: The pair types scored, in the order they are printed.
PAIR_TYPES = (
    "EV → cargo",
    "cargo → target",
    "cargo → disease",
    "EV → disease",
    "EV source",
    "modification",
)

Pair = tuple[str, ...]  # (pmid, first, second?) — the pmid keeps papers apart


@dataclass
class _Pairs:
    """The pairs of one paper, by type, with the predicate of each directed pair."""

    by_type: dict[str, set[Pair]] = field(default_factory=dict)
    direction: dict[Pair, set[str]] = field(default_factory=dict)
    quotes: dict[Pair, str] = field(default_factory=dict)
    cargo: set[str] = field(default_factory=set)  # cargo CURIEs, for the invented check

    def add(self, kind: str, pair: Pair, predicate: str | None = None, quote: str = "") -> None:
        self.by_type.setdefault(kind, set()).add(pair)
        if predicate is not None:
            self.direction.setdefault(pair, set()).add(predicate)
        if quote:
            self.quotes.setdefault(pair, quote[:150])


@dataclass
class StudyEvaluation:
    """Scores per pair type over every scored text, with what could not be scored."""

    scores: list[Score]
    texts: int
    scored: int
    without_study: list[str]
    invented_cargo: list[str]


def _is_cargo(curie: str) -> bool:
    return curie.startswith(CARGO_PREFIXES)


def study_pairs(
    claims: Iterable[tuple[Claim, str]],
    pmid: str,
    key: Callable[[str], str],
) -> _Pairs:
    """The scored pairs of one paper's claims (each with its quote, or "")."""
    pairs = _Pairs()
    for claim, quote in claims:
        subject, obj = claim.subject, claim.object
        predicate = claim.predicate
        context = claim.context
        if context.ev_source:
            pairs.add("EV source", (pmid, context.ev_source), quote=quote)
        if subject.startswith("evkg.source:"):
            pairs.add("EV source", (pmid, subject), quote=quote)
        for modification in context.modifications:
            pairs.add("modification", (pmid, modification), quote=quote)
        if _is_cargo(subject):
            pairs.cargo.add(subject)
        if predicate == Predicate.CARRIES and _is_cargo(obj):
            pairs.cargo.add(obj)
            pairs.add("EV → cargo", (pmid, key(obj)), quote=quote)
        elif predicate in _TARGET and _is_cargo(subject) and obj.startswith("hgnc:"):
            pair = (pmid, key(subject), key(obj))
            pairs.add("cargo → target", pair, predicate.value, quote)
        elif predicate in _DISEASE and _is_cargo(subject):
            pair = (pmid, key(subject), key(obj))
            pairs.add("cargo → disease", pair, predicate.value, quote)
        elif predicate in _DISEASE and subject.startswith("evkg.source:"):
            pairs.add("EV → disease", (pmid, key(obj)), predicate.value, quote)
    return pairs


def evaluate_study_texts(
    extractor: Extractor,
    texts: Path,
    *,
    studies_root: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> StudyEvaluation:
    """Mine every text of ``texts`` that names a curated study by PMID and score it."""
    if not texts.is_dir():
        raise MiningError(f"{texts}: not a folder of texts named by PMID (--texts)")
    by_pmid = {s.record.pmid: s.record for s in read_studies(studies_root).studies if s.record.pmid}
    files = sorted(p for p in texts.iterdir() if p.suffix in (".txt", ".md") and p.is_file())
    if not files:
        raise MiningError(f"{texts}: no .txt or .md files (name each by its PMID)")
    vocabulary = extractor.vocabulary

    def key(curie: str) -> str:
        return pair_key(extractor, curie)

    def group_members_of(curie: str) -> tuple[str, ...]:
        if not curie.startswith((FAMILY_PREFIX, CLUSTER_PREFIX)):
            return ()
        entry = vocabulary.lexicon.get(curie)
        return tuple(v for k, v in entry.attributes if k == "member") if entry else ()

    gold, found = _Pairs(), _Pairs()
    study_cargo: dict[str, set[str]] = {}  # pmid -> cargo keys the study names at all
    without_study: list[str] = []
    invented: list[str] = []
    scored = 0
    for done, path in enumerate(files, 1):
        documents = list(read_text(path))
        document = documents[0]
        if isinstance(document, ReadProblem):
            raise MiningError(str(document))
        pmid = _pmid_of(path, document.bibliography.pmid if document.bibliography else None)
        study = by_pmid.get(pmid or "")
        if study is None:
            without_study.append(path.name)
        else:
            scored += 1
            assert pmid is not None
            expected = study_pairs(((s.claim, "") for s in study_statements(study)), pmid, key)
            _merge(gold, expected)
            study_cargo[pmid] = {key(c.id) for c in study.cargo}
            statements = extractor.extract(document).statements
            mined = study_pairs(((c, e.quote) for c, e in statements), pmid, key)
            _match_diseases(mined, expected, vocabulary.diseases.parents)
            armless = {
                key(c.subject)
                for c, e in statements
                if c.subject.startswith("mirbase") and ARMLESS in (e.curator_note or "")
            }
            _match_arms(mined, expected, armless)
            _match_groups(mined, expected, group_members_of)
            _merge(found, mined)
            text = document.text
            invented += [
                f"{pmid}: {vocabulary.lexicon.label(curie)}"
                for curie in sorted(mined.cargo)
                if not _named_in(curie, text, extractor)
            ]
        if progress is not None:
            progress(done, len(files))
    scores = _scores(gold, found, study_cargo, extractor)
    named = Score("mined cargo named in the text (fp: invented cargo)")
    named.tp = sum(1 for _ in found.cargo) - len(invented)
    named.fp = len(invented)
    named.errors += [f"invented {what}" for what in invented]
    scores.append(named)
    return StudyEvaluation(scores, len(files), scored, without_study, invented)


def _pmid_of(path: Path, sidecar_pmid: str | None) -> str | None:
    if sidecar_pmid:
        return sidecar_pmid
    stem = path.stem.split(".")[0]
    return stem if stem.isdigit() else None


def _merge(into: _Pairs, other: _Pairs) -> None:
    for kind, pairs in other.by_type.items():
        into.by_type.setdefault(kind, set()).update(pairs)
    for pair, predicates in other.direction.items():
        into.direction.setdefault(pair, set()).update(predicates)
    for pair, quote in other.quotes.items():
        into.quotes.setdefault(pair, quote)
    into.cargo |= other.cargo


_ARM = re.compile(r"-[35]p$")


def _rename(mined: _Pairs, kind: str, rename: Callable[[Pair], Pair | None]) -> None:
    """Rename the mined pairs of ``kind`` that ``rename`` maps to a study's pair, with
    their directions and quotes."""
    renamed: set[Pair] = set()
    for pair in mined.by_type.get(kind, set()):
        new = rename(pair)
        if new is not None:
            mined.direction.setdefault(new, set()).update(mined.direction.pop(pair, set()))
            mined.quotes.setdefault(new, mined.quotes.pop(pair, ""))
            pair = new
        renamed.add(pair)
    if kind in mined.by_type:
        mined.by_type[kind] = renamed


def _match_arms(mined: _Pairs, expected: _Pairs, armless: set[str]) -> None:
    """A miRNA mined under the arm miRBase deems dominant because the text gives none
    (flagged armless) matches the study's miRNA of either arm: "miR-101a" is consistent
    with a study's miR-101a-5p."""
    for kind in ("EV → cargo", "cargo → target", "cargo → disease"):
        wanted = {pair[1] for pair in expected.by_type.get(kind, set())}

        def other_arm(pair: Pair, wanted: set[str] = wanted) -> Pair | None:
            name = pair[1]
            if name not in armless or name in wanted:
                return None
            arms = sorted(w for w in wanted if _ARM.sub("", w) == _ARM.sub("", name))
            return (pair[0], arms[0], *pair[2:]) if arms else None

        _rename(mined, kind, other_arm)


def _match_groups(
    mined: _Pairs, expected: _Pairs, members: Callable[[str], tuple[str, ...]]
) -> None:
    """A miRNA family or cluster mined as such ("miR-181-5p" read as the miR-181 family)
    matches the study's miRNA when that is one of its members (miR-181a-5p)."""
    for kind in ("EV → cargo", "cargo → target", "cargo → disease"):
        wanted = {pair[1] for pair in expected.by_type.get(kind, set())}

        def member(pair: Pair, wanted: set[str] = wanted) -> Pair | None:
            stems = {m.lower() for m in members(pair[1])}
            found = sorted(w for w in wanted if _ARM.sub("", w).lower() in stems)
            return (pair[0], found[0], *pair[2:]) if stems and found else None

        _rename(mined, kind, member)


def _match_diseases(
    mined: _Pairs, expected: _Pairs, parents: Callable[[str], frozenset[str]]
) -> None:
    """Rename a mined disease up to two steps above or below the study's disease (lung
    cancer for non-small cell lung carcinoma) to the study's."""

    def near(curie: str) -> set[str]:
        return ancestors_within(parents, curie)

    for kind in ("cargo → disease", "EV → disease"):
        wanted = {pair[-1] for pair in expected.by_type.get(kind, set())}

        def closest(pair: Pair, wanted: set[str] = wanted) -> Pair | None:
            disease = pair[-1]
            close = sorted(w for w in wanted if disease in near(w) or w in near(disease))
            return (*pair[:-1], close[0]) if disease not in wanted and close else None

        _rename(mined, kind, closest)


def _scores(
    gold: _Pairs, found: _Pairs, study_cargo: dict[str, set[str]], extractor: Extractor
) -> list[Score]:
    label = extractor.vocabulary.lexicon.label
    scores = []
    directions: dict[str, Score] = {}
    for kind in PAIR_TYPES:
        expected = gold.by_type.get(kind, set())
        predicted = found.by_type.get(kind, set())
        if kind == "cargo → disease":  # cargo the study names, necessity not shown: neutral
            predicted = {
                p for p in predicted if p in expected or p[1] not in study_cargo.get(p[0], ())
            }
        score = Score(kind)
        score.add(expected, predicted)
        for pair in sorted(expected - predicted):
            score.errors.append(f"missed {_show(pair, label)}")
        for pair in sorted(predicted - expected):
            score.errors.append(f"spurious {_show(pair, label)}: {found.quotes.get(pair, '')}")
        scores.append(score)
        if kind in ("cargo → target", "cargo → disease", "EV → disease"):
            right = Score(f"{kind}: direction of the pairs found")
            for pair in sorted(expected & predicted):
                wanted, got = gold.direction.get(pair, set()), found.direction.get(pair, set())
                right.add({pair}, {pair} if got == wanted else set())
                if got != wanted:
                    right.errors.append(
                        f"{_show(pair, label)}: {'/'.join(sorted(got))} for "
                        f"{'/'.join(sorted(wanted))}: {found.quotes.get(pair, '')}"
                    )
            directions[kind] = right
    total = Score("all pair types")
    for score in scores:
        total.tp, total.fp, total.fn = total.tp + score.tp, total.fp + score.fp, total.fn + score.fn
    return [*scores, total, *directions.values()]


def _show(pair: Pair, label: Callable[[str], str]) -> str:
    names = [label(p) if ":" in p else p for p in pair[1:]]
    return f"PMID {pair[0]}: " + " – ".join(names)


_MIRNA_NUMBER = re.compile(r"(?i)(?:mir|let)-(\d+[a-z]?)")
_MIRNA_STEM = r"(?:mir|microrna|mirna|mi-r)[- ]?"


def _named_in(curie: str, text: str, extractor: Extractor) -> bool:
    """Does the text name this cargo, by any of its vocabulary names (miRNAs by number)?"""
    folded = text.lower()
    label = extractor.vocabulary.lexicon.label(curie)
    if curie.startswith(("mirbase.mature:", "mirbase:", FAMILY_PREFIX, CLUSTER_PREFIX)):
        number = _MIRNA_NUMBER.search(label)
        if number is None:
            return label.lower() in folded
        digits, letter = re.fullmatch(r"(\d+)([a-z]?)", number.group(1).lower()).groups()  # type: ignore[union-attr]
        stem = r"let[- ]?" if number.group(0).lower().startswith("let") else _MIRNA_STEM
        if re.search(rf"{stem}{digits}(?:{letter})?(?![0-9a-z])", folded):
            return True
        # a later member of a list that names the stem once ("miR-21, -23a and -125b")
        member = r"-?\d+[a-z]?(?:-[35]p)?"
        joint = r"(?:\s*(?:,|and\b|or\b|/))+\s*"
        listed = rf"{stem}{member}(?:{joint}{member})*?{joint}"
        return re.search(rf"{listed}-{digits}{letter}(?![0-9a-z])", folded) is not None
    entry = extractor.vocabulary.lexicon.entries.get(curie)
    names = [label, *(entry.synonyms if entry else ())]
    # names compared word by word as the lexicon folds them ("angiopoietin-1" is the
    # synonym "angiopoietin 1"; "PTENP1" is not "PTEN")
    words = f" {' '.join(fold_words(text))} "
    return any(
        f" {' '.join(folded)} " in words
        for folded in (fold_words(name) for name in names if len(name) >= 2)
        if folded
    )
