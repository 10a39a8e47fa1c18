"""The QC rule files (checklist, purity bands, marker table) and the preparation schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from evkg.analysis.qc import ChecklistRules, evaluate_check
from evkg.analysis.qc._rules import RuleItem, validate_check
from evkg.api.qc import load_marker_table, load_purity_bands, load_rules
from evkg.model.preparation import Preparation, ReleaseSpecification, render_preparation_schema

from .conftest import REPO


def test_committed_preparation_schema_is_current() -> None:
    committed = (REPO / "schema" / "preparation.schema.json").read_text(encoding="utf-8")
    assert committed == render_preparation_schema(), (
        "schema/preparation.schema.json is stale: regenerate it with "
        "evkg.model.preparation.render_preparation_schema()"
    )


def test_examples_validate_against_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads(render_preparation_schema())
    for name, ref in (
        ("lot-07-complete.yaml", "Preparation"),
        ("lot-08-incomplete.yaml", "Preparation"),
        ("release-spec.yaml", "ReleaseSpecification"),
    ):
        data = yaml.safe_load((REPO / "examples" / "preparations" / name).read_text("utf-8"))
        jsonschema.validate(data, {"$defs": schema["$defs"], "$ref": f"#/$defs/{ref}"})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "x"}, {"$defs": schema["$defs"], "$ref": "#/$defs/Preparation"})


def test_every_item_cites_a_source_and_guidelines_cite_papers() -> None:
    rules = load_rules()
    assert rules.version
    assert {g.id for g in rules.guidelines} == {
        "misev2018",
        "misev2023",
        "ev_metric",
        "msc_sev",
        "isct_msc",
    }
    for guideline in rules.guidelines:
        assert (
            "J Extracell Vesicles" in guideline.citation
            or "Nat Methods" in guideline.citation
            or "Cytotherapy" in guideline.citation
        )
    for item in rules.items:
        assert item.source
        assert item.level in ("mandatory", "if_applicable", "encouraged")
        if not item.verified:
            assert item.note, f"{item.id}: unverified item without a note on what to check"


def test_verified_flags_follow_what_was_read() -> None:
    """Verified = wording read in the source or a review tabulating it, the item says where
    (DOI, PMID or PMC) and what that text states: MISEV2018 (two review tables), ISCT
    (abstract and table), five MSC-sEV items (Witwer 2019 abstract), seven MISEV2023 items
    (abstract, editorial, two vendor summaries) and the three conditional EV-METRIC
    components (add-on editorial). Everything else stays unverified with a reason."""
    rules = load_rules()
    by_guideline: dict[str, set[bool]] = {}
    for item in rules.items:
        by_guideline.setdefault(item.guideline, set()).add(item.verified)
        if item.verified:
            assert item.verified_against, item.id
            assert item.checked, item.id
            assert all(
                any(key in where for key in ("doi:", "PMID", "PMC"))
                for where in item.verified_against
            ), item.id
    assert by_guideline["misev2018"] == {True}
    assert by_guideline["isct_msc"] == {True}
    msc_sev = {i.id for i in rules.items if i.guideline == "msc_sev" and not i.verified}
    assert msc_sev == {"msc_sev.potency"}
    misev2023 = {i.id.removeprefix("misev2023.") for i in rules.items
                 if i.guideline == "misev2023" and i.verified}  # fmt: skip
    assert misev2023 == {
        "source.identity",
        "source.medium",
        "source.density",
        "source.viability",
        "source.conditioning",
        "markers.non_vesicular",
        "function.controls",
    }
    assert not any(i.level_verified for i in rules.items if i.guideline == "misev2023")
    metric = {i.id.split(".")[1]: i.verified for i in rules.items if i.guideline == "ev_metric"}
    assert len(metric) == 9
    assert {k for k, v in metric.items() if v} == {"ultracentrifugation", "antibodies", "lysate"}
    assert load_purity_bands().verified is False
    assert "24009896" in load_purity_bands().source["pmid"]


def test_a_verified_item_must_say_where() -> None:
    item = load_rules().items[0].model_dump()
    with pytest.raises(ValueError, match="must say what was checked"):
        RuleItem.model_validate({**item, "checked": None})
    item["verified_against"] = ()
    with pytest.raises(ValueError, match="must say where it was verified"):
        RuleItem.model_validate(item)
    item.update(verified=False, level_verified=True, note="check")
    with pytest.raises(ValueError, match="level cannot be verified"):
        RuleItem.model_validate(item)


def test_marker_table_categories() -> None:
    markers = load_marker_table()
    assert markers.category("cd63") == "transmembrane_or_gpi"
    assert markers.category("Syntenin") == "cytosolic"
    assert markers.category("GRP94") == "non_ev_contaminant"
    assert markers.category("unknownin") is None


def test_a_mistyped_rule_is_rejected_with_its_id(tmp_path: Path) -> None:
    text = (REPO / "src/evkg/data/qc/checklist.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "checklist.yaml"
    broken.write_text(text.replace("check: {field: topology}", "check: {feild: topology}"), "utf-8")
    with pytest.raises(Exception, match=r"items\.\d+\.check.*unknown check form"):
        load_rules(broken)
    with pytest.raises(ValueError, match="needs a non-empty list"):
        validate_check({"any": []})
    with pytest.raises(ValidationError, match="needs a note"):
        ChecklistRules.model_validate(
            {
                "version": "1",
                "guidelines": [{"id": "g", "title": "G", "citation": "A citation here"}],
                "items": [
                    {
                        "id": "g.a",
                        "guideline": "g",
                        "area": "x",
                        "text": "t",
                        "level": "mandatory",
                        "verified": False,
                        "source": "s",
                        "check": {"field": "id"},
                    }
                ],
            }
        )


def test_check_forms() -> None:
    context = {
        "markers": [
            {"name": "CD63", "result": "present", "pct": 97.0},
            {"name": "TSG101", "result": "absent", "pct": 1.0},
        ],
        "x": {"flag": True},
        "empty": [],
    }
    assert evaluate_check({"count": "markers", "where": {"name": "cd63"}, "min": 1}, context)[0]
    assert evaluate_check({"count": "markers", "where": {"pct": {"min": 95}}, "min": 1}, context)[0]
    assert not evaluate_check({"count": "markers", "where": {"pct": {"max": 0.5}}}, context)[0]
    assert evaluate_check({"equals": "x.flag", "value": True}, context)[0]
    assert not evaluate_check({"field": "empty"}, context)[0]
    ok, reason = evaluate_check(
        {"every": "markers", "where": {"result": "present"}, "check": {"field": "antibody"}},
        context,
    )
    assert not ok
    assert "no antibody (CD63)" in reason
    assert not evaluate_check({"every": "nothing", "check": {"field": "a"}}, context)[0]


def test_models_reject_impossible_values() -> None:
    with pytest.raises(ValidationError, match="less than or equal to 100"):
        Preparation.model_validate(
            {"id": "x", "source_cells": {"species": "human", "viability_percent": 140}}
        )
    with pytest.raises(ValidationError, match=r"min 5\.0 is above max 1\.0"):
        ReleaseSpecification.model_validate({"id": "s", "d50_nm": {"min": 5, "max": 1}})
    with pytest.raises(ValidationError, match="concentration_ug_per_ml or total_ug"):
        Preparation.model_validate(
            {"id": "x", "source_cells": {"species": "human"}, "protein": {"method": "bca"}}
        )
