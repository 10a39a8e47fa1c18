"""Cited references export as BibTeX, RIS and CSL-JSON; KGX cites PMID:/doi: CURIEs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from evkg.cli import cli
from evkg.export.citations import write_bibtex, write_csljson, write_ris
from evkg.model import Reference
from evkg.store import SqlStore


def _run(store: SqlStore, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--database-url", store.url, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_cited_references_export_for_reference_managers(curated_store: SqlStore) -> None:
    items = json.loads(_run(curated_store, "export", "--format", "csljson"))
    assert items
    with_ids = [i for i in items if "PMID" in i or "DOI" in i]
    assert with_ids
    assert all(i["type"] == "article-journal" for i in items)
    assert all(i["issued"]["date-parts"][0][0] >= 1990 for i in items if "issued" in i)
    bibtex = _run(curated_store, "export", "--format", "bibtex")
    assert bibtex.count("@article{") == len(items)
    ris = _run(curated_store, "export", "--format", "ris")
    assert ris.count("TY  - JOUR") == len(items) == ris.count("ER  - ")


def test_kgx_publications_are_pmid_or_doi_curies(curated_store: SqlStore, tmp_path: Path) -> None:
    _run(curated_store, "export", "--format", "kgx", "-o", str(tmp_path))
    with (tmp_path / "edges.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    cited = [p for row in rows for p in row["publications"].split("|")]
    assert any(p.startswith("PMID:") for p in cited)
    assert not any(p.startswith("pubmed:") for p in cited)  # study ids become PMID: CURIEs


UNDATED = Reference(
    id="doi:10.1000/undated.1",
    authors=("Li X",),
    title="Vesicles in an undated record",
    journal="Stem Cell Res Ther",
    doi="10.1000/undated.1",
)


def test_a_reference_without_a_year_is_cited_as_undated() -> None:
    assert UNDATED.citation() == "Li X (n.d.) Stem Cell Res Ther"


def test_an_undated_reference_exports_without_a_year_field() -> None:
    bibtex, ris, csl = io.StringIO(), io.StringIO(), io.StringIO()
    write_bibtex([UNDATED], bibtex)
    write_ris([UNDATED], ris)
    write_csljson([UNDATED], csl)
    assert "year =" not in bibtex.getvalue()
    assert "@article{Lind" in bibtex.getvalue()
    assert "PY  -" not in ris.getvalue()
    assert "issued" not in json.loads(csl.getvalue())[0]
