"""The Biolink view of evkg's identifiers, categories and predicates, for the KGX export.

Inside evkg every identifier is a CURIE with a Bioregistry prefix (``doid:7148``,
``mirbase.mature:MIMAT0000449``). KGX readers, and ``kgx validate``, expect the prefixes of
the Biolink Model's own prefix map instead (``DOID:7148``, ``REACT:R-HSA-…``, ``PMID:…``).
:class:`BiolinkCuries` translates through two maintained maps and no hand-written one:
the Bioregistry normalises a CURIE (prefix synonyms, case, the prefix repeated in the local
id), and the prefix map shipped in the ``biolink-model`` package, read into a
:class:`curies.Converter` whose records carry the Bioregistry prefix as a synonym, gives
the Biolink spelling. A prefix the Biolink map lacks keeps its Bioregistry spelling
(``mirbase.mature``, which Biolink does not list) with the Bioregistry's URI prefix; evkg's
own terms (``evkg.source:``, ``evkg.ref:``…) keep their prefixes with evkg's URI base. Both
kinds are declared in the export's ``prefixes.json``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Protocol

from evkg.model import Predicate

if TYPE_CHECKING:
    import curies

__all__ = [
    "BIOLINK_CATEGORY",
    "BIOLINK_PREDICATE",
    "EVKG_URI_BASE",
    "BiolinkCuries",
    "HasPublicationIds",
    "UnknownPrefixError",
    "biolink_prefix_map",
    "publication_curies",
]

#: Identifier translations a :class:`BiolinkCuries` keeps (least recently used dropped).
TRANSLATIONS_KEPT = 1 << 17

#: Where evkg's own terms live: ``evkg.source:uc-msc`` is ``https://evkg.org/id/source/uc-msc``.
EVKG_URI_BASE = "https://evkg.org/id/"

#: Entity kind -> Biolink category. Mature miRNAs are ``biolink:Transcript``, the nearest
#: ancestor of ``biolink:MicroRNA`` that kgx 2.x accepts: its category check wants each
#: capital followed by a lower-case letter, so MicroRNA, NoncodingRNAProduct and RNAProduct
#: all fail it although the Biolink Model defines them.
BIOLINK_CATEGORY = {
    "ev_source": "biolink:CellularComponent",
    "modification": "biolink:Activity",
    "mirna": "biolink:Transcript",
    "gene": "biolink:Gene",
    "cargo": "biolink:MolecularEntity",
    "pathway": "biolink:Pathway",
    "process": "biolink:BiologicalProcess",
    "disease": "biolink:Disease",
    "model": "biolink:Procedure",
    "route": "biolink:Procedure",
    "species": "biolink:OrganismTaxon",
    "cell_type": "biolink:Cell",
    "tissue": "biolink:GrossAnatomicalStructure",
    "reference": "biolink:Publication",
}

#: evkg predicate -> (Biolink predicate, object direction qualifier, negated)
BIOLINK_PREDICATE: dict[Predicate, tuple[str, str | None, bool]] = {
    Predicate.CARRIES: ("biolink:has_part", None, False),
    Predicate.SPONGES: ("biolink:regulates", "downregulated", False),
    Predicate.ENHANCES: ("biolink:affects", "increased", False),
    Predicate.REGULATES_DOWN: ("biolink:regulates", "downregulated", False),
    Predicate.REGULATES_UP: ("biolink:regulates", "upregulated", False),
    Predicate.INHIBITS: ("biolink:affects", "decreased", False),
    Predicate.ACTIVATES: ("biolink:affects", "increased", False),
    Predicate.MODULATES: ("biolink:affects", None, False),
    Predicate.TREATS: ("biolink:treats", None, False),
    Predicate.WORSENS: ("biolink:contributes_to", None, False),
    Predicate.NO_EFFECT_ON: ("biolink:treats", None, True),
    Predicate.ASSOCIATED_WITH: ("biolink:associated_with", None, False),
}


class HasPublicationIds(Protocol):
    """What a publication CURIE is made from: a :class:`~evkg.model.Reference`, or the
    :class:`~evkg.store.PublicationIds` read without building one."""

    @property
    def pmid(self) -> str | None: ...

    @property
    def doi(self) -> str | None: ...

    @property
    def pmcid(self) -> str | None: ...


class UnknownPrefixError(ValueError):
    """A CURIE whose prefix is neither in the Bioregistry nor one of evkg's own."""


@cache
def biolink_prefix_map() -> dict[str, str]:
    """Biolink prefix -> URI prefix, as shipped in the installed ``biolink-model`` package."""
    text = (
        resources.files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json"
    ).read_text(encoding="utf-8")
    prefix_map: dict[str, str] = json.loads(text)
    return prefix_map


def _is_evkg(prefix: str) -> bool:
    return prefix == "evkg" or prefix.startswith("evkg.")


def _evkg_uri_prefix(prefix: str) -> str:
    tail = prefix.removeprefix("evkg").removeprefix(".")
    return f"{EVKG_URI_BASE}{tail}/" if tail else EVKG_URI_BASE


class BiolinkCuries:
    """evkg CURIEs -> Biolink CURIEs, remembering every prefix it wrote and its URI prefix.

    >>> names = BiolinkCuries.load()
    >>> names.curie("doid:7148"), names.curie("reactome:R-HSA-168256")
    ('DOID:7148', 'REACT:R-HSA-168256')
    >>> names.curie("mirbase.mature:MIMAT0000449"), names.curie("evkg.source:uc-msc")
    ('mirbase.mature:MIMAT0000449', 'evkg.source:uc-msc')
    >>> names.prefixes()["evkg.source"]
    'https://evkg.org/id/source/'
    """

    def __init__(self, converter: curies.Converter):
        self._converter = converter
        self._used: dict[str, str] = {}
        # a Bioregistry normalisation costs ~90 µs; an export names the same entities and
        # references on many rows, so translations are kept (bounded: flat memory)
        self._translated = functools.lru_cache(maxsize=TRANSLATIONS_KEPT)(self._translate)

    @classmethod
    def load(cls) -> BiolinkCuries:
        """From the installed Biolink prefix map and Bioregistry (about a second, once)."""
        return cls(_biolink_converter())

    def curie(self, curie: str, *, strict: bool = True) -> str:
        """The Biolink spelling of ``curie``. An unknown prefix raises
        :class:`UnknownPrefixError` (or, with ``strict=False``, comes back unchanged)."""
        prefix, sep, local = curie.partition(":")
        if not sep or not local:
            raise UnknownPrefixError(f"{curie!r} is not a CURIE (prefix:identifier)")
        if _is_evkg(prefix):  # evkg's own (one per claim on the edges): kept as they are
            if prefix not in self._used:
                self._used[prefix] = _evkg_uri_prefix(prefix)
            return curie
        return self._translated(curie, strict)

    def _translate(self, curie: str, strict: bool) -> str:
        import bioregistry

        prefix = curie.partition(":")[0]
        normalized = bioregistry.normalize_curie(curie)
        if normalized is None:
            if strict:
                raise UnknownPrefixError(
                    f"{curie!r}: prefix {prefix!r} is neither in the Bioregistry nor evkg's own"
                )
            return curie
        biolink = self._converter.standardize_curie(normalized)
        if biolink is not None:
            biolink_prefix = biolink.partition(":")[0]
            if biolink_prefix not in self._used:  # prefix_map is a new dict on every read
                self._used[biolink_prefix] = self._converter.prefix_map[biolink_prefix]
            return biolink
        registry_prefix = normalized.partition(":")[0]
        uri_prefix = bioregistry.get_uri_prefix(registry_prefix)
        if uri_prefix:
            self._used.setdefault(registry_prefix, uri_prefix)
        return normalized

    def prefixes(self) -> dict[str, str]:
        """Every prefix written so far -> its URI prefix, sorted."""
        return dict(sorted(self._used.items()))

    def non_biolink_prefixes(self) -> dict[str, str]:
        """The written prefixes that the Biolink prefix map does not list."""
        known = biolink_prefix_map()
        return {p: uri for p, uri in self.prefixes().items() if p not in known}


@cache
def _biolink_converter() -> curies.Converter:
    import bioregistry
    import curies

    by_registry: dict[str, list[str]] = {}
    prefix_map = biolink_prefix_map()
    for biolink in prefix_map:
        registry = bioregistry.normalize_prefix(biolink)
        if registry is not None:
            by_registry.setdefault(registry, []).append(biolink)
    chosen: dict[str, str] = {}
    for registry, candidates in by_registry.items():
        # Biolink lists some resources twice (PMC and PMCID; SNOMED and SNOMEDCT): take the
        # spelling that is the Bioregistry prefix in capitals, else Biolink's first.
        exact = [c for c in candidates if c.upper() == registry.upper()]
        chosen[registry] = (exact or candidates)[0]
    synonyms = {biolink: registry for registry, biolink in chosen.items()}
    records = [
        curies.Record(
            prefix=biolink,
            prefix_synonyms=[synonyms[biolink]]
            if biolink in synonyms and synonyms[biolink] != biolink
            else [],
            uri_prefix=uri,
        )
        for biolink, uri in prefix_map.items()
    ]
    # strict=False: Biolink gives ICD-11 and its foundation one URI prefix
    return curies.Converter(records, strict=False)


def publication_curies(
    reference_ids: Iterable[str],
    references: Mapping[str, HasPublicationIds] | Callable[[str], HasPublicationIds | None],
    names: BiolinkCuries,
) -> list[str]:
    """A claim's references as Biolink publication CURIEs: ``PMID:``, else ``doi:``, else
    ``PMC:``, else the reference's own ``evkg.ref:`` id (declared in ``prefixes.json``).
    ``references`` maps an id to its record, or is a function looking one up."""
    lookup = references.get if isinstance(references, Mapping) else references
    out: list[str] = []
    for reference_id in reference_ids:
        reference = lookup(reference_id)
        if reference is not None and reference.pmid:
            curie = f"pubmed:{reference.pmid}"
        elif reference is not None and reference.doi:
            curie = f"doi:{reference.doi}"
        elif reference is not None and reference.pmcid:
            curie = f"pmc:{reference.pmcid}"
        else:
            curie = reference_id
        out.append(names.curie(curie))
    return out
