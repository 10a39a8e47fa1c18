"""Damaged stores are detected and refused with what to do; two first uses of a new store
at once both succeed; derived claim counts stay equal to the evidence under two concurrent
writers (SQLite and PostgreSQL); ``evkg db check`` finds wrong counts and ``--repair``
fixes them."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from subprocess import PIPE
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from evkg.api import ensure_loaded
from evkg.cli import cli
from evkg.store import SqlStore, StoreError

EVKG = [sys.executable, "-c", "from evkg.cli import main; main()"]


def _postgres_url() -> str:
    url = os.environ.get("EVKG_TEST_POSTGRES_URL", "")
    if not url:
        if os.environ.get("EVKG_REQUIRE_POSTGRES") == "1":
            pytest.fail("EVKG_REQUIRE_POSTGRES=1 but EVKG_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL server: set EVKG_TEST_POSTGRES_URL (CI starts one)")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a store nobody has used yet."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'new.sqlite'}"
    return _postgres_url()


@pytest.fixture(scope="module")
def curated_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("curated") / "curated.sqlite"
    store = SqlStore(f"sqlite:///{path}")
    ensure_loaded(store)
    store.dispose()
    return path


def _damage(kind: str, source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    size = target.stat().st_size
    with target.open("r+b") as handle:
        if kind == "header":
            handle.write(b"\0" * 100)
        elif kind == "truncated":
            handle.truncate(size // 2)
        else:  # pages in the middle of the file overwritten
            handle.seek(size // 2 // 4096 * 4096)
            handle.write(random.Random(3).randbytes(8 * 4096))
    return target


@pytest.mark.parametrize("kind", ["header", "truncated", "middle"])
def test_a_damaged_store_is_refused_with_what_to_do(
    kind: str, curated_file: Path, tmp_path: Path
) -> None:
    damaged = _damage(kind, curated_file, tmp_path / f"{kind}.sqlite")
    before = damaged.read_bytes()
    url = f"sqlite:///{damaged}"
    runner = CliRunner()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("MSC exosomes reduced fibrosis in mice.\n")
    for command in (
        ["disease", "rheumatoid arthritis"],
        ["db", "stats"],
        ["db", "init"],
        ["mine", "--workers", "1", str(tmp_path / "in")],
    ):
        result = runner.invoke(cli, ["--database-url", url, *command])
        assert result.exit_code == 1, (command, result.output)
        assert isinstance(result.exception, SystemExit), result.exception  # no traceback
        assert f"SQLite store {damaged} is damaged" in result.output
        assert "Restore it from a backup" in result.output
    assert damaged.read_bytes() == before  # nothing written into it
    check = runner.invoke(cli, ["--database-url", url, "--format", "json", "db", "check"])
    assert check.exit_code == 1
    assert json.loads(check.output)["integrity"]


def test_the_store_api_raises_a_store_error_naming_the_file(
    curated_file: Path, tmp_path: Path
) -> None:
    damaged = _damage("middle", curated_file, tmp_path / "middle.sqlite")
    with pytest.raises(StoreError, match=r"middle\.sqlite is damaged"):
        SqlStore(f"sqlite:///{damaged}").initialise(check=True)
    assert SqlStore(f"sqlite:///{curated_file}").check_integrity() == []


def test_two_first_uses_at_once_both_succeed(new_store_url: str, tmp_path: Path) -> None:
    """Two processes open a store nobody has used (schema set-up and curated load race)."""
    command = [*EVKG, "--database-url", new_store_url, "--format", "json", "db", "stats"]
    env = {**os.environ, "EVKG_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err.decode()
    first, second = (json.loads(out)["totals"] for out, _err in outputs)
    assert first == second
    store = SqlStore(new_store_url)
    assert store.is_current()
    assert store.execute_sql("SELECT count(*) FROM datasets WHERE name = 'curated'") == [(1,)]
    assert store.check_support().mismatched == 0
    store.dispose()


def _open_at_once(url: str, barrier: Any) -> str:
    from evkg.store import _engine

    barrier.wait()
    engine = _engine.create(url, False, busy_seconds=30)
    try:
        with engine.connect() as connection:
            return str(connection.exec_driver_sql("PRAGMA journal_mode").scalar())
    except OperationalError as error:
        return f"failed: {error.orig}"
    finally:
        engine.dispose()


def test_processes_opening_a_new_sqlite_file_at_once_all_get_it_in_wal(tmp_path: Path) -> None:
    """The switch of a new file to WAL wants it alone: SQLite refuses one of two processes
    doing it at once without waiting, which the engine retries (4 at once failed about
    three rounds in four before)."""
    with multiprocessing.Manager() as manager, multiprocessing.Pool(4) as pool:
        for round_ in range(12):
            url = f"sqlite:///{tmp_path / f'new{round_}.sqlite'}"
            barrier = manager.Barrier(4)
            assert pool.starmap(_open_at_once, [(url, barrier)] * 4) == ["wal"] * 4, round_


def _article(pmid: int, cargo: str) -> str:
    return (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><Journal><JournalIssue>"
        f"<PubDate><Year>{2010 + pmid % 12}</Year></PubDate></JournalIssue><Title>J</Title>"
        f"</Journal><ArticleTitle>Study {pmid}</ArticleTitle><Abstract><AbstractText>Bone "
        f"marrow MSC-derived exosomes carrying {cargo} alleviated rheumatoid arthritis in "
        f"mice by targeting TRAF6.</AbstractText></Abstract><AuthorList><Author><LastName>"
        f"A{pmid}</LastName><Initials>A</Initials></Author></AuthorList></Article>"
        f"</MedlineCitation></PubmedArticle>\n"
    )


def _files(folder: Path, count: int, per_file: int) -> list[Path]:
    """Files whose records all state the same few claims, each from its own paper."""
    folder.mkdir()
    cargos = ["miR-146a-5p", "miR-150-5p", "miR-21-5p"]
    paths = []
    for number in range(count):
        body = "".join(
            _article(70000 + number * per_file + n, cargos[n % len(cargos)])
            for n in range(per_file)
        )
        path = folder / f"f{number:02d}.xml"
        path.write_text(f"<?xml version='1.0'?>\n<PubmedArticleSet>\n{body}</PubmedArticleSet>\n")
        paths.append(path)
    return paths


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'evkg.sqlite'}" if request.param == "sqlite" else ""
    url = url or _postgres_url()
    store = SqlStore(url)
    store.initialise()
    store.dispose()
    return url


def test_two_concurrent_writers_count_every_piece_of_evidence(
    store_url: str, tmp_path: Path
) -> None:
    """Two mining runs on one store, files in opposite order, one record per transaction:
    every claim's evidence count equals its evidence rows afterwards."""
    files = _files(tmp_path / "in", count=12, per_file=6)
    env = {**os.environ, "EVKG_CACHE_DIR": str(tmp_path / "cache")}
    base = [*EVKG, "--database-url", store_url, "-q", "mine", "--workers", "1"]
    runs = [
        subprocess.Popen(
            [*base, "--batch-size", "1", *map(str, order)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        for order in (files, files[::-1])
    ]
    for run in runs:
        _out, err = run.communicate(timeout=600)
        assert run.returncode == 0, err.decode()
    store = SqlStore(store_url)
    stored = store.execute_sql(
        "SELECT c.hash, c.n_evidence, count(e.hash) FROM claims c JOIN evidence e "
        "ON e.claim_hash = c.hash AND e.review_status != 'rejected' "
        "GROUP BY c.hash, c.n_evidence"
    )
    assert stored
    assert max(n for _h, _n, n in stored) >= 12  # the claims gathered many pieces each
    assert [(h, n) for h, n, counted in stored if n != counted] == []
    assert store.check_support().mismatched == 0
    store.dispose()


_WRITER = """
import sys, time
from sqlalchemy import event
from evkg.assemble import assemble
from evkg.model import Claim, Evidence, Reference
from evkg.store import LoadBundle, SqlStore

url, writer, rounds, claims, start = sys.argv[1], *map(int, sys.argv[2:5]), float(sys.argv[5])


def bundle(writer, round, claims):
    shared = [
        Claim(subject="mirbase.mature:MIMAT0000451", predicate="regulates_down",
              object=f"hgnc:9{round}{k:04d}")
        for k in range(claims)
    ]
    reference = Reference(
        id=f"pubmed:{80000000 + writer * 1000 + round}", authors=("Race A",), year=2020,
        title="Race", journal="J Race",
    )
    items = [
        (claim, Evidence(claim_hash=claim.hash, reference=reference.id, method="extracted",
                         quote=f"writer {writer} round {round}", extractor="race 0",
                         level="in_vitro", confidence=0.5), None)
        for claim in (shared if writer % 2 == 0 else shared[::-1])
    ]
    return LoadBundle(f"race:{writer}:{round}", "f", references=[reference],
                      assembly=assemble(items))


store = SqlStore(url)
if writer == 9:  # the claims exist before the writers meet them (new claims serialise)
    for round in range(rounds):
        store.load(bundle(writer, round, claims))
    sys.exit()


@event.listens_for(store.engine, "before_cursor_execute")
def slow_update(conn, cursor, statement, parameters, context, executemany):
    # the time between reading the claims' evidence and writing their counts, made long
    # enough that the two writers' transactions overlap there
    if statement.lstrip().upper().startswith("UPDATE CLAIMS"):
        time.sleep(0.8)


for round in range(rounds):
    time.sleep(max(0.0, start + 2.0 * round - time.time()))  # both writers start together
    store.load(bundle(writer, round, claims))
"""


def test_two_concurrent_loads_of_the_same_claims_lose_no_count(store_url: str) -> None:
    """Two processes add evidence to the same stored claims at the same moment (in opposite
    order), each pausing between reading the claims' evidence and writing their counts, in
    three rounds: every claim counts both writers' evidence. (Before claims were locked
    first, PostgreSQL lost one writer's evidence from every count here.)"""
    rounds, claims = 3, 50

    def writer(number: int, start: float = 0.0) -> subprocess.Popen[bytes]:
        arguments = [store_url, str(number), str(rounds), str(claims), str(start)]
        return subprocess.Popen([sys.executable, "-c", _WRITER, *arguments], stderr=PIPE)

    seed = writer(9)
    assert seed.wait(timeout=300) == 0
    start = time.time() + 3.0  # both writers are up by then
    runs = [writer(0, start), writer(1, start)]
    for run in runs:
        _out, err = run.communicate(timeout=600)
        assert run.returncode == 0, err.decode()
    store = SqlStore(store_url)
    counts = store.execute_sql("SELECT n_evidence, n_references FROM claims")
    assert len(counts) == rounds * claims
    assert set(counts) == {(3, 3)}  # the first writer's, and the two concurrent ones
    assert store.check_support().mismatched == 0
    store.dispose()


def test_db_check_finds_wrong_counts_and_repair_fixes_them(store_url: str, tmp_path: Path) -> None:
    store = SqlStore(store_url)
    ensure_loaded(store)
    healthy = store.check_support()
    assert (healthy.claims, healthy.mismatched) == (
        store.execute_sql("SELECT count(*) FROM claims")[0][0],
        0,
    )
    with store.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE claims SET n_evidence = n_evidence + 3, confidence = 0.01 WHERE hash IN "
                "(SELECT hash FROM claims ORDER BY hash LIMIT 7)"
            )
        )
    runner = CliRunner()
    args = ["--database-url", store_url, "--format", "json", "db", "check"]
    found = runner.invoke(cli, args)
    assert found.exit_code == 1, found.output
    report = json.loads(found.output)
    assert (report["mismatched"], report["repaired"]) == (7, 0)
    assert {e["column"] for e in report["examples"]} == {"n_evidence", "confidence"}
    repaired = runner.invoke(cli, [*args, "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert json.loads(repaired.output)["repaired"] == 7
    again = runner.invoke(cli, args)
    assert again.exit_code == 0
    assert json.loads(again.output)["mismatched"] == 0
    store.dispose()
