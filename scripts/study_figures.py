"""Figures of the curated studies: counts by disease, source tissue, route and design, and
how many report a dose, a route, a model and an isolation method.

    python scripts/study_figures.py
"""

from __future__ import annotations

import sys
from collections import Counter

from evkg.model import NOT_REPORTED
from evkg.sources.curated.studies import read_studies
from evkg.vocab import load_vocabulary


def main() -> int:
    studies = [located.record for located in read_studies().studies]
    vocabulary = load_vocabulary()
    label = vocabulary.lexicon.label
    print(
        f"{len(studies)} primary studies; with PMID or DOI: "
        f"{sum(bool(s.pmid or s.doi) for s in studies)}; from the review's references: "
        f"{sum(bool(s.review_reference) for s in studies)}"
    )
    tables = {
        "disease": Counter(label(vocabulary.canonical_disease(s.disease)) for s in studies),
        "EV source": Counter(label(s.ev.source) for s in studies),
        "route": Counter(label(s.route) if s.route else NOT_REPORTED for s in studies),
        "design": Counter(s.design.value for s in studies),
        "outcome": Counter(s.outcome.value for s in studies),
    }
    for name, counts in tables.items():
        print(f"\nby {name} ({len(counts)} distinct)")
        for key, n in counts.most_common():
            print(f"  {n:4d}  {key}")
    reported = {
        "dose": sum(s.dose.reported != NOT_REPORTED for s in studies),
        "normalised dose": sum(s.dose.amount is not None for s in studies),
        "route": sum(s.route is not None for s in studies),
        "model (term or induction)": sum(
            bool(s.model.term) or s.model.induction != NOT_REPORTED or bool(s.model.population)
            for s in studies
        ),
        "isolation method": sum(
            any(m.value != "not_reported" for m in s.ev.isolation) for s in studies
        ),
        "group size": sum(s.n_per_group is not None or s.n_total is not None for s in studies),
        "cargo with necessity shown": sum(
            any(c.necessity.value == "shown" for c in s.cargo) for s in studies
        ),
    }
    print("\nreported")
    for name, n in reported.items():
        print(f"  {n:4d} / {len(studies)}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
