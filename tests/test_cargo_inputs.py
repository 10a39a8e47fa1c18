"""Reading cargo files of every supported layout, resolving their names, and failing clearly
on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from evkg.analysis.profile import normalise_profile, species_code
from evkg.sources.cargo import CargoFileError, read_cargo_file
from evkg.vocab import load_vocabulary

FIXTURES = Path(__file__).parent / "fixtures" / "cargo"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "profiles"


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


def test_plain_list_with_header_and_arm_less_names(vocabulary) -> None:
    table = read_cargo_file(FIXTURES / "names.txt")
    assert table.format == "list"
    assert table.name_column == "miRNA"
    assert [row.name for row in table.rows][:2] == ["miR-146a", "miRNA-150-5p"]
    assert all(row.abundance is None for row in table.rows)
    profile, report = normalise_profile(table, vocabulary)
    labels = {item.input_name: item.label for item in profile.items}
    assert labels["miRNA-150-5p"] == "hsa-miR-150-5p"
    assert labels["NT5E"] == "NT5E"
    # arm-less: resolved to one arm, the other listed
    (ambiguous,) = [a for a in report.ambiguous if a.input_name == "miR-146a"]
    assert {label for _, label in ambiguous.candidates} == {"hsa-miR-146a-5p", "hsa-miR-146a-3p"}
    unmatched = {u.input_name: u.reason for u in report.unmatched}
    assert "miRBase has no hsa miRNA" in unmatched["miR-99999"]
    assert "not a known" in unmatched["not a cargo"]
    # equal shares when the file gives no abundance; nothing silently dropped
    assert len(report.matched) + len(report.unmatched) == len(table.rows)
    assert all(item.abundance == pytest.approx(1 / len(table.rows)) for item in profile.items)


def test_example_csv_with_comments_and_abundances(vocabulary) -> None:
    table = read_cargo_file(EXAMPLES / "msc_ev_mirna_30.csv")
    assert (table.format, table.name_column, table.abundance_column) == ("table", "miRNA", "RPM")
    profile, report = normalise_profile(table, vocabulary)
    assert len(profile.items) == 30
    assert not report.unmatched
    assert sum(item.abundance for item in profile.items) == pytest.approx(1.0)
    assert profile.items[0].label == "hsa-miR-21-5p"  # the most abundant first


def test_semicolon_delimiter_with_decimal_comma() -> None:
    table = read_cargo_file(FIXTURES / "semicolon_decimal_comma.csv")
    assert [row.abundance for row in table.rows] == [1523.5, 169.0, 19.25]


def test_mirdeep2_counts_keep_one_row_per_mature_and_drop_zeros() -> None:
    table = read_cargo_file(FIXTURES / "miRNAs_expressed_all_samples_16_06_2023_t_10_11_12.csv")
    assert table.format == "mirdeep2"
    assert table.kind_hint == "mirna"
    counts = {row.name: row.abundance for row in table.rows}
    assert counts["hsa-let-7a-5p"] == 8840  # the highest of three precursor rows, not the sum
    assert "hsa-miR-146a-3p" not in counts
    assert any(reason.startswith("zero abundance") for _, _, reason in table.skipped)
    assert any("another precursor" in note for note in table.notes)


def test_nfcore_smrnaseq_samples_in_rows(vocabulary) -> None:
    table = read_cargo_file(FIXTURES / "mature_counts.csv")
    assert table.format == "smrnaseq"
    assert table.samples == ("EV_lotA", "EV_lotB")
    shares = {row.name: row.abundance for row in table.rows}
    lot_a, lot_b = 800 + 1500 + 150 + 5, 700 + 1700 + 450 + 30
    assert shares["hsa-miR-21-5p"] == pytest.approx((1500 / lot_a + 1700 / lot_b) / 2)
    one = read_cargo_file(FIXTURES / "mature_counts.csv", sample="EV_lotB")
    assert {row.name for row in one.rows} == {
        "hsa-let-7a-5p", "hsa-miR-21-5p", "hsa-miR-146a-5p", "hsa-miR-150-5p"
    }  # fmt: skip
    _, report = normalise_profile(table, vocabulary)
    assert [u.input_name for u in report.unmatched] == ["hsa-miR-9999-5p"]
    with pytest.raises(CargoFileError, match=r"no sample 'EV_lotC'.*EV_lotA, EV_lotB"):
        read_cargo_file(FIXTURES / "mature_counts.csv", sample="EV_lotC")


def test_mirtop_table_with_several_samples() -> None:
    table = read_cargo_file(FIXTURES / "mirna.tsv")
    assert table.samples == ("EV_2D", "EV_3D")
    assert table.abundance_column == "mean of samples"
    single = read_cargo_file(FIXTURES / "mirna.tsv", abundance_column="EV_3D")
    assert {r.name: r.abundance for r in single.rows}["hsa-miR-146a-5p"] == 510


def test_maxquant_protein_groups(vocabulary) -> None:
    table = read_cargo_file(FIXTURES / "proteinGroups.txt")
    assert (table.format, table.abundance_column, table.kind_hint) == (
        "maxquant", "iBAQ", "protein"
    )  # fmt: skip
    names = [row.name for row in table.rows]
    assert names == ["CD63", "NT5E", "Q8WUM4", "HGF"]  # no gene name: first protein ID
    reasons = {name: reason for _, name, reason in table.skipped}
    assert "Potential contaminant" in reasons["ALB"]
    assert "Reverse" in reasons["REV__Q9Y6X9"]
    profile, _ = normalise_profile(table, vocabulary)
    assert {"NT5E", "HGF"} <= {item.label for item in profile.items}


def test_xlsx_first_sheet(tmp_path: Path, vocabulary) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "cargo"
    sheet.append(["Gene symbol", "Intensity"])
    sheet.append(["CD63", 9.1e9])
    sheet.append(["NT5E", 2.9e9])
    sheet.append([None, None])
    workbook.create_sheet("notes").append(["ignored"])
    path = tmp_path / "proteins.xlsx"
    workbook.save(path)
    table = read_cargo_file(path)
    assert (table.format, table.name_column, table.abundance_column) == (
        "xlsx", "Gene symbol", "Intensity"
    )  # fmt: skip
    assert [(r.name, r.abundance, r.line) for r in table.rows] == [
        ("CD63", 9.1e9, 2), ("NT5E", 2.9e9, 3)
    ]  # fmt: skip
    assert any("first worksheet" in note for note in table.notes)


def test_column_overrides(tmp_path: Path) -> None:
    path = tmp_path / "two.tsv"
    path.write_text("id\tsymbol\treads\tcpm\nx1\tCD63\t10\t5.5\nx2\tNT5E\t20\t11\n")
    table = read_cargo_file(path, name_column="symbol", abundance_column="4")
    assert [(r.name, r.abundance) for r in table.rows] == [("CD63", 5.5), ("NT5E", 11.0)]
    with pytest.raises(CargoFileError, match=r"no column 'gene'.*'symbol'"):
        read_cargo_file(path, name_column="gene")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"   \n\n", "file is empty"),
        (b"# only a comment\n", "only blank or comment"),
        (b"\x00\x01\x02binary\x00data" * 10, "binary content"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "legacy Excel"),
        (b"PK\x03\x04not really a workbook", "not a readable XLSX"),
        (b"1,2\n3,4\n5,6\n", "no name column"),
        (b"name,count\nmiR-21,10\nmiR-146a,x\n", "line 3, field 'count': 'x' is not a number"),
        (b"name,count\nmiR-21,-2.5\n", "negative abundance"),
        (b"name,count\nmiR-21,10\nmiR-146a,5,7,9\n", "line 3: 4 fields where the header has 2"),
        (b"name,count\nmiR-21,0\n", "every row has zero abundance"),
    ],
)
def test_bad_files_get_clear_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CargoFileError, match=message) as caught:
        read_cargo_file(path)
    assert str(path) in str(caught.value)


def test_wrong_delimiter_given(tmp_path: Path) -> None:
    path = tmp_path / "tabs.csv"
    path.write_text("name\tcount\nmiR-21\t10\nmiR-146a\t5\n")
    assert [r.abundance for r in read_cargo_file(path).rows] == [10, 5]  # sniffed
    with pytest.raises(CargoFileError, match="comma delimiter leaves the header as one field"):
        read_cargo_file(path, delimiter=",")


def test_large_file_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    with pytest.raises(CargoFileError, match=r"50\.0 MB, over the 20\.0 MB limit"):
        read_cargo_file(path)


def test_gzip_bomb_refused(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "names.csv.gz"
    path.write_bytes(gzip.compress(b"name\n" + b"miR-21\n" * 400_000))
    with pytest.raises(CargoFileError, match="decompressed content"):
        read_cargo_file(path, max_bytes=1_000_000)
    assert len(read_cargo_file(path).rows) == 400_000


def test_windows_1252_is_read_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("name,µg\nmiR-21,3\n".encode("cp1252"))
    table = read_cargo_file(path)
    assert table.rows[0].name == "miR-21"
    assert any("Windows-1252" in note for note in table.notes)


def test_species_codes() -> None:
    assert species_code("Rattus norvegicus") == "rno"
    with pytest.raises(ValueError, match="unknown species 'dog'"):
        species_code("dog")


def test_duplicates_are_merged_and_listed(tmp_path: Path, vocabulary) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("name,count\nmiR-150-5p,10\nhsa-miR-150-5p,30\nmiR-21-5p,60\n")
    profile, report = normalise_profile(read_cargo_file(path), vocabulary)
    shares = {item.label: item.abundance for item in profile.items}
    assert shares["hsa-miR-150-5p"] == pytest.approx(0.4)
    assert report.merged == (("mirbase.mature:MIMAT0000451", ("miR-150-5p", "hsa-miR-150-5p")),)


@pytest.mark.reference_data
def test_uniprot_accessions_resolve_with_reference_data(data_dir: Path) -> None:
    full = load_vocabulary(data_dir)
    table = read_cargo_file(EXAMPLES / "msc_ev_proteins.tsv")
    profile, report = normalise_profile(table, full)
    labels = {item.input_name: item.label for item in profile.items}
    assert labels["P08962"] == "CD63"
    assert labels["P21589"] == "NT5E"
    assert labels["Q8WUM4"] == "PDCD6IP"
    assert not report.unmatched


def test_readme_protein_example_resolves_without_reference_data(vocabulary) -> None:
    # the compact lexicon keeps the usual EV protein markers with their UniProt accessions
    table = read_cargo_file(EXAMPLES / "msc_ev_proteins.tsv")
    profile, report = normalise_profile(table, vocabulary)
    labels = {item.input_name: item.label for item in profile.items}
    assert not report.unmatched
    assert (labels["P60033"], labels["P21926"], labels["Q99816"]) == ("CD81", "CD9", "TSG101")
