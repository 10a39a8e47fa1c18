"""Exports valid for the tools that read them: KGX against the Biolink Model (the rules
``kgx validate`` applies; CI runs kgx itself through ``scripts/kgx_validate.py``), JSON
lines and curated records against the committed JSON Schemas, and ``export -o DIR``."""

from __future__ import annotations

import csv
import json
import re
import shutil
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from evkg.api import Knowledge
from evkg.cli import cli
from evkg.export import write_jsonl, write_kgx
from evkg.export.biolink import BiolinkCuries, UnknownPrefixError, biolink_prefix_map
from evkg.model.schema import render_json_schema
from evkg.store import ClaimFilter, SqlStore

from .conftest import REPO

jsonschema = pytest.importorskip("jsonschema")

#: kgx's own category rule (each capital followed by lower-case letters or digits)
KGX_CATEGORY_FORM = re.compile(r"^([A-Z][a-z\d]+)+$")


@cache
def biolink_model() -> dict[str, Any]:
    text = (resources.files("biolink_model") / "schema" / "biolink_model.yaml").read_text(
        encoding="utf-8"
    )
    model: dict[str, Any] = yaml.safe_load(text)
    return model


def _sentence(curie: str) -> str:
    """``biolink:has_part`` -> ``has part``; ``biolink:OrganismTaxon`` -> ``organism taxon``."""
    name = curie.removeprefix("biolink:")
    if "_" in name or name.islower():
        return name.replace("_", " ")
    return re.sub(r"(?<=[a-z\d])(?=[A-Z])", " ", name).lower()


def kgx_problems(folder: Path) -> list[str]:
    """What kgx validate would report on prefixes, categories and predicates, plus the
    publications and declared prefixes evkg promises."""
    model, biolink = biolink_model(), biolink_prefix_map()
    declared = json.loads((folder / "prefixes.json").read_text(encoding="utf-8"))
    known = set(biolink) | set(declared["not_in_biolink"])
    problems = [
        f"prefixes.json: {p} is in Biolink's map"
        for p in declared["not_in_biolink"]
        if p in biolink
    ]

    def check_curie(where: str, curie: str) -> None:
        prefix, sep, local = curie.partition(":")
        if not sep or not local or prefix not in known:
            problems.append(f"{where}: {curie!r} has no Biolink or declared prefix")

    with (folder / "nodes.tsv").open(encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            check_curie(f"nodes.tsv:{n} id", row["id"])
            category = row["category"]
            klass = model["classes"].get(_sentence(category))
            if not KGX_CATEGORY_FORM.match(category.removeprefix("biolink:")):
                problems.append(f"nodes.tsv:{n}: {category} fails kgx's category form")
            if klass is None or klass.get("mixin"):
                problems.append(f"nodes.tsv:{n}: {category} is no Biolink category")
    with (folder / "edges.tsv").open(encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            check_curie(f"edges.tsv:{n} subject", row["subject"])
            check_curie(f"edges.tsv:{n} object", row["object"])
            if _sentence(row["predicate"]) not in model["slots"]:
                problems.append(f"edges.tsv:{n}: {row['predicate']} is no Biolink predicate")
            for publication in row["publications"].split("|"):
                check_curie(f"edges.tsv:{n} publications", publication)
    return problems


@pytest.fixture(scope="module")
def full_export(
    curated_store: SqlStore, curated_knowledge: Knowledge, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    claims = curated_store.claims(ClaimFilter())
    used = {c for s in claims for c in (s.claim.subject, s.claim.object)}
    entities = [e for e in curated_store.entities() if e.id in used]
    references = {r.id: r for r in curated_store.references_all()}
    folder = tmp_path_factory.mktemp("kgx")
    write_kgx(claims, entities, folder, references)
    return folder


def test_kgx_export_meets_the_biolink_model(full_export: Path) -> None:
    assert kgx_problems(full_export) == []


def test_kgx_uses_biolink_spellings_not_bioregistry_ones(full_export: Path) -> None:
    nodes = (full_export / "nodes.tsv").read_text(encoding="utf-8")
    prefixes = {line.split(":", 1)[0] for line in nodes.splitlines()[1:]}
    assert {"DOID", "HGNC", "GO"} <= prefixes
    assert not prefixes & {"doid", "hgnc", "go", "mondo", "chebi", "reactome"}


def test_kgx_declares_only_registered_or_evkg_prefixes(full_export: Path) -> None:
    import bioregistry

    declared = json.loads((full_export / "prefixes.json").read_text(encoding="utf-8"))
    for prefix, uri in declared["not_in_biolink"].items():
        assert prefix.startswith("evkg") or bioregistry.get_resource(prefix) is not None, prefix
        assert uri.startswith(("http://", "https://")), prefix


def test_kgx_publications_are_pmid_or_doi_where_the_reference_has_one(
    full_export: Path, curated_store: SqlStore
) -> None:
    with_ids = {r.id for r in curated_store.references_all() if r.pmid or r.doi or r.pmcid}
    with (full_export / "edges.tsv").open(encoding="utf-8") as handle:
        cited = [
            p
            for row in csv.DictReader(handle, delimiter="\t")
            for p in row["publications"].split("|")
        ]
    local = [p for p in cited if p.startswith("evkg.ref:")]
    assert not set(local) & with_ids
    assert sum(p.startswith(("PMID:", "doi:")) for p in cited) > len(local)


def test_a_broken_kgx_export_is_caught(full_export: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(full_export, broken)
    nodes = broken / "nodes.tsv"
    text = nodes.read_text(encoding="utf-8")
    text = text.replace("DOID:", "doid:", 1).replace(
        "biolink:Gene\t", "biolink:GeneProductMixin\t", 1
    )
    nodes.write_text(text.replace("biolink:Transcript", "biolink:MicroRNA", 1), encoding="utf-8")
    problems = kgx_problems(broken)
    assert any("'doid:" in p for p in problems)
    assert any("GeneProductMixin is no Biolink category" in p for p in problems)
    assert any("MicroRNA fails kgx's category form" in p for p in problems)


def test_biolink_curies_refuse_unknown_prefixes_and_pick_one_spelling() -> None:
    names = BiolinkCuries.load()
    with pytest.raises(UnknownPrefixError, match="nosuchdb"):
        names.curie("nosuchdb:1")
    assert names.curie("nosuchdb:1", strict=False) == "nosuchdb:1"
    with pytest.raises(UnknownPrefixError, match="not a CURIE"):
        names.curie("just-a-name")
    assert names.curie("pmc:PMC7028706") == "PMC:PMC7028706"
    assert names.curie("ncbitaxon:9606") == "NCBITaxon:9606"
    assert names.curie("orphanet:558") == "orpha:558"  # Bioregistry's prefix for Orphanet


# -- JSON Schemas -----------------------------------------------------------------------------
def _validator(name: str) -> Any:
    schema = json.loads((REPO / "schema" / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def test_committed_claim_line_schema_is_current() -> None:
    committed = (REPO / "schema" / "claim-line.schema.json").read_text(encoding="utf-8")
    assert committed == render_json_schema("jsonl"), (
        "schema/claim-line.schema.json is stale: run "
        "`evkg schema --of jsonl -o schema/claim-line.schema.json`"
    )


def test_every_jsonl_line_validates_against_the_claim_line_schema(
    curated_store: SqlStore, curated_knowledge: Knowledge, tmp_path: Path
) -> None:
    path = tmp_path / "claims.jsonl"
    with path.open("w", encoding="utf-8") as out:
        count = write_jsonl(curated_store.claims(ClaimFilter()), out, curated_knowledge.label)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == count > 300
    validator = _validator("claim-line.schema.json")
    errors = [
        f"line {n}: {e.message}"
        for n, line in enumerate(lines, start=1)
        for e in validator.iter_errors(json.loads(line))
    ]
    assert errors == []


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda r: r.update(predicate="cures"), "predicate"),
        (lambda r: r.update(evidence=[]), "evidence"),
        (lambda r: r.update(surprise=1), "surprise"),
        (lambda r: r.pop("claim_hash"), "claim_hash"),
        (lambda r: r["evidence"][0].update(level="anecdote"), "anecdote"),
    ],
)
def test_a_broken_jsonl_line_fails_the_schema(
    curated_store: SqlStore, curated_knowledge: Knowledge, change: Any, key: str
) -> None:
    import io

    out = io.StringIO()
    write_jsonl(curated_store.claims(ClaimFilter(), limit=1), out, curated_knowledge.label)
    record = json.loads(out.getvalue())
    validator = _validator("claim-line.schema.json")
    assert list(validator.iter_errors(record)) == []
    change(record)
    found = [f"{e.json_path} {e.message}" for e in validator.iter_errors(record)]
    assert any(key in text for text in found), found


def test_model_schema_root_accepts_records_and_refuses_anything_else(
    curated_store: SqlStore,
) -> None:
    validator = _validator("evkg.schema.json")
    study_file = REPO / "src" / "evkg" / "data" / "curated" / "studies" / "engineered.yaml"
    study = yaml.safe_load(study_file.read_text(encoding="utf-8"))[0]
    stored = curated_store.claims(ClaimFilter(), limit=1)[0]
    for document in (
        study,
        stored.claim.model_dump(mode="json"),
        stored.evidence[0].model_dump(mode="json"),
    ):
        assert list(validator.iter_errors(document)) == []
    for document in ({}, {"anything": 1}, [1, 2], "text", {**study, "predicate": "cures"}):
        assert not validator.is_valid(document), document


def test_preparation_schema_root_accepts_lots_and_specs_only() -> None:
    validator = _validator("preparation.schema.json")
    examples = REPO / "examples" / "preparations"
    for name in ("lot-07-complete.yaml", "release-spec.yaml"):
        document = yaml.safe_load((examples / name).read_text(encoding="utf-8"))
        assert list(validator.iter_errors(document)) == [], name
    lot = yaml.safe_load((examples / "lot-07-complete.yaml").read_text(encoding="utf-8"))
    for document in ({}, {"id": "x", "surprise": 1}, {**lot, "source_cells": "BM-MSC"}):
        assert not validator.is_valid(document), document


# -- export -o ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'evkg.sqlite'}"
    result = CliRunner().invoke(cli, ["--database-url", url, "db", "load"])
    assert result.exit_code == 0, result.output
    return url


@pytest.mark.parametrize(
    ("export_format", "name"),
    [("jsonl", "evkg-claims.jsonl"), ("tsv", "evkg-claims.tsv"), ("bibtex", "evkg-cited.bib")],
)
def test_export_into_a_folder_writes_the_default_name(
    database: str, tmp_path: Path, export_format: str, name: str
) -> None:
    args = ["--database-url", database, "export", "--format", export_format, "-o", str(tmp_path)]
    result = CliRunner().invoke(cli, [*args, "--disease", "rheumatoid arthritis"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).stat().st_size > 0


def test_export_to_a_missing_folder_or_kgx_to_a_file_says_so(database: str, tmp_path: Path) -> None:
    nowhere = tmp_path / "nowhere" / "claims.jsonl"
    result = CliRunner().invoke(
        cli, ["--database-url", database, "export", "--format", "jsonl", "-o", str(nowhere)]
    )
    assert result.exit_code == 2
    assert f"folder {nowhere.parent} does not exist" in result.output
    a_file = tmp_path / "file.tsv"
    a_file.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--database-url", database, "export", "--format", "kgx", "-o", str(a_file)]
    )
    assert result.exit_code == 2
    assert "KGX writes a folder" in result.output
