"""Metadata of plain-text inputs: a sidecar ``<file>.meta.json`` or ``mine --pmid/--doi/
--title`` give the stored reference its identifiers and title; bad metadata is named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evkg.api.mining import MiningError, WorkerConfig, list_inputs, mine
from evkg.cli import cli
from evkg.sources.text import Document, ReadProblem, TextMetadata, read_text
from evkg.store import SqlStore

_TEXT = (
    "Skip to main content\n\n"
    "Exosomes from hUCMSCs alleviated liver fibrosis in mice.\n\n"
    "MSC exosomes carrying miR-122 reduced liver fibrosis in mice.\n"
)


def _paper(folder: Path, sidecar: object | None = None) -> Path:
    path = folder / "paper.txt"
    path.write_text(_TEXT, encoding="utf-8")
    if sidecar is not None:
        (folder / "paper.txt.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    return path


def _document(path: Path, metadata: TextMetadata | None = None) -> Document:
    (document,) = read_text(path, metadata=metadata)
    assert isinstance(document, Document), document
    return document


def test_without_metadata_the_page_frame_is_no_title(tmp_path: Path) -> None:
    document = _document(_paper(tmp_path))
    assert document.id.startswith("evkg.ref:doc-")
    assert document.bibliography.title.startswith("Exosomes from hUCMSCs")


def test_sidecar_gives_identifiers_title_authors_and_year(tmp_path: Path) -> None:
    sidecar = {
        "pmid": "PMID: 30000001",
        "doi": "https://doi.org/10.1000/evkg.test.1",
        "title": "Cord MSC exosomes in liver fibrosis",
        "authors": ["Doe J", "Roe R"],
        "year": 2020,
        "journal": "Test Journal",
    }
    bibliography = _document(_paper(tmp_path, sidecar)).bibliography
    reference = bibliography.reference("pubmed:30000001")
    assert not isinstance(reference, str)
    assert (reference.pmid, reference.doi) == ("30000001", "10.1000/evkg.test.1")
    assert (reference.title, reference.year, reference.journal) == (
        "Cord MSC exosomes in liver fibrosis",
        2020,
        "Test Journal",
    )
    assert reference.authors == ("Doe J", "Roe R")
    assert _document(tmp_path / "paper.txt").id == "pubmed:30000001"


def test_options_take_precedence_over_the_sidecar(tmp_path: Path) -> None:
    path = _paper(tmp_path, {"pmid": "111", "title": "Old title"})
    document = _document(path, TextMetadata.checked(title="New title"))
    assert document.id == "pubmed:111"
    assert document.bibliography.title == "New title"
    bare = tmp_path / "bare"
    bare.mkdir()
    doi_only = _document(_paper(bare), TextMetadata.checked(doi="doi:10.1000/x.2"))
    assert doi_only.id == "doi:10.1000/x.2"
    assert doi_only.bibliography.doi == "10.1000/x.2"


@pytest.mark.parametrize(
    ("sidecar", "field"),
    [
        ({"pmid": "12ab"}, "pmid"),
        ({"doi": "not a doi"}, "doi"),
        ({"title": "  "}, "title"),
        ({"year": "2020"}, "year"),
        ({"authors": "Doe J"}, "authors"),
        ({"pmcid": "PMC1"}, "pmcid"),
        (["pmid", "1"], "object"),
    ],
)
def test_bad_sidecar_names_file_and_field(tmp_path: Path, sidecar: object, field: str) -> None:
    (problem,) = read_text(_paper(tmp_path, sidecar))
    assert isinstance(problem, ReadProblem)
    assert problem.origin == "paper.txt.meta.json"
    assert field in problem.reason


def test_sidecar_that_is_not_json_is_a_problem(tmp_path: Path) -> None:
    path = _paper(tmp_path)
    (tmp_path / "paper.txt.meta.json").write_text("{pmid: 1", encoding="utf-8")
    (problem,) = read_text(path)
    assert isinstance(problem, ReadProblem)
    assert "JSON" in problem.reason


def test_folders_skip_sidecars_and_a_sidecar_alone_is_refused(tmp_path: Path) -> None:
    _paper(tmp_path, {"pmid": "1"})
    assert [p.name for p in list_inputs([tmp_path])] == ["paper.txt"]
    with pytest.raises(MiningError, match="sidecar"):
        list_inputs([tmp_path / "paper.txt.meta.json"])


def test_mined_reference_carries_the_sidecar_and_a_changed_sidecar_mines_again(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _paper(folder, {"pmid": "30000002", "title": "First title"})
    store = SqlStore(f"sqlite:///{tmp_path / 'store.sqlite'}")
    first = mine([folder], store=store, config=WorkerConfig(), workers=1)
    assert first.claims_new > 0
    reference = store.reference("pubmed:30000002")
    assert reference is not None
    assert (reference.pmid, reference.title) == ("30000002", "First title")
    again = mine([folder], store=store, config=WorkerConfig(), workers=1)
    assert again.files_skipped == 1
    (folder / "paper.txt.meta.json").write_text(json.dumps({"pmid": "30000003"}), "utf-8")
    changed = mine([folder], store=store, config=WorkerConfig(), workers=1)
    assert changed.files_skipped == 0
    assert store.reference("pubmed:30000003") is not None


def test_cli_options_describe_one_text_file(tmp_path: Path) -> None:
    path = _paper(tmp_path)
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    runner = CliRunner()
    args = ["--database-url", url, "--no-progress", "mine", "--workers", "1"]
    result = runner.invoke(
        cli, [*args, str(path), "--pmid", "30000004", "--doi", "10.1000/evkg.test.4"]
    )
    assert result.exit_code == 0, result.output
    reference = SqlStore(url).reference("pubmed:30000004")
    assert reference is not None
    assert reference.doi == "10.1000/evkg.test.4"
    assert "Skip to main content" not in reference.title
    two = runner.invoke(cli, [*args, str(path), str(path), "--title", "A title"])
    assert two.exit_code == 2
    assert "exactly one file" in two.output
    bad = runner.invoke(cli, [*args, str(path), "--pmid", "PMC123"])
    assert bad.exit_code == 2
    assert "pmid" in bad.output
