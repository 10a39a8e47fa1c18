"""Entity recognition: a dictionary matcher (Aho–Corasick over every name of the vocabulary),
the miRNA grammar, a pattern for EV mentions, and abbreviation propagation.

The automaton is built once per process and vocabulary (:func:`recognizer_for`); matching
runs on a length-preserving normalised copy of the text (lower case, Greek letters spelt in
Latin, punctuation as spaces) with spaces around every key, so that every hit falls on word
boundaries without a check in Python.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick

from evkg.extract import _stopwords
from evkg.extract._stopwords import GENERIC_PROCESS_WORDS, METHOD_WORDS, STOPWORDS
from evkg.extract.abbreviations import VESICLE_WORDS, is_preparation_name
from evkg.model import EntityKind
from evkg.vocab import Match, Vocabulary
from evkg.vocab.lexicon import GREEK_TO_LATIN, fold_name
from evkg.vocab.mirna import named_group
from evkg.vocab.pickle_cache import read_pickle_cache, write_pickle_cache

__all__ = [
    "EV",
    "EV_PATTERN",
    "MIRNA_PATTERN",
    "Mention",
    "Recognizer",
    "find_mirna_mentions",
    "recognizer_for",
]

_log = logging.getLogger(__name__)

#: Kind of a generic EV mention ("exosomes", "EVs"), which has no identifier of its own.
EV = "ev"

_DICTIONARY_KINDS = (
    EntityKind.EV_SOURCE,
    EntityKind.CARGO,
    EntityKind.MODIFICATION,
    EntityKind.ROUTE,
    EntityKind.MODEL,
    EntityKind.SPECIES,
    EntityKind.GENE,
    EntityKind.DISEASE,
    EntityKind.PATHWAY,
    EntityKind.PROCESS,
)
#: Species a miRNA name is looked up in when the text's species lacks it ("miR-101a" in a
#: paper on human cells: human has miR-101 only), human first.
_FALLBACK_SPECIES = ("hsa", "mmu", "rno")
#: A miRNA name followed by more digits it could not take ("miR-1a-65p"): a misprint.
_MISPRINTED_TAIL = re.compile(r"[-_]\d")
_DISEASE_PREFERENCE = ("doid", "mondo", "evkg.disease", "mesh")
_PRIORITY = {kind: rank for rank, kind in enumerate(_DICTIONARY_KINDS)}

_LIST_ITEM = r"\d{1,4}(?:[a-z]|-[a-z])?\d?(?:-\d)?(?:-[35]p)?"
MIRNA_PATTERN = re.compile(
    rf"""(?:(?<![\w/-])|(?<=\bEV-)|(?<=\bEVs-)|(?<=\b[Ee]xo-)|(?<=\b[Ee]xos-)|
        (?<=\bsEV-)|(?<=\bsEVs-)|(?<=\bexosome-)|(?<=\bexosomal-)|
        (?<=\b[Aa]nti-)|(?<=\b[Aa]ntagomir-))
    (?:(?!pre-)[a-z]{{3}}-)?
    (?:
        (?:micro[\s-]?RNA|miRNA|miR|mir)[\s-]?\d{{1,4}}[a-z]?\d?
        (?:-\d{{1,3}}(?![\d.,]\d))*
        (?:-[35]p)?
        (?:/(?:\d{{1,4}}[a-z]?|[a-z])(?:-\d)?(?:-[35]p)?(?![\w]))*
        (?:[~∼]\d{{1,4}}[a-z]?)*
        (?:,\s*-{_LIST_ITEM})*
        (?:(?:,\s*\d{{2,4}}[a-z]?)+)?
        (?:,?\s*(?:and|or)\s*(?:-\d{{1,4}}|\d{{2,4}})(?:[a-z]|-[a-z])?\d?(?:-\d)?(?:-[35]p)?)?
      |
        (?:mi[Rr]-?)?let-?7[a-k]?(?:-\d)?(?:-[35]p)?  # "miR-let7c" too
      |
        lin-4
    )
    (?![\w])""",
    re.IGNORECASE | re.VERBOSE,
)


_LIST_SPLIT = re.compile(r"\s*(?:,|/|~|∼|\band\b|\bor\b)\s*")
_LIST_SEPARATOR = re.compile(r"\s*(?:,\s*(?:and|or)?|/|\band\b|\bor\b)\s*")
_MEMBER_HEAD = re.compile(r"^(?P<stem>.*?[-\s]?)(?P<number>\d{1,4})(?P<letter>[a-z]?)", re.I)


def _list_members(surface: str) -> list[tuple[int, int, str]]:
    """(start, end, full name) of each member of a miRNA name that lists several
    (``miR-26a, -34a and -145``; ``miR-200b/c``); clusters (``miR-17~92``) stay one name.

    >>> [name for _, _, name in _list_members("miR-26a, -34a and -145")]
    ['miR-26a', 'miR-34a', 'miR-145']
    >>> _list_members("miR-200b/c")
    [(0, 8, 'miR-200b'), (9, 10, 'miR-200c')]
    """
    if "~" in surface or "∼" in surface:  # a cluster is named whole, never by a member
        return [(0, len(surface), surface.replace("∼", "~"))]
    pieces: list[tuple[int, int]] = []
    start = 0
    for separator in _LIST_SEPARATOR.finditer(surface):
        pieces.append((start, separator.start()))
        start = separator.end()
    pieces.append((start, len(surface)))
    first = surface[pieces[0][0] : pieces[0][1]]
    head = _MEMBER_HEAD.match(first)
    members = [(pieces[0][0], pieces[0][1], first)]
    for low, high in pieces[1:]:
        member = surface[low:high].lstrip("-")
        if not member or head is None:
            continue
        if member.isalpha():  # "miR-200b/c": a sister letter of the first member
            name = f"{head['stem']}{head['number']}{member}"
        else:
            name = f"{head['stem']}{member}"
        members.append((low, high, name))
    return members


#: Vesicle words, capitalised as well (a title or sentence opens with "Exosomes derived
#: from …"); the EV short form stays upper-case ("evs" is no word of it).
EV_PATTERN = re.compile(
    r"\b(?:[Ee]xtracellular[\s-]vesicles?|[Ee]xosom(?:e|es|al)|s?EVs?|[Mm]icrovesicles?|"
    r"[Ee]xos?|EXOs?|MVs|[Nn]anovesicles?|[Ss]mall vesicles?)\b"
)


def _translation() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(128):
        char = chr(code)
        if not char.isalnum():
            table[code] = " "
    for greek, latin in GREEK_TO_LATIN.items():
        table[ord(greek)] = latin
    for char in "‐‑‒–—―−·•’‘“”″′":
        table[ord(char)] = " "
    # accented Latin letters read as their base letter, one character for one so that
    # offsets stay those of the text ("Sjögren's syndrome" is "Sjogren's syndrome")
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFKD", chr(code))[0]
        if base != chr(code) and base.isascii() and base.isalpha():
            table[code] = base
    return table


_CASE_KEEP = _translation()
#: The same, lower-cased (Greek and accented letters as their lower-case Latin letter).
_LOWER = {code: char.lower() for code, char in _CASE_KEEP.items()}
_LOWER.update((code, chr(code + 32)) for code in range(ord("A"), ord("Z") + 1))


def _normalise(text: str, *, lower: bool = True) -> str:
    return text.translate(_LOWER if lower else _CASE_KEEP)


@dataclass(frozen=True, slots=True)
class Mention:
    """A recognised entity mention: offsets into the text it was found in."""

    start: int
    end: int
    text: str
    kind: str  # an EntityKind value, or EV
    curies: tuple[str, ...]
    how: str = "dictionary"  # dictionary | grammar | abbreviation | pattern

    @property
    def curie(self) -> str | None:
        return self.curies[0] if self.curies else None


def find_mirna_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of every miRNA name, a trailing ``*`` left out of the span.

    >>> find_mirna_mentions("miR-21, hsa-miR-146a-5p and let-7c but not MIRO1")
    [(0, 6, 'miR-21'), (8, 23, 'hsa-miR-146a-5p'), (28, 34, 'let-7c')]
    """
    return [(m.start(), m.end(), m.group(0)) for m in MIRNA_PATTERN.finditer(text)]


def _case_sensitive(name: str, kind: EntityKind) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    if kind == EntityKind.GENE:
        return len(name) <= 6 or " " not in name.strip() or not any(c.islower() for c in letters)
    return len(name) <= 6 and not any(c.islower() for c in letters)


def _usable(key: str, kind: EntityKind) -> bool:
    if len(key) < 3 or key.isdigit() or key in STOPWORDS:
        return False
    if key in METHOD_WORDS.get(kind.value, ()):
        return False
    return not (kind in (EntityKind.PROCESS, EntityKind.PATHWAY) and key in GENERIC_PROCESS_WORDS)


def _plural(name: str, kind: EntityKind) -> bool:
    """Whether papers also write this name in the plural: a cell or EV-source name ending
    in "cell" or in an upper-case short form ("bone marrow MSC"), or a disease named for
    its lesion ("skin wound", "diabetic ulcer")."""
    if kind == EntityKind.DISEASE:
        return name.endswith(("wound", "ulcer", "lesion", "defect"))
    if kind not in (EntityKind.EV_SOURCE, EntityKind.CELL_TYPE):
        return False
    words = name.split()
    last = words[-1].rsplit("-", 1)[-1] if words else ""  # "UCB-MSC": its short form
    return last.lower().endswith("cell") or (len(last) >= 3 and last.isupper() and last.isalpha())


#: British spellings of the American protein names vocabularies mostly give (folded keys;
#: disease vocabularies list their own, and a model read longer than its disease would hide
#: it: "myocardial ischaemia-reperfusion injury").
_BRITISH_SPELLINGS = tuple(
    (re.compile(american), british)
    for american, british in (
        (r"tumor", "tumour"),
        (r"ischem", "ischaem"),
        (r"\bheme\b", "haem"),
        (r"\bhem(?=o|at|angi|olytic)", "haem"),
        (r"\bedema", "oedema"),
        (r"\bleukem", "leukaem"),
        (r"\banem", "anaem"),
        (r"\besophag", "oesophag"),
        (r"\bestrogen", "oestrogen"),
    )
)

#: A gene name ending in a Greek letter spelt out, which papers write as the letter.
_SPELLED_GREEK = re.compile(r" (?P<name>alpha|beta|gamma|delta|epsilon|kappa|zeta|tau|omega)$")
_GREEK_LETTER = {
    "alpha": "a", "beta": "b", "gamma": "g", "delta": "d", "epsilon": "e", "kappa": "k",
    "zeta": "z", "tau": "t", "omega": "w",
}  # fmt: skip

#: One dictionary key's entries: (curie, kind, exact spellings or None for any case).
_Payload = tuple[tuple[str, EntityKind, frozenset[str] | None], ...]
_Tables = tuple[Any, list[_Payload], list[int]]


def _build_tables(vocabulary: Vocabulary) -> _Tables:
    """The automaton (padded key -> index), payloads and padded key lengths of ``vocabulary``."""
    # folded key -> curie -> [kind, is a label, exact spellings (None: any case)]
    grouped: dict[str, dict[str, list[Any]]] = defaultdict(dict)
    for entry in vocabulary.lexicon.entries.values():
        if entry.kind not in _PRIORITY:
            continue
        for name, how in entry.names():
            key = " ".join(_normalise(name).split())
            if not _usable(key, entry.kind):
                continue
            sensitive = _case_sensitive(name, entry.kind)
            exact = " ".join(_normalise(name, lower=False).split())
            variants = {key}
            if " " in key and any(c.isdigit() for c in key):
                variants.add(key.replace(" ", ""))  # IL-6 also as IL6
            for american, british in _BRITISH_SPELLINGS:  # "tumour necrosis factor"
                if entry.kind == EntityKind.GENE and american.search(key):
                    variants.add(american.sub(british, key))
                    exact = f"{exact}|{american.sub(british, exact)}"
            spelled = _SPELLED_GREEK.search(key) if entry.kind == EntityKind.GENE else None
            if spelled:  # "14-3-3 zeta" also as 14-3-3ζ, "IL-1 beta" as IL-1β
                base, letter = key[: spelled.start()], _GREEK_LETTER[spelled["name"]]
                variants |= {f"{base} {letter}", f"{base}{letter}"}
                exact_base = exact[: len(exact) - len(spelled.group(0))]
                exact = f"{exact}|{exact_base} {letter}|{exact_base}{letter}"
            plural = _plural(name, entry.kind)
            if plural:  # "bone marrow MSCs", "umbilical cord mesenchymal stem cells"
                variants.add(f"{key}s")
                exact = f"{exact}|{exact}s"
            for variant in variants:
                if len(variant) < 3 or variant in STOPWORDS:
                    continue
                slot = grouped[variant].setdefault(entry.curie, [entry.kind, False, set()])
                slot[1] = slot[1] or how == "label"
                if slot[2] is not None:
                    if sensitive:
                        for form in exact.split("|"):
                            slot[2].update({form, form.replace(" ", "")})
                    else:
                        slot[2] = None
    payloads: list[_Payload] = []
    lengths: list[int] = []
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for key, bucket in grouped.items():
        ordered = sorted(
            bucket.items(), key=lambda item: (_PRIORITY[item[1][0]], not item[1][1], item[0])
        )
        payload = tuple(
            (curie, kind, frozenset(forms) if forms is not None else None)
            for curie, (kind, _label, forms) in ordered
        )
        automaton.add_word(f" {key} ", len(payloads))
        payloads.append(payload)
        lengths.append(len(key) + 2)
    automaton.make_automaton()
    return automaton, payloads, lengths


#: Texts up to this length have their dictionary mentions remembered, up to this many.
_MEMO_LENGTH = 80
_MEMO_SIZE = 4096

#: Bump when the saved tables change shape; part of the cache key.
_TABLES_FORMAT = 1
#: Saved tables kept in a cache directory (e.g. of the full and of the compact lexicon).
_TABLES_KEPT = 3


def _tables_key(vocabulary: Vocabulary) -> str:
    """Content hash of what the tables are built from: every dictionary entry (identifier,
    kind, label, synonyms), the code that builds them (this module and the stop words) and
    the automaton library's version."""
    digest = hashlib.sha256(f"evkg recogniser tables v{_TABLES_FORMAT}\n".encode())
    for module in (__file__, _stopwords.__file__):
        digest.update(Path(module).read_bytes())
    digest.update(repr(sorted(GREEK_TO_LATIN.items())).encode())
    try:
        digest.update(importlib.metadata.version("pyahocorasick").encode())
    except importlib.metadata.PackageNotFoundError:
        digest.update(b"pyahocorasick ?")
    digest.update(
        "\n".join(
            f"{e.curie}\t{e.kind.value}\t{e.label}\t{chr(31).join(e.synonyms)}"
            for e in vocabulary.lexicon.entries.values()
            if e.kind in _PRIORITY
        ).encode()
    )
    return digest.hexdigest()


def _tables_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"recogniser-v{_TABLES_FORMAT}-{key[:24]}.pickle"


def _load_tables(vocabulary: Vocabulary, cache_dir: Path) -> _Tables | None:
    """The tables saved for this lexicon content, or None (missing, stale or unreadable:
    then they are built again)."""
    key = _tables_key(vocabulary)

    def matching(saved: Any) -> _Tables | None:
        if isinstance(saved, dict) and saved.get("key") == key and "tables" in saved:
            tables: _Tables = saved["tables"]
            return tables
        return None

    return read_pickle_cache(_tables_path(cache_dir, key), "recogniser", matching)


def _save_tables(tables: _Tables, vocabulary: Vocabulary, cache_dir: Path) -> None:
    """Save the tables under the lexicon's content key; keep only the most recent few
    files (each is ~200 MB for the full lexicon)."""
    key = _tables_key(vocabulary)
    payload = {"key": key, "tables": tables}
    if write_pickle_cache(_tables_path(cache_dir, key), payload, "recogniser"):
        saved = sorted(cache_dir.glob("recogniser-v*-*.pickle"), key=lambda f: f.stat().st_mtime)
        for stale in saved[:-_TABLES_KEPT]:
            stale.unlink(missing_ok=True)


class Recognizer:
    """Dictionary entity recognition over one vocabulary."""

    def __init__(self, vocabulary: Vocabulary, *, cache_dir: Path | None = None) -> None:
        """Build the automaton over ``vocabulary``, or load it from ``cache_dir`` where an
        earlier build over the same lexicon content was saved (building takes ~15 s for
        the full lexicon, loading about one)."""
        self.vocabulary = vocabulary
        tables = _load_tables(vocabulary, cache_dir) if cache_dir is not None else None
        if tables is None:
            tables = _build_tables(vocabulary)
            if cache_dir is not None:
                _save_tables(tables, vocabulary, cache_dir)
        self._automaton, self._payloads, self._lengths = tables
        self._memo: dict[str, tuple[Mention, ...]] = {}

    def __len__(self) -> int:
        return len(self._payloads)

    # -- dictionary -----------------------------------------------------------------------
    def dictionary_mentions(self, text: str) -> list[Mention]:
        """Longest non-overlapping dictionary mentions in ``text``.

        Short texts, such as the long forms of abbreviations (looked up again for every
        sentence of their document), are answered from memory."""
        if len(text) > _MEMO_LENGTH:
            return self._dictionary_mentions(text)
        found = self._memo.get(text)
        if found is None:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            found = self._memo[text] = tuple(self._dictionary_mentions(text))
        return list(found)

    def _dictionary_mentions(self, text: str) -> list[Mention]:
        padded = f" {_normalise(text)} "
        candidates = [
            (end - self._lengths[index] + 1, end - 1, index)
            for end, index in self._automaton.iter(padded)
        ]
        if not candidates:
            return []
        candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
        mentions: list[Mention] = []
        taken_until = -1
        keep_case: str | None = None
        for start, stop, index in candidates:
            if start < taken_until:
                continue
            curies: list[str] = []
            kind: EntityKind | None = None
            for curie, entry_kind, forms in self._payloads[index]:
                if forms is not None:
                    if keep_case is None:
                        keep_case = _normalise(text, lower=False)
                    exact = " ".join(keep_case[start:stop].split())
                    if exact not in forms and exact.replace(" ", "") not in forms:
                        continue
                if kind is None:
                    kind = entry_kind
                if entry_kind == kind:
                    curies.append(curie)
            if kind is None:
                continue
            if kind == EntityKind.DISEASE:
                curies = self._preferred_diseases(curies)
            mentions.append(Mention(start, stop, text[start:stop], kind.value, tuple(curies)))
            taken_until = stop
        return mentions

    def _preferred_diseases(self, curies: Sequence[str]) -> list[str]:
        canonical = list(dict.fromkeys(self.vocabulary.canonical_disease(c) for c in curies))
        best = min(_disease_rank(c) for c in canonical)
        return [c for c in canonical if _disease_rank(c) == best]

    # -- everything -----------------------------------------------------------------------
    def mentions(
        self, text: str, *, species: str = "hsa", abbreviations: Iterable[tuple[str, str]] = ()
    ) -> list[Mention]:
        """miRNA, EV and dictionary mentions of ``text``, abbreviations resolved through
        their long forms; sorted by offset, non-overlapping."""
        found: list[Mention] = []
        for start, end, surface in find_mirna_mentions(text):
            star = text[end : end + 1] == "*"
            for offset, stop, name in _list_members(surface):
                hit = self.vocabulary.mirna(
                    name + ("*" if star and stop == len(surface) else ""), species
                )
                # a name only another species has, unless it is cut out of a misprint
                # ("miR-1a-65p" is no rodent miR-1a; "miR-101a-loaded" is miR-101a)
                if hit is None and not _MISPRINTED_TAIL.match(text, end):
                    hit = self._mirna_of_another_species(name, species)
                # a family or cluster is none of its members: what is said of it is said of
                # the group ("miR-17-92", "miR-200 family", "miR-181" without a letter)
                group = None
                if hit is None or {"family", "cluster"} & set(hit.flags):
                    group = named_group(name, text[start + stop : start + stop + 8])
                if group is not None:
                    curies: tuple[str, ...] = (group,)
                else:
                    curies = hit.curies if hit and "cluster" not in hit.flags else ()
                found.append(
                    Mention(
                        start + offset,
                        start + stop,
                        surface[offset:stop],
                        EntityKind.MIRNA.value,
                        curies,
                        "grammar",
                    )
                )
        for match in EV_PATTERN.finditer(text):
            found.append(Mention(match.start(), match.end(), match.group(0), EV, (), "pattern"))
        found.extend(m for m in self.dictionary_mentions(text) if not _name_fragment(text, m))
        found = self._apply_abbreviations(text, found, abbreviations)
        return _non_overlapping(found)

    def _mirna_of_another_species(self, name: str, species: str) -> Match | None:
        for other in _FALLBACK_SPECIES:
            if other != species and (hit := self.vocabulary.mirna(name, other)) is not None:
                return hit
        return None

    def _apply_abbreviations(
        self, text: str, mentions: list[Mention], abbreviations: Iterable[tuple[str, str]]
    ) -> list[Mention]:
        definitions = dict(abbreviations)
        if not definitions:
            return mentions
        resolved: dict[str, Mention | None] = {}
        for short, long in definitions.items():
            hits = self.dictionary_mentions(long)
            whole = [m for m in hits if m.end - m.start >= 0.6 * len(long)]
            resolved[short] = whole[-1] if whole else None
        kept = [m for m in mentions if m.how != "dictionary" or m.text not in resolved]
        for short, long_mention in resolved.items():
            if long_mention is None and not _is_ev_words(short):
                kept += self._preparation_abbreviation(text, short, definitions[short])
            if long_mention is None or _is_ev_words(short):
                continue
            for match in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w]|-\d)", text):
                kept.append(
                    Mention(
                        match.start(),
                        match.end(),
                        short,
                        long_mention.kind,
                        long_mention.curies,
                        "abbreviation",
                    )
                )
        return kept

    def _preparation_abbreviation(self, text: str, short: str, long: str) -> list[Mention]:
        """Mentions of a short name a paper gives its modified vesicles ("EXO derived from
        hemin-pretreated MSCs (Hemin-MSC-EXO)", "MSC-Exo primed with IL-1β (MSC-IL-Exo)"):
        the part naming the modification (Hemin, IL) as that modification, so that what
        the short name does is said of the modified vesicles. Other parts are left to the
        dictionary (MSC-EXO)."""
        if not is_preparation_name(short) or not VESICLE_WORDS.search(long):
            return []
        parts = short.split("-")
        modifications = [
            m for m in self.dictionary_mentions(long) if m.kind == EntityKind.MODIFICATION.value
        ]
        if len(modifications) != 1:
            return []
        modification = modifications[0]
        word = next(
            (
                p
                for p in parts[:-1]
                if len(p) >= 2 and fold_name(modification.text).startswith(fold_name(p))
            ),
            None,
        )
        if word is None:
            return []
        found: list[Mention] = []
        for match in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w]|-\d)", text):
            offset = match.start() + short.index(word)
            found.append(
                Mention(
                    offset,
                    offset + len(word),
                    word,
                    modification.kind,
                    modification.curies,
                    "abbreviation",
                )
            )
        return found


#: What follows a gene symbol that is only part of a longer name: a number ("CCK-8"), an
#: assay or kit, or a cell line's code ("HST-T6 cells").
_FRAGMENT_AFTER = re.compile(
    r"-\d+\b(?![.,]\d)|\s+(?:assays?|kits?)\b|[-‐][A-Z]{1,3}\d+[A-Za-z]*\s+cells?\b",
    re.IGNORECASE,
)


def _name_fragment(text: str, mention: Mention) -> bool:
    """Is a gene mention only part of a longer name, an assay's or a cell line's ("CCK-8",
    "LDH assay", "HST-T6 cells")?"""
    return mention.kind == EntityKind.GENE.value and bool(_FRAGMENT_AFTER.match(text, mention.end))


def _disease_rank(curie: str) -> int:
    prefix = curie.split(":", 1)[0]
    return _DISEASE_PREFERENCE.index(prefix) if prefix in _DISEASE_PREFERENCE else 99


def _is_ev_words(short: str) -> bool:
    return bool(EV_PATTERN.fullmatch(short))


_HOW_RANK = {"grammar": 0, "abbreviation": 1, "pattern": 2, "dictionary": 3}


def _non_overlapping(mentions: list[Mention]) -> list[Mention]:
    ordered = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start), _HOW_RANK[m.how]))
    result: list[Mention] = []
    for mention in ordered:
        if result and mention.start < result[-1].end:
            previous = result[-1]
            # a miRNA or abbreviation inside a longer dictionary hit wins
            if _HOW_RANK[mention.how] < _HOW_RANK[previous.how] and mention.how == "grammar":
                result[-1] = mention
            continue
        result.append(mention)
    return result


_CACHE: dict[int, tuple[Vocabulary, Recognizer]] = {}


def recognizer_for(vocabulary: Vocabulary, *, cache_dir: Path | None = None) -> Recognizer:
    """The recogniser of ``vocabulary``, made on first use in this process (loaded from
    ``cache_dir`` when an earlier process saved it there for the same lexicon content)."""
    cached = _CACHE.get(id(vocabulary))
    if cached is None or cached[0] is not vocabulary:
        cached = (vocabulary, Recognizer(vocabulary, cache_dir=cache_dir))
        _CACHE[id(vocabulary)] = cached
    return cached[1]
