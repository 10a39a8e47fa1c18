"""How much of each criterion set is verified, and against what: the data behind
``docs/qc-criteria.md`` (written by ``scripts/qc_criteria_doc.py``, checked by a test so the
page cannot drift from ``checklist.yaml``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from evkg.analysis.qc._rules import ChecklistRules, RuleItem

__all__ = ["CriteriaCoverage", "criteria_coverage", "criteria_markdown"]


class CriteriaCoverage(BaseModel):
    """One criterion set: its items, how many are verified, and the texts they were read in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    guideline: str
    title: str
    citation: str
    source_note: str | None
    items: int
    verified: int
    level_verified: int
    verified_against: tuple[str, ...]


def criteria_coverage(rules: ChecklistRules) -> tuple[CriteriaCoverage, ...]:
    """Per guideline, in file order: item counts and the distinct texts read.

    >>> from evkg.analysis.qc._rules import Guideline
    >>> rules = ChecklistRules(version="1",
    ...     guidelines=(Guideline(id="g", title="G", citation="A citation here"),),
    ...     items=(RuleItem(id="g.a", guideline="g", area="A", text="t", level="mandatory",
    ...                     verified=True, source="s", verified_against=("PMC1 Table 1",),
    ...                     checked="states t", check={"field": "x"}),
    ...            RuleItem(id="g.b", guideline="g", area="A", text="u", level="encouraged",
    ...                     verified=False, source="s", note="not read", check={"field": "y"})))
    >>> (c,) = criteria_coverage(rules)
    >>> c.items, c.verified, c.level_verified, c.verified_against
    (2, 1, 0, ('PMC1 Table 1',))
    """
    out = []
    for guideline in rules.guidelines:
        items = [i for i in rules.items if i.guideline == guideline.id]
        against = dict.fromkeys(w for i in items if i.verified for w in i.verified_against)
        out.append(
            CriteriaCoverage(
                guideline=guideline.id,
                title=guideline.title,
                citation=" ".join(guideline.citation.split()),
                source_note=" ".join(guideline.source_note.split())
                if guideline.source_note
                else None,
                items=len(items),
                verified=sum(i.verified for i in items),
                level_verified=sum(i.level_verified for i in items),
                verified_against=tuple(against),
            )
        )
    return tuple(out)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _item_row(item: RuleItem, sources: dict[str, int]) -> str:
    level = item.level.replace("_", " ")
    if item.verified:
        refs = ", ".join(f"[{sources[w]}]" for w in item.verified_against)
        status = "yes" + ("" if item.level_verified else " (level not read)")
        what = f"{refs} {item.checked or ''}"
    else:
        status = "no"
        what = item.note or ""
    return f"| `{item.id}` | {_cell(item.text)} | {level} | {status} | {_cell(what)} |"


def criteria_markdown(rules: ChecklistRules) -> str:
    """The criteria page: a summary table, then each set with its items and sources."""
    coverage = criteria_coverage(rules)
    lines = [
        "# Preparation QC criteria: what is verified, and against what",
        "",
        "<!-- Written by scripts/qc_criteria_doc.py from src/evkg/data/qc/checklist.yaml; do",
        "     not edit by hand (tests/test_qc_criteria_doc.py fails when the two disagree). -->",
        "",
        f"Checklist version {rules.version}. An item is **verified** only when its wording was",
        "read in the source or in a review that tabulates it; the item then names that text",
        "(DOI, PMID or PMC and the table or section) and says, in our words, what the text",
        "states and which parts of the item are our reading. **Level read** means its",
        "requirement level (mandatory, if applicable, encouraged) was read too. Unverified",
        "items say why they could not be checked. `evkg qc` scores verified and unverified",
        "items apart (met / applicable) and never prints a figure mixing them without saying",
        "so. The purity bands (Webber & Clayton 2013, particles per µg protein) are not",
        "verified either: only the ratio itself is. `evkg qc criteria` prints the summary",
        "table below (`--detail`: every item; `--format json`).",
        "",
        "| criterion set | items | verified | level read | verified against |",
        "|---|---:|---:|---:|---|",
    ]
    for c in coverage:
        against = "; ".join(_cell(w) for w in c.verified_against) or "nothing that could be read"
        lines.append(
            f"| {_cell(c.title)} | {c.items} | {c.verified} | {c.level_verified} | {against} |"
        )
    for c in coverage:
        sources = {w: k for k, w in enumerate(c.verified_against, start=1)}
        lines += ["", f"## {c.title}", "", f"Citation: {c.citation}", ""]
        if c.source_note:
            lines += [c.source_note, ""]
        lines.append(f"{c.verified} of {c.items} items verified, {c.level_verified} with level.")
        if sources:
            lines += ["", "Read:", ""]
            lines += [f"{k}. {_cell(w)}" for w, k in sources.items()]
        lines += [
            "",
            "| item | text | level | verified | what was checked, or why not |",
            "|---|---|---|---|---|",
        ]
        lines += [_item_row(i, sources) for i in rules.items if i.guideline == c.guideline]
    return "\n".join(lines) + "\n"
