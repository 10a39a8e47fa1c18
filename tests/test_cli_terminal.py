"""Terminal output that fits the terminal: rich measures the width, compact tables with
``--wide``, one table per TSV stream, global options after the command name, quiet exit on
a closed pipe, and long outputs summarised with the detail behind ``--detail``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from evkg.cli import cli

from .conftest import REPO

EXAMPLES = REPO / "examples" / "preparations"
LOT7, LOT8 = str(EXAMPLES / "lot-07-complete.yaml"), str(EXAMPLES / "lot-08-incomplete.yaml")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('terminal') / 'evkg.sqlite'}"
    result = CliRunner().invoke(cli, ["--database-url", url, "db", "load"])
    assert result.exit_code == 0, result.output
    return url


def run(database: str, *args: str, columns: int = 100) -> Result:
    runner = CliRunner(env={"COLUMNS": str(columns)})
    return runner.invoke(cli, ["--database-url", database, *args], catch_exceptions=False)


@pytest.mark.parametrize(
    "command",
    [
        ["disease", "rheumatoid arthritis"],
        ["cargo", "miR-146a"],
        ["search", "kidney"],
        ["studies", "kidney disease"],
        ["reference", "18"],
    ],
)
def test_tables_fit_a_100_column_terminal(database: str, command: list[str]) -> None:
    result = run(database, *command, columns=100)
    assert result.exit_code == 0, result.output
    widths = [len(line.rstrip()) for line in result.stdout.splitlines()]
    assert max(widths) <= 100
    narrow = run(database, *command, columns=72)
    assert max(len(line.rstrip()) for line in narrow.stdout.splitlines()) <= 72


def test_compact_table_hides_wide_columns_until_asked(database: str) -> None:
    compact = run(database, "cargo", "miR-146a")
    header = next(line for line in compact.stdout.splitlines() if "subject" in line)
    assert "strength" not in header
    assert "more columns with --wide" in compact.stdout
    wide = run(database, "--wide", "cargo", "miR-146a", columns=200)
    header = next(line for line in wide.stdout.splitlines() if "subject" in line)
    assert "strength" in header
    assert "EV source" in header


def test_tsv_is_one_table_that_pandas_reads(database: str) -> None:
    result = run(database, "--format", "tsv", "cargo", "miR-146a")
    assert result.exit_code == 0
    frame = pd.read_csv(io.StringIO(result.stdout), sep="\t")
    assert list(frame.columns)[:3] == ["subject", "predicate", "object"]
    assert "strength" in frame.columns  # TSV carries every column
    answer = json.loads(run(database, "--format", "json", "cargo", "miR-146a").stdout)
    assert len(frame) == len(answer["claims"]) > 0  # every row, none lost to the table's width
    assert "diseases" in result.stderr  # the other table is named, not appended
    chosen = run(database, "--format", "tsv", "--table", "diseases", "cargo", "miR-146a")
    assert list(pd.read_csv(io.StringIO(chosen.stdout), sep="\t").columns) == [
        "disease",
        "direction",
        "claims",
    ]


def test_unknown_tsv_table_names_the_tables(database: str) -> None:
    result = CliRunner().invoke(
        cli, ["--database-url", database, "--format", "tsv", "--table", "nope", "gene", "CD73"]
    )
    assert result.exit_code == 2
    assert "claims, diseases" in result.output


def test_tsv_dir_writes_one_file_per_table(database: str, tmp_path: Path) -> None:
    result = run(database, "--format", "tsv", "--tsv-dir", str(tmp_path), "studies", "AKI")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence-map.tsv", "studies.tsv"]
    studies = pd.read_csv(tmp_path / "studies.tsv", sep="\t")
    assert "isolation" in studies.columns
    evidence_map = pd.read_csv(tmp_path / "evidence-map.tsv", sep="\t")
    assert list(evidence_map.columns) == ["disease", "EV source", "outcome", "studies"]


@pytest.mark.parametrize(
    "arguments",
    [
        ["disease", "rheumatoid arthritis", "--format", "json"],
        ["disease", "--format=json", "rheumatoid arthritis"],
        ["disease", "rheumatoid arthritis", "--format", "json", "-q"],
    ],
)
def test_global_options_after_the_command_name(database: str, arguments: list[str]) -> None:
    before = run(database, "--format", "json", "disease", "rheumatoid arthritis")
    after = run(database, *arguments)
    assert after.exit_code == 0, after.output
    assert json.loads(after.stdout) == json.loads(before.stdout)


def test_database_url_after_the_command_name(database: str) -> None:
    result = CliRunner().invoke(cli, ["db", "stats", "--database-url", database])
    assert result.exit_code == 0, result.output
    assert "claims" in result.output


def test_a_command_keeps_its_own_option_of_the_same_name(database: str) -> None:
    result = run(database, "export", "--format", "jsonl", "--disease", "rheumatoid arthritis")
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout.splitlines()[0])
    assert "subject" in first


def test_closed_pipe_ends_quietly(database: str) -> None:
    """``evkg export … | head -c 100``: no 'Broken pipe' message, no traceback."""
    env = {**os.environ, "EVKG_DATABASE_URL": database}
    process = subprocess.Popen(
        [sys.executable, "-c", "from evkg.cli import main; main()", "export", "--format", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    assert process.stdout.read(100)
    process.stdout.close()  # the reader goes away long before 1.5 MB are written
    errors = process.stderr.read().decode()
    process.wait(timeout=120)
    assert "Broken pipe" not in errors
    assert "Traceback" not in errors
    assert process.returncode != 0


def test_long_qc_output_is_summarised_with_detail_on_request(data_dir: Path) -> None:
    if not (data_dir / "nta").is_dir():
        pytest.skip("shared/data/nta not found (the example records point at its exports)")
    runner = CliRunner(env={"COLUMNS": "100"})
    short = runner.invoke(cli, ["qc", LOT7, LOT8], catch_exceptions=False)
    assert short.exit_code == 0, short.output
    assert "Checklist items not met" in short.stdout
    assert "--detail lists every item" in short.stdout
    assert "misev2018.topology" in short.stdout  # lot 8 misses it: listed
    full = runner.invoke(cli, ["qc", LOT7, LOT8, "--detail"], catch_exceptions=False)
    assert full.exit_code == 0, full.output
    assert len(short.stdout.splitlines()) < len(full.stdout.splitlines())
    assert "not_applicable" not in short.stdout  # only items not met are listed
    assert "not_applicable" in full.stdout
