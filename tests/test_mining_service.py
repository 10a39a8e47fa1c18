"""Mining into a store: claims and references loaded, idempotent re-runs, resume after
kill -9, Dask, the review commands and the E-utilities client against a local server."""

from __future__ import annotations

import http.server
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner

from evkg.api.mining import WorkerConfig, mine, mine_documents
from evkg.cli import cli
from evkg.sources.eutils import EutilsClient, EutilsError
from evkg.store import ClaimFilter, SqlStore

FIXTURES = Path(__file__).parent / "fixtures" / "mining"
COMPACT = WorkerConfig()  # the compact lexicon shipped with evkg: fast to build


def _article(pmid: int) -> str:
    return (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><Journal><JournalIssue>"
        f"<PubDate><Year>2022</Year></PubDate></JournalIssue><Title>Test J</Title></Journal>"
        f"<ArticleTitle>Study {pmid}</ArticleTitle><Abstract><AbstractText>Bone marrow "
        f"MSC-derived exosomes carrying miR-146a-5p alleviated rheumatoid arthritis in mice by "
        f"targeting TRAF6.</AbstractText></Abstract><AuthorList><Author><LastName>Auth{pmid}"
        f"</LastName><Initials>A</Initials></Author></AuthorList></Article></MedlineCitation>"
        f"</PubmedArticle>\n"
    )


def _corpus(path: Path, first: int, count: int) -> Path:
    body = "".join(_article(first + n) for n in range(count))
    path.write_text(f"<?xml version='1.0'?>\n<PubmedArticleSet>\n{body}</PubmedArticleSet>\n")
    return path


def _counts(url: str) -> tuple[int, int, int, int]:
    store = SqlStore(url)
    totals = store.counts()["totals"]
    batches = store.execute_sql("SELECT count(*) FROM datasets WHERE name LIKE 'mine:%'")[0][0]
    store.dispose()
    return totals["claims"], totals["evidence"], totals["references"], batches


def test_mine_fixtures_loads_claims_references_and_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = SqlStore(url)
    every = WorkerConfig(parse_every_record=True)  # so that broken irrelevant records show
    first = mine([FIXTURES], store=store, config=every, workers=1)
    assert first.files == 5
    assert first.documents >= 6
    assert first.claims_new > 0
    assert first.evidence_new >= first.claims_new
    assert any("malformed XML" in e for e in first.errors)
    assert any("PMID missing" in e for e in first.errors)
    claims = store.claims(ClaimFilter(reference="pubmed:90000001"))
    assert claims
    assert all(e.method.value == "extracted" for c in claims for e in c.evidence)
    reference = store.reference("pubmed:90000001")
    assert reference is not None
    assert reference.title.startswith("Bone marrow MSC exosomes")
    assert store.entity("hgnc:12036") is not None  # entities of mined claims are stored
    pending = store.evidence_for_review("pending", limit=1000)
    assert len(pending) == first.evidence_new
    before = _counts(url)
    second = mine([FIXTURES], store=store, config=every, workers=1)
    assert (second.files_skipped, second.claims_new, second.evidence_new) == (5, 0, 0)
    assert _counts(url) == before


def test_local_processes_and_batches_give_the_same_store(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.xml", 100, 40)
    inline, pooled = f"sqlite:///{tmp_path / 'a.sqlite'}", f"sqlite:///{tmp_path / 'b.sqlite'}"
    mine([corpus], store=SqlStore(inline), config=COMPACT, workers=1, batch_size=7)
    summary = mine([corpus], store=SqlStore(pooled), config=COMPACT, workers=2, batch_size=7)
    assert summary.documents == 40
    assert _counts(inline)[:3] == _counts(pooled)[:3]
    assert _counts(inline)[1] >= 40  # one piece of evidence per article at least


@pytest.mark.slow
def test_dask_local_cluster_same_code_path(tmp_path: Path) -> None:
    from distributed import LocalCluster

    corpus = _corpus(tmp_path / "corpus.xml", 500, 30)
    reference_url = f"sqlite:///{tmp_path / 'local.sqlite'}"
    mine([corpus], store=SqlStore(reference_url), config=COMPACT, workers=1, batch_size=8)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        url = f"sqlite:///{tmp_path / 'dask.sqlite'}"
        summary = mine(
            [corpus],
            store=SqlStore(url),
            config=COMPACT,
            scheduler=cluster.scheduler_address,
            batch_size=8,
        )
    assert summary.documents == 30
    assert _counts(url) == _counts(reference_url)


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "--database-url",
            f"sqlite:///{tmp_path / 's.sqlite'}",
            "mine",
            str(FIXTURES),
            "--scheduler",
            "tcp://127.0.0.1:9",
        ],
    )
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler" in result.output


@pytest.mark.slow
def test_kill_9_then_resume_equals_a_clean_run(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    _corpus(corpus_dir / "a.xml", 1000, 700)
    _corpus(corpus_dir / "b.xml", 5000, 150)
    clean_url = f"sqlite:///{tmp_path / 'clean.sqlite'}"
    mine([corpus_dir], store=SqlStore(clean_url), config=COMPACT, workers=1, batch_size=10)
    db = tmp_path / "killed.sqlite"
    command = [
        str(Path(sys.executable).parent / "evkg"),
        "--database-url",
        f"sqlite:///{db}",
        "--no-progress",
        "mine",
        str(corpus_dir),
        "--workers",
        "1",
        "--batch-size",
        "10",
    ]
    env = {k: v for k, v in os.environ.items() if k != "EVKG_DATA_DIR"}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    batches = 0
    while time.monotonic() < deadline and process.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=0.1) as connection:
                    batches = connection.execute(
                        "SELECT count(*) FROM datasets WHERE name LIKE 'mine:%#%'"
                    ).fetchone()[0]
            except sqlite3.Error:
                batches = 0
        if batches >= 10:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the run ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    interrupted = _counts(f"sqlite:///{db}")
    assert 0 < interrupted[3] < _counts(clean_url)[3]  # some batches were done, not all
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert _counts(f"sqlite:///{db}") == _counts(clean_url)


def test_review_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    runner = CliRunner()
    mined = runner.invoke(
        cli,
        [
            "--database-url",
            url,
            "--format",
            "json",
            "mine",
            str(FIXTURES / "pubmed_small.xml"),
            "--workers",
            "1",
            "--parse-every-record",  # the two broken records cannot be about EVs
        ],
    )
    assert mined.exit_code == 0, mined.output
    summary = json.loads(mined.output)
    assert summary["claims_new"] > 0
    assert len(summary["errors"]) == 2
    assert summary["documents_unparsed"] == 0
    listed = runner.invoke(cli, ["--database-url", url, "--format", "json", "review", "list"])
    rows = json.loads(listed.output)
    assert rows
    assert all(r["status"] == "pending" for r in rows)
    first, second = rows[0]["evidence"], rows[1]["evidence"]
    assert (
        runner.invoke(cli, ["--database-url", url, "review", "accept", first[:10]]).exit_code == 0
    )
    assert runner.invoke(cli, ["--database-url", url, "review", "reject", second]).exit_code == 0
    accepted = json.loads(
        runner.invoke(
            cli,
            ["--database-url", url, "--format", "json", "review", "list", "--status", "accepted"],
        ).output
    )
    assert [r["evidence"] for r in accepted] == [first]
    missing = runner.invoke(cli, ["--database-url", url, "review", "accept", "deadbeefdeadbeef"])
    assert missing.exit_code == 1
    assert "no single extracted evidence" in missing.output


# -- E-utilities against a local mock server ------------------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    calls: ClassVar[list[tuple[str, dict[str, list[str]], float]]] = []

    def do_GET(self) -> None:
        parsed = urlparse(self.path)
        query = parse_qs(parsed.query)
        self.calls.append((parsed.path, query, time.monotonic()))
        if parsed.path.endswith("esearch.fcgi"):
            found = [] if query.get("term") == ["no such thing"] else ["90000001", "90000003"]
            body = json.dumps({"esearchresult": {"idlist": found}}).encode()
        elif parsed.path.endswith("efetch.fcgi"):
            body = (FIXTURES / "pubmed_small.xml").read_bytes()
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def eutils_server() -> Iterator[str]:
    _Handler.calls = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/entrez/eutils/"
    server.shutdown()


def test_eutils_query_is_rate_limited_and_mined(tmp_path: Path, eutils_server: str) -> None:
    client = EutilsClient(eutils_server, api_key="")
    store = SqlStore(f"sqlite:///{tmp_path / 's.sqlite'}")
    summary = mine_documents(
        client.query_sources("mesenchymal exosomes", max_results=10),
        store=store,
        config=COMPACT,
        workers=1,
    )
    assert summary.claims_new > 0
    assert [c[0].rsplit("/", 1)[1] for c in _Handler.calls] == ["esearch.fcgi", "efetch.fcgi"]
    gap = _Handler.calls[1][2] - _Handler.calls[0][2]
    assert gap >= 1 / 3 - 0.02  # 3 requests a second without an API key
    assert _Handler.calls[1][1]["id"] == ["90000001,90000003"]
    keyed = EutilsClient(eutils_server, api_key="SECRET")
    assert keyed.interval == pytest.approx(0.1)
    keyed.search("x")
    assert _Handler.calls[-1][1]["api_key"] == ["SECRET"]
    again = mine_documents(
        client.query_sources("mesenchymal exosomes"), store=store, config=COMPACT, workers=1
    )
    assert again.files_skipped == 1
    assert again.claims_new == 0


def test_cli_pubmed_query_and_unreachable_service(
    tmp_path: Path, eutils_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVKG_EUTILS_URL", eutils_server)
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    result = CliRunner().invoke(
        cli,
        [
            "--database-url",
            url,
            "--format",
            "json",
            "mine",
            "--pubmed-query",
            "exosomes",
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["claims_new"] > 0
    empty = CliRunner().invoke(
        cli, ["--database-url", url, "mine", "--pubmed-query", "no such thing"]
    )
    assert empty.exit_code == 1
    assert "nothing to mine: no record matched the query" in empty.output
    monkeypatch.setenv("EVKG_EUTILS_URL", "http://127.0.0.1:9/")
    failed = CliRunner().invoke(cli, ["--database-url", url, "mine", "--pubmed-query", "x"])
    assert failed.exit_code == 1
    assert "cannot reach E-utilities" in failed.output
    with pytest.raises(EutilsError):
        EutilsClient("http://127.0.0.1:9/").search("x")


# -- the optimised paths give the same results as the plain ones ----------------------------
def _reference_result(extractor: object, document: object) -> tuple[int, bool, list[object]]:
    """The pipeline as first written: every document split into sentences, the relevance
    pattern run on each section's joined sentences; the rest of the pipeline is shared."""
    from evkg.extract.pipeline import Extractor
    from evkg.extract.relevance import RELEVANT
    from evkg.extract.sentences import split_sentences

    assert isinstance(extractor, Extractor)
    sections = [
        [section.text[start:end] for start, end in split_sentences(section.text)]
        for section in document.sections  # type: ignore[attr-defined]
    ]
    if not any(RELEVANT.search("\n".join(sentences)) for sentences in sections):
        return 0, False, []
    result = extractor.extract(document)  # type: ignore[arg-type]
    return sum(map(len, sections)), True, list(result.statements)


def _documents(paths: list[Path]) -> list[object]:
    from evkg.sources.pubmed import read_pubmed
    from evkg.sources.text import Document

    return [d for path in paths for d in read_pubmed(path) if isinstance(d, Document)]


def _assert_same_as_plain(paths: list[Path], cache_dir: Path) -> None:
    from evkg.extract.ner import Recognizer
    from evkg.extract.pipeline import Extractor
    from evkg.vocab import load_vocabulary

    vocabulary = load_vocabulary()
    plain = Extractor(vocabulary, Recognizer(vocabulary))  # built here, no cache
    Extractor(vocabulary, Recognizer(vocabulary, cache_dir=cache_dir))  # builds and saves
    cached = Extractor(vocabulary, Recognizer(vocabulary, cache_dir=cache_dir))  # loads
    relevant = claims = 0
    for document in _documents(paths):
        n_sentences, is_relevant, statements = _reference_result(plain, document)
        result = cached.extract(document)  # type: ignore[arg-type]
        assert (result.n_sentences, result.relevant) == (n_sentences, is_relevant), document
        assert result.statements == statements, document
        relevant += is_relevant
        claims += len(statements)
    assert relevant  # the comparison covered documents analysed in full
    assert claims  # and documents with claims


def test_optimised_extraction_gives_the_same_claims_and_counts(tmp_path: Path) -> None:
    _assert_same_as_plain([FIXTURES / "pubmed_small.xml"], tmp_path)


def test_optimised_extraction_on_the_medline_sample(data_dir: Path, tmp_path: Path) -> None:
    sample = data_dir / "pubmed" / "medline16n0902_sample605.xml.gz"
    _assert_same_as_plain([sample], tmp_path)


def test_relevance_screen_agrees_with_the_pattern() -> None:
    import random

    from evkg.extract.relevance import RELEVANT as _RELEVANT
    from evkg.extract.relevance import is_relevant

    pieces = [*"mirRIcoMNAaletLET-7xsSvVhHdup \n\t_.é", "EV", "eVs", "İ", "ı", "ſ", "\u212a"]
    pieces += ["mİR", "ſtem cell", "STEM\u00a0CELL", "exoſom", "vesıcle", "sEV", "levs", "_ev"]
    pieces += ["exos", "Exos ", "ssEV", "s", "BMSC-"]
    generator = random.Random(7)
    for _ in range(50_000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 10)))
        assert is_relevant(text) == bool(_RELEVANT.search(text)), text


def test_recogniser_cache_is_keyed_by_content_and_survives_damage(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from evkg.extract import ner
    from evkg.model import EntityKind
    from evkg.vocab import Lexicon, LexiconEntry, Vocabulary, load_vocabulary

    vocabulary = load_vocabulary()
    built = ner.Recognizer(vocabulary, cache_dir=tmp_path)
    saved = list(tmp_path.glob("recogniser-*.pickle"))
    assert len(saved) == 1
    text = "Bone marrow MSC exosomes carrying miR-146a-5p relieved rheumatoid arthritis (RA)."
    loaded = ner.Recognizer(vocabulary, cache_dir=tmp_path)
    assert loaded.dictionary_mentions(text) == built.dictionary_mentions(text)
    assert len(loaded) == len(built)
    # another lexicon content: another file
    extra = LexiconEntry("evkg.disease:test", EntityKind.DISEASE, "zebra fin rot")
    lexicon = Lexicon.from_entries([*vocabulary.lexicon.entries.values(), extra])
    other = ner.Recognizer(Vocabulary(lexicon), cache_dir=tmp_path)
    assert len(list(tmp_path.glob("recogniser-*.pickle"))) == 2
    assert [m.curie for m in other.dictionary_mentions("zebra fin rot")] == ["evkg.disease:test"]
    # a damaged file is rebuilt, with a warning
    saved[0].write_bytes(b"not a pickle")
    with caplog.at_level("WARNING"):
        again = ner.Recognizer(vocabulary, cache_dir=tmp_path)
    assert "unreadable" in caplog.text
    assert again.dictionary_mentions(text) == built.dictionary_mentions(text)


def test_worker_processes_read_files_and_resume_finished_batches(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.xml", 3000, 45)
    clean = f"sqlite:///{tmp_path / 'clean.sqlite'}"
    mine([corpus], store=SqlStore(clean), config=COMPACT, workers=2, batch_size=10)
    interrupted = f"sqlite:///{tmp_path / 'interrupted.sqlite'}"

    def stop_after_two(summary: object) -> None:
        if summary.documents >= 20:  # type: ignore[attr-defined]
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        mine(
            [corpus],
            store=SqlStore(interrupted),
            config=COMPACT,
            workers=1,
            batch_size=10,
            on_progress=stop_after_two,
        )
    assert 0 < _counts(interrupted)[3] < _counts(clean)[3]
    resumed = mine([corpus], store=SqlStore(interrupted), config=COMPACT, workers=2, batch_size=10)
    assert resumed.documents_skipped == 20
    assert resumed.documents == 25
    assert _counts(interrupted) == _counts(clean)
    again = mine([corpus], store=SqlStore(interrupted), config=COMPACT, workers=2, batch_size=10)
    assert (again.files_skipped, again.claims_new) == (1, 0)


def test_worker_that_cannot_see_the_file_says_so(tmp_path: Path) -> None:
    from evkg.api.mining import MiningError, extract_file

    with pytest.raises(MiningError, match="not readable by the worker"):
        extract_file(COMPACT, str(tmp_path / "gone.xml"), 10, frozenset())
