"""Features of one miRNA–gene pair in one sentence, for the learned regulation classifier.

Every feature reads only what mining has at run time: the sentence text, the spans of the two
mentions, and (optionally) the spans of the other miRNA and gene mentions of the sentence.
Features are named strings with value 1.0 (binary), so a model is a map name → weight.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache

from evkg.extract.relations import classify_regulation

__all__ = ["FEATURE_VERSION", "Mention", "Span", "pair_features"]

#: Bump when features change: cached models keyed by an older version are retrained.
FEATURE_VERSION = "1"

Span = tuple[int, int]
#: Another mention of the sentence: start, end and kind (``"mirna"`` or ``"gene"``).
Mention = tuple[int, int, str]

_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+|[^\sA-Za-z\d]")
_CLASSES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "target": r"\btarget\w*",
        "bind": r"\bbind\w*|\bbound\b|binding\s+site",
        "utr": r"3'?\s*-?\s*(?:untranslated|UTR)|\bUTR\b",
        "down": r"down-?regulat\w*|suppress\w*|inhibit\w*|repress\w*|silenc\w*|decreas\w*|"
        r"reduc\w*|attenuat\w*|knock\w*\s*down|negatively|degrad\w*|block\w*|abrogat\w*|"
        r"diminish\w*|lower\w*|loss",
        "up": r"up-?regulat\w*|increas\w*|enhanc\w*|promot\w*|activat\w*|induc\w*|elevat\w*|"
        r"stimulat\w*|positively|augment\w*|restor\w*",
        "regulate": r"\bregulat\w*|modulat\w*|\bcontrol\w*|\baffect\w*|\binfluenc\w*",
        "mediate": r"mediat\w*|\bvia\b|\bthrough\b|\baxis\b",
        "express": r"\bexpress\w*|\blevels?\b|abundan\w*",
        "correlate": r"correlat\w*|associat\w*|\blink\w*|relationship",
        "luciferase": r"luciferase|reporter",
        "predict": r"predict\w*|in\s+silico|computational|bioinformatic\w*|putative\w*|"
        r"candidate\w*|TargetScan|PicTar|miRanda",
        "negation": r"\b(?:not|no|neither|nor|without|unaffected|unchanged|cannot|failed)\b",
        "hedge": r"\b(?:may|might|could|possibly|potential\w*|suggest\w*|likely|whether)\b",
        "clause": r";|\bwhereas\b|\bwhile\b|\bbut\b|\bwhich\b|\bthat\b",
        "cell_context": r"\bcells?\b|\bpatients?\b|\bmice\b|\btissues?\b|\bsamples?\b",
    }.items()
}
_COORDINATION = re.compile(r"^[\s,;/()\-]*(?:(?:and|or)\b[\s,;/()\-]*)?$", re.IGNORECASE)
_PAREN_OPEN = re.compile(r"\(")
_PAREN_CLOSE = re.compile(r"\)")


def _stem(token: str) -> str:
    token = token.lower()
    for suffix in ("ation", "ion", "ing", "ed", "es", "s", "ly"):
        if len(token) > len(suffix) + 3 and token.endswith(suffix):
            return token[: -len(suffix)]
    return token


def _tokens(text: str) -> list[str]:
    return [_stem(t) for t in _TOKEN.findall(text)]


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def _blind(text: str, offset: int, others: Sequence[Span]) -> str:
    """``text`` (starting at ``offset`` of the sentence) with other mentions as ``ENT``."""
    for start, end in sorted(others, reverse=True):
        lo, hi = max(start - offset, 0), min(end - offset, len(text))
        if lo < hi:
            text = text[:lo] + " ENT " + text[hi:]
    return text


def pair_features(
    sentence: str,
    agent: Span,
    target: Span,
    *,
    between_entities: int = 0,
    others: Sequence[Mention] = (),
) -> list[str]:
    """Names of the binary features of the (miRNA ``agent``, gene ``target``) pair.

    ``others`` are the sentence's other miRNA and gene mentions (overlaps with the pair are
    ignored); without them the features use ``between_entities`` alone.

    >>> "order:mirna_first" in pair_features("miR-21 targets PTEN.", (0, 6), (15, 19))
    True
    """
    mentions = [
        o
        for o in others
        if not _overlap(o[:2], agent) and not _overlap(o[:2], target) and o[0] < o[1]
    ]
    spans = [(start, end) for start, end, _ in mentions]
    forward = agent[0] <= target[0]
    first, second = (agent, target) if forward else (target, agent)
    features = ["bias", f"order:{'mirna_first' if forward else 'gene_first'}"]

    verdict = classify_regulation(
        sentence, agent, target, between_entities=between_entities, structural=False
    )
    if verdict is None:
        features.append("rule:none")
    else:
        features.append("rule:negated" if verdict.negated else "rule:yes")
        features.append(f"rule:strong={verdict.strong}")
        features.append(f"rule:trigger={_stem(verdict.trigger.split()[0])}")

    between_raw = sentence[first[1] : second[0]]
    between = _blind(between_raw, first[1], spans)
    before = _blind(sentence[max(0, first[0] - 80) : first[0]], max(0, first[0] - 80), spans)
    after = _blind(sentence[second[1] : second[1] + 80], second[1], spans)
    tokens = _tokens(between)
    n_tokens = len(tokens)
    features.append(f"dist:{_bucket(n_tokens, (0, 1, 2, 3, 5, 8, 12, 18, 25))}")
    inside = [o for o in mentions if first[1] <= o[0] and o[1] <= second[0]]
    n_between = len(inside) if mentions else between_entities
    features.append(f"between_entities:{_bucket(n_between, (0, 1, 2, 4))}")
    features += _neighbour_features(agent, target, mentions, inside)
    features.append(f"order_dist:{'f' if forward else 'b'}{_bucket(n_tokens, (2, 5, 10, 20))}")

    if _COORDINATION.match(between):
        features.append("between:coordination")
    if _COORDINATION.match(between.replace("ENT", "")):
        features.append("between:list_of_entities")
    if not between.strip():
        features.append("between:adjacent")
    if between_raw.strip() in ("-", "/", "-/"):
        features.append("between:hyphen")
    depth = len(_PAREN_OPEN.findall(between)) - len(_PAREN_CLOSE.findall(between))
    if depth != 0:
        features.append("between:parenthesis")
    for name, pattern in _CLASSES.items():
        if pattern.search(between):
            features.append(f"cls_between:{name}")
            features.append(f"cls_between:{name}:{'f' if forward else 'b'}")
        if pattern.search(before[-40:]):
            features.append(f"cls_before:{name}")
        if pattern.search(after[:40]):
            features.append(f"cls_after:{name}")
    features += _sentence_classes(sentence)

    if n_tokens <= 12:
        features += [f"w:{t}" for t in set(tokens) if t.isalpha()]
        features += [f"bi:{a}_{b}" for a, b in itertools.pairwise(tokens)]
    else:
        features += [f"wfar:{t}" for t in set(tokens[:4] + tokens[-4:]) if t.isalpha()]
    left = _tokens(before)[-3:]
    right = _tokens(after)[:3]
    features += [f"L{len(left) - i}:{t}" for i, t in enumerate(left)]
    features += [f"R{i + 1}:{t}" for i, t in enumerate(right)]
    if right:
        features.append(f"R1o:{'m' if forward else 'g'}:{right[0]}")
    if left:
        features.append(f"L1o:{'m' if forward else 'g'}:{left[-1]}")
    if tokens:
        features.append(f"B1:{tokens[0]}")
        features.append(f"Bn:{tokens[-1]}")
    gene_after = _tokens(sentence[target[1] : target[1] + 30])[:2]
    features += [f"GA:{t}" for t in gene_after]
    mirna_after = _tokens(sentence[agent[1] : agent[1] + 30])[:2]
    features += [f"MA:{t}" for t in mirna_after]
    return features


@lru_cache(maxsize=64)
def _sentence_classes(sentence: str) -> tuple[str, ...]:
    """The word classes of the whole sentence: the same for every pair in it."""
    return tuple(
        f"cls_sentence:{name}" for name, pattern in _CLASSES.items() if pattern.search(sentence)
    )


def _neighbour_features(
    agent: Span, target: Span, mentions: Sequence[Mention], inside: Sequence[Mention]
) -> list[str]:
    """How crowded the sentence is and whether the two are each other's nearest partner."""
    n_mirna = 1 + sum(1 for m in mentions if m[2] == "mirna")
    n_gene = 1 + sum(1 for m in mentions if m[2] == "gene")
    features = [
        f"n_mirna:{_bucket(n_mirna, (1, 2, 3))}",
        f"n_gene:{_bucket(n_gene, (1, 2, 3, 5))}",
        f"n_pairs:{_bucket(n_mirna * n_gene, (1, 2, 4, 6, 10))}",
    ]
    kinds = {m[2] for m in inside}
    features += [f"inside:{kind}" for kind in sorted(kinds)]
    if not kinds:
        features.append("inside:nothing")

    def gap(first: Span, second: Span) -> int:
        return max(first[0], second[0]) - min(first[1], second[1])

    distance = gap(agent, target)
    nearest_gene = all(gap(agent, m[:2]) >= distance for m in mentions if m[2] == "gene")
    nearest_mirna = all(gap(target, m[:2]) >= distance for m in mentions if m[2] == "mirna")
    features.append(f"nearest:gene={nearest_gene}")
    features.append(f"nearest:mirna={nearest_mirna}")
    features.append(f"nearest:both={nearest_gene and nearest_mirna}")
    return features


def _overlap(first: Span, second: Span) -> bool:
    return first[0] < second[1] and second[0] < first[1]
