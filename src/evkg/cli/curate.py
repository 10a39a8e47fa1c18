"""``evkg curate``: check and rewrite curated knowledge files."""

from __future__ import annotations

from pathlib import Path

import click

from evkg.cli._state import CliState, command_with_errors, pass_state

__all__ = ["register"]


@click.group()
def curate() -> None:
    """Check and rewrite curated knowledge files."""


@curate.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--fix", is_flag=True, help="Rewrite files in canonical form.")
@pass_state
@command_with_errors
def lint_command(state: CliState, paths: tuple[Path, ...], fix: bool) -> None:
    """Validate curated and vocabulary files and check canonical form (sorted records, keys
    in model order). Default: the files shipped with evkg."""
    from importlib import resources

    from evkg.sources.curated.canonical import canonical_files, lint

    roots = list(paths) or [Path(str(resources.files("evkg") / "data"))]
    files = [p for root in roots for p in ([root] if root.is_file() else canonical_files(root))]
    changed = lint(files, fix=fix)
    for path in changed:
        click.echo(f"{'rewrote' if fix else 'not canonical'}: {path}")
    state.info(
        f"{len(files)} files valid; {len(changed)} {'rewritten' if fix else 'not canonical'}"
    )
    if changed and not fix:
        raise SystemExit(1)


@click.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file.")
@click.option(
    "--of",
    "of",
    type=click.Choice(["model", "jsonl"]),
    default="model",
    show_default=True,
    help="model: every record type (schema/evkg.schema.json); jsonl: one line of "
    "`evkg export --format jsonl` (schema/claim-line.schema.json).",
)
def schema(output: Path | None, of: str) -> None:
    """Print (or write) a JSON Schema: the evidence model and curated files, or an export."""
    from evkg.model.schema import render_json_schema

    text = render_json_schema(of)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def register(group: click.Group) -> None:
    group.add_command(curate)
    group.add_command(schema)
