"""The SQLAlchemy engine of a store URL, with SQLite set up for evkg's use."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

__all__ = ["SQLITE_CACHE_KIB", "SQLITE_MMAP_BYTES", "create"]

SQLITE_CACHE_KIB = 64 * 1024
SQLITE_MMAP_BYTES = 256 * 1024 * 1024


def create(url: str, echo: bool, *, busy_seconds: float) -> Engine:
    """The engine for ``url``: a SQLite file's folder is created, and each SQLite connection
    gets foreign keys, WAL, a large page cache and memory map, and waits up to
    ``busy_seconds`` for another process's write to finish."""
    connect_args: dict[str, Any] = {}
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
        connect_args["timeout"] = busy_seconds
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, echo=echo, future=True, connect_args=connect_args)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            _use_wal(cursor, busy_seconds)
            # a page cache and memory map large enough for the ranking indexes of a
            # million-claim store: each pooled connection keeps its own cache
            cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
            cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
            cursor.close()

    return engine


def _use_wal(cursor: Any, busy_seconds: float) -> None:
    """Switch the file to WAL. A new file's switch needs it alone: when two processes open
    it at once, SQLite answers "locked" at once to one of them rather than wait (two readers
    both wanting the exclusive lock), so the switch is retried for ``busy_seconds``."""
    deadline = time.monotonic() + busy_seconds
    pause = 0.01
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)
