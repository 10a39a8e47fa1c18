"""Cargo files are bounded while they are read: an XLSX of hundreds of thousands of rows
stops at the row limit (streamed, peak memory measured), inflated workbook parts are refused
from their declared sizes, a CSV line over the csv module's field limit is a clear error,
and UTF-16/UTF-32 text is read rather than taken for binary."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from evkg.recordfiles import RecordFileError
from evkg.sources.cargo import CargoFileError, CargoFileTooLargeError, read_cargo_file
from evkg.store import SqlStore
from evkg.vocab import load_vocabulary
from evkg.web import Limits, create_app

_SHEET = "xl/worksheets/sheet1.xml"


def workbook_with_sheet(path: Path, sheet_xml: bytes) -> Path:
    """A real workbook (written by openpyxl) whose first sheet is replaced by ``sheet_xml``."""
    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active.append(["name"])
    book.save(buffer)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = sheet_xml if info.filename == _SHEET else source.read(info.filename)
            target.writestr(info.filename, data)
    return path


def sheet(rows: int, *, wide_cell: bool = False) -> bytes:
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c>'
        + (b'<c r="XFD1" t="inlineStr"><is><t>x</t></is></c>' if wide_cell else b"")
        + b"</row>"
    )
    body = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>miR-21-5p</t></is></c></row>' % (n, n)
        for n in range(2, rows + 2)
    )
    return head + body + b"</sheetData></worksheet>"


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300,000 rows in about 1 MB of XLSX (25 MB of sheet XML)."""
    folder = tmp_path_factory.mktemp("bomb")
    return workbook_with_sheet(folder / "bomb.xlsx", sheet(300_000))


def test_xlsx_row_limit_applies_while_reading(bomb: Path) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(CargoFileTooLargeError, match=r"line 1002: more than 1,001 rows"):
            read_cargo_file(bomb, max_rows=1_001)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # all 300,000 rows held as cells would be tens of MB; the file itself is about 1 MB
    assert bomb.stat().st_size < 2_000_000
    assert peak < 12 * 1024 * 1024, peak


def test_xlsx_parts_inflating_past_the_limit_are_refused_unread(bomb: Path) -> None:
    with pytest.raises(CargoFileTooLargeError, match="uncompressed content"):
        read_cargo_file(bomb, max_bytes=2_000_000)


def test_xlsx_cells_beyond_the_column_limit_are_an_error(tmp_path: Path) -> None:
    path = workbook_with_sheet(tmp_path / "wide.xlsx", sheet(3, wide_cell=True))
    with pytest.raises(CargoFileTooLargeError, match="line 1: row has cells beyond column 2000"):
        read_cargo_file(path)


def test_declared_dimension_does_not_pad_rows(tmp_path: Path) -> None:
    path = workbook_with_sheet(tmp_path / "small.xlsx", sheet(3))
    table = read_cargo_file(path)
    assert [row.name for row in table.rows] == ["miR-21-5p"] * 3


def test_text_row_limit(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_text("name\n" + "miR-21\n" * 50)
    with pytest.raises(CargoFileTooLargeError, match="line 12: more than 11 rows"):
        read_cargo_file(path, max_rows=11)


def test_csv_field_over_the_csv_limit_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text('name,count\nmiR-21,1\n"' + "x" * 200_000 + ",2\n")
    with pytest.raises(CargoFileError, match=r"line 3: a field is too long") as caught:
        read_cargo_file(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_text_is_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "names.tsv"
    path.write_bytes("name\tcount\nmiR-21-5p\t10\nlet-7c-5p\t4\n".encode(encoding))
    table = read_cargo_file(path)
    assert [(row.name, row.abundance) for row in table.rows] == [
        ("miR-21-5p", 10),
        ("let-7c-5p", 4),
    ]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = SqlStore(f"sqlite:///{tmp_path_factory.mktemp('cargo-web') / 'evkg.sqlite'}")
    store.initialise()
    app = create_app(store=store, vocabulary=load_vocabulary(), limits=Limits(max_upload_rows=500))
    yield TestClient(app, raise_server_exceptions=False)
    store.dispose()


@pytest.mark.parametrize("url", ["/api/analysis", "/upload"])
def test_xlsx_uploads_stop_at_the_row_and_inflation_limits(
    client: TestClient, bomb: Path, tmp_path: Path, url: str
) -> None:
    rows = workbook_with_sheet(tmp_path / "rows.xlsx", sheet(20_000)).read_bytes()
    for content, message in [
        (rows, "more than 501 rows"),  # 1.7 MB of sheet XML: read until row 502
        (bomb.read_bytes(), "uncompressed content is 22.7 MB, over the 9.5 MB limit"),
    ]:
        upload = {"file": ("cargo.xlsx", content, "application/octet-stream")}
        response = client.post(url, files=upload)
        assert response.status_code == 413, response.text[:300]
        assert message in response.text


@pytest.mark.parametrize("url", ["/api/analysis", "/upload"])
def test_long_csv_line_upload_is_422(client: TestClient, url: str) -> None:
    content = b'name,count\nmiR-21,1\n"' + b"x" * 200_000 + b",2\n"
    response = client.post(url, files={"file": ("cargo.csv", content, "text/csv")})
    assert response.status_code == 422, response.text[:300]
    assert "cargo.csv, line 3: a field is too long" in response.text


def test_nanosight_line_over_the_csv_limit_is_a_clear_error(tmp_path: Path) -> None:
    from evkg.sources.nta import read_size_export
    from evkg.sources.nta._nanosight import MAGIC

    path = tmp_path / "ExperimentSummary.csv"
    path.write_text(f'{MAGIC}\nCreated with NTA 3.4\n"' + "x" * 200_000 + "\n")
    with pytest.raises(RecordFileError, match=r"line 3: not a readable CSV line"):
        read_size_export(path)
