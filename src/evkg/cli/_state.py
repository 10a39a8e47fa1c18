"""Shared CLI state, output rendering and error reporting."""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
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
    wide: bool = False
    detail: bool = False
    table: str | None = None
    tsv_dir: str | None = None
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
    """Rows with named columns, rendered as a rich table, TSV or JSON.

    ``key`` names the table for ``--table`` and for the files ``--tsv-dir`` writes (default:
    derived from the title). Columns in ``wide`` are left out of the terminal table unless
    ``--wide`` is given (TSV and JSON always carry every column). A ``detail`` table is
    summarised in one line on the terminal unless ``--detail`` is given.
    """

    title: str
    columns: Sequence[str]
    rows: list[Sequence[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    key: str = ""
    wide: Sequence[str] = ()
    detail: bool = False

    @property
    def name(self) -> str:
        """The table's key: ``key`` or a slug of the first words of the title."""
        if self.key:
            return self.key
        words = re.findall(r"[a-z0-9]+", self.title.lower())
        return "-".join(words[:3]) or "table"


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_plain(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _tsv_lines(table: Table) -> Iterator[str]:
    """The table as TSV lines, each cell on one line and safe to open in a spreadsheet."""
    from evkg.model.spreadsheet import spreadsheet_text  # the model package is slow to load

    yield "\t".join(table.columns)
    for row in table.rows:
        yield "\t".join(
            spreadsheet_text(" ".join(_plain(v).replace("\t", " ").splitlines())) for v in row
        )


def _emit_tsv(state: CliState, tables: Sequence[Table]) -> None:
    """One table per stream: the chosen (default: first) table on standard output, or every
    table in its own file under ``--tsv-dir``; a TSV file never mixes headers."""
    if not tables:
        return
    names = [t.name for t in tables]
    if state.tsv_dir is not None:
        folder = Path(state.tsv_dir)
        folder.mkdir(parents=True, exist_ok=True)
        for table in tables:
            path = folder / f"{table.name}.tsv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                handle.writelines(line + "\n" for line in _tsv_lines(table))
            state.info(f"wrote {path} ({len(table.rows)} rows)")
        return
    chosen = tables[0]
    if state.table is not None:
        if state.table not in names:
            raise click.UsageError(
                f"no table {state.table!r} in this output; tables: {', '.join(names)}"
            )
        chosen = tables[names.index(state.table)]
    for line in _tsv_lines(chosen):
        click.echo(line)
    others = [n for n in names if n != chosen.name]
    if others:
        state.info(
            f"printed table {chosen.name!r}; also: {', '.join(others)} "
            "(--table NAME prints another, --tsv-dir DIR writes one file per table)"
        )


#: Cells up to this many characters are never wrapped in the terminal table.
_SHORT_CELL = 24


def _emit_rich(state: CliState, tables: Sequence[Table]) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable

    console = Console(soft_wrap=False)  # rich measures the terminal (or COLUMNS)
    for table in tables:
        if table.detail and not state.detail:
            console.print(
                f"[bold]{table.title}[/bold]: {len(table.rows)} rows (--detail lists them)",
                highlight=False,
            )
            continue
        shown = [i for i, c in enumerate(table.columns) if state.wide or c not in set(table.wide)]
        cells = [[_plain(row[i]) for i in shown] for row in table.rows]
        rich_table = RichTable(title=table.title, show_lines=False, title_justify="left")
        for position, i in enumerate(shown):
            longest = max((len(row[position]) for row in cells), default=0)
            # short values (numbers, identifiers, statuses) keep their line; long text wraps
            # at word boundaries in the width left over
            rich_table.add_column(
                table.columns[i],
                no_wrap=longest <= _SHORT_CELL and not state.wide,
                overflow="fold" if state.wide else "ellipsis",
            )
        for row in cells:
            rich_table.add_row(*row)
        console.print(rich_table)
        hidden = len(table.columns) - len(shown)
        if hidden and table.rows:
            console.print(f"({hidden} more columns with --wide)", style="dim", highlight=False)
        for note in table.notes:
            console.print(note, highlight=False, markup=True)


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
        _emit_tsv(state, tables)
        return
    _emit_rich(state, tables)


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Turn the errors users can fix into a one-paragraph message and a non-zero exit."""
    from evkg.api import UnknownNameError
    from evkg.recordfiles import RecordFileError
    from evkg.settings import SettingsError
    from evkg.store import StoreError

    try:
        yield
    except BrokenPipeError:
        raise  # a reader such as `head` closed the pipe: main() exits quietly
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
