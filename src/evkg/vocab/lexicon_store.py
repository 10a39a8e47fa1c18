"""A lexicon as an SQLite table on disk, read one name or identifier at a time.

A warm query with the full reference vocabularies needs a handful of names and labels, not
the 187,000 entries and 540,000 folded names of the lexicon: unpickling those took ~0.6 s,
most of the query. :func:`open_lexicon_store` opens the table in about a millisecond and
answers :meth:`~evkg.vocab.lexicon.Lexicon.get`, ``lookup`` and the like with a keyed read
each (tens of microseconds); whatever needs every entry (mining, the name index) loads
them all through the ``load`` function it is given, as before.

The file is written once per vocabulary (:func:`write_lexicon_store`, to a temporary file
renamed into place, so readers see a whole file or none) and never changed afterwards: a
changed vocabulary gets a new file name (:func:`store_path`).

>>> from evkg.model import EntityKind
>>> import tempfile
>>> from evkg.vocab.lexicon import Lexicon, LexiconEntry
>>> eager = Lexicon.from_entries([LexiconEntry("hgnc:8021", EntityKind.GENE, "NT5E", ("CD73",))])
>>> path = Path(tempfile.mkdtemp()) / "lexicon.sqlite"
>>> write_lexicon_store(path, eager)
True
>>> lazy = open_lexicon_store(path, lambda: eager)
>>> lazy.lookup("cd-73"), lazy.label("hgnc:8021"), lazy.is_loaded
([('hgnc:8021', 'synonym')], 'NT5E', False)
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from evkg.model import EntityKind
from evkg.vocab.lexicon import Lexicon, LexiconEntry

__all__ = ["STORE_FORMAT", "open_lexicon_store", "store_path", "write_lexicon_store"]

_log = logging.getLogger(__name__)

#: Bump when the tables change incompatibly (the file name carries it).
STORE_FORMAT = 1

_SCHEMA = (
    "CREATE TABLE meta (format INTEGER NOT NULL, marshal INTEGER NOT NULL, "
    "entries INTEGER NOT NULL)",
    # the entries in the lexicon's order (id), the rest of each as marshalled tuples
    "CREATE TABLE entries (id INTEGER PRIMARY KEY, curie TEXT NOT NULL UNIQUE, "
    "kind TEXT NOT NULL, label TEXT NOT NULL, rest BLOB NOT NULL)",
    "CREATE TABLE names (key TEXT NOT NULL, entry INTEGER NOT NULL, how TEXT NOT NULL, "
    "PRIMARY KEY (key, entry)) WITHOUT ROWID",
)
_INDEXES = ("CREATE INDEX entries_kind ON entries (kind, id)",)

_KINDS = {kind.value: kind for kind in EntityKind}


def store_path(cache_dir: Path, fingerprint: str) -> Path:
    """The store of the vocabulary ``fingerprint`` names: keyed by it and by the code that
    writes and reads the table."""
    digest = hashlib.sha256(f"{fingerprint}\nstore v{STORE_FORMAT}\n".encode())
    for module in ("lexicon_store.py", "lexicon.py"):
        digest.update(Path(__file__).with_name(module).read_bytes())
    return cache_dir / f"lexicon-store-v{STORE_FORMAT}-{digest.hexdigest()[:24]}.sqlite"


def write_lexicon_store(path: Path, lexicon: Lexicon) -> bool:
    """Write ``lexicon`` to ``path`` atomically; on failure warn and return False (the next
    start only loads the lexicon whole again)."""
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        os.close(descriptor)
        connection = sqlite3.connect(temporary)
        try:
            _fill(connection, lexicon)
        finally:
            connection.close()
        os.replace(temporary, path)
    except (OSError, sqlite3.Error) as error:
        _log.warning("could not write lexicon store %s: %s", path, error)
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return False
    return True


def _fill(connection: sqlite3.Connection, lexicon: Lexicon) -> None:
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    for statement in _SCHEMA:
        connection.execute(statement)
    entries = lexicon.entries
    ids = {curie: number for number, curie in enumerate(entries, start=1)}
    connection.executemany(
        "INSERT INTO entries VALUES (?, ?, ?, ?, ?)",
        (
            (ids[e.curie], e.curie, e.kind.value, e.label,
             marshal.dumps((e.synonyms, e.xrefs, e.attributes)))
            for e in entries.values()
        ),
    )  # fmt: skip
    connection.executemany(
        "INSERT INTO names VALUES (?, ?, ?)",
        (
            (key, ids[curie], how)
            for key, hits in lexicon._index.items()
            for curie, how in hits.items()
        ),
    )
    for statement in _INDEXES:
        connection.execute(statement)
    # written last: a file without it is incomplete
    connection.execute(
        "INSERT INTO meta VALUES (?, ?, ?)", (STORE_FORMAT, marshal.version, len(entries))
    )
    connection.commit()


def open_lexicon_store(path: Path, load: Callable[[], Lexicon]) -> Lexicon | None:
    """A lazy :class:`~evkg.vocab.lexicon.Lexicon` over the store at ``path``, or None when
    the file is missing, unreadable or of another format (then the caller loads the lexicon
    whole and writes the store). ``load`` gives the same lexicon whole, for whatever needs
    every entry."""
    if not path.is_file():
        return None
    try:
        source = _StoreSource(path, load)
    except (sqlite3.Error, ValueError) as error:
        _log.warning("lexicon store %s unreadable (%s); rebuilding", path, error)
        return None
    return Lexicon.lazy(source)


class _StoreSource:
    """Keyed reads of one store file (one connection per process, behind a lock: the web
    server asks from several threads)."""

    def __init__(self, path: Path, load: Callable[[], Lexicon]) -> None:
        self._uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        self._load = load
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._connection = self._connect()
        row = self._connection.execute("SELECT format, marshal, entries FROM meta").fetchone()
        if row is None or tuple(row[:2]) != (STORE_FORMAT, marshal.version):
            raise ValueError(f"not a lexicon store of format {STORE_FORMAT}: {row}")
        self._count = int(row[2])

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self._uri, uri=True, check_same_thread=False)

    def _rows(self, query: str, *parameters: str) -> list[tuple[Any, ...]]:
        with self._lock:
            if os.getpid() != self._pid:  # a forked child: its own connection
                self._connection, self._pid = self._connect(), os.getpid()
            return self._connection.execute(query, parameters).fetchall()

    def __len__(self) -> int:
        return self._count

    def entry(self, curie: str) -> LexiconEntry | None:
        rows = self._rows("SELECT curie, kind, label, rest FROM entries WHERE curie = ?", curie)
        return _entry(rows[0]) if rows else None

    def hits(self, key: str) -> list[tuple[str, str, EntityKind]]:
        rows = self._rows(
            "SELECT e.curie, n.how, e.kind FROM names AS n JOIN entries AS e ON e.id = n.entry "
            "WHERE n.key = ?",
            key,
        )
        return [(curie, how, _KINDS[kind]) for curie, how, kind in rows]

    def of_kind(self, kind: EntityKind) -> list[LexiconEntry]:
        rows = self._rows(
            "SELECT curie, kind, label, rest FROM entries WHERE kind = ? ORDER BY id", kind.value
        )
        return list(_entries(rows))

    def load(self) -> Lexicon:
        _log.info("lexicon store: every entry needed; loading the lexicon whole")
        return self._load()


def _entry(row: tuple[Any, ...]) -> LexiconEntry:
    curie, kind, label, rest = row
    synonyms, xrefs, attributes = marshal.loads(rest)
    return LexiconEntry(curie, _KINDS[kind], label, synonyms, xrefs, attributes)


def _entries(rows: list[tuple[Any, ...]]) -> Iterator[LexiconEntry]:
    return (_entry(row) for row in rows)
