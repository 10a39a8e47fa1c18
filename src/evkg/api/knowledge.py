"""Building the curated knowledge bundle and keeping a store loaded with it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

from evkg.model import Claim, Entity, EntityKind, PublicationType, Reference, is_valid_curie
from evkg.recordfiles import RecordFileError
from evkg.store import LoadBundle, LoadReport, SqlStore

if TYPE_CHECKING:
    from evkg.vocab import Lexicon

__all__ = ["build_curated_bundle", "claim_curies", "curated_fingerprint", "ensure_loaded"]


def claim_curies(claim: Claim) -> Iterable[str]:
    """Every identifier a claim mentions."""
    context = claim.context
    yield claim.subject
    yield claim.object
    for value in (
        context.disease,
        context.ev_source,
        context.model,
        context.species,
        context.route,
    ):
        if value:
            yield value
    yield from context.modifications


def curated_fingerprint() -> str:
    """Hash of the shipped curated files, vocabulary files and the evkg version."""
    digest = hashlib.sha256()
    try:
        digest.update(metadata.version("evkg").encode())
    except metadata.PackageNotFoundError:  # running from a source tree
        digest.update(b"source-tree")
    data = resources.files("evkg") / "data"
    for folder in ("curated", "vocab"):
        stack = [data / folder]
        while stack:
            item = stack.pop()
            if item.is_dir():
                stack.extend(sorted(item.iterdir(), key=lambda i: i.name))
            else:
                digest.update(item.name.encode())
                digest.update(item.read_bytes())
    return digest.hexdigest()[:32]


def _folder_fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _entity(lexicon: Lexicon, curie: str) -> Entity:
    entry = lexicon.get(curie)
    if entry is None:
        raise RecordFileError(
            "evkg/data/vocab",
            None,
            None,
            f"{curie} is used by curated claims but not in the lexicon",
        )
    return Entity(
        id=entry.curie,
        kind=entry.kind,
        label=entry.label,
        synonyms=entry.synonyms,
        xrefs=tuple(x for x in entry.xrefs if is_valid_curie(x)),
    )


def _is_disease(lexicon: Lexicon) -> Callable[[str], bool]:
    def is_disease(curie: str) -> bool:
        entry = lexicon.get(curie)
        return entry is not None and entry.kind is EntityKind.DISEASE

    return is_disease


def build_curated_bundle(lexicon: Lexicon | None = None, root: Path | None = None) -> LoadBundle:
    """Curated sources as one load bundle (claims, evidence, entities, references): those
    shipped with evkg, or those in the folders under ``root``."""
    # read and assembled only when the curated knowledge is (re)loaded, not on every start
    from evkg.assemble import assemble
    from evkg.sources.curated import list_sources, read_source, to_statements
    from evkg.sources.curated.placements import review_placements
    from evkg.sources.curated.studies import read_studies, study_reference, study_statements
    from evkg.vocab import compact_lexicon
    from evkg.vocab.identity import DiseaseIdentity, curated_disease_mappings

    lexicon = lexicon or compact_lexicon()
    statements = []
    references: dict[str, Reference] = {}
    names = list_sources(root)
    if not names:
        raise RecordFileError(
            root or "evkg/data/curated",
            None,
            None,
            "no curated source here (a folder with a references.yaml)",
        )
    identity = DiseaseIdentity(lexicon, curated_disease_mappings())
    placements = []
    for name in names:
        source = read_source(name, root)
        from_source = to_statements(source)
        placements += review_placements(source, from_source, identity, _is_disease(lexicon))
        statements += from_source
        for located in source.references:
            record = located.record
            references[record.id] = Reference(
                **record.model_dump(exclude={"review_number"}, exclude_none=True)
            )
    studies = [located.record for located in read_studies(root).studies]
    for study in studies:
        statements += study_statements(study)
        cited = references.get(study.reference_id)
        if cited is None:
            references[study.reference_id] = study_reference(study)
        else:  # a study the review cites: the identifiers its own record gives, kept
            found = {"pmid": study.pmid, "doi": study.doi, "pmcid": study.pmcid}
            missing = {k: v for k, v in found.items() if v and not getattr(cited, k)}
            if missing or cited.publication_type is None:
                missing["publication_type"] = PublicationType.PRIMARY
                references[study.reference_id] = cited.model_copy(update=missing)
    assembly = assemble((s.claim, s.evidence, s.chain) for s in statements)
    curies = {c for entry in assembly.claims.values() for c in claim_curies(entry.claim)}
    # every disease identity of the lexicon with its members and hierarchy, so that a
    # question reaches the claims of every equivalent and narrower term, offline too
    diseases = {entry.curie for entry in lexicon.of_kind(EntityKind.DISEASE)}
    parents = identity.store_links(diseases)
    hierarchy = {c for pair in parents for c in pair}
    entities = [_entity(lexicon, curie) for curie in sorted(curies | hierarchy)]
    return LoadBundle(
        dataset="curated" if root is None else f"curated:{root.resolve()}",
        fingerprint=curated_fingerprint() if root is None else _folder_fingerprint(root),
        entities=entities,
        references=sorted(references.values(), key=lambda r: r.id),
        assembly=assembly,
        studies=studies,
        parents=parents,
        placements=placements,
    )


def ensure_loaded(store: SqlStore) -> LoadReport:
    """Migrate the schema and load the shipped curated knowledge unless already loaded."""
    store.initialise()
    fingerprint = curated_fingerprint()
    if store.dataset_fingerprint("curated") == fingerprint:
        return LoadReport("curated", 0, 0, 0, 0, skipped=True)
    return store.load(build_curated_bundle())
