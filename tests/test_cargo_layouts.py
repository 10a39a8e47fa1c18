"""Cargo files recognised by their columns: differential-expression results refused with what
to pass, mirtop isomiR tables summed per miRNA, Vesiclepedia/ExoCarta downloads read as names
only, UniProt FASTA-style ids read as accessions."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from evkg.analysis.profile import normalise_profile
from evkg.cli import cli
from evkg.sources.cargo import CargoFileError, read_cargo_file
from evkg.store import SqlStore
from evkg.vocab import load_vocabulary

FIXTURES = Path(__file__).parent / "fixtures" / "cargo"


# ------------------------------------------------------------ differential-expression results


def test_deseq2_results_are_refused_with_what_to_pass() -> None:
    path = FIXTURES / "deseq2_results.csv"
    with pytest.raises(CargoFileError) as caught:
        read_cargo_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, line 1: a DESeq2 differential-expression results table")
    assert "baseMean, log2FoldChange, pvalue, padj" in message
    assert "--abundance-column baseMean" in message
    assert "evkg compare" in message
    assert "--groups" in message


def test_deseq2_base_mean_is_read_when_asked() -> None:
    table = read_cargo_file(FIXTURES / "deseq2_results.csv", abundance_column="baseMean")
    assert table.abundance_column == "baseMean"
    assert {row.name: row.abundance for row in table.rows} == {
        "hsa-miR-21-5p": 1520.4, "hsa-miR-146a-5p": 310.8, "hsa-let-7a-5p": 880.1
    }  # fmt: skip
    assert any(
        "DESeq2 results table: read its 'baseMean' column (the mean" in n for n in table.notes
    )


@pytest.mark.parametrize("column", ["padj", "log2FoldChange", "stat"])
def test_a_deseq2_statistic_is_no_abundance(column: str) -> None:
    with pytest.raises(CargoFileError, match=rf"field '{column}': '{column}' of a DESeq2 results"):
        read_cargo_file(FIXTURES / "deseq2_results.csv", abundance_column=column)


def test_edger_results_written_with_row_names_are_refused() -> None:
    # write.table(topTags(...)) leaves the header one field short of the rows
    path = FIXTURES / "edger_results.tsv"
    with pytest.raises(CargoFileError, match="an edgeR differential-expression results table"):
        read_cargo_file(path)
    with pytest.raises(CargoFileError, match="'logCPM' of an edgeR results table is a statistic"):
        read_cargo_file(path, abundance_column="logCPM")


def test_limma_results_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "top_table.csv"
    path.write_text(
        "gene,logFC,AveExpr,t,P.Value,adj.P.Val,B\nCD63,1.1,8.2,4.4,0.0002,0.004,1.9\n"
        "NT5E,-0.4,6.0,-1.2,0.24,0.52,-5.1\n"
    )
    shown = r"a limma .*\(logFC, AveExpr, P\.Value, adj\.P\.Val\)"
    with pytest.raises(CargoFileError, match=shown):
        read_cargo_file(path)


def test_a_plain_table_with_a_p_value_column_is_not_taken_for_results(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    path.write_text("name,count,pvalue\nmiR-21-5p,120,0.01\nmiR-146a-5p,30,0.2\n")
    assert [row.abundance for row in read_cargo_file(path).rows] == [120, 30]


# ------------------------------------------------------------------------------------- mirtop


def test_mirtop_isomirs_are_summed_per_mirna_and_sample() -> None:
    path = FIXTURES / "mirtop.tsv"
    table = read_cargo_file(path)  # iso_3p holds -1: read as an annotation, not an abundance
    assert (table.format, table.kind_hint, table.name_column) == ("mirtop", "mirna", "miRNA")
    assert table.samples == ("EV_2D", "EV_3D")
    lot_2d = {"hsa-miR-21-5p": 1200 + 290, "hsa-miR-146a-5p": 140 + 0, "hsa-let-7a-5p": 820}
    lot_3d = {"hsa-miR-21-5p": 1300 + 310, "hsa-miR-146a-5p": 500 + 10, "hsa-let-7a-5p": 0}
    shares = {row.name: row.abundance for row in table.rows}
    for name in lot_2d:
        expected = (lot_2d[name] / sum(lot_2d.values()) + lot_3d[name] / sum(lot_3d.values())) / 2
        assert shares[name] == pytest.approx(expected)
    assert any("5 isomiR rows summed into 3 miRNAs" in note for note in table.notes)
    one = read_cargo_file(path, sample="EV_3D")
    assert {row.name: row.abundance for row in one.rows} == {
        "hsa-miR-21-5p": 1610, "hsa-miR-146a-5p": 510
    }  # fmt: skip
    assert [(name, reason) for _, name, reason in one.skipped] == [
        ("hsa-let-7a-5p", "zero abundance (not detected)")
    ]
    with pytest.raises(CargoFileError, match=r"no sample 'iso_5p'; the samples are: EV_2D, EV_3D"):
        read_cargo_file(path, sample="iso_5p")


def test_mirtop_names_resolve() -> None:
    table = read_cargo_file(FIXTURES / "mirtop.tsv")
    _, report = normalise_profile(table, load_vocabulary())
    assert not report.unmatched
    assert len(report.matched) == 3


def test_mirtop_rows_without_a_mirna_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "mirtop.tsv"
    path.write_text(
        "UID\tRead\tmiRNA\tVariant\tiso_5p\tS1\n"
        "u1\tTAGCTTATCAGACTGATGTTGA\thsa-miR-21-5p\tNA\t0\t40\n"
        "u2\tTTTTTTTTTTTTTTTTTTTT\tNA\tNA\t-2\t9\n"
    )
    table = read_cargo_file(path)
    assert [(row.name, row.abundance) for row in table.rows] == [("hsa-miR-21-5p", 40)]
    assert table.skipped == ((3, "u2", "isomiR without a miRNA"),)


# ------------------------------------------------------------------ Vesiclepedia and ExoCarta


def test_vesiclepedia_download_gives_names_without_abundance() -> None:
    table = read_cargo_file(FIXTURES / "vesiclepedia_protein.txt")
    assert (table.format, table.name_column, table.abundance_column) == (
        "vesiclepedia", "GENE SYMBOL", None
    )  # fmt: skip
    assert table.kind_hint == "protein"
    # one row per experiment: CD63 twice, counted once; no Entrez or experiment id as amount
    assert [(row.name, row.abundance, row.line) for row in table.rows] == [
        ("CD63", None, 2), ("CD81", None, 3), ("NT5E", None, 4), ("Cd63", None, 6)
    ]  # fmt: skip
    assert any("5 rows (one per experiment) name 4 cargo" in note for note in table.notes)
    assert any("Homo sapiens (4), Mus musculus (1)" in note for note in table.notes)


def test_exocarta_mirna_download(tmp_path: Path) -> None:
    path = tmp_path / "EXOCARTA_MIRNA_DETAILS.txt"
    path.write_text(
        "EXOCARTA ID\tCONTENT TYPE\tGENE SYMBOL\tSPECIES\tEXPERIMENT ID\n"
        "9001\tmiRNA\thsa-miR-21-5p\tHomo sapiens\t210\n"
        "9002\tmiRNA\thsa-let-7a-5p\tHomo sapiens\t210\n"
    )
    table = read_cargo_file(path)
    assert (table.format, table.kind_hint) == ("exocarta", "mirna")
    assert [row.name for row in table.rows] == ["hsa-miR-21-5p", "hsa-let-7a-5p"]
    assert all(row.abundance is None for row in table.rows)


def test_a_download_with_several_content_types_says_so(tmp_path: Path) -> None:
    path = tmp_path / "vesiclepedia.tsv"
    path.write_text(
        "CONTENT ID\tCONTENT TYPE\tENTREZ GENE ID\tGENE SYMBOL\tSPECIES\n"
        "1\tprotein\t967\tCD63\tHomo sapiens\n2\tmRNA\t4907\tNT5E\tHomo sapiens\n"
    )
    table = read_cargo_file(path)
    assert table.kind_hint is None
    assert any("several content types: protein (1), mRNA (1)" in n for n in table.notes)


# ------------------------------------------------------------------------------ UniProt ids


def test_uniprot_fasta_ids_are_read_as_accessions() -> None:
    table = read_cargo_file(FIXTURES / "uniprot_fasta_ids.tsv")
    assert [row.name for row in table.rows] == ["P60033", "P08962", "A0A024R6I7", "NT5E"]
    assert [row.abundance for row in table.rows] == [41, 57, 3, 12]
    assert any("3 UniProt FASTA-style ids" in note for note in table.notes)
    labels = {i.input_name: i.label for i in normalise_profile(table, load_vocabulary())[0].items}
    assert labels["P08962"] == "CD63"


def test_a_list_of_fasta_ids_is_not_split_at_its_pipes(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_text("sp|P60033|CD81_HUMAN\nsp|P08962-2|CD63_HUMAN\n")
    table = read_cargo_file(path)
    assert (table.format, table.kind_hint) == ("list", "protein")
    assert [row.name for row in table.rows] == ["P60033", "P08962-2"]


def test_maxquant_ids_in_fasta_style(tmp_path: Path) -> None:
    path = tmp_path / "proteinGroups.txt"
    path.write_text(
        "Protein IDs\tMajority protein IDs\tGene names\tiBAQ\tReverse\tPotential contaminant\n"
        "sp|P08962|CD63_HUMAN;sp|P08962-2|CD63_HUMAN\tsp|P08962|CD63_HUMAN\t\t5000\t\t\n"
        "sp|P21589|5NTD_HUMAN\tsp|P21589|5NTD_HUMAN\tNT5E\t800\t\t\n"
    )
    table = read_cargo_file(path)
    assert table.format == "maxquant"
    assert [(row.name, row.alternatives) for row in table.rows] == [
        ("P08962", ("P08962",)), ("NT5E", ("P21589",))
    ]  # fmt: skip


@pytest.mark.reference_data
def test_fasta_ids_resolve_with_reference_data(data_dir: Path) -> None:
    table = read_cargo_file(FIXTURES / "uniprot_fasta_ids.tsv")
    profile, _ = normalise_profile(table, load_vocabulary(data_dir))
    labels = {item.input_name: item.label for item in profile.items}
    assert labels["P60033"] == "CD81"
    assert labels["P08962"] == "CD63"


# ------------------------------------------------------------------------------------- CLI


def test_cli_analyze_refuses_results_and_reads_the_others(curated_store: SqlStore) -> None:
    runner = CliRunner()
    store = ["--database-url", curated_store.url]
    refused = runner.invoke(cli, [*store, "analyze", str(FIXTURES / "deseq2_results.csv")])
    assert refused.exit_code == 1
    assert "DESeq2 differential-expression results table" in refused.output
    assert "Traceback" not in refused.output
    for name in ("mirtop.tsv", "vesiclepedia_protein.txt", "uniprot_fasta_ids.tsv"):
        result = runner.invoke(cli, [*store, "--format", "json", "analyze", str(FIXTURES / name)])
        assert result.exit_code == 0, result.output
