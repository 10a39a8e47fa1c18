"""Write docs/qc-criteria.md from the shipped checklist rules (how many items of each
criterion set are verified, and against what). Run from the repository root::

    python scripts/qc_criteria_doc.py           # rewrite the page
    python scripts/qc_criteria_doc.py --check   # exit 1 when the page is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from evkg.analysis.qc.criteria_coverage import criteria_markdown
from evkg.api.qc import load_rules

PAGE = Path(__file__).resolve().parents[1] / "docs" / "qc-criteria.md"


def main(argv: list[str]) -> int:
    text = criteria_markdown(load_rules())
    if "--check" in argv:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(f"{PAGE} is out of date: run python scripts/qc_criteria_doc.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
