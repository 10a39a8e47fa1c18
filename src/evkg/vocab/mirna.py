"""miRNA name grammar: the many ways papers write a miRNA, resolved to miRBase accessions.

Handles ``miR-146a``, ``miR-146a-5p``, ``miRNA-128-3p``, ``microRNA-16-5p``, ``MiR-24-3p``,
``hsa-miR-21-5p``, ``mmu-``/``rno-`` names, ``let-7c``, clusters such as ``miR-17-92``,
star names (``miR-146a*``), precursors (``hsa-mir-146a``) and arm-less names, which map to
both arms and are flagged.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass

from evkg.model import EntityKind
from evkg.vocab.lexicon import Lexicon, LexiconEntry
from evkg.vocab.match import Match

__all__ = [
    "CLUSTERS",
    "CLUSTER_PREFIX",
    "FAMILY_PREFIX",
    "MirnaName",
    "MirnaNormaliser",
    "group_curie",
    "mirna_group_entries",
    "named_group",
    "parse_mirna_name",
]

_SPECIES = {"hsa": "human", "mmu": "mouse", "rno": "rat"}

_NAME = re.compile(
    r"""^
    (?:(?P<species>[a-z]{3})-)?
    (?:
        (?P<mir>mir|mirna|microrna|mi-r|mi\ r)-?\s*
        (?P<number>\d+)(?P<letter>[a-z])?
        (?P<rest>(?:[-~]\d+[a-z]?)*)
      |
        (?P<let>let)-?(?P<let_number>7)(?P<let_letter>[a-z])(?P<let_rest>(?:-\d+)?)
    )
    $""",
    re.IGNORECASE | re.VERBOSE,
)

_SUFFIX = re.compile(r"(?:-(?P<arm>[35]p))?(?P<star>\*)?$", re.IGNORECASE)

#: Polycistronic clusters by their usual names: members as species-less mature stems.
CLUSTERS: dict[str, tuple[str, ...]] = {
    "mir-17-92": ("miR-17", "miR-18a", "miR-19a", "miR-20a", "miR-19b", "miR-92a"),
    "mir-106b-25": ("miR-106b", "miR-93", "miR-25"),
    "mir-106a-363": ("miR-106a", "miR-18b", "miR-20b", "miR-19b", "miR-92a", "miR-363"),
    "mir-23a-27a-24-2": ("miR-23a", "miR-27a", "miR-24"),
    "mir-200c-141": ("miR-200c", "miR-141"),
}

#: Families by their usual names (shared seed/hairpin family): members as species-less stems.
FAMILIES: dict[str, tuple[str, ...]] = {
    "let-7": ("let-7a", "let-7b", "let-7c", "let-7d", "let-7e", "let-7f", "let-7g", "let-7i",
              "miR-98", "miR-202"),
    "mir-1": ("miR-1", "miR-206"),
    "mir-10": ("miR-10a", "miR-10b"),
    "mir-15": ("miR-15a", "miR-15b", "miR-16", "miR-195", "miR-424", "miR-497"),
    "mir-17": ("miR-17", "miR-20a", "miR-20b", "miR-93", "miR-106a", "miR-106b"),
    "mir-19": ("miR-19a", "miR-19b"),
    "mir-23": ("miR-23a", "miR-23b"),
    "mir-26": ("miR-26a", "miR-26b"),
    "mir-27": ("miR-27a", "miR-27b"),
    "mir-29": ("miR-29a", "miR-29b", "miR-29c"),
    "mir-30": ("miR-30a", "miR-30b", "miR-30c", "miR-30d", "miR-30e"),
    "mir-34": ("miR-34a", "miR-34b", "miR-34c"),
    "mir-99": ("miR-99a", "miR-99b", "miR-100"),
    "mir-125": ("miR-125a", "miR-125b"),
    "mir-130": ("miR-130a", "miR-130b", "miR-301a", "miR-301b"),
    "mir-133": ("miR-133a", "miR-133b"),
    "mir-146": ("miR-146a", "miR-146b"),
    "mir-181": ("miR-181a", "miR-181b", "miR-181c", "miR-181d"),
    "mir-199": ("miR-199a", "miR-199b"),
    "mir-200": ("miR-200a", "miR-200b", "miR-200c", "miR-141", "miR-429"),
    "mir-221": ("miR-221", "miR-222"),
}  # fmt: skip
#: Identifiers of the families and clusters themselves, for what a paper says of a family
#: ("miR-181 family", or "miR-181" where miRBase has only miR-181a…d) or of a cluster
#: ("miR-17-92"): a claim on the group, never on one member it names.
FAMILY_PREFIX = "evkg.mirna_family:"
CLUSTER_PREFIX = "evkg.mirna_cluster:"


def _display(key: str) -> str:
    """ "mir-17-92" -> "miR-17-92", "let-7" stays."""
    return "miR-" + key[4:] if key.startswith("mir-") else key


def named_group(name: str, following: str = "") -> str | None:
    """The family or cluster identifier a miRNA name stands for, or None: a family or
    cluster named as such ("miR-200 family", ``following`` being the text after the name),
    a cluster by its members ("miR-17-92", "miR-17~92"), a bare "let-7", or a stem without
    the letter every member of its family has ("miR-181" for miR-181a…d)."""
    word = re.match(r"\s+(family|cluster)\b", following, re.IGNORECASE)
    group = group_members(f"{name} {word[1]}" if word else name)
    if group is not None:
        return group_curie(group[0], group[1])
    parsed = parse_mirna_name(name)
    if name.strip().lower() in ("let-7", "let7"):
        return group_curie("family", "let-7")
    if parsed is None or parsed.precursor or parsed.cluster:
        return None
    key = parsed.stem.lower()
    return group_curie("family", key) if key in FAMILIES and key[-1].isdigit() else None


def group_curie(kind: str, key: str) -> str:
    """The identifier of family or cluster ``key`` (``kind`` "family" or "cluster")."""
    return f"{FAMILY_PREFIX if kind == 'family' else CLUSTER_PREFIX}{key}"


def mirna_group_entries() -> list[LexiconEntry]:
    """A lexicon entry for every family and cluster, its members as ``member`` stems."""
    entries = []
    for kind, groups in (("family", FAMILIES), ("cluster", CLUSTERS)):
        for key, members in groups.items():
            name = _display(key)
            synonyms = (
                (f"{name} family", f"{name}s")
                if kind == "family"
                else (f"{name} cluster", name.replace("-", "~").replace("miR~", "miR-", 1))
            )
            entries.append(
                LexiconEntry(
                    curie=group_curie(kind, key),
                    kind=EntityKind.MIRNA,
                    label=f"{name} {kind}",
                    synonyms=tuple(s for s in synonyms if s != f"{name} {kind}"),
                    attributes=tuple(("member", m) for m in members),
                )
            )
    return entries


_GROUP_WORD = re.compile(r"\s+(?P<word>family|cluster)$", re.IGNORECASE)


def group_members(text: str) -> tuple[str, str, tuple[str, ...]] | None:
    """("family" | "cluster", key, member stems) for a name such as "miR-200 family",
    "let-7 family", "miR-17-92 cluster" or "miR-17~92"; None for other names.

    >>> group_members("miR-200 family")[2]
    ('miR-200a', 'miR-200b', 'miR-200c', 'miR-141', 'miR-429')
    """
    word = _GROUP_WORD.search(text.strip())
    core = text.strip()[: word.start()] if word else text.strip()
    key = re.sub(r"^(?:[a-z]{3}-)?(?:microrna|mirna|mir)-?", "mir-", core.lower())
    key = re.sub(r"\s*[~/]\s*", "-", key)
    if key.startswith(("mir-let-7", "let-7")):
        key = "let-7"
    if word is None or word["word"].lower() == "cluster":
        members = CLUSTERS.get(key)
        if members is not None:
            return "cluster", key, members
    if word is not None and word["word"].lower() == "family" and key in FAMILIES:
        return "family", key, FAMILIES[key]
    return None


@dataclass(frozen=True, slots=True)
class MirnaName:
    """A parsed miRNA name.

    >>> parse_mirna_name("microRNA-16-5p")
    MirnaName(species=None, stem='miR-16', arm='5p', star=False, precursor=False, cluster=None)
    >>> parse_mirna_name("hsa-mir-146a").precursor
    True
    >>> parse_mirna_name("let-7c").stem
    'let-7c'
    >>> parse_mirna_name("miR-17-92").cluster
    'mir-17-92'
    """

    species: str | None
    stem: str  # species-less, arm-less: "miR-146a", "let-7c", "miR-92a-1"
    arm: str | None  # "5p" | "3p"
    star: bool
    precursor: bool
    cluster: str | None


def parse_mirna_name(text: str) -> MirnaName | None:
    """Parse ``text`` as a miRNA name, or return None if it is not one."""
    cleaned = text.strip().replace("–", "-").replace("—", "-").replace("‐", "-")
    cleaned = re.sub(r"\s*-\s*", "-", cleaned)
    cleaned = re.sub(
        r"^(?:([a-z]{3})-)?mi[Rr]-?(?=let-?7)", lambda m: f"{m[1]}-" if m[1] else "", cleaned
    )
    suffix = _SUFFIX.search(cleaned)
    arm = suffix["arm"].lower() if suffix and suffix["arm"] else None
    star = bool(suffix and suffix["star"])
    if suffix:
        cleaned = cleaned[: suffix.start()]
    match = _NAME.match(cleaned)
    if match is None:
        return None
    species = match["species"].lower() if match["species"] else None
    if match["let"]:
        stem = f"let-7{match['let_letter'].lower()}{match['let_rest'] or ''}"
        return MirnaName(species, stem, arm, star, precursor=False, cluster=None)
    rest = match["rest"] or ""
    number, letter = match["number"], (match["letter"] or "").lower()
    parts = [p for p in re.split(r"[-~]", rest) if p]
    cluster = None
    # "-1"/"-2" after the stem is a paralog suffix; a larger number is another cluster member
    paralog = ""
    if parts and parts[0].isdigit() and int(parts[0]) < 10 and len(parts) == 1:
        paralog = f"-{parts[0]}"
    elif parts:
        key = "mir-" + "-".join([number + letter, *[p.lower() for p in parts]])
        cluster = key
    precursor = species is not None and match["mir"] == "mir"
    stem = f"miR-{number}{letter}{paralog}"
    return MirnaName(species, stem, arm, star, precursor, cluster)


class MirnaNormaliser:
    """Resolves miRNA names against the miRNA entries of a lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._current: dict[str, str] = {}
        self._previous: dict[str, list[str]] = defaultdict(list)
        self._hairpins: dict[str, tuple[str, list[str]]] = {}
        # built on the first name to resolve: most queries resolve none (~50 ms of the
        # full vocabularies' 49,000 miRNAs)
        self._built = False
        self._lock = threading.Lock()

    def _build(self) -> None:
        with self._lock:
            if self._built:
                return
            for entry in self._lexicon.of_kind(EntityKind.MIRNA):
                if entry.curie.startswith("mirbase.mature:"):
                    self._current[entry.label.lower()] = entry.curie
                    for synonym in entry.synonyms:
                        self._previous[synonym.lower()].append(entry.curie)
                elif entry.curie.startswith("mirbase:"):
                    matures = [value for key, value in entry.attributes if key == "mature"]
                    self._hairpins[entry.label.lower()] = (entry.curie, matures)
            self._built = True

    def _match(self, curies: list[str], text: str, score: float, how: str, *flags: str) -> Match:
        unique = tuple(dict.fromkeys(curies))
        label = " / ".join(self._lexicon.label(c) for c in unique)
        return Match(unique, EntityKind.MIRNA, label, text, score, how, tuple(flags))

    def _mature(self, species: str, stem: str, arm: str | None) -> list[str]:
        base = f"{species}-{stem}".lower()
        if arm:
            hit = self._current.get(f"{base}-{arm}")
            if hit:
                return [hit]
            # single-arm miRNAs are named without the arm suffix in miRBase
            hit = self._current.get(base)
            return [hit] if hit else []
        hit = self._current.get(base)
        if hit:
            return [hit]
        arms = [self._current.get(f"{base}-5p"), self._current.get(f"{base}-3p")]
        found = [a for a in arms if a]
        if len(found) == 2:
            # the arm miRBase formerly called by the arm-less name goes first
            older = self._previous.get(base, [])
            found.sort(key=lambda curie: curie not in older)
        return found

    def normalise(self, text: str, species: str = "hsa") -> Match | None:
        """Resolve ``text``; ``species`` (hsa, mmu, rno) applies when the name has none."""
        if not self._built:
            self._build()
        group = group_members(text)
        if group is not None:
            kind, _, stems = group
            org = text.strip()[:3].lower() if text.strip()[3:4] == "-" else species
            org = org if org in ("hsa", "mmu", "rno") else species
            curies = [c for stem in stems for c in self._mature(org, stem, None)]
            return self._match(curies, text, 0.9, kind, kind) if curies else None
        parsed = parse_mirna_name(text)
        if parsed is None:
            return None
        org = parsed.species or species
        if parsed.cluster:
            members = CLUSTERS.get(parsed.cluster)
            if members is None:
                return None
            curies = [c for stem in members for c in self._mature(org, stem, None)]
            return self._match(curies, text, 0.9, "cluster", "cluster") if curies else None
        if parsed.precursor:
            hairpin = self._hairpins.get(f"{org}-mir-{parsed.stem[4:]}".lower())
            if hairpin:
                return self._match(hairpin[1] or [hairpin[0]], text, 0.9, "precursor", "precursor")
            curies = self._mature(org, parsed.stem, parsed.arm)
            return self._match(curies, text, 0.85, "precursor", "precursor") if curies else None
        if parsed.star:
            previous = self._previous.get(f"{org}-{parsed.stem}*".lower())
            if previous:
                return self._match(previous, text, 0.95, "previous_name", "star")
            curies = self._mature(org, parsed.stem, None)
            if not curies:
                return None
            return self._match(curies, text, 0.6, "star_unresolved", "star", "armless")
        curies = self._mature(org, parsed.stem, parsed.arm)
        if curies:
            flags = ["armless"] if parsed.arm is None and len(curies) > 1 else []
            if parsed.species is None:
                flags.append(f"species_assumed:{org}")
            score = 1.0 if parsed.arm or len(curies) == 1 else 0.8
            return self._match(curies, text, score, "grammar", *flags)
        previous = self._previous.get(
            f"{org}-{parsed.stem}{'-' + parsed.arm if parsed.arm else ''}"
        )
        if previous:
            return self._match(previous, text, 0.9, "previous_name", "previous_name")
        return None
