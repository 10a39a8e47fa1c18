"""The ``evkg`` command: one group, heavy imports inside commands.

Global options come before the command: ``evkg --format json disease "acute kidney injury"``.
"""

from __future__ import annotations

import click

from evkg import __version__
from evkg.cli._state import CliState

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
@click.pass_context
def cli(
    context: click.Context,
    output_format: str,
    database_url: str | None,
    data_dir: str | None,
    verbose: int,
    quiet: bool,
    no_progress: bool,
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
    )


def _register() -> None:
    from evkg.cli import analysis, curate, data, db, export, mining, qc, query, serve

    for module in (db, query, export, curate, analysis, qc, mining, serve, data):
        module.register(cli)


_register()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="evkg")
