"""Compact identifiers (CURIEs): ``prefix:local_id`` with prefixes as in the Bioregistry.

>>> parse_curie("hgnc:11998")
('hgnc', '11998')
>>> is_valid_curie("mirbase.mature:MIMAT0000449")
True
>>> is_valid_curie("hgnc:TP53")
False
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

__all__ = [
    "PREFIX_PATTERNS",
    "XREF_PREFIXES",
    "Curie",
    "is_valid_curie",
    "parse_curie",
    "validate_curie",
]

#: Local-identifier pattern per known prefix. ``evkg.*`` prefixes are the project's own
#: controlled vocabularies (documented in docs/vocabularies.md).
PREFIX_PATTERNS: dict[str, str] = {
    "mirbase.mature": r"MIMAT\d{7}",
    "mirbase": r"MI\d{7}",
    "hgnc": r"\d+",
    "ncbigene": r"\d+",
    "uniprot": r"[A-Z0-9]{6,10}(-\d+)?",
    "doid": r"\d+",
    "mondo": r"\d{7}",
    "mesh": r"[CD]\d{6,9}",
    "cl": r"\d{7}",
    "uberon": r"\d{7}",
    "ncbitaxon": r"\d+",
    "reactome": r"R-[A-Z]{3}-\d+",
    "go": r"\d{7}",
    "chebi": r"\d+",
    "wikipathways": r"WP\d+",
    "pubmed": r"\d+",
    "pmc": r"PMC\d+",
    "doi": r"10\.\d{4,9}/\S+",
    "evkg.source": r"[a-z0-9][a-z0-9.-]*",
    "evkg.mod": r"[a-z0-9][a-z0-9.-]*",
    "evkg.route": r"[a-z0-9][a-z0-9.-]*",
    "evkg.model": r"[a-z0-9][a-z0-9.-]*",
    "evkg.cargo": r"[a-z0-9][a-z0-9.-]*",
    "evkg.process": r"[a-z0-9][a-z0-9.-]*",
    "evkg.pathway": r"[a-z0-9][a-z0-9.-]*",
    "evkg.disease": r"[a-z0-9][a-z0-9.-]*",
    "evkg.ref": r"[a-z0-9][a-z0-9.-]*",
    # a miRNA family or cluster as such ("miR-181 family", "miR-17-92")
    "evkg.mirna_family": r"(?:mir|let)-[a-z0-9-]+",
    "evkg.mirna_cluster": r"mir-[a-z0-9-]+",
}

#: Prefixes that appear only as cross-references; their local identifiers are not checked
#: beyond having no whitespace.
XREF_PREFIXES = (
    "icd9cm", "icd10cm", "icd11", "snomedct", "umls", "omim", "orphanet", "ncit", "gard", "efo",
    "hp", "medgen", "kegg", "nord", "mgi", "rgd", "ensembl", "meddra", "mesh.scr", "wikidata",
)  # fmt: skip
PREFIX_PATTERNS.update(dict.fromkeys(XREF_PREFIXES, r"\S+"))

_COMPILED = {prefix: re.compile(pattern) for prefix, pattern in PREFIX_PATTERNS.items()}


def parse_curie(curie: str) -> tuple[str, str]:
    """Split a CURIE into prefix and local identifier; raise ``ValueError`` if malformed."""
    prefix, sep, local = curie.partition(":")
    if not sep or not prefix or not local:
        raise ValueError(f"not a CURIE (expected 'prefix:identifier'): {curie!r}")
    return prefix, local


def is_valid_curie(curie: str) -> bool:
    """Whether ``curie`` has a known prefix and a local identifier of the right shape."""
    try:
        validate_curie(curie)
    except ValueError:
        return False
    return True


def validate_curie(curie: str) -> str:
    """Return ``curie`` unchanged if valid, else raise ``ValueError`` saying what is wrong."""
    prefix, local = parse_curie(curie)
    pattern = _COMPILED.get(prefix)
    if pattern is None:
        known = ", ".join(sorted(PREFIX_PATTERNS))
        raise ValueError(f"unknown CURIE prefix {prefix!r} in {curie!r}; known prefixes: {known}")
    if not pattern.fullmatch(local):
        raise ValueError(
            f"local identifier {local!r} does not match {PREFIX_PATTERNS[prefix]!r} "
            f"for prefix {prefix!r}"
        )
    return curie


Curie = Annotated[
    str,
    AfterValidator(validate_curie),
    Field(
        description="Compact identifier 'prefix:local_id' (Bioregistry prefixes, or evkg.* terms)",
        examples=["hgnc:11998", "mirbase.mature:MIMAT0000449", "doid:7148"],
    ),
]
