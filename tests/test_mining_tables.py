"""Tables as tables (issue 13): BioC, JATS and text tables read cell by cell, each row
turned into claims without a verb, the caption's disease carried into the rows, and
rows never mixed. Every fixture under ``fixtures/tables`` is invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evkg.api._mining_work import iter_documents
from evkg.cli import cli
from evkg.extract._table_rows import clean_cell, footnote_abbreviations
from evkg.extract.pipeline import Extractor
from evkg.model import Claim, Evidence
from evkg.sources.tables import table_from_xhtml
from evkg.sources.text import Document, document_from_text
from evkg.sources.text._tables import separate_run_together
from evkg.store import SqlStore
from evkg.vocab import load_vocabulary
from evkg.vocab.columns import column_role, header_roles

TABLES = Path(__file__).parent / "fixtures" / "tables"
MI = "myocardial infarction"
AKI = "acute kidney failure"  # the label of the term "acute kidney injury" resolves to
ALI = "acute lung injury"

#: Per row of each fixture: EV source, cargo, target (or None), disease, disease predicate.
Row = tuple[str, str, str | None, str, str]
_HEART: list[Row] = [
    ("bone marrow MSC", "hsa-miR-21-5p", "PTEN", MI, "treats"),
    ("bone marrow MSC", "hsa-miR-22-3p", "MECP2", MI, "treats"),
    ("umbilical cord MSC", "hsa-miR-19a-3p", "SOX6", MI, "treats"),
    ("adipose tissue MSC", "hsa-miR-126-3p", "SIRT1", MI, "treats"),
    ("umbilical cord MSC", "hsa-miR-125b-5p", "TP53", MI, "treats"),
    ("bone marrow MSC", "hsa-miR-210-3p", "HIF1A", MI, "treats"),
]
_KIDNEY_AND_SEPSIS: list[Row] = [
    ("adipose tissue MSC", "hsa-miR-486-5p", "PTEN", AKI, "treats"),
    ("bone marrow MSC", "hsa-miR-199a-3p", "SEMA3A", AKI, "treats"),
    ("umbilical cord MSC", "hsa-miR-146b-5p", "IRAK1", "Sepsis", "treats"),
    ("umbilical cord MSC", "hsa-miR-146a-5p", "TRAF6", "Sepsis", "treats"),
    ("bone marrow MSC", "hsa-miR-1231", "BCL2", "pancreatic cancer", "treats"),
    ("adipose tissue MSC", "hsa-miR-21-5p", "PDCD4", "breast cancer", "worsens"),
]
_LUNG: list[Row] = [
    ("bone marrow MSC", "hsa-miR-30b-3p", "TLR4", ALI, "treats"),
    ("bone marrow MSC", "hsa-miR-145-5p", "TGFBR2", ALI, "treats"),  # source cell spanned
    ("umbilical cord MSC", "hsa-miR-451a", "STAT3", ALI, "treats"),
    ("adipose tissue MSC", "hsa-miR-27a-3p", "MYD88", ALI, "treats"),
    ("bone marrow MSC", "hsa-miR-124-3p", "CASP3", ALI, "treats"),
    ("umbilical cord MSC", "hsa-miR-223-3p", "NLRP3", ALI, "treats"),
]
_KIDNEY: list[Row] = [
    ("adipose tissue MSC", "hsa-miR-486-5p", "PTEN", AKI, "treats"),
    ("bone marrow MSC", "hsa-miR-199a-3p", "SEMA3A", AKI, "treats"),
    ("umbilical cord MSC", "hsa-miR-146b-5p", "IRAK1", "Sepsis", "treats"),
    ("umbilical cord MSC", "hsa-miR-125b-5p", "TP53", AKI, "treats"),
    ("bone marrow MSC", "hsa-miR-30c-5p", "SMAD7", "renal fibrosis", "treats"),
]
_RUN_TOGETHER = [r for r in _HEART if r[1] != "hsa-miR-210-3p"]
#: Directions the rows print next to their target ("BCL2 ↑"); down otherwise.
_UP = {("hsa-miR-1231", "BCL2")}


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_vocabulary())


def _document(path: Path) -> Document:
    (document,) = list(iter_documents(path))
    assert isinstance(document, Document), document
    return document


def _table_statements(extractor: Extractor, document: Document) -> list[tuple[Claim, Evidence]]:
    statements = extractor.extract(document).statements
    return [(c, e) for c, e in statements if (e.curator_note or "").startswith("table row")]


def _triples(
    extractor: Extractor, statements: list[tuple[Claim, Evidence]]
) -> set[tuple[str, ...]]:
    label = extractor.vocabulary.lexicon.label
    return {(label(c.subject), c.predicate.value, label(c.object)) for c, _ in statements}


def _expected(rows: list[Row]) -> set[tuple[str, ...]]:
    expected: set[tuple[str, ...]] = set()
    for source, cargo, target, disease, predicate in rows:
        expected.add((source, "carries", cargo))
        if target:
            up = (cargo, target) in _UP
            expected.add((cargo, "regulates_up" if up else "regulates_down", target))
        expected.add((cargo, predicate, disease))
    return expected


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("jats_review.xml", _HEART),
        ("bioc_review.xml", _KIDNEY_AND_SEPSIS),
        ("bioc_review.json", _KIDNEY_AND_SEPSIS),
        ("pipe_table.md", _LUNG),
        ("one_cell_per_line.txt", _KIDNEY),
        ("run_together.txt", _RUN_TOGETHER),
    ],
)
def test_each_row_gives_its_claims(extractor: Extractor, name: str, rows: list[Row]) -> None:
    """Every layout: exactly the claims of each row, none across rows."""
    document = _document(TABLES / name)
    (table,) = document.tables
    assert len(table.rows) == len(rows)
    statements = _table_statements(extractor, document)
    assert _triples(extractor, statements) == _expected(rows)
    for _claim, evidence in statements:
        assert evidence.quote.startswith(f"{table.label} row: ")
        assert (evidence.section or "").startswith(table.label)


def test_rows_never_mix(extractor: Extractor) -> None:
    """A row's gene is credited to that row's miRNA only: the quote of every regulation
    is its own row, naming both."""
    for name in ("jats_review.xml", "bioc_review.xml", "pipe_table.md", "run_together.txt"):
        for claim, evidence in _table_statements(extractor, _document(TABLES / name)):
            if claim.predicate.value.startswith("regulates"):
                gene = extractor.vocabulary.lexicon.label(claim.object)
                assert gene in evidence.quote, (name, gene, evidence.quote)
                assert evidence.quote.count("miR-") == 1, evidence.quote


def test_a_caption_ending_in_a_full_stop_does_not_merge_the_rows() -> None:
    text = (
        "Table 4. MicroRNAs in colitis.\n"
        "Source | miRNA | Target\n"
        "BM-MSC | miR-146a | TRAF6\n"
        "UC-MSC | miR-21-5p | PTEN\n\n"
        "Text after the table ends here."
    )
    document = document_from_text(text, name="t.txt")
    (table,) = document.tables
    assert (table.label, table.caption) == ("Table 4", "MicroRNAs in colitis.")
    assert table.rows == (("BM-MSC", "miR-146a", "TRAF6"), ("UC-MSC", "miR-21-5p", "PTEN"))
    assert [s.text for s in document.sections] == ["Text after the table ends here."]


def test_the_caption_disease_reaches_rows_without_a_disease_column(
    extractor: Extractor,
) -> None:
    statements = _table_statements(extractor, _document(TABLES / "jats_review.xml"))
    treats = [(c, e) for c, e in statements if c.predicate.value == "treats"]
    assert len(treats) == 6
    for claim, evidence in treats:
        assert claim.context.disease == claim.object
        assert "disease from the table's caption" in (evidence.curator_note or "")


def test_rows_without_a_verb_give_relations(extractor: Extractor) -> None:
    text = "Table 1 Cargo\n\nSource\tmiRNA\tTarget\tDisease\nBM-MSC\tmiR-146a\tTRAF6\tSepsis\n"
    statements = _table_statements(extractor, document_from_text(text, name="v.txt"))
    assert _triples(extractor, statements) == {
        ("bone marrow MSC", "carries", "hsa-miR-146a-5p"),
        ("hsa-miR-146a-5p", "regulates_down", "TRAF6"),
        ("hsa-miR-146a-5p", "treats", "Sepsis"),
    }


def test_harmful_and_upward_wording(extractor: Extractor) -> None:
    """ "Promoted tumour growth" of a cancer is harm; "BCL2 ↑" is an upward regulation."""
    triples = _triples(
        extractor, _table_statements(extractor, _document(TABLES / "bioc_review.xml"))
    )
    assert ("hsa-miR-21-5p", "worsens", "breast cancer") in triples
    assert ("hsa-miR-1231", "regulates_up", "BCL2") in triples


def test_markers_and_citations_are_stripped_from_names(extractor: Extractor) -> None:
    assert clean_cell("miR-21-5p[18]") == "miR-21-5p"
    assert clean_cell("PTEN (12, 13)") == "PTEN"
    table = _document(TABLES / "jats_review.xml").tables[0]
    assert table.rows[0][1] == "miR-21-5p"  # <sup>a</sup> left out
    assert table.rows[0][4] == ""  # <xref> left out
    statements = _table_statements(extractor, _document(TABLES / "jats_review.xml"))
    assert {e.printed_citation for _, e in statements if "miR-19a" in e.quote} == {"4"}


def test_spanning_cells_fill_every_row_they_span() -> None:
    table = table_from_xhtml(
        "<table><thead><tr><th>Source</th><th>miRNA</th></tr></thead><tbody>"
        '<tr><td rowspan="2">BM-MSC</td><td>miR-1</td></tr><tr><td>miR-2</td></tr>'
        '<tr><td colspan="2">Heart</td></tr></tbody></table>'
    )
    assert table is not None
    assert table.rows == (("BM-MSC", "miR-1"), ("BM-MSC", "miR-2"), ("Heart", "Heart"))


def test_layout_helpers() -> None:
    assert separate_run_together("BM-MSCmiR-21-5pPTENMyocardial infarction") == (
        "BM-MSC miR-21-5p PTEN Myocardial infarction"
    )
    assert header_roles(["EV source", "miRNA", "Target gene", "Disease model", "Outcome"]) == (
        "source",
        "cargo",
        "target",
        "disease",
        "effect",
    )
    assert column_role("Target cells") == "other"
    assert footnote_abbreviations(["Abbreviations: MI, myocardial infarction."]) == [
        ("MI", "myocardial infarction")
    ]


def test_mine_reads_tables_transparently(tmp_path: Path) -> None:
    """``evkg mine`` on a JATS article and a text file: the rows' claims are stored, each
    quoted as its row."""
    database = f"sqlite:///{tmp_path / 'store.sqlite'}"
    for name in ("jats_review.xml", "run_together.txt"):
        (tmp_path / name).write_bytes((TABLES / name).read_bytes())
    result = CliRunner().invoke(
        cli,
        ["--database-url", database, "--format", "json", "mine", "--workers", "1", str(tmp_path)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["claims_new"] >= 30
    store = SqlStore(database)
    quotes = [r[0] for r in store.execute_sql("SELECT quote FROM evidence")]
    store.dispose()
    assert sum(q.startswith("Table 1 row: ") for q in quotes) >= 30


def test_listed_cargo_and_targets_pair_by_position(extractor: Extractor) -> None:
    """Two miRNAs over two targets, one under the other, pair in order; an arrow glued to
    a name ("TP53↓") still leaves the name readable."""
    text = (
        "Table 5 Cargo\n\nmiRNA | Target | Ref.\n"
        "miR-21-5p miR-146a-5p | PDCD4 TRAF6 | [3] |\n"
        "miR-125b-5p | TP53↓ | [4] |\n"
    )
    triples = _triples(
        extractor, _table_statements(extractor, document_from_text(text, name="p.txt"))
    )
    regulations = {(s, o) for s, p, o in triples if p.startswith("regulates")}
    assert regulations == {
        ("hsa-miR-21-5p", "PDCD4"),
        ("hsa-miR-146a-5p", "TRAF6"),
        ("hsa-miR-125b-5p", "TP53"),
    }


def test_cells_of_several_lines_do_not_shift_the_rows_after_them(extractor: Extractor) -> None:
    """One cell per line, some cells on two or three lines (two recipient cells, three
    effects): the reference cells end the rows and each row's lines go to the columns they
    look like, so every target stays with its own miRNA."""
    document = _document(TABLES / "cells_over_lines.txt")
    (table,) = document.tables
    assert [row[1] for row in table.rows] == [
        "miR-155-5p", "miR-93-5p", "miR-26a-5p", "miR-92a-3p", "miR-124-3p",
    ]  # fmt: skip
    assert table.rows[1][2] == "Chondrocytes; Synoviocytes"
    assert table.rows[3][4] == "↑ Matrix synthesis; ↑ Proliferation; ↓ Degradation"
    assert [row[-1] for row in table.rows] == ["31", "32", "33", "34", "35"]
    regulations = {
        t for t in _triples(extractor, _table_statements(extractor, document))
        if t[1].startswith("regulates")
    }  # fmt: skip
    assert regulations == {
        ("hsa-miR-155-5p", "regulates_down", "RUNX2"),
        ("hsa-miR-93-5p", "regulates_down", "TLR4"),
        ("hsa-miR-26a-5p", "regulates_down", "PTGS2"),
        ("hsa-miR-92a-3p", "regulates_down", "WNT5A"),
        ("hsa-miR-124-3p", "regulates_down", "MMP13"),
    }


def test_line_shapes_and_row_alignment() -> None:
    from evkg.sources.text._cell_alignment import align_row, column_shapes, line_shape

    assert [line_shape(x) for x in ("MiR-221-3p", "↓ Osteogenesis", "Th17 cells", "DKK2")] == [
        "mirna", "arrow", "cells", "symbols",
    ]  # fmt: skip
    fitting = [
        ["FLSs", "miR-1", "Osteoblasts", "DKK2", "↓ Osteogenesis"],
        ["MSCs", "miR-2", "Chondrocytes", "PDK4", "↑ Apoptosis"],
    ]
    costs = column_shapes(fitting, 5)
    lines = ["MSCs", "miR-3", "FLSs", "HUVECs", "MMP14, VEGF", "↓ Hyperplasia", "↓ Angiogenesis"]
    assert align_row(lines, costs) == [
        "MSCs", "miR-3", "FLSs; HUVECs", "MMP14, VEGF", "↓ Hyperplasia; ↓ Angiogenesis",
    ]  # fmt: skip
    # a row missing its target keeps the effect in the effect column
    assert align_row(["MSCs", "miR-4", "FLSs", "↓ Migration"], costs) == [
        "MSCs", "miR-4", "FLSs", "", "↓ Migration",
    ]  # fmt: skip


def test_a_row_far_longer_than_the_header_is_not_laid_out() -> None:
    """Reference cells that never come (a long run of lines) leave the plain count of
    ``width`` lines a row rather than one row of hundreds of lines."""
    from evkg.sources.text._tables import _rows_ended_by_references

    rows = ["MSCs", "miR-1", "PTEN", "12", "MSCs", "miR-2", "SOX9", "13"]
    assert _rows_ended_by_references(rows, 4) == [rows[:4], rows[4:]]
    assert _rows_ended_by_references([*rows, *(["words"] * 40)], 4) is None
