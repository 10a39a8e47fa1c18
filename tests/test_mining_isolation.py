"""One broken file never ends a mining run: real broken files (bad XML, wrong encoding,
truncated gzip, binary junk, BioC JSON of the wrong shape or too deep) are reported with
their name and reason beside the good files, which are mined; the exit status says so; and
worker processes end with the process that started them."""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from evkg.api.mining import WorkerConfig, mine
from evkg.cli import cli
from evkg.store import SqlStore

COMPACT = WorkerConfig()


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


def _filler(pmid: int) -> str:
    """A record that cannot be about EVs (counted from its bytes, never parsed)."""
    return (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>Soil "
        f"nitrogen in field {pmid}</ArticleTitle><Abstract><AbstractText>Nitrate leaching was "
        f"measured in {pmid % 97} plots over two seasons.</AbstractText></Abstract></Article>"
        f"</MedlineCitation></PubmedArticle>\n"
    )


def _pubmed(first: int, count: int, filler: int = 0) -> bytes:
    body = "".join(_article(first + n) for n in range(count))
    body += "".join(_filler(first + count + n) for n in range(filler))
    return f"<?xml version='1.0'?>\n<PubmedArticleSet>\n{body}</PubmedArticleSet>\n".encode()


def _broken_files(folder: Path) -> dict[str, str]:
    """Broken files of every kind under ``folder``: name -> a word the reason must hold."""
    folder.mkdir(parents=True, exist_ok=True)
    # past the reader's first 1 MiB chunk, so that records before the damage are read
    whole = gzip.compress(_pubmed(5000, 2, filler=8000))
    (folder / "truncated.xml.gz").write_bytes(whole[: len(whole) * 4 // 5])
    (folder / "junk.xml").write_bytes(random.Random(7).randbytes(5000))
    (folder / "latin1.txt").write_bytes(
        "Mesenchymal stromal cell exosomes réduisent la fibrose rénale.".encode("latin-1")
    )
    (folder / "latin1.json").write_bytes(
        '{"documents": [{"id": "1", "passages": [{"text": "fibrose rénale"}]}]}'.encode("latin-1")
    )
    (folder / "bad_bioc.xml").write_text(
        "<?xml version='1.0'?><collection><document><id>PMC1</id><passage><text>EVs"
        "</passage></document></collection>"
    )
    (folder / "foreign.xml").write_text("<?xml version='1.0'?><html><body>hi</body></html>")
    (folder / "wrong_types.json").write_text(
        json.dumps({"documents": [{"id": "PMC7", "passages": [{"infons": [1, 2], "text": "x"}]}]})
    )
    (folder / "deep.json").write_text("[" * 200_000 + "]" * 200_000)
    return {
        "truncated.xml.gz": "cannot be read to the end",
        "junk.xml": "not UTF-8",
        "latin1.txt": "not UTF-8",
        "latin1.json": "UTF-8",
        "bad_bioc.xml": "malformed BioC XML",
        "foreign.xml": "neither PubMed/MEDLINE nor BioC",
        "wrong_types.json": "no document could be read",
        "deep.json": "nested deeper than 64 levels",
    }


def _named(reports: list[str], name: str) -> str:
    found = [r for r in reports if name in r]
    assert found, f"{name} not reported in {reports}"
    return found[0]


@pytest.mark.parametrize("workers", [1, 2])
def test_broken_files_are_reported_and_the_good_ones_mined(tmp_path: Path, workers: int) -> None:
    expected = _broken_files(tmp_path / "in")
    (tmp_path / "in" / "good.xml").write_bytes(_pubmed(9000, 3))
    store = SqlStore(f"sqlite:///{tmp_path / 'store.sqlite'}")
    summary = mine([tmp_path / "in"], store=store, config=COMPACT, workers=workers)
    assert summary.files == len(expected) + 1
    reported = summary.files_failed + summary.files_partial
    for name, reason in expected.items():
        assert reason in _named(reported, name)
    assert not any("good.xml" in r for r in reported)
    assert store.reference("pubmed:9000") is not None  # the good file was mined
    # the truncated gzip kept the records before the damage: read in part, not failed
    assert "truncated.xml.gz" in _named(summary.files_partial, "truncated.xml.gz")
    assert store.reference("pubmed:5000") is not None
    # broken files get no completion record: a re-run reports them again, skips the good one
    again = mine([tmp_path / "in"], store=store, config=COMPACT, workers=1)
    assert again.files_skipped == 1
    assert len(again.files_failed) == len(summary.files_failed)


def test_exit_status_says_when_files_failed(tmp_path: Path) -> None:
    _broken_files(tmp_path / "broken")
    (tmp_path / "broken" / "truncated.xml.gz").unlink()  # read in part: not "nothing read"
    good = tmp_path / "good"
    good.mkdir()
    (good / "good.xml").write_bytes(_pubmed(9100, 2))
    runner = CliRunner()

    def run(*paths: Path, name: str) -> tuple[int, str]:
        url = f"sqlite:///{tmp_path / name}"
        args = ["--database-url", url, "--format", "json", "mine", "--workers", "1"]
        result = runner.invoke(cli, [*args, *map(str, paths)])
        assert result.exception is None or isinstance(result.exception, SystemExit)
        return result.exit_code, result.output

    code, output = run(tmp_path / "broken", name="all-broken.sqlite")
    assert code == 1
    assert "no file could be read" in output
    assert "junk.xml" in output
    code, output = run(tmp_path / "broken", good, name="mixed.sqlite")
    assert code == 3
    assert "the others were mined" in output
    code, _ = run(good, name="good.sqlite")
    assert code == 0
    code, _ = run(good, name="good.sqlite")  # already mined: nothing failed
    assert code == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    code, output = run(empty, name="empty.sqlite")
    assert code == 1
    assert "nothing to mine" in output


_ORPHAN_SCRIPT = """
import sys, time
from evkg.api._mining_work import WorkerConfig, _executor
executor, close, n = _executor(2, None, WorkerConfig())
futures = [executor.submit(time.sleep, 120) for _ in range(2)]
time.sleep(1.0)  # the workers start
print(" ".join(str(p) for p in executor._processes), flush=True)
time.sleep(120)
"""


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_workers_end_when_the_mining_process_is_killed() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN_SCRIPT],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert parent.stdout is not None
    workers = [int(p) for p in parent.stdout.readline().split()]
    assert len(workers) == 2
    assert all(_running(p) for p in workers)
    parent.send_signal(signal.SIGKILL)  # no clean-up in the parent at all
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_running(p) for p in workers):
        time.sleep(0.1)
    assert not any(_running(p) for p in workers)


def test_a_file_whose_extraction_fails_is_reported_and_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import evkg.api.mining as mining

    (tmp_path / "a.xml").write_bytes(_pubmed(9200, 2))
    (tmp_path / "b.xml").write_bytes(_pubmed(9300, 2))
    real = mining.extract_batch

    def failing_on_b(config: WorkerConfig, documents: list[object]) -> object:
        if any("b.xml" in getattr(d, "origin", "") for d in documents):
            raise ValueError("extractor bug")
        return real(config, documents)  # type: ignore[arg-type]

    monkeypatch.setattr(mining, "extract_batch", failing_on_b)
    store = SqlStore(f"sqlite:///{tmp_path / 'store.sqlite'}")
    summary = mine([tmp_path], store=store, config=COMPACT, workers=1)
    assert "ValueError: extractor bug" in _named(summary.files_failed, "b.xml")
    assert store.reference("pubmed:9200") is not None
    monkeypatch.setattr(mining, "extract_batch", real)
    again = mine([tmp_path], store=store, config=COMPACT, workers=1)
    assert (again.files_skipped, again.files_failed) == (1, [])  # b.xml retried, now mined
    assert store.reference("pubmed:9300") is not None


def _dies_on_crash_files(
    config: WorkerConfig, path: str, batch_size: int, finished: frozenset[int]
) -> object:
    """A worker task that kills its worker process on files named crash*."""
    from evkg.api._mining_work import extract_file

    if Path(path).name.startswith("crash"):
        os._exit(9)
    return extract_file(config, path, batch_size, finished)


def test_a_worker_process_that_dies_fails_its_file_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files in flight when a worker dies are sent again one at a time to a new pool:
    only the file it dies on twice fails (a re-run retries it); the others are mined, however
    late the pool's death is noticed."""
    import evkg.api.mining as mining

    (tmp_path / "crash.xml").write_bytes(_pubmed(9400, 2))
    for number in range(6):
        (tmp_path / f"later{number}.xml").write_bytes(_pubmed(9500 + 10 * number, 2))
    monkeypatch.setattr(mining, "extract_file", _dies_on_crash_files)
    store = SqlStore(f"sqlite:///{tmp_path / 'store.sqlite'}")
    summary = mine([tmp_path], store=store, config=COMPACT, workers=2)
    assert len(summary.files_failed) == 1, summary.files_failed
    failure = _named(summary.files_failed, "crash.xml")
    assert "a worker process died (killed, or out of memory) on this file" in failure
    assert "a re-run retries the rest" in failure
    for number in range(6):  # each later file mined, by the first pool or a new one
        assert store.reference(f"pubmed:{9500 + 10 * number}") is not None, number
    monkeypatch.undo()
    again = mine([tmp_path], store=store, config=COMPACT, workers=1)
    assert (again.files_skipped, again.files_failed) == (6, [])
    assert again.files_failed == []
