"""Reference data commands: ``evkg data fetch`` and ``evkg data status``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from evkg.cli._state import CliState, Table, command_with_errors, emit, pass_state

if TYPE_CHECKING:
    from evkg.sources.fetch import FetchResult
    from evkg.vocab.reference_files import ReferenceFile

__all__ = ["register"]


@click.group()
def data() -> None:
    """Reference data: download, install from a local copy, check."""


def _target(state: CliState) -> Path:
    from evkg.sources.fetch import resolve_data_dir

    return resolve_data_dir(state.data_dir)


def _select(names: tuple[str, ...]) -> list[ReferenceFile]:
    from evkg.vocab.reference_files import REFERENCE_FILES

    unknown = [n for n in names if n not in REFERENCE_FILES]
    if unknown:
        known = ", ".join(sorted(REFERENCE_FILES))
        raise click.BadParameter(f"unknown reference file(s) {', '.join(unknown)}; known: {known}")
    return [REFERENCE_FILES[n] for n in (names or tuple(REFERENCE_FILES))]


@data.command()
@click.argument("names", nargs=-1)
@click.option(
    "--from",
    "source",
    type=click.Path(exists=True, path_type=Path),
    help="Install from a local directory (same layout, or flat) or a single file.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Download again even if a verified copy is present; with --from, install a file "
    "whose checksum cannot be verified or does not match (marked NOT VERIFIED).",
)
@click.option("--timeout", default=60.0, show_default=True, help="Network timeout in seconds.")
@pass_state
@command_with_errors
def fetch(
    state: CliState, names: tuple[str, ...], source: Path | None, force: bool, timeout: float
) -> None:
    """Download reference files (all, or NAMES) into the data directory.

    Each file comes from its pinned upstream URL, is checked against the registered SHA-256
    and is resumed where an earlier download stopped. Files no public URL serves must be
    installed from a local copy with --from, which checks the copy the same way (a gzip copy
    of an uncompressed file is decompressed first, an uncompressed copy of a gzip file is
    checked against the content checksum) and refuses, exit status 1 and the installed file
    unchanged, what it cannot verify, unless --force is given.
    """
    from evkg.sources.fetch import FetchError, install_from

    target = _target(state)
    state.info(f"reference data directory: {target}")
    table = Table(f"Reference files in {target}", ["name", "status", "verified", "path", "note"])
    failures = 0
    for reference in _select(names):
        try:
            if source is not None:
                result = install_from(reference, source, target, force=force)
            else:
                result = _download(state, reference, target, force, timeout)
        except FetchError as error:
            failures += 1
            table.rows.append([reference.name, "failed", "", "", str(error)])
            continue
        table.rows.append(
            [result.name, result.status, result.verified, str(result.path), result.note]
        )
    unverified = [row[0] for row in table.rows if row[1] == "installed" and not row[2]]
    if unverified:
        table.notes.append(
            f"[yellow]installed NOT VERIFIED (--force): {', '.join(unverified)}[/yellow]"
        )
    emit(state, [table])
    if failures:
        raise SystemExit(1)


def _download(
    state: CliState, reference: ReferenceFile, target: Path, force: bool, timeout: float
) -> FetchResult:
    from evkg.sources.fetch import fetch_reference

    if not state.progress or state.output_format == "json":
        return fetch_reference(reference, target, force=force, timeout=timeout)
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(reference.name, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        return fetch_reference(reference, target, force=force, progress=update, timeout=timeout)


@data.command()
@pass_state
@command_with_errors
def status(state: CliState) -> None:
    """Which reference files are present and whether their checksums match."""
    from evkg.sources.fetch import file_status
    from evkg.vocab.reference_files import REFERENCE_FILES

    target = _target(state)
    rows = file_status(list(REFERENCE_FILES.values()), target)
    table = Table(
        f"Reference files in {target}",
        ["name", "present", "verified", "size", "version", "upstream", "path"],
        [
            [
                r.name,
                r.path is not None,
                {True: "yes", False: "CHECKSUM MISMATCH", None: ""}[r.verified],
                r.size,
                r.version,
                "yes" if r.upstream_url else "local copy only",
                str(r.path or r.relative_path),
            ]
            for r in rows
        ],
    )
    missing = sum(r.path is None for r in rows)
    if missing:
        table.notes.append(
            f"{missing} file(s) missing: `evkg data fetch [NAME]` downloads them, "
            "`evkg data fetch --from DIR` installs them from a local copy"
        )
    emit(state, [table])


def register(group: click.Group) -> None:
    """Add this module's commands to the ``evkg`` group."""
    group.add_command(data)
