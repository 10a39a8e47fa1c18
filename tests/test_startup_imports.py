"""A CLI query on a store already built imports what it uses only: no SciPy, NumPy or
networkx (analysis and graph exports), no migrations or Biolink identifiers. Each import
costs every start (see benchmarks/README.md, start-up)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from evkg.cli import cli

#: Modules a warm query must not load, and why they would be there.
NOT_AT_START = (
    "scipy",  # analysis.compare (profile comparisons)
    "numpy",  # analysis.enrichment and the null
    "networkx",  # formerly the GraphML export
    "matplotlib",  # plots of analyze
    "alembic",  # migrations, when the schema is behind
    "bioregistry",  # KGX identifiers
    "sqlalchemy.dialects.postgresql",  # writes to PostgreSQL
    "evkg.analysis.compare",
    "evkg.analysis.enrichment",
)

_PROBE = """
import json, sys
from evkg.cli import main
sys.argv = ["evkg", "--database-url", sys.argv[1], *sys.argv[2:]]
try:
    main()
except SystemExit as stop:
    code = stop.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _modules_after(url: str, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, url, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), done.stderr[-2000:]
    modules: list[str] = report["modules"]
    return modules


def test_warm_disease_query_imports_no_analysis_or_loader(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'evkg.sqlite'}"
    loaded = CliRunner().invoke(cli, ["--database-url", url, "db", "load"])
    assert loaded.exit_code == 0, loaded.output
    modules = set(_modules_after(url, "disease", "rheumatoid arthritis"))
    assert "evkg.analysis.strategies" in modules  # it did answer
    loaded_early = [
        name for name in NOT_AT_START if name in modules or any(
            m.startswith(f"{name}.") for m in modules
        )
    ]  # fmt: skip
    assert loaded_early == []


def test_analysis_names_still_import_from_the_package() -> None:
    import evkg.analysis as analysis

    assert analysis.ora_batch.__module__ == "evkg.analysis.enrichment"
    assert analysis.compare_profiles.__module__ == "evkg.analysis.compare"
    assert set(analysis.__all__) <= set(dir(analysis)) | set(analysis._MODULE_OF)
    with pytest.raises(AttributeError, match="not_a_name"):
        analysis.not_a_name  # noqa: B018
