"""Disease readings of adjectives in the relation stage.

- ``inflamed periodontal tissue`` and ``periodontal inflammation`` name the inflammation of
  that organ, whose disease name is the adjective's stem with ``-itis`` (periodontitis,
  pancreatitis, synovitis), when the vocabulary knows it;
- ``damaged cartilage tissue``, ``injured liver`` name an injury of that organ: the
  vocabulary's ``<organ> injury``, ``<organ> damage`` or else ``<organ> disease``;
- a bare adjective that some vocabulary lists as a disease synonym (``allergic`` for atopic
  eczema) names no disease when it qualifies another noun (``allergic sensitization``);
  before the study subjects (``diabetic mice``) it does (see ``_disease_adjectives``).
"""

from __future__ import annotations

import re

from evkg.extract.ner import Mention
from evkg.model import EntityKind
from evkg.vocab import Vocabulary

__all__ = ["bare_adjectives", "damaged_organs", "inflamed_organs", "itis_names"]

_DISEASE = EntityKind.DISEASE.value

#: "inflamed periodontal tissue", "inflamed synovial membrane", "inflamed gastric mucosa".
_INFLAMED = re.compile(
    r"\binflamed\s+(?P<adjective>[a-z]{4,}(?:al|ic|ar))"
    r"(?:\s+(?:tissues?|mucosa|membranes?|joints?|walls?|lining))?\b",
)
_ADJECTIVE_ENDING = re.compile(r"(?:eal|ial|al|ic|ar)$")
#: "damaged cartilage tissue", "injured liver".
_DAMAGED = re.compile(r"\b(?:damaged|injured)\s+(?P<organ>[a-z]{3,})(?:\s+tissues?)?\b")
#: A bare adjective disease mention ("allergic", "diabetic") and the word it qualifies.
_ADJECTIVE = re.compile(r"^[a-z]{4,}(?:ic|al|ous|ive|ary|oid)$")
_QUALIFIED = re.compile(r"\s+(?P<noun>[A-Za-z][\w-]*)")
_SUBJECTS = frozenset(
    ["mice", "mouse", "rat", "rats", "patients", "patient", "animals", "subjects", "models",
     "model", "individuals", "children", "infants", "people", "donors", "cohort", "cohorts"]
)  # fmt: skip


def itis_names(adjective: str) -> list[str]:
    """Disease names for the inflammation of the organ an adjective names.

    >>> itis_names("periodontal"), itis_names("pancreatic")
    (['periodontitis'], ['pancreatitis'])
    """
    stem = _ADJECTIVE_ENDING.sub("", adjective.lower())
    return [f"{stem}itis"] if len(stem) >= 3 and stem != adjective.lower() else []


def inflamed_organs(vocabulary: Vocabulary, text: str, mentions: list[Mention]) -> list[Mention]:
    """``inflamed <organ adjective> (tissue)`` as a mention of the organ's ``-itis``."""
    if "inflamed" not in text:
        return mentions
    added: list[Mention] = []
    for match in _INFLAMED.finditer(text):
        if any(m.start < match.end() and match.start() < m.end for m in mentions):
            continue
        for name in itis_names(match["adjective"]):
            hit = vocabulary.disease(name)
            if hit is not None:
                curies = tuple(dict.fromkeys(vocabulary.canonical_disease(c) for c in hit.curies))
                added.append(
                    Mention(match.start(), match.end(), match.group(0), _DISEASE, curies, "pattern")
                )
                break
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


def damaged_organs(vocabulary: Vocabulary, text: str, mentions: list[Mention]) -> list[Mention]:
    """``damaged <organ> (tissue)`` as a mention of the organ's injury (or, failing that,
    of the organ's disease), when the vocabulary knows one."""
    if "damaged" not in text and "injured" not in text:
        return mentions
    added: list[Mention] = []
    for match in _DAMAGED.finditer(text):
        if any(m.start < match.end() and match.start() < m.end for m in mentions):
            continue
        organ = match["organ"]
        names = (f"{organ} injury", f"{organ} damage", f"{organ} disease")
        hit = next((h for h in map(vocabulary.disease, names) if h is not None), None)
        if hit is not None:
            curies = tuple(dict.fromkeys(vocabulary.canonical_disease(c) for c in hit.curies))
            added.append(
                Mention(match.start(), match.end(), match.group(0), _DISEASE, curies, "pattern")
            )
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


def bare_adjectives(text: str, mentions: list[Mention]) -> list[Mention]:
    """Without the disease mentions that are a bare adjective qualifying another noun
    (``allergic sensitization``), which name no disease of their own."""
    result: list[Mention] = []
    for mention in mentions:
        if mention.kind == _DISEASE and _ADJECTIVE.match(mention.text):
            following = _QUALIFIED.match(text, mention.end)
            if following is not None and following["noun"].lower() not in _SUBJECTS:
                continue
        result.append(mention)
    return result
