"""The disease an experimental model stands for: a treatment shown in ``collagen-induced
arthritis mice``, an ``experimental colitis`` or a ``mouse model of acute liver failure`` is a
treatment of that disease.

Recognition keeps the model (it is context: species, induction, design); the relation stage
reads it as a mention of the disease it models, found from its own words and from the
vocabulary's name of the model, never guessed beyond them.
"""

from __future__ import annotations

import re
import weakref

from evkg.extract.ner import Mention
from evkg.model import EntityKind
from evkg.vocab import Vocabulary

__all__ = ["modelled_diseases"]

_MODEL = EntityKind.MODEL.value
_DISEASE = EntityKind.DISEASE.value

#: "model(s) of D", "rats with (established) D".
_MODEL_OF = re.compile(
    r"\bmodels?\s+of\s+(?P<of>.+)$|^(?:\w+\s+)?with\s+(?:established\s+)?(?P<with>.+)$", re.I
)
#: Words that name the experiment, not the disease: the species, "model", "experimental",
#: the inducing agent ("cisplatin-induced", "DSS-induced") and a label's qualifier "(rat)".
_MODEL_WORDS = re.compile(
    r"\((?:in\s+vivo|ex\s+vivo|in\s+vitro|rats?|mouse|mice|murine)\)|"
    r"^.*\S-(?:induced|injected|treated)\s+|"
    r"\b(?:experimental|established|spontaneous|in\s+vitro|in\s+vivo|ex\s+vivo|mouse|mice|"
    r"murine|rats?|models?)\b",
    re.IGNORECASE,
)

_QUALIFIER = re.compile(r"\(([^()]{4,})\)")
#: A word, not an abbreviation, in a name
_WORD = re.compile(r"[a-z]{4}")

#: Disease CURIEs of each (model CURIE, surface text), per vocabulary (dropped with it).
_CACHE: weakref.WeakKeyDictionary[Vocabulary, dict[tuple[str, str], tuple[str, ...]]] = (
    weakref.WeakKeyDictionary()
)


def _names(text: str) -> list[str]:
    """Names a model's text may give its disease by, the most literal first."""
    names = [text]
    found = _MODEL_OF.search(text)
    if found:
        names.append(found["of"] or found["with"])
    stripped = " ".join(_MODEL_WORDS.sub(" ", text).split())
    if stripped and stripped != text:
        names.append(stripped)
    # a label's qualifier: "NOD mouse (spontaneous Sjögren's syndrome model)"
    # an abbreviation there ("(BPD)") is no name of its own
    for inner in _QUALIFIER.findall(text):
        named = " ".join(_MODEL_WORDS.sub(" ", inner).split())
        if _WORD.search(named):
            names.append(named)
    return names


def _disease_of(vocabulary: Vocabulary, mention: Mention) -> tuple[str, ...]:
    key = (mention.curie or "", mention.text)
    cache = _CACHE.setdefault(vocabulary, {})
    if key in cache:
        return cache[key]
    entry = vocabulary.lexicon.get(mention.curie) if mention.curie else None
    linked = [value for name, value in entry.attributes if name == "disease"] if entry else []
    if linked:  # the vocabulary says which disease the model stands for
        cache[key] = tuple(dict.fromkeys(vocabulary.canonical_disease(c) for c in linked))
        return cache[key]
    label = vocabulary.lexicon.label(mention.curie) if mention.curie else ""
    texts = [mention.text] + ([label] if label and label != mention.text else [])
    curies: tuple[str, ...] = ()
    # the literal names (surface, then label) before their stripped forms; a stripped form
    # that is only an abbreviation ("model of pSS") after the curated label's
    derived = [n for t in texts for n in _names(t)[1:]]
    worded = [n for n in derived if _WORD.search(n)]
    for name in texts + worded + [n for n in derived if n not in worded]:
        hit = vocabulary.disease(name)
        if hit is not None:
            curies = tuple(dict.fromkeys(vocabulary.canonical_disease(c) for c in hit.curies))
            break
    cache[key] = curies
    return curies


def modelled_diseases(vocabulary: Vocabulary, mentions: list[Mention]) -> list[Mention]:
    """Each model mention that names a disease (``experimental colitis``, ``SH-SY5Y cell
    injury model of Alzheimer's disease``, ``rats with established chronic kidney disease``)
    read as a mention of that disease, over the model's whole span; other models are kept.

    The disease is the model entry's ``disease`` attribute when the vocabulary gives one;
    else it comes from the model's words or the vocabulary's label of the model: as a
    whole, after ``model of`` / ``with``, or without its experimental words (species,
    ``model``, ``experimental``, the inducing ``X-induced``)."""
    if not any(m.kind == _MODEL for m in mentions):
        return mentions
    result: list[Mention] = []
    for mention in mentions:
        curies = _disease_of(vocabulary, mention) if mention.kind == _MODEL else ()
        if curies:
            mention = Mention(mention.start, mention.end, mention.text, _DISEASE, curies, "pattern")
        result.append(mention)
    return result
