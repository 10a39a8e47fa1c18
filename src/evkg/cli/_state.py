"""Shared CLI state, output rendering and error reporting."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from evkg.api import Knowledge
    from evkg.settings import Settings

__all__ = ["CliState", "Table", "command_with_errors", "emit", "friendly_errors", "pass_state"]


@dataclass
class CliState:
    """Options of the top-level group, and the knowledge base opened on first use."""

    output_format: str = "table"
    database_url: str | None = None
    data_dir: str | None = None
    verbosity: int = 0
    progress: bool = True
    _knowledge: Knowledge | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        from evkg.settings import load_settings

        return load_settings(database_url=self.database_url, data_dir=self.data_dir)

    def knowledge(self, *, load_curated: bool = True) -> Knowledge:
        if self._knowledge is None:
            from evkg.api import curated_fingerprint, open_knowledge
            from evkg.store import SqlStore, redact_url

            settings = self.settings()
            if load_curated:
                store = SqlStore(settings.database_url, origin=settings.origin("database_url"))
                if store.dataset_fingerprint("curated") != curated_fingerprint():
                    self.info(
                        "loading the curated knowledge into "
                        f"{redact_url(settings.database_url)} (first use or new version)…"
                    )
                store.dispose()
            if settings.data_dir is not None:
                self.info(
                    f"reading reference data from {settings.data_dir} (cached after first use)"
                )
            self._knowledge = open_knowledge(settings=settings, load_curated=load_curated)
        return self._knowledge

    def info(self, message: str) -> None:
        if self.verbosity >= 0:
            click.echo(message, err=True)


pass_state = click.make_pass_decorator(CliState, ensure=True)


@dataclass
class Table:
    """Rows with named columns, rendered as a rich table, TSV or JSON."""

    title: str
    columns: Sequence[str]
    rows: list[Sequence[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_plain(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def emit(state: CliState, tables: Sequence[Table], payload: Any = None) -> None:
    """Print ``tables`` in the chosen format; JSON prints ``payload`` when given."""
    if state.output_format == "json":
        data = payload
        if data is None:
            data = [
                {
                    "title": t.title,
                    "rows": [dict(zip(t.columns, row, strict=True)) for row in t.rows],
                }
                for t in tables
            ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return
    if state.output_format == "tsv":
        for table in tables:
            click.echo("\t".join(table.columns))
            for row in table.rows:
                click.echo("\t".join(_plain(v).replace("\t", " ") for v in row))
        return
    from rich.console import Console
    from rich.table import Table as RichTable

    console = Console(soft_wrap=False, width=max(Console().width, 120))
    for table in tables:
        rich_table = RichTable(title=table.title, show_lines=False, title_justify="left")
        for column in table.columns:
            rich_table.add_column(column, overflow="fold")
        for row in table.rows:
            rich_table.add_row(*(_plain(v) for v in row))
        console.print(rich_table)
        for note in table.notes:
            console.print(note, highlight=False, markup=True)


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Turn the errors users can fix into a one-paragraph message and a non-zero exit."""
    from evkg.api import UnknownNameError
    from evkg.recordfiles import RecordFileError
    from evkg.settings import SettingsError
    from evkg.store import StoreError

    try:
        yield
    except UnknownNameError as error:
        click.secho(f"evkg: {error}", fg="yellow", err=True)
        sys.exit(2)
    except (RecordFileError, SettingsError, StoreError) as error:
        click.secho(f"evkg: {error}", fg="red", err=True)
        sys.exit(1)
    except OSError as error:
        click.secho(f"evkg: {error.strerror or error}: {error.filename or ''}", fg="red", err=True)
        sys.exit(1)
    except Exception as error:
        # data-directory problems raised by the vocabulary layer carry their own message
        if type(error).__name__ in {"DataDirError", "ReferenceDataError"}:
            click.secho(f"evkg: {error}", fg="red", err=True)
            sys.exit(1)
        raise


def command_with_errors(function: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator: run a command inside :func:`friendly_errors`."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with friendly_errors():
            return function(*args, **kwargs)

    return wrapper
