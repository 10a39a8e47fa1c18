"""The ``evkg`` command: one group, heavy imports inside commands.

Global options go before or after the command name: ``evkg --format json disease AKI`` and
``evkg disease AKI --format json`` are the same (a command's own option of the same name, such
as ``export --format``, wins after its name).
"""

from __future__ import annotations

from collections.abc import Iterable

import click

from evkg import __version__
from evkg.cli._state import CliState

__all__ = ["cli", "main"]

#: Options of the group that may also be given after the command name.
GLOBAL_OPTIONS = (
    "output_format", "database_url", "data_dir", "verbose", "quiet", "no_progress",
    "wide", "detail", "table", "tsv_dir",
)  # fmt: skip


def _option_names(command: click.Command) -> set[str]:
    """Every option string of ``command`` and, for a group, of its subcommands."""
    names = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            names |= _option_names(sub)
    return names


class _Group(click.Group):
    """The ``evkg`` group: global options found after the command name are moved before it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self.hoist_global_options(ctx, args))

    def hoist_global_options(self, ctx: click.Context, args: Iterable[str]) -> list[str]:
        args = list(args)
        options = {
            o: p
            for p in self.params
            if isinstance(p, click.Option) and p.name in GLOBAL_OPTIONS
            for o in (*p.opts, *p.secondary_opts)
        }
        position = 0
        while position < len(args) and args[position].startswith("-"):
            token = args[position]
            position += 1
            known = options.get(token)
            if known is not None and not (known.is_flag or known.count):
                position += 1  # its value
        if position >= len(args) or "--" in args[:position]:
            return args
        command = self.get_command(ctx, args[position])
        if command is None:
            return args
        own = _option_names(command)
        moved: list[str] = []
        kept: list[str] = []
        rest = iter(args[position + 1 :])
        for token in rest:
            if token == "--":
                kept += [token, *rest]
                break
            name = token.split("=", 1)[0]
            found = options.get(name)
            if found is None or name in own:
                kept.append(token)
                continue
            moved.append(token)
            if not (found.is_flag or found.count) and "=" not in token:
                value = next(rest, None)
                if value is not None:
                    moved.append(value)
        return [*args[:position], *moved, args[position], *kept]


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="evkg")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "tsv", "json"]),
    default="table",
    show_default=True,
    help="Output format of query commands.",
)
@click.option(
    "--database-url",
    envvar="EVKG_DATABASE_URL",
    help="SQLAlchemy URL of the store [env EVKG_DATABASE_URL; default: SQLite file under the "
    "user data directory].",
)
@click.option(
    "--data-dir",
    envvar="EVKG_DATA_DIR",
    help="Reference data directory for full vocabularies [env EVKG_DATA_DIR].",
)
@click.option("-v", "--verbose", count=True, help="More messages (repeat for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only results and errors.")
@click.option("--no-progress", is_flag=True, help="Turn progress bars off.")
@click.option("--wide", is_flag=True, help="Tables: every column, cells folded, not cut.")
@click.option(
    "--detail", is_flag=True, help="Tables: list long detail tables in full, not summarised."
)
@click.option(
    "--table",
    "table",
    metavar="NAME",
    help="TSV: print this table of the answer (default: its first; the others are named "
    "on standard error).",
)
@click.option(
    "--tsv-dir",
    type=click.Path(file_okay=False),
    help="TSV: write every table of the answer to its own NAME.tsv file in this folder.",
)
@click.pass_context
def cli(
    context: click.Context,
    output_format: str,
    database_url: str | None,
    data_dir: str | None,
    verbose: int,
    quiet: bool,
    no_progress: bool,
    wide: bool,
    detail: bool,
    table: str | None,
    tsv_dir: str | None,
) -> None:
    """evkg: evidence for therapeutic MSC extracellular vesicles.

    Ask which EV strategies have evidence for a disease, what a cargo does, and which
    sentence of which paper each claim rests on.
    """
    import logging

    level = logging.WARNING - 10 * verbose if not quiet else logging.ERROR
    logging.basicConfig(
        level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s"
    )
    context.obj = CliState(
        output_format=output_format,
        database_url=database_url or None,
        data_dir=data_dir or None,
        verbosity=-1 if quiet else verbose,
        progress=not no_progress,
        wide=wide,
        detail=detail,
        table=table,
        tsv_dir=tsv_dir,
    )


def _register() -> None:
    from evkg.cli import analysis, curate, data, db, evaluate, export, mining, qc, query, serve

    for module in (db, query, export, curate, analysis, qc, mining, evaluate, serve, data):
        module.register(cli)


_register()


def main() -> None:
    """Console-script entry point; a reader that closes the pipe (``| head``) ends it quietly."""
    try:
        cli(prog_name="evkg")
    except BrokenPipeError:
        _quiet_broken_pipe()


def _quiet_broken_pipe() -> None:
    """Point standard output at /dev/null so the interpreter's final flush stays silent, and
    exit with the status a shell gives a process ended by SIGPIPE."""
    import contextlib
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(141)
