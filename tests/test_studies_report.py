"""The studies of a disease as an HTML report: the table, the evidence map, the gaps."""

from __future__ import annotations

import html
import json
from pathlib import Path
from types import SimpleNamespace

from click.testing import CliRunner

from evkg.cli import cli
from evkg.report.studies import evidence_map_svg
from evkg.store import SqlStore


def _studies(store: SqlStore, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--database-url", store.url, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_report_holds_every_study_and_a_bubble_per_map_cell(
    curated_store: SqlStore, tmp_path: Path
) -> None:
    answer = json.loads(_studies(curated_store, "--format", "json", "studies", "MI"))
    target = tmp_path / "mi.html"
    _studies(curated_store, "studies", "MI", "--report", str(target))
    page = html.unescape(target.read_text(encoding="utf-8"))
    assert answer["n_studies"] > 5
    assert page.count("<circle") == len(answer["evidence_map"])
    assert all(study["citation"] in page for study in answer["studies"])


def test_the_report_links_each_study_to_its_paper(curated_store: SqlStore, tmp_path: Path) -> None:
    answer = json.loads(_studies(curated_store, "--format", "json", "studies", "MI"))
    target = tmp_path / "mi.html"
    _studies(curated_store, "studies", "MI", "--report", str(target))
    page = target.read_text(encoding="utf-8")
    for study in answer["studies"]:
        link = (
            f"https://pubmed.ncbi.nlm.nih.gov/{study['pmid']}/"
            if study["pmid"]
            else f"https://doi.org/{study['doi']}"
        )
        assert link in page


def test_the_map_escapes_names_and_is_empty_without_studies() -> None:
    cell = SimpleNamespace(disease="<b>x</b>", ev_source="A & B", outcome="beneficial", studies=4)
    svg = evidence_map_svg([cell])
    assert "<b>" not in svg
    assert "A &amp; B" in svg
    assert evidence_map_svg([]) == ""
