"""The ``evkg`` command end to end on a real SQLite store built from the curated knowledge."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from evkg.cli import cli


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'evkg.sqlite'}"
    result = CliRunner().invoke(cli, ["--database-url", url, "db", "load"])
    assert result.exit_code == 0, result.output
    return url


def run(database: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database-url", database, *args], catch_exceptions=False)


def test_disease_rheumatoid_arthritis_shows_mir150_mechanism(database: str) -> None:
    result = run(database, "disease", "rheumatoid arthritis")
    assert result.exit_code == 0, result.output
    assert "hsa-miR-150-5p" in result.output
    assert "MMP14" in result.output
    assert "VEGFA" in result.output
    assert "Chen Z et al. (2018) J Immunol 201:2472" in result.output


def test_disease_json_has_ranked_strategies_with_chains(database: str) -> None:
    result = run(database, "--format", "json", "disease", "rheumatoid arthritis")
    payload = json.loads(result.stdout)
    assert payload["disease"]["id"] == "doid:7148"
    assert payload["strategies"][0]["rank"] == 1
    # the review's RA mechanism ranks among the in-vivo single studies near the top
    first = next(s for s in payload["strategies"] if s["agent_label"] == "hsa-miR-150-5p")
    assert first["rank"] <= 10
    chains = {chain["id"]: chain for chain in payload["chains"]}
    chain = chains[first["chains"][0]]
    assert "MMP14" in chain["text"]
    assert chain["claims"][0]["predicate"] == "carries"
    assert first["citations"] == ["Chen Z et al. (2018) J Immunol 201:2472-82"]
    assert first["n_studies"] == 1
    assert first["tier"] == "in vivo"


@pytest.mark.parametrize(
    ("command", "path"),
    [
        (["disease", "AKI", "--limit", "100"], "/api/diseases/AKI?limit=100"),
        (["cargo", "miR-146a", "--limit", "100"], "/api/cargo/miR-146a?limit=100"),
        (["gene", "CD73", "--limit", "100"], "/api/genes/CD73?limit=100"),
        (["reference", "18", "--limit", "500"], "/api/references/18?limit=500"),
        (["search", "kidney", "--limit", "10"], "/api/search?q=kidney&limit=10"),
    ],
)
def test_cli_json_is_the_rest_body(database: str, command: list[str], path: str) -> None:
    """One code path per question: ``--format json`` prints what the REST API returns."""
    from fastapi.testclient import TestClient

    from evkg.store import SqlStore
    from evkg.web import create_app

    printed = json.loads(run(database, "--format", "json", *command).stdout)
    client = TestClient(create_app(store=SqlStore(database)))
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert printed == response.json()


def test_disease_tsv(database: str) -> None:
    result = run(database, "--format", "tsv", "disease", "acute kidney injury")
    lines = result.output.splitlines()
    assert lines[0].split("\t")[:3] == ["#", "agent", "EV source"]
    assert len(lines) > 2


def test_detrimental_evidence_is_shown(database: str) -> None:
    result = run(database, "--format", "json", "cargo", "miRNA-128-3p", "--species", "rno")
    payload = json.loads(result.stdout)
    assert any(c["outcome"] == "detrimental" for c in payload["claims"])


def test_unknown_disease_gets_suggestions_not_a_traceback(database: str) -> None:
    result = CliRunner().invoke(
        cli, ["--database-url", database, "disease", "rheumatoid arthritiss"]
    )
    assert result.exit_code == 2
    assert "did you mean" in result.output
    assert "rheumatoid arthritis" in result.output
    assert "Traceback" not in result.output


def test_cargo_armless_mirna_covers_both_arms(database: str) -> None:
    result = run(database, "--format", "json", "cargo", "miR-146a")
    payload = json.loads(result.stdout)
    assert "armless" in payload["flags"]
    assert len(payload["identifiers"]) == 2
    assert payload["claims"]


def test_gene_by_protein_name(database: str) -> None:
    result = run(database, "--format", "json", "gene", "CD73")
    payload = json.loads(result.stdout)
    assert payload["entity"]["label"] == "NT5E"
    assert payload["claims"]


def test_search_finds_by_synonym_and_fuzzily(database: str) -> None:
    exact = run(database, "--format", "json", "search", "BMSC")
    hits = json.loads(exact.stdout)["hits"]
    assert hits[0]["curie"] == "evkg.source:bm-msc"
    fuzzy = run(database, "--format", "json", "search", "alzheimer")
    labels = [hit["label"] for hit in json.loads(fuzzy.stdout)["hits"]]
    assert "Alzheimer's disease" in labels


def test_reference_by_review_number(database: str) -> None:
    result = run(database, "--format", "json", "reference", "18")
    payload = json.loads(result.stdout)
    assert payload["reference"]["id"] == "evkg.ref:chen2018-jimmunol-2472"
    assert payload["claims"]


def test_unknown_reference(database: str) -> None:
    result = CliRunner().invoke(
        cli, ["--database-url", database, "reference", "evkg.ref:nobody1999-x-1"]
    )
    assert result.exit_code == 2
    assert "no reference" in result.output


def test_db_stats(database: str) -> None:
    payload = json.loads(run(database, "--format", "json", "db", "stats").stdout)
    totals = payload["totals"]
    assert totals["references"] >= 140  # the review's, and those of the curated studies
    assert totals["claims"] > 300
    assert totals["primary_studies_with_pmid_or_doi"] == totals["primary_studies"]


def test_db_load_is_idempotent(database: str) -> None:
    result = run(database, "--format", "json", "db", "load")
    row = json.loads(result.stdout)[0]["rows"][0]
    assert row["new claims"] == 0
    assert row["new evidence"] == 0


@pytest.mark.parametrize("export_format", ["tsv", "jsonl"])
def test_export_claims(database: str, tmp_path: Path, export_format: str) -> None:
    out = tmp_path / f"claims.{export_format}"
    result = run(database, "export", "--format", export_format, "-o", str(out))
    assert result.exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 300
    if export_format == "jsonl":
        record = json.loads(lines[0])
        assert record["evidence"][0]["quote"]


def test_export_kgx_and_graphml(database: str, tmp_path: Path) -> None:
    kgx = tmp_path / "kgx"
    run(database, "export", "--format", "kgx", "-o", str(kgx))
    edges = (kgx / "edges.tsv").read_text(encoding="utf-8").splitlines()
    assert edges[0].startswith("id\tsubject\tpredicate\tobject")
    assert any("\tbiolink:treats\t" in line for line in edges)
    nodes = (kgx / "nodes.tsv").read_text(encoding="utf-8")
    assert "\tbiolink:Transcript\t" in nodes  # mature miRNAs (see evkg.export.biolink)
    assert "\nmirbase.mature:MIMAT" in nodes
    graphml = tmp_path / "evkg.graphml"
    run(
        database,
        "export",
        "--format",
        "graphml",
        "-o",
        str(graphml),
        "--disease",
        "rheumatoid arthritis",
    )
    root = ET.parse(graphml).getroot()
    namespace = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert root.findall(".//g:edge", namespace)


def test_bad_database_url_exits_with_a_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--database-url", "postgresql+psycopg://u:pw@127.0.0.1:1/x", "db", "stats"]
    )
    assert result.exit_code == 1
    assert "cannot use database" in result.output
    assert "pw" not in result.output.replace("password", "")


def test_unreadable_data_dir_exits_with_a_message(database: str, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(
        cli, ["--database-url", database, "--data-dir", str(missing), "gene", "TP53"]
    )
    assert result.exit_code == 1
    assert str(missing) in result.output
    assert "EVKG_DATA_DIR" in result.output


def test_curate_lint_passes_on_shipped_files() -> None:
    result = CliRunner().invoke(cli, ["curate", "lint"])
    assert result.exit_code == 0, result.output


def test_curate_lint_reports_and_fixes_a_non_canonical_file(tmp_path: Path) -> None:
    path = tmp_path / "terms_test.yaml"
    path.write_text(
        "- {id: evkg.route:zz, kind: route, label: zz}\n"
        "- {id: evkg.route:aa, kind: route, label: aa}\n",
        encoding="utf-8",
    )
    assert CliRunner().invoke(cli, ["curate", "lint", str(path)]).exit_code == 1
    assert CliRunner().invoke(cli, ["curate", "lint", "--fix", str(path)]).exit_code == 0
    assert path.read_text(encoding="utf-8").index("evkg.route:aa") < path.read_text().index(
        "evkg.route:zz"
    )
    assert CliRunner().invoke(cli, ["curate", "lint", str(path)]).exit_code == 0


def test_schema_command_prints_the_committed_schema() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert json.loads(result.stdout)["title"] == "evkg evidence model"


def test_malformed_curated_source_stops_the_load_and_leaves_the_store(
    database: str, tmp_path: Path
) -> None:
    import shutil

    from evkg.sources.curated import curated_root

    source = tmp_path / "sources" / "zhang2024"
    shutil.copytree(curated_root() / "zhang2024", source)
    claims = source / "claims_conclusion.yaml"
    lines = claims.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if line.startswith("  predicate: "))
    lines[target] = "  predicate: cures"
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = json.loads(run(database, "--format", "json", "db", "stats").stdout)["totals"]
    result = CliRunner().invoke(
        cli, ["--database-url", database, "db", "load", "--source-dir", str(source.parent)]
    )
    assert result.exit_code == 1
    assert "claims_conclusion.yaml" in result.output
    assert f"line {target + 1}," in result.output
    assert "field 'predicate'" in result.output
    after = json.loads(run(database, "--format", "json", "db", "stats").stdout)["totals"]
    assert after == before


def test_valid_curated_source_dir_loads(tmp_path: Path) -> None:
    import shutil

    from evkg.sources.curated import curated_root

    shutil.copytree(curated_root() / "zhang2024", tmp_path / "src" / "zhang2024")
    url = f"sqlite:///{tmp_path / 'own.sqlite'}"
    args = ["--database-url", url, "--format", "json", "db", "load", "--source-dir"]
    first = CliRunner().invoke(cli, [*args, str(tmp_path / "src")])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)[0]["rows"][0]["new claims"] > 300


@pytest.mark.parametrize("identifier", ["²", "0", "140", "-1"])
def test_odd_reference_numbers_are_unknown_not_crashes(database: str, identifier: str) -> None:
    result = CliRunner().invoke(cli, ["--database-url", database, "reference", "--", identifier])
    assert result.exit_code == 2, result.output
    assert "no reference" in result.output
