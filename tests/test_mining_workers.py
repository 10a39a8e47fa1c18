"""Local mining workers: forked after the parent has built the extractor (they share its
vocabulary instead of each building one), as many as the input is worth by default, and
the same results whatever their number."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import evkg.api._mining_work as work
from evkg.api.mining import WorkerConfig, default_workers, mine
from evkg.store import ClaimFilter, SqlStore

COMPACT = WorkerConfig()


def _article(pmid: int, mirna: str, disease: str, gene: str) -> str:
    return (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><Journal><JournalIssue>"
        f"<PubDate><Year>2021</Year></PubDate></JournalIssue><Title>Test J</Title></Journal>"
        f"<ArticleTitle>Study {pmid}</ArticleTitle><Abstract><AbstractText>Bone marrow "
        f"MSC-derived exosomes carrying {mirna} alleviated {disease} in mice by targeting "
        f"{gene}.</AbstractText></Abstract><AuthorList><Author><LastName>Auth{pmid}"
        f"</LastName><Initials>A</Initials></Author></AuthorList></Article></MedlineCitation>"
        f"</PubmedArticle>\n"
    )


_TOPICS = [
    ("miR-146a-5p", "rheumatoid arthritis", "TRAF6"),
    ("miR-21-5p", "myocardial infarction", "PTEN"),
    ("miR-125b-5p", "acute kidney injury", "TP53"),
    ("miR-223-3p", "sepsis", "NLRP3"),
]


def _corpus(folder: Path, files: int, per_file: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(files):
        body = "".join(
            _article(10_000 + 100 * number + n, *_TOPICS[(number + n) % len(_TOPICS)])
            for n in range(per_file)
        )
        (folder / f"part{number}.xml").write_text(
            f"<?xml version='1.0'?>\n<PubmedArticleSet>\n{body}</PubmedArticleSet>\n"
        )
    return folder


def _contents(store: SqlStore) -> tuple[object, ...]:
    claims = store.claims(ClaimFilter())
    return (
        [(c.hash, c.evidence, c.strength, c.confidence) for c in claims],
        sorted(r.id for r in store.references_all()),
        store.counts()["totals"],
    )


def test_a_tiny_input_gets_one_worker(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", files=3, per_file=2)
    files = sorted(corpus.iterdir())
    assert default_workers(files, batch_size=500, cores=8) == 1
    assert default_workers(files[:1], batch_size=1, cores=8) == 1  # one file: one task
    assert default_workers(files, batch_size=1, cores=8) == 3  # at most one per file
    assert default_workers(files, batch_size=1, cores=2) == 2
    papers = [tmp_path / f"paper{n}.txt" for n in range(5)]
    for paper in papers:  # a text file is one document, whatever its size
        paper.write_text("Exosomes. " * 10_000)
    assert default_workers(papers, batch_size=3, cores=8) == 1


def test_mine_without_workers_runs_a_tiny_input_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen: list[int] = []
    real = work._executor

    def spy(workers: int, scheduler: str | None, config: WorkerConfig) -> object:
        chosen.append(workers)
        return real(workers, scheduler, config)

    monkeypatch.setattr("evkg.api.mining._executor", spy)
    store = SqlStore(f"sqlite:///{tmp_path / 'store.sqlite'}")
    summary = mine([_corpus(tmp_path / "in", 3, 2)], store=store, config=COMPACT)
    assert chosen == [1]
    assert summary.claims_new > 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers share the extractor by fork")
def test_two_workers_give_what_one_gives_and_share_the_parents_extractor(
    tmp_path: Path,
) -> None:
    corpus = _corpus(tmp_path / "in", files=4, per_file=3)
    one = SqlStore(f"sqlite:///{tmp_path / 'one.sqlite'}")
    first = mine([corpus], store=one, config=COMPACT, workers=1, batch_size=2)
    two = SqlStore(f"sqlite:///{tmp_path / 'two.sqlite'}")
    second = mine([corpus], store=two, config=COMPACT, workers=2, batch_size=2)
    assert first.claims_new > 0
    assert first.as_dict() == second.as_dict()
    assert _contents(one) == _contents(two)
    # a pool's workers are forked from a parent that built the extractor first
    fresh = WorkerConfig(parse_every_record=True)  # another extractor key, the same caches
    work._EXTRACTORS.pop(fresh, None)  # an earlier test of the session may have built it
    executor, close, _ = work._executor(2, None, fresh)
    try:
        assert fresh in work._EXTRACTORS
        inherited = executor.submit(_extractor_was_inherited, fresh).result()
    finally:
        close()
    assert inherited


def _extractor_was_inherited(config: WorkerConfig) -> bool:
    """In a worker: the extractor is there before the worker's first task asks for it."""
    return config in work._EXTRACTORS
