"""Is the store whole, and who may write to it now: damage detection for SQLite files
(header check at open, ``PRAGMA quick_check``), the error that says what to do about a
damaged store, and write transactions that serialise schema set-up and loads across
processes (SQLite ``BEGIN IMMEDIATE``, PostgreSQL transaction-scoped advisory locks).
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DatabaseError

__all__ = [
    "QUICK_CHECK_AT_OPEN_BYTES",
    "StoreError",
    "cheap_to_check",
    "damaged_store_error",
    "header_problem",
    "is_damage",
    "is_transient",
    "lock",
    "quick_check",
    "redact_url",
    "sqlite_file",
    "write_transaction",
]

#: SQLite files up to this size are checked with ``PRAGMA quick_check`` whenever a store is
#: opened (about 1 ms per MiB); larger ones at ``db init``, ``db check`` and before mining.
QUICK_CHECK_AT_OPEN_BYTES = 64 * 1024 * 1024
_MAGIC = b"SQLite format 3\x00"
#: Messages of SQLite errors that mean the file is damaged (or not a database at all).
_DAMAGE = re.compile(
    r"database disk image is malformed|file is not a database|malformed database schema|"
    r"database corrupt|file is encrypted",
    re.IGNORECASE,
)


class StoreError(RuntimeError):
    """The database cannot be used; the message names the URL (password hidden) and origin."""


def redact_url(url: str) -> str:
    """Hide the password in a database URL.

    >>> redact_url("postgresql://evkg:secret@db/evkg")
    'postgresql://evkg:***@db/evkg'
    """
    return re.sub(r"(://[^:/@]+:)[^@]+@", r"\1***@", url)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (``None`` for PostgreSQL and in-memory SQLite)."""
    if not url.startswith("sqlite:///") or url in {"sqlite:///:memory:", "sqlite://"}:
        return None
    return Path(url.removeprefix("sqlite:///").split("?", 1)[0]).expanduser()


def cheap_to_check(path: Path | None) -> bool:
    """Whether ``PRAGMA quick_check`` of this SQLite file costs little enough to run at
    every open (an existing file up to :data:`QUICK_CHECK_AT_OPEN_BYTES`)."""
    try:
        return path is not None and path.stat().st_size <= QUICK_CHECK_AT_OPEN_BYTES
    except OSError:
        return False


def header_problem(path: Path) -> str | None:
    """What is wrong with the first page header of a SQLite file, read in microseconds
    (``None``: nothing, or no file yet). Catches a foreign or overwritten file and one cut
    short; damage deeper in the file needs :func:`quick_check`."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if not header:
        return None  # an empty file: SQLite makes it a database on first write
    if len(header) < 100 or not header.startswith(_MAGIC):
        return "it is not a SQLite database (its header is missing or overwritten)"
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages = struct.unpack(">II", header[24:32])
    (valid_for,) = struct.unpack(">I", header[92:96])
    if page_size < 512 or page_size & (page_size - 1):
        return f"its header gives an impossible page size ({page_size})"
    if valid_for == change_counter and pages * page_size > size:
        return (
            f"it is cut short ({size:,} bytes where its header says {pages * page_size:,}): "
            "the file was truncated, e.g. by a copy that did not finish"
        )
    return None


def quick_check(connection: Connection) -> list[str]:
    """Problems ``PRAGMA quick_check`` finds in a SQLite database (empty: none)."""
    try:
        rows = [str(row[0]) for row in connection.exec_driver_sql("PRAGMA quick_check(20)")]
    except DatabaseError as error:
        return [str(error.orig).strip().splitlines()[0]]
    return [] if rows == ["ok"] else rows


def is_damage(error: BaseException) -> bool:
    """Whether a database error says the SQLite file is damaged."""
    return bool(_DAMAGE.search(str(error)))


def is_transient(error: BaseException) -> bool:
    """Whether PostgreSQL aborted the transaction to break a deadlock or a serialisation
    conflict with another writer (running it again succeeds)."""
    return getattr(getattr(error, "orig", None), "sqlstate", None) in {"40P01", "40001"}


def damaged_store_error(path: Path, problem: str) -> StoreError:
    """The error for a damaged SQLite store: which file, what is wrong, what to do."""
    return StoreError(
        f"the SQLite store {path} is damaged: {problem}. evkg will not read or write it. "
        "Restore it from a backup; or move it aside (keep it for recovery, e.g. "
        f"`sqlite3 {path.name} .recover`) and start a new store: the curated knowledge loads "
        "by itself on first use (`evkg db init` creates an empty one), mined evidence must be "
        "mined again. `evkg db check` lists the damage."
    )


def lock(connection: Connection, name: str) -> None:
    """Hold a lock named ``name`` until the transaction ends (PostgreSQL advisory lock).
    SQLite needs none: its write transactions (:func:`write_transaction`) are exclusive."""
    if connection.dialect.name != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(f"evkg:{name}".encode()).digest()[:8], "big", signed=True)
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that writes: on SQLite it takes the write lock at once (``BEGIN
    IMMEDIATE``), so what it reads before writing cannot change under it and a second writer
    waits its turn; on PostgreSQL an ordinary transaction (take :func:`lock` as needed)."""
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield connection
