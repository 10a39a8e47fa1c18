"""docs/qc-criteria.md is generated from the checklist rules and must agree with them."""

from __future__ import annotations

import re
import subprocess
import sys

from evkg.analysis.qc.criteria_coverage import criteria_coverage, criteria_markdown
from evkg.api.qc import load_rules

from .conftest import REPO

PAGE = REPO / "docs" / "qc-criteria.md"


def test_page_is_the_rendering_of_the_shipped_rules() -> None:
    assert PAGE.read_text(encoding="utf-8") == criteria_markdown(load_rules()), (
        "docs/qc-criteria.md is out of date: run python scripts/qc_criteria_doc.py"
    )


def test_summary_rows_give_the_counts_of_the_data() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for c in criteria_coverage(load_rules()):
        row = re.search(rf"^\| {re.escape(c.title)} \| (\d+) \| (\d+) \| (\d+) \|", text, re.M)
        assert row is not None, c.title
        assert tuple(int(n) for n in row.groups()) == (c.items, c.verified, c.level_verified)
        # each set's section repeats the count and lists every item once
        assert f"{c.verified} of {c.items} items verified" in text
    ids = re.findall(r"^\| `([a-z0-9_.]+)` \|", text, re.M)
    assert sorted(ids) == sorted(i.id for i in load_rules().items)


def test_a_changed_rule_makes_the_page_stale() -> None:
    rules = load_rules()
    first = rules.items[0]
    assert first.verified
    demoted = first.model_copy(update={"verified": False, "level_verified": False, "note": "x"})
    changed = rules.model_copy(update={"items": (demoted, *rules.items[1:])})
    assert criteria_markdown(changed) != PAGE.read_text(encoding="utf-8")
    (misev2018,) = [c for c in criteria_coverage(changed) if c.guideline == "misev2018"]
    assert misev2018.verified == misev2018.items - 1


def test_script_check_mode_agrees() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "qc_criteria_doc.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_criteria_command_gives_the_same_counts() -> None:
    import json

    from click.testing import CliRunner

    from evkg.cli import cli

    runner = CliRunner(env={"COLUMNS": "100"})
    shown = runner.invoke(cli, ["qc", "criteria"], catch_exceptions=False)
    assert shown.exit_code == 0, shown.output
    assert max(len(line) for line in shown.stdout.splitlines()) <= 100
    coverage = criteria_coverage(load_rules())
    for c in coverage:
        assert re.search(
            rf"│ {re.escape(c.title)}\s+│ {c.items}\s+│ {c.verified}\s+│ {c.level_verified}\s+│",
            shown.stdout,
        ), c.title
    assert "doi:10.5009/gnl18412" in shown.stdout  # sources in full, not cut off
    payload = json.loads(
        runner.invoke(cli, ["--format", "json", "qc", "criteria"], catch_exceptions=False).stdout
    )
    assert [c["verified"] for c in payload["criteria"]] == [c.verified for c in coverage]
    unverified = {i["id"]: i["note"] for i in payload["items"] if not i["verified"]}
    assert "msc_sev.potency" in unverified
    assert unverified["msc_sev.potency"]
    refused = runner.invoke(cli, ["qc", "criteria", "lot.yaml"])
    assert refused.exit_code != 0
    assert "takes no records" in refused.output
