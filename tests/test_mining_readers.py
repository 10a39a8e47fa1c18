"""Literature readers: PubMed/MEDLINE XML (plain and gzip, broken records), BioC XML/JSON,
PubTator and plain text."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from evkg.api.mining import MiningError, iter_documents, list_inputs
from evkg.sources.bioc import read_bioc
from evkg.sources.pubmed import iter_pubmed_bytes, read_pubmed
from evkg.sources.pubtator import read_pubtator
from evkg.sources.text import Document, ReadProblem, read_text

FIXTURES = Path(__file__).parent / "fixtures" / "mining"


def _split(items: list[Document | ReadProblem]) -> tuple[list[Document], list[ReadProblem]]:
    return (
        [i for i in items if isinstance(i, Document)],
        [i for i in items if isinstance(i, ReadProblem)],
    )


def test_pubmed_reader_skips_broken_records_and_keeps_the_rest() -> None:
    documents, problems = _split(list(read_pubmed(FIXTURES / "pubmed_small.xml")))
    assert [d.id for d in documents] == ["pubmed:90000001", "pubmed:90000003"]
    assert len(problems) == 2
    assert "malformed XML" in problems[0].reason
    assert problems[0].origin.endswith("line 32")
    assert "PMID missing" in problems[1].reason
    first = documents[0]
    assert first.sections[0].text.startswith("Bone marrow MSC exosomes carrying miR-146a-5p")
    assert [s.name for s in first.sections] == ["Title", "Background", "Results"]
    assert first.bibliography is not None
    reference = first.bibliography.reference(first.id)
    assert not isinstance(reference, str)
    assert reference.authors == ("Testerova A", "EV Test Consortium")
    assert (reference.year, reference.journal, reference.doi) == (
        2021,
        "J Extracell Vesicles Test",
        "10.1000/test.0001",
    )
    third = documents[1].bibliography
    assert third is not None
    assert third.year == 1998  # from MedlineDate


def test_pubmed_gzip_reads_the_same(tmp_path: Path) -> None:
    target = tmp_path / "small.xml.gz"
    target.write_bytes(gzip.compress((FIXTURES / "pubmed_small.xml").read_bytes()))
    plain = [d.id for d in read_pubmed(FIXTURES / "pubmed_small.xml") if isinstance(d, Document)]
    zipped = [d.id for d in read_pubmed(target) if isinstance(d, Document)]
    assert plain == zipped


def test_pubmed_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>5</PMID><Article>"
        "<Journal><JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue></Journal>"
        "<ArticleTitle>Title &e;</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
        "</PubmedArticleSet>"
    ).encode()
    items = list(iter_pubmed_bytes(xml, "entity.xml"))
    assert all("TOPSECRET" not in str(item) for item in items)


def test_pubmed_truncated_and_non_xml_files(tmp_path: Path) -> None:
    data = (FIXTURES / "pubmed_small.xml").read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: data.index(b'<PMID Version="1">90000003')])
    documents, problems = _split(list(read_pubmed(cut)))
    assert [d.id for d in documents] == ["pubmed:90000001"]
    assert "no closing </PubmedArticle>" in problems[-1].reason
    junk = tmp_path / "junk.xml"
    junk.write_bytes(b"hello, not xml")
    assert "not PubMed" in next(iter(read_pubmed(junk))).reason  # type: ignore[union-attr]


def test_real_medline_sample(data_dir: Path) -> None:
    items = list(read_pubmed(data_dir / "pubmed" / "medline16n0902_sample605.xml.gz"))
    documents, problems = _split(items)
    assert len(documents) == 604
    assert not problems
    with_abstract = [d for d in documents if len(d.sections) > 1]
    assert len(with_abstract) == 526


def test_bioc_xml_and_json() -> None:
    xml_docs, xml_problems = _split(list(read_bioc(FIXTURES / "bioc_small.xml")))
    assert [d.id for d in xml_docs] == ["pubmed:90000011"]
    assert not xml_problems
    assert all("sepsis" not in s.text for s in xml_docs[0].sections)  # references skipped
    bibliography = xml_docs[0].bibliography
    assert bibliography is not None
    assert bibliography.authors == ("Doe JQ",)
    json_docs, json_problems = _split(list(read_bioc(FIXTURES / "bioc_small.json")))
    assert [d.id for d in json_docs] == ["pubmed:90000021"]
    assert "neither a PMID nor a PMCID" in json_problems[0].reason


def test_bioc_malformed_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"documents": [', encoding="utf-8")
    problem = next(iter(read_bioc(bad)))
    assert isinstance(problem, ReadProblem)
    assert "read to byte" in problem.origin
    assert "malformed JSON" in problem.reason


def test_pubtator() -> None:
    documents, problems = _split(list(read_pubtator(FIXTURES / "small.pubtator")))
    assert [d.id for d in documents] == ["pubmed:90000031", "pubmed:90000032"]
    assert documents[0].sections[1].text.startswith("Bone marrow MSC-derived exosomes")
    assert len(problems) == 1
    assert "line 7" in problems[0].origin


def test_text_sections_and_encoding(tmp_path: Path) -> None:
    document = next(iter(read_text(FIXTURES / "review_small.md")))
    assert isinstance(document, Document)
    assert [s.name for s in document.sections] == ["Inflammation", "Tissue repair"]
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Caf\xe9 au lait".encode("latin-1"))
    problem = next(iter(read_text(latin)))
    assert isinstance(problem, ReadProblem)
    assert "not UTF-8" in problem.reason


def test_format_detection_and_inputs(tmp_path: Path) -> None:
    kinds = {p.name: next(iter(iter_documents(p))) for p in list_inputs([FIXTURES])}
    assert kinds["small.pubtator"].id == "pubmed:90000031"  # type: ignore[union-attr]
    assert kinds["bioc_small.xml"].id == "pubmed:90000011"  # type: ignore[union-attr]
    with pytest.raises(MiningError, match="no such file"):
        list_inputs([tmp_path / "missing"])
    other = tmp_path / "other.xml"
    other.write_text("<root/>", encoding="utf-8")
    with pytest.raises(MiningError, match="neither PubMed"):
        iter_documents(other)


# -- one-pass field extraction gives the documents that ElementPath searches gave ---------
def _reference_document(record: Any, origin: str) -> Document | ReadProblem:
    """The PubMed record → document mapping written with one ElementPath search per field,
    as the reader first did it."""
    import re

    from evkg.sources.text import Bibliography, Section

    def text(element: Any) -> str:
        return "" if element is None else " ".join("".join(element.itertext()).split())

    citation = record if record.tag == "MedlineCitation" else record.find("MedlineCitation")
    if citation is None:
        if record.tag == "PubmedBookArticle":
            return ReadProblem(origin, "book record (PubmedBookArticle) skipped")
        return ReadProblem(origin, "no MedlineCitation element")
    pmid = (citation.findtext("PMID") or "").strip()
    if not pmid.isdigit():
        return ReadProblem(origin, f"PMID missing or not a number ({pmid[:30]!r})")
    where = f"{origin} (PMID {pmid})"
    article = citation.find("Article")
    if article is None:
        return ReadProblem(where, "no Article element")
    title = text(article.find("ArticleTitle")) or text(article.find("VernacularTitle"))
    sections = [Section("Title", title)] if title else []
    for part in article.iterfind("Abstract/AbstractText"):
        if text(part):
            label = part.get("Label") or part.get("NlmCategory") or "Abstract"
            sections.append(Section(label.strip().capitalize(), text(part)))
    if not sections:
        return ReadProblem(where, "neither title nor abstract")
    journal = (
        article.findtext("Journal/ISOAbbreviation")
        or article.findtext("Journal/Title")
        or citation.findtext("MedlineJournalInfo/MedlineTA")
        or "unknown journal"
    )
    year_pattern = re.compile(r"(1[89]\d\d|20\d\d|2100)")
    year = None
    for path in (
        "Journal/JournalIssue/PubDate/Year",
        "Journal/JournalIssue/PubDate/MedlineDate",
        "ArticleDate/Year",
    ):
        found = article.findtext(path)
        if year is None and found and year_pattern.search(found):
            year = int(year_pattern.search(found).group(1))  # type: ignore[union-attr]
    for path in ("DateCompleted/Year", "DateCreated/Year", "DateRevised/Year"):
        found = citation.findtext(path)
        if year is None and found and year_pattern.fullmatch(found.strip()):
            year = int(found.strip())
    if year is None:
        return ReadProblem(where, "no usable publication year")
    authors = []
    for author in article.iterfind("AuthorList/Author"):
        if author.findtext("LastName"):
            authors.append(
                f"{author.findtext('LastName')} {author.findtext('Initials') or ''}".strip()
            )
        elif author.findtext("CollectiveName"):
            authors.append(" ".join(author.findtext("CollectiveName").split()))
    dois = [
        str(e.text or "")
        for e in record.iterfind("PubmedData/ArticleIdList/ArticleId")
        if e.get("IdType") == "doi"
    ] + [str(e.text or "") for e in article.iterfind("ELocationID") if e.get("EIdType") == "doi"]
    doi_pattern = re.compile(r"^10\.\d{4,9}/\S+$")
    doi = next((d.strip() for d in dois if d and doi_pattern.match(d.strip())), None)
    return Document(
        id=f"pubmed:{pmid}",
        sections=tuple(sections),
        bibliography=Bibliography(
            authors=tuple(authors) or ("[no authors listed]",),
            year=year,
            title=title or "[no title]",
            journal=" ".join(journal.split()),
            volume=(article.findtext("Journal/JournalIssue/Volume") or "").strip()[:50] or None,
            pages=(article.findtext("Pagination/MedlinePgn") or "").strip()[:50] or None,
            pmid=pmid,
            doi=doi,
        ),
        origin=where,
    )


def _assert_fields_as_element_path(data: bytes) -> int:
    from lxml import etree

    from evkg.sources.pubmed.reader import article_from_element

    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    records = [
        r for r in root if r.tag in ("PubmedArticle", "PubmedBookArticle", "MedlineCitation")
    ]
    for record in records:
        assert article_from_element(record, "x") == _reference_document(record, "x")
    return len(records)


def test_one_pass_fields_equal_element_path_fields() -> None:
    data = (FIXTURES / "pubmed_small.xml").read_bytes()
    broken = b"<b>here</ArticleTitle>"
    assert _assert_fields_as_element_path(data.replace(broken, b"here</ArticleTitle>")) == 4


def test_one_pass_fields_on_the_real_samples(data_dir: Path) -> None:
    checked = 0
    for path in sorted((data_dir / "pubmed").iterdir()):
        if path.name.endswith((".xml", ".xml.gz")):
            raw = path.read_bytes()
            checked += _assert_fields_as_element_path(
                gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
            )
    assert checked >= 605


@pytest.mark.parametrize("offset", [12, 40, 200, -400])
def test_corrupt_gzip_is_a_read_problem_not_a_crash(tmp_path: Path, offset: int) -> None:
    """A damaged deflate stream (zlib or ISA-L error), header or checksum is reported as a
    problem naming the file, for each reader and for mining; records read before stay."""
    from evkg.api.mining import WorkerConfig, mine
    from evkg.store import SqlStore

    data = bytearray(gzip.compress((FIXTURES / "pubmed_small.xml").read_bytes() * 3))
    data[offset : offset + 8 if offset + 8 else None] = b"\xff" * 8
    damaged = tmp_path / "damaged.xml.gz"
    damaged.write_bytes(bytes(data))
    for read in (read_pubmed, read_pubtator, read_bioc):
        try:
            items = list(read(damaged))
        except MiningError:
            continue  # not this reader's format: the caller is told so
        assert any(isinstance(i, ReadProblem) for i in items), read
        damage = [i for i in items if isinstance(i, ReadProblem) and "download" in i.reason]
        assert damage or read is read_bioc, items  # (BioC may call it malformed XML instead)
    summary = mine(
        [damaged],
        store=SqlStore(f"sqlite:///{tmp_path / 's.sqlite'}"),
        config=WorkerConfig(),
        workers=1,
    )
    damaged_files = summary.files_failed + summary.files_partial  # never finished silently
    assert any("damaged.xml.gz" in e for e in damaged_files), summary
