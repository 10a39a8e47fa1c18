"""Schema migrations with Alembic, run programmatically on an open connection."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["alembic_config", "current_revision", "head_revision", "is_current", "upgrade"]

MIGRATIONS = Path(__file__).with_name("migrations")


@cache
def newest_script_revision() -> str | None:
    """The newest revision by the scripts' names (``0007_….py`` is revision ``0007``): read
    without importing Alembic, which costs start-up time on every command."""
    numbers = [
        match.group(1)
        for item in (MIGRATIONS / "versions").iterdir()
        if (match := re.fullmatch(r"(\d{4})_\w+\.py", item.name))
    ]
    return max(numbers, default=None)


def is_current(connection: Connection) -> bool:
    """Whether the database is already at the newest revision (a cheap check first: most
    commands open a store that needs no migration)."""
    if not inspect(connection).has_table("alembic_version"):
        return False
    found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return found == [newest_script_revision()]


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at evkg's migration scripts."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Migrate the database behind ``connection`` to ``revision``."""
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
