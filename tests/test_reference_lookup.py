"""References found by PMID, DOI (any case) or PMCID through their indexes; suggestions for
an unknown name bounded, and none (no scan) for an unknown identifier."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from evkg.api.service import Knowledge, UnknownNameError
from evkg.model import Reference
from evkg.store import LoadBundle, SqlStore
from evkg.vocab import load_vocabulary

DOI = "10.1000/ABC.Def-1"


@pytest.fixture
def knowledge(tmp_path: Path) -> Iterator[Knowledge]:
    store = SqlStore(f"sqlite:///{tmp_path / 'evkg.sqlite'}")
    store.initialise()
    references = [
        Reference(id="evkg.ref:a", authors=("Li X",), title="Exosomes in kidney repair",
                  journal="J", year=2020, pmid="123456", doi=DOI, pmcid="PMC42"),
        Reference(id="evkg.ref:b", authors=("Wu Y",), title="Vesicles and the lung",
                  journal="J", year=2021),
    ]  # fmt: skip
    store.load(LoadBundle("refs", "1", references=references))
    yield Knowledge(store, load_vocabulary())
    store.dispose()


@pytest.mark.parametrize("identifier", ["123456", "pubmed:123456", "PMC42", DOI, DOI.lower(),
                                        f"https://doi.org/{DOI.upper()}"])  # fmt: skip
def test_found_by_any_identifier(knowledge: Knowledge, identifier: str) -> None:
    assert knowledge.find_reference(identifier).id == "evkg.ref:a"


def test_a_doi_in_another_case_is_found_through_an_index(knowledge: Knowledge) -> None:
    plan = knowledge.store.execute_sql(
        "EXPLAIN QUERY PLAN SELECT curie FROM \"references\" WHERE lower(doi) = '10.1000/abc.def-1'"
    )
    assert any("ix_references_doi_lower" in str(row) for row in plan), plan


def test_unknown_identifier_reads_no_table(knowledge: Knowledge) -> None:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.lower())

    event.listen(knowledge.store.engine, "before_cursor_execute", record)
    try:
        with pytest.raises(UnknownNameError) as raised:
            knowledge.find_reference("99999999")
    finally:
        event.remove(knowledge.store.engine, "before_cursor_execute", record)
    assert raised.value.suggestions == []
    assert all("where" in s for s in statements), statements


def test_words_suggest_references_by_title(knowledge: Knowledge) -> None:
    with pytest.raises(UnknownNameError) as raised:
        knowledge.find_reference("kidney repair")
    assert [m.curie for m in raised.value.suggestions] == ["evkg.ref:a"]
    with pytest.raises(UnknownNameError) as raised:
        knowledge.find_reference("100%_")  # LIKE's wildcards are taken literally
    assert raised.value.suggestions == []
