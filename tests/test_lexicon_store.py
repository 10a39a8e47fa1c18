"""A lexicon opened lazily from its store answers exactly as the same lexicon loaded whole:
every identifier, every folded name (with and without a kind), every kind's entries in
order, and the normalisers over it; whatever needs every entry loads it whole first."""

from __future__ import annotations

import logging
import pickle
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from evkg.model import EntityKind
from evkg.vocab import Vocabulary, compact_lexicon, load_vocabulary
from evkg.vocab import lexicon_store as store_module
from evkg.vocab.lexicon import Lexicon
from evkg.vocab.lexicon_store import open_lexicon_store, store_path, write_lexicon_store
from tests.conftest import reference_data_dir

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reference_files"
REAL_DATA = reference_data_dir()

#: Names a query might ask about: labels, synonyms, miRNA spellings, misses.
QUESTIONS = (
    "rheumatoid arthritis", "RA", "kidney", "acute kidney injury", "AKI", "CD73", "NT5E",
    "TP53", "Trp53", "P53", "hsa-miR-21-5p", "miR-21", "miR-146a", "mmu-miR-155", "miR-21*",
    "let-7", "miR-17-92", "mir-21", "MSC", "bone marrow MSC", "exosomes", "intravenous",
    "mouse", "NF-κB signalling", "apoptosis", "doid:7148", "hgnc:8021", "no such name",
)  # fmt: skip


def _copy(lexicon: Lexicon) -> Lexicon:
    return pickle.loads(pickle.dumps(lexicon))  # type: ignore[no-any-return]


def _lazy(tmp_path: Path, eager: Lexicon, load: Callable[[], Lexicon] | None = None) -> Lexicon:
    path = tmp_path / "lexicon.sqlite"
    assert write_lexicon_store(path, eager)
    lazy = open_lexicon_store(path, load or (lambda: _copy(eager)))
    assert lazy is not None
    assert not lazy.is_loaded
    return lazy


def assert_same_answers(lazy: Lexicon, eager: Lexicon, *, every: int = 1) -> None:
    """Every ``every``-th identifier and folded name answers alike, lazy staying lazy."""
    assert len(lazy) == len(eager)
    curies = list(eager.entries)[::every]
    for curie in curies:
        assert curie in lazy
        assert lazy.get(curie) == eager.entries[curie]
        assert lazy.entry(curie) == eager.entries[curie]
        assert lazy.label(curie) == eager.label(curie)
    for missing in ("hgnc:0", "not a curie", ""):
        assert missing not in lazy
        assert lazy.get(missing) is None
        assert lazy.label(missing) == missing
        with pytest.raises(KeyError):
            lazy.entry(missing)
    kinds = [None, *([kind] for kind in EntityKind), [EntityKind.GENE, EntityKind.CARGO]]
    for key in list(eager._index)[::every]:
        assert lazy.curies_for_key(key) == eager.curies_for_key(key), key
        for wanted in kinds:
            assert lazy.lookup(key, wanted) == eager.lookup(key, wanted), (key, wanted)
    for name in QUESTIONS:
        assert lazy.lookup(name) == eager.lookup(name), name
    for kind in EntityKind:
        assert list(lazy.of_kind(kind)) == list(eager.of_kind(kind)), kind
    assert not lazy.is_loaded, "answering one name at a time must not load every entry"


def assert_same_vocabulary(lazy: Lexicon, eager: Lexicon) -> None:
    left, right = Vocabulary(lazy, "lazy"), Vocabulary(eager, "eager")
    for name in QUESTIONS:
        assert left.resolve(name) == right.resolve(name), name
        assert left.gene(name) == right.gene(name), name
        assert left.mirna(name) == right.mirna(name), name
        assert left.mirna(name, "mmu") == right.mirna(name, "mmu"), name
        assert left.cargo(name) == right.cargo(name), name
        assert left.disease(name) == right.disease(name), name
        assert left.disease_candidates(name) == right.disease_candidates(name), name
        assert left.ev_source(name) == right.ev_source(name), name
        assert left.pathway(name) == right.pathway(name), name
    assert not lazy.is_loaded


def test_lazy_compact_lexicon_answers_as_the_eager_one(tmp_path: Path) -> None:
    eager = compact_lexicon()
    lazy = _lazy(tmp_path, eager)
    assert_same_answers(lazy, eager)
    assert_same_vocabulary(lazy, eager)
    # a search builds the name index over every entry: loaded whole, same answers
    for name in QUESTIONS[:6]:
        assert Vocabulary(lazy, "lazy").search(name) == Vocabulary(eager, "eager").search(name)
    assert lazy.is_loaded
    assert lazy == eager
    assert lazy.entries == eager.entries
    assert dict(lazy._index) == dict(eager._index)
    assert lazy.keys_for([EntityKind.GENE]) == eager.keys_for([EntityKind.GENE])


def test_entries_and_additions_load_the_lexicon_whole(tmp_path: Path) -> None:
    eager = compact_lexicon()
    loads: list[int] = []

    def load() -> Lexicon:
        loads.append(1)
        return _copy(eager)

    lazy = _lazy(tmp_path, eager, load)
    assert list(lazy.entries) == list(eager.entries)
    assert lazy.is_loaded
    lazy.add(eager.entries["hgnc:8021"])
    assert lazy.entries.keys() == eager.entries.keys()
    assert loads == [1]


def test_a_lazy_lexicon_pickles_whole(tmp_path: Path) -> None:
    eager = compact_lexicon()
    again = _copy(_lazy(tmp_path, eager))
    assert again.is_loaded
    assert again == eager


def test_unreadable_or_foreign_store_is_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "lexicon.sqlite"
    assert open_lexicon_store(path, Lexicon) is None  # missing
    path.write_bytes(b"not a database at all" * 100)
    with caplog.at_level(logging.WARNING):
        assert open_lexicon_store(path, Lexicon) is None
    assert "unreadable" in caplog.text
    assert write_lexicon_store(path, compact_lexicon())
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET format = format + 1")
    connection.close()
    assert open_lexicon_store(path, Lexicon) is None


def test_unwritable_store_only_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    with caplog.at_level(logging.WARNING):
        assert not write_lexicon_store(blocked / "lexicon.sqlite", compact_lexicon())
    assert "could not write" in caplog.text


def test_store_name_follows_the_vocabulary_and_the_code(tmp_path: Path) -> None:
    first = store_path(tmp_path, "full-a")
    assert first == store_path(tmp_path, "full-a")
    assert first != store_path(tmp_path, "full-b")
    assert f"-v{store_module.STORE_FORMAT}-" in first.name


def test_load_vocabulary_opens_the_store_lazily_after_the_first_build(tmp_path: Path) -> None:
    first = load_vocabulary(FIXTURES, cache_dir=tmp_path)  # builds, writes the store
    assert first.lexicon.is_loaded
    assert list(tmp_path.glob("lexicon-store-v*.sqlite"))
    second = load_vocabulary(FIXTURES, cache_dir=tmp_path)
    assert not second.lexicon.is_loaded
    assert second.fingerprint == first.fingerprint
    assert_same_answers(second.lexicon, first.lexicon)
    assert_same_vocabulary(second.lexicon, first.lexicon)
    assert second.lexicon == first.lexicon  # loads it whole: the same entries and names


@pytest.mark.skipif(
    REAL_DATA is None,
    reason="reference data not found: set EVKG_DATA_DIR or put it at ../shared/data",
)
@pytest.mark.slow
@pytest.mark.reference_data
def test_lazy_full_vocabulary_answers_as_the_eager_one() -> None:
    assert REAL_DATA is not None
    # the session's cache (conftest): the first call builds the store, unless a test did
    eager = load_vocabulary(REAL_DATA).lexicon
    if not eager.is_loaded:  # the store was there already: a copy loaded whole
        eager = _copy(eager)
    lazy = load_vocabulary(REAL_DATA).lexicon
    assert not lazy.is_loaded
    # every 7th identifier and folded name (all of them take a minute)
    assert_same_answers(lazy, eager, every=7)
    assert_same_vocabulary(lazy, eager)
    assert lazy == eager
