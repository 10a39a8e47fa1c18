"""BioC JSON is read incrementally: peak memory stays bounded on large, huge-document and
deeply nested files (measured with tracemalloc), and well-formed files give the same
documents and mined claims as the same collection written as BioC XML."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from evkg.api.mining import WorkerConfig, mine
from evkg.sources.bioc import read_bioc
from evkg.sources.bioc.json_stream import MAX_DEPTH, iter_bioc_json
from evkg.sources.text import Document, ReadProblem
from evkg.store import ClaimFilter, SqlStore

MiB = 1024 * 1024

_ABSTRACTS = [
    "Bone marrow MSC-derived exosomes carrying miR-146a-5p alleviated rheumatoid arthritis "
    "in mice by targeting TRAF6.",
    "Umbilical cord MSC-derived exosomes alleviated acute kidney injury in rats.",
    "Adipose MSC extracellular vesicles reduced liver fibrosis in mice and lowered TGFB1.",
]


def _document(number: int) -> dict[str, Any]:
    pmid = str(91000000 + number)
    return {
        "id": f"PMC{8000000 + number}",
        "infons": {"license": "CC BY"},
        "passages": [
            {
                "offset": 0,
                "infons": {
                    "type": "front",
                    "section_type": "TITLE",
                    "article-id_pmid": pmid,
                    "year": "2021",
                    "source": "Test Vesicles",
                    "name_0": "surname:Roe;given-names:Rick Q",
                },
                "text": f"MSC vesicles study {number}",
                "annotations": [
                    {"id": "1", "infons": {"type": "Disease"}, "locations": [{"offset": 0}]}
                ],
            },
            {
                "offset": 40,
                "infons": {"type": "abstract", "section_type": "ABSTRACT"},
                "text": _ABSTRACTS[number % len(_ABSTRACTS)],
            },
            {
                "offset": 200,
                "infons": {"type": "ref", "section_type": "REF"},
                "text": "A cited paper about sepsis.",
            },
        ],
    }


def _as_xml(documents: list[dict[str, Any]]) -> str:
    parts = ["<?xml version='1.0' encoding='UTF-8'?><collection><source>PMC</source>"]
    for document in documents:
        parts.append(f"<document><id>{document['id']}</id>")
        for passage in document["passages"]:
            infons = "".join(
                f'<infon key="{key}">{escape(value)}</infon>'
                for key, value in passage["infons"].items()
            )
            parts.append(
                f"<passage>{infons}<offset>{passage['offset']}</offset>"
                f"<text>{escape(passage['text'])}</text></passage>"
            )
        parts.append("</document>")
    parts.append("</collection>")
    return "".join(parts)


def _peak_bytes(action: Callable[[], object]) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _claim_keys(store: SqlStore) -> set[tuple[str, tuple[str, ...], int]]:
    return {(c.hash, c.references, len(c.evidence)) for c in store.claims(ClaimFilter())}


def test_well_formed_bioc_json_reads_and_mines_as_its_xml(tmp_path: Path) -> None:
    documents = [_document(n) for n in range(6)]
    as_json = tmp_path / "json" / "collection.json"
    as_xml = tmp_path / "xml" / "collection.xml"
    as_json.parent.mkdir()
    as_xml.parent.mkdir()
    # a list of collections, as PMC serves it, pretty-printed across lines
    as_json.write_text(json.dumps([{"source": "PMC", "documents": documents}], indent=2))
    as_xml.write_text(_as_xml(documents))
    from_json = [d for d in read_bioc(as_json) if isinstance(d, Document)]
    from_xml = [d for d in read_bioc(as_xml) if isinstance(d, Document)]
    assert len(from_json) == 6
    assert [(d.id, d.sections, d.bibliography) for d in from_json] == [
        (d.id, d.sections, d.bibliography) for d in from_xml
    ]
    claims = []
    for folder in (as_json.parent, as_xml.parent):
        store = SqlStore(f"sqlite:///{tmp_path / folder.name}.sqlite")
        summary = mine([folder], store=store, config=WorkerConfig(), workers=1)
        assert not summary.files_failed
        claims.append(_claim_keys(store))
    assert claims[0], "the abstracts state claims the miner finds"
    assert claims[0] == claims[1]


def test_large_file_of_many_documents_is_streamed(tmp_path: Path) -> None:
    """About 60 MiB of documents; json.load would hold them all (several times the file)."""
    path = tmp_path / "large.json"
    filler = "Mesenchymal stromal cell vesicles were characterised by NTA. " * 330
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"source": "PMC", "documents": [')
        for number in range(3200):
            document = _document(number)
            document["passages"].append({"infons": {"type": "paragraph"}, "text": filler})
            handle.write(("," if number else "") + json.dumps(document))
        handle.write("]}")
    assert path.stat().st_size > 60 * MiB

    def count() -> int:
        return sum(isinstance(item, Document) for item in iter_bioc_json(path))

    documents, peak = _peak_bytes(count)
    assert documents == 3200
    assert peak < 4 * MiB, f"peak {peak / MiB:.1f} MiB"


def test_huge_document_is_refused_with_memory_bounded(tmp_path: Path) -> None:
    """A good document, then one whose text alone is 100 MiB: the first is kept, the
    second refused once it passes the per-document bound, and memory stays near the bound."""
    path = tmp_path / "huge.json"
    block = "exosome " * (MiB // 8)
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"documents": [' + json.dumps(_document(1)) + ', {"id": "PMC1", ')
        handle.write('"passages": [{"infons": {"type": "abstract"}, "text": "')
        for _ in range(100):
            handle.write(block)
        handle.write('"}]}]}')
    bound = 8 * MiB

    def read() -> list[Document | ReadProblem]:
        return list(iter_bioc_json(path, max_document_bytes=bound))

    items, peak = _peak_bytes(read)
    assert isinstance(items[0], Document)
    problem = items[-1]
    assert isinstance(problem, ReadProblem)
    assert problem.stops_reading
    assert "document 2 spans more than 8 MiB" in problem.reason
    assert peak < 2 * bound, f"peak {peak / MiB:.1f} MiB"


def test_huge_value_outside_the_documents_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge_key.json"
    path.write_text('{"source": "' + "x" * (3 * MiB) + '", "documents": []}')
    (problem,) = list(iter_bioc_json(path, max_document_bytes=MiB))
    assert isinstance(problem, ReadProblem)
    assert "a value spans more than 1 MiB" in problem.reason


def test_deep_nesting_is_refused_without_recursion(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"documents": [' + json.dumps(_document(2)) + ", " + "[" * 1_000_000)

    def read() -> list[Document | ReadProblem]:
        return list(iter_bioc_json(path))

    items, peak = _peak_bytes(read)
    assert isinstance(items[0], Document)
    problem = items[-1]
    assert isinstance(problem, ReadProblem)
    assert f"nested deeper than {MAX_DEPTH} levels" in problem.reason
    # the tokeniser queues one read's events (up to one per byte) before handing them on
    assert peak < 2 * MiB, f"peak {peak / MiB:.1f} MiB"


def test_deep_nesting_inside_a_skipped_value_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep_infons.json"
    path.write_text('{"infons": ' + "[" * 100 + "]" * 100 + ', "documents": []}')
    (problem,) = list(iter_bioc_json(path, max_depth=50))
    assert isinstance(problem, ReadProblem)
    assert "nested deeper than 50 levels" in problem.reason


def test_wrong_shapes_are_named_per_document(tmp_path: Path) -> None:
    path = tmp_path / "shapes.json"
    good = _document(3)
    bad_infons = {"id": "PMC5", "passages": [{"infons": [1, 2], "text": "x"}]}
    bad_passage = {"id": "PMC6", "passages": ["text"]}
    path.write_text(json.dumps({"documents": [bad_infons, good, bad_passage, 7]}))
    items = list(iter_bioc_json(path))
    reasons = [str(item) for item in items if isinstance(item, ReadProblem)]
    assert reasons == [
        "shapes.json document 1: passage 1: 'infons' is not a JSON object",
        "shapes.json document 3: passage 1 is not a JSON object",
        "shapes.json document 4: document is not a JSON object",
    ]
    assert [d.id for d in items if isinstance(d, Document)] == ["pubmed:91000003"]
