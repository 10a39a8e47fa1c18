"""One enormous PubMed record is reported and passed over without being held: the records
around it are read with their right line numbers, and peak memory (tracemalloc) stays
within three times the record bound however large the record is (39 MiB measured for a
200 MiB abstract at the 16 MiB bound)."""

from __future__ import annotations

import gzip
import time
import tracemalloc
from pathlib import Path

from evkg.sources.pubmed import read_pubmed
from evkg.sources.pubmed.reader import MAX_RECORD_BYTES, iter_pubmed
from evkg.sources.text import Document, ReadProblem

MiB = 1024 * 1024


def _article(pmid: int, abstract: str = "MSC exosomes reduced fibrosis in mice.") -> str:
    return (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><Journal><JournalIssue>"
        f"<PubDate><Year>2022</Year></PubDate></JournalIssue><Title>Test J</Title></Journal>"
        f"<ArticleTitle>Study {pmid}</ArticleTitle><Abstract><AbstractText>{abstract}"
        f"</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>\n"
    )


def _huge_record_file(path: Path, abstract_mib: int, *, closed: bool = True) -> None:
    """Records 1 and 3 ordinary, record 2 with ``abstract_mib`` MiB of abstract text (over
    many lines), written piece by piece so the test itself never holds it."""
    head, tail = _article(2).split("MSC exosomes reduced fibrosis in mice.")
    line = ("exosome " * 127 + "EVs\n").encode()  # 1 KiB a line
    block = line * 1024
    with path.open("wb") as handle:
        handle.write(b"<?xml version='1.0'?>\n<PubmedArticleSet>\n")
        handle.write(_article(1).encode())
        handle.write(head.encode())
        for _ in range(abstract_mib):
            handle.write(block)
        handle.write(tail.encode() if closed else b"\n")
        handle.write(_article(3).encode())
        handle.write(b"</PubmedArticleSet>\n")


def _read(path: Path, **bound: int) -> tuple[list[Document | ReadProblem], int, float]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        items = [i for i in iter_pubmed(path, **bound) if isinstance(i, Document | ReadProblem)]
        return items, tracemalloc.get_traced_memory()[1], time.perf_counter() - started
    finally:
        tracemalloc.stop()


def test_a_200_mib_abstract_is_refused_with_memory_bounded(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    _huge_record_file(path, 200)
    items, peak, seconds = _read(path)
    documents = [i for i in items if isinstance(i, Document)]
    problems = [i for i in items if isinstance(i, ReadProblem)]
    assert [d.id for d in documents] == ["pubmed:1", "pubmed:3"]
    assert [str(p) for p in problems] == [
        "huge.xml line 4: record larger than 16 MiB, the most one PubMed record may take, "
        "skipped; the records after it are read"
    ]
    # record 3 is named by its own line: record 2 starts on line 4 and spans 200 * 1024 lines
    assert documents[1].origin == f"huge.xml line {4 + 200 * 1024 + 1} (PMID 3)"
    assert peak < 3 * MAX_RECORD_BYTES, f"peak {peak / MiB:.0f} MiB"
    assert seconds < 30, f"{seconds:.1f} s"


def test_an_over_large_record_without_its_closing_tag_is_passed_over(tmp_path: Path) -> None:
    path = tmp_path / "open.xml.gz"
    plain = tmp_path / "open.xml"
    _huge_record_file(plain, 5, closed=False)
    path.write_bytes(gzip.compress(plain.read_bytes()))
    items, peak, _ = _read(path, max_record_bytes=MiB)
    assert [i.id for i in items if isinstance(i, Document)] == ["pubmed:1", "pubmed:3"]
    (problem,) = [i for i in items if isinstance(i, ReadProblem)]
    assert "record larger than 1 MiB" in problem.reason
    assert peak < 8 * MiB, f"peak {peak / MiB:.1f} MiB"  # the bound, 1 MiB reads, gzip buffers


def test_a_complete_record_over_the_bound_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "complete.xml"
    path.write_text(
        "<PubmedArticleSet>\n"
        + _article(1)
        + _article(2, "vesicles " * 40_000)
        + _article(3)
        + "</PubmedArticleSet>\n"
    )
    items, _, _ = _read(path, max_record_bytes=100_000)
    assert [i.id for i in items if isinstance(i, Document)] == ["pubmed:1", "pubmed:3"]
    (problem,) = [i for i in items if isinstance(i, ReadProblem)]
    assert problem.origin == "complete.xml line 3"


def test_an_end_tag_split_across_reads_while_passing_over_is_found(tmp_path: Path) -> None:
    """The end tag of the skipped record straddles the 2 MiB read boundary."""
    head, tail = _article(2).split("MSC exosomes reduced fibrosis in mice.")
    start = "<PubmedArticleSet>\n" + _article(1) + head
    end_tag_at = 2 * MiB - 7
    close = tail.index("</PubmedArticle>")
    filler = "x" * (end_tag_at - len(start) - close)
    text = start + filler + tail + _article(3) + "</PubmedArticleSet>\n"
    assert text.index("</PubmedArticle>", len(start)) == end_tag_at
    path = tmp_path / "split.xml"
    path.write_text(text)
    items, _, _ = _read(path, max_record_bytes=MiB // 2)
    assert [i.id for i in items if isinstance(i, Document)] == ["pubmed:1", "pubmed:3"]
    assert len([i for i in items if isinstance(i, ReadProblem)]) == 1


def test_ordinary_records_are_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "plain.xml"
    path.write_text("<PubmedArticleSet>\n" + _article(7) + _article(8) + "</PubmedArticleSet>")
    assert [d.id for d in read_pubmed(path) if isinstance(d, Document)] == [
        "pubmed:7",
        "pubmed:8",
    ]
