"""Evaluating a preparation against the checklist rules (pure functions).

The context is the record as a plain mapping (``Preparation.model_dump()``) with marker
categories filled in and a ``derived`` mapping added (see ``data/qc/checklist.yaml``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from evkg.analysis.qc._rules import ChecklistRules, Guideline, RuleItem

__all__ = [
    "ChecklistReport",
    "GuidelineScore",
    "ItemResult",
    "evaluate_check",
    "evaluate_checklist",
]

Status = Literal["met", "missing", "flagged", "not_applicable"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ItemResult(_Frozen):
    """The finding for one checklist item."""

    id: str
    guideline: str
    area: str
    text: str
    level: str
    verified: bool
    source: str
    status: Status
    reason: str
    note: str | None = None
    verified_against: tuple[str, ...] = ()
    checked: str | None = None
    level_verified: bool = False
    operationalisation: str | None = None
    flag: Literal["fail", "warn"] | None = None


class GuidelineScore(_Frozen):
    """Completeness of one guideline, kept apart for verified and unverified items.

    ``verified_score`` counts only items whose wording was checked against the source;
    ``unverified_score`` only the others. ``all_items_score`` mixes both and must never be
    shown without saying so. A flagged item (e.g. a contaminant found) is never met.
    """

    guideline: str
    title: str
    citation: str
    met: int
    missing: int
    flagged: int
    not_applicable: int
    verified_met: int
    verified_applicable: int
    verified_score: float | None
    unverified_met: int
    unverified_applicable: int
    unverified_score: float | None
    verified_mandatory_score: float | None
    all_items_score: float | None
    verified_items: int
    unverified_items: int


class ChecklistReport(_Frozen):
    version: str
    items: tuple[ItemResult, ...]
    scores: tuple[GuidelineScore, ...]

    def score(self, guideline: str) -> GuidelineScore:
        return next(s for s in self.scores if s.guideline == guideline)

    def item(self, item_id: str) -> ItemResult:
        return next(i for i in self.items if i.id == item_id)


def _lookup(context: Any, path: str) -> Any:
    value = context
    for part in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(part)
        else:
            return None
    return value


def _given(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str | Sequence | Mapping):
        return len(value) > 0
    return True


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.casefold() == expected.casefold()
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected
    return bool(actual == expected)


def _matches(item: Any, where: Mapping[str, Any]) -> bool:
    for path, wanted in where.items():
        actual = _lookup(item, path)
        if isinstance(wanted, Mapping):
            if not isinstance(actual, int | float) or isinstance(actual, bool):
                return False
            if "min" in wanted and actual < wanted["min"]:
                return False
            if "max" in wanted and actual > wanted["max"]:
                return False
        elif isinstance(wanted, list):
            if not any(_same(actual, w) for w in wanted):
                return False
        elif not _same(actual, wanted):
            return False
    return True


def _where_text(where: Mapping[str, Any]) -> str:
    parts = []
    for key, wanted in where.items():
        if isinstance(wanted, Mapping):
            bounds = [
                f"≥ {wanted['min']}" if "min" in wanted else "",
                f"≤ {wanted['max']}" if "max" in wanted else "",
            ]
            parts.append(f"{key} {' '.join(b for b in bounds if b)}")
        elif isinstance(wanted, list):
            parts.append(f"{key} in {'/'.join(map(str, wanted))}")
        else:
            parts.append(f"{key} = {str(wanted).lower() if isinstance(wanted, bool) else wanted}")
    return ", ".join(parts)


def evaluate_check(check: Mapping[str, Any], context: Any) -> tuple[bool, str]:
    """``(passed, reason)`` for one check on ``context``.

    >>> evaluate_check({"field": "a.b"}, {"a": {"b": 3}})
    (True, 'a.b = 3')
    >>> check = {"count": "m", "where": {"r": "present"}, "min": 2}
    >>> evaluate_check(check, {"m": [{"r": "present"}]})
    (False, '1 m with r = present (need ≥ 2)')

    Items of an ``every`` check failing for the same reason are named together once:

    >>> evaluate_check({"every": "m", "check": {"field": "unit"}},
    ...                {"m": [{"name": "A"}, {"name": "B"}, {"name": "C", "unit": "nm"}]})
    (False, '2 of 3 m incomplete: no unit (A, B)')
    """
    if "field" in check:
        value = _lookup(context, check["field"])
        if _given(value):
            return True, f"{check['field']} = {_show(value)}"
        return False, f"no {check['field']}"
    if "equals" in check:
        value = _lookup(context, check["equals"])
        wanted = check["value"]
        options = wanted if isinstance(wanted, list) else [wanted]
        ok = any(_same(value, w) for w in options)
        return ok, f"{check['equals']} = {_show(value)}" + (
            "" if ok else f" (need {_show(wanted)})"
        )
    if "any" in check:
        results = [evaluate_check(part, context) for part in check["any"]]
        passed = [reason for ok, reason in results if ok]
        if passed:
            return True, passed[0]
        return False, "none of (" + "; ".join(reason for _, reason in results) + ")"
    if "all" in check:
        results = [evaluate_check(part, context) for part in check["all"]]
        failed = [reason for ok, reason in results if not ok]
        if failed:
            return False, "; ".join(failed)
        return True, "; ".join(reason for _, reason in results)
    items = _lookup(context, check.get("count") or check["every"])
    items = list(items) if isinstance(items, Sequence) and not isinstance(items, str) else []
    where = check.get("where") or {}
    chosen = [item for item in items if _matches(item, where)] if where else items
    label = (check.get("count") or check["every"]) + (
        f" with {_where_text(where)}" if where else ""
    )
    if "count" in check:
        if "max" in check:
            most, least = int(check["max"]), int(check.get("min", 0))
            ok = least <= len(chosen) <= most
            return ok, f"{len(chosen)} {label}" + ("" if ok else f" (need ≤ {most})")
        need = int(check.get("min", 1))
        ok = len(chosen) >= need
        return ok, f"{len(chosen)} {label}" + ("" if ok else f" (need ≥ {need})")
    if not chosen:
        return False, f"no {label}"
    failures: dict[str, list[str]] = {}  # reason → the items failing for it, in order
    for k, item in enumerate(chosen, start=1):
        ok, reason = evaluate_check(check["check"], item)
        if not ok:
            name = item.get("name") or item.get("method") if isinstance(item, Mapping) else None
            failures.setdefault(reason, []).append(str(name or f"#{k}"))
    if failures:
        incomplete = sum(len(names) for names in failures.values())
        groups = [f"{reason} ({', '.join(names)})" for reason, names in failures.items()]
        return False, f"{incomplete} of {len(chosen)} {label} incomplete: " + " | ".join(groups)
    return True, f"all {len(chosen)} {label} complete"


def _evaluate_item(item: RuleItem, context: Mapping[str, Any]) -> ItemResult:
    status: Status
    flag: Literal["fail", "warn"] | None = None
    if item.applies_if is not None and not evaluate_check(item.applies_if, context)[0]:
        status, reason = "not_applicable", item.not_applicable or "does not apply"
    else:
        ok, reason = evaluate_check(item.check, context)
        status = "met" if ok else "missing"
        triggers: tuple[tuple[Literal["fail", "warn"], dict[str, Any] | None], ...] = (
            ("fail", item.fail_if),
            ("warn", item.warn_if),
        )
        for severity, trigger in triggers:
            flagged, why = evaluate_check(trigger, context) if trigger else (False, "")
            if flagged:
                status, flag = "flagged", severity
                reason = f"{item.flag_reason}: {why}"
                break
    return ItemResult(
        id=item.id,
        guideline=item.guideline,
        area=item.area,
        text=item.text,
        level=item.level,
        verified=item.verified,
        source=item.source,
        status=status,
        reason=reason,
        note=item.note,
        verified_against=item.verified_against,
        checked=item.checked,
        level_verified=item.level_verified,
        operationalisation=item.operationalisation,
        flag=flag,
    )


def _ratio(met: int, applicable: int) -> float | None:
    return met / applicable if applicable else None


def _score(guideline: Guideline, results: Sequence[ItemResult]) -> GuidelineScore:
    applicable = [r for r in results if r.status != "not_applicable"]
    verified = [r for r in applicable if r.verified]
    unverified = [r for r in applicable if not r.verified]
    mandatory = [r for r in verified if r.level == "mandatory"]

    def met(items: Sequence[ItemResult]) -> int:
        return sum(r.status == "met" for r in items)

    return GuidelineScore(
        guideline=guideline.id,
        title=guideline.title,
        citation=guideline.citation,
        met=met(applicable),
        missing=sum(r.status == "missing" for r in applicable),
        flagged=sum(r.status == "flagged" for r in applicable),
        not_applicable=len(results) - len(applicable),
        verified_met=met(verified),
        verified_applicable=len(verified),
        verified_score=_ratio(met(verified), len(verified)),
        unverified_met=met(unverified),
        unverified_applicable=len(unverified),
        unverified_score=_ratio(met(unverified), len(unverified)),
        verified_mandatory_score=_ratio(met(mandatory), len(mandatory)),
        all_items_score=_ratio(met(applicable), len(applicable)),
        verified_items=sum(r.verified for r in results),
        unverified_items=sum(not r.verified for r in results),
    )


def evaluate_checklist(context: Mapping[str, Any], rules: ChecklistRules) -> ChecklistReport:
    """Every item's finding, and completeness per guideline (verified and unverified apart)."""
    results = tuple(_evaluate_item(item, context) for item in rules.items)
    scores = tuple(
        _score(guideline, [r for r in results if r.guideline == guideline.id])
        for guideline in rules.guidelines
    )
    return ChecklistReport(version=rules.version, items=results, scores=scores)
