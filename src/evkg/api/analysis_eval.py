"""Leave-one-study-out evaluation of indication prediction (``evkg eval analysis``).

Each curated study that names miRNA or protein cargo becomes a case: its cargo is analysed
against the knowledge without that study's evidence, and the rank of the study's disease is
read from the raw and the calibrated indication orders of the same run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evkg.analysis import AnalysisSettings, CargoProfile, analyse_profile
from evkg.analysis.calibration import DrawPools
from evkg.analysis.heldout import (
    HeldOutCase,
    HeldOutSummary,
    case_profile,
    rank_of,
    raw_order,
    summarise,
    without_reference,
)
from evkg.analysis.profile import ProfileItem
from evkg.api.analysis import claims_for_analysis, load_resources, orthologs, reference_data_dir
from evkg.api.service import Knowledge
from evkg.store import StudyFilter

__all__ = ["EVAL_SETTINGS", "ControlRun", "evaluate_controls", "evaluate_indications"]

#: The pathway null is skipped (it does not change indication scores' order much and costs
#: most of the time); indications are calibrated with 100 random profiles per case.
EVAL_SETTINGS = AnalysisSettings(draws=0, indication_draws=100)


def evaluate_indications(
    knowledge: Knowledge,
    *,
    data_dir: Path | None = None,
    draws: int = EVAL_SETTINGS.indication_draws,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> HeldOutSummary:
    """Rank of each held-out study's disease among the indications for its cargo.

    ``limit`` evaluates the first N cases (studies in id order); ``progress(done, total)``
    is called after each case."""
    vocabulary = knowledge.vocabulary
    studies = sorted(knowledge.store.studies(StudyFilter()), key=lambda s: s.id)
    cases = []
    skipped = 0
    for study in studies:
        profile = case_profile(study, knowledge.label)
        if profile is None:
            skipped += 1
        else:
            cases.append((study, profile))
    if limit is not None:
        cases = cases[:limit]
    resources = load_resources(vocabulary, reference_data_dir(data_dir))
    related = {study.id: orthologs(profile, vocabulary) for study, profile in cases}
    curies = {
        curie
        for study, profile in cases
        for item in profile.items
        for curie in (item.curie, *related[study.id].get(item.curie, ()))
    }
    claims = claims_for_analysis(knowledge, curies)
    settings = AnalysisSettings(**{**EVAL_SETTINGS.__dict__, "indication_draws": draws})
    results = []
    for done, (study, profile) in enumerate(cases, start=1):
        analysis = analyse_profile(
            profile,
            resources,
            without_reference(claims, study.reference_id),
            settings=settings,
            orthologs=related[study.id],
            label=knowledge.label,
        )
        canonical = vocabulary.canonical_disease
        calibrated = list(analysis.indications)
        results.append(
            HeldOutCase(
                study.id,
                study.disease,
                knowledge.label(study.disease),
                tuple(item.label for item in profile.items),
                rank_of(raw_order(calibrated), study.disease, canonical),
                rank_of(calibrated, study.disease, canonical) if draws > 0 else None,
                sum(1 for i in calibrated if i.score > 0),
            )
        )
        if progress is not None:
            progress(done, len(cases))
    return summarise(results, skipped=skipped, draws=draws)


@dataclass(frozen=True)
class ControlRun:
    """Indications for random miRNA sets (profiles with no reason to treat anything)."""

    profiles: int
    size: int
    draws: int
    mean_returned: float  # indications with a positive raw score, per profile
    mean_above_random: float  # of which p < ``alpha`` (the group listed first)
    mean_significant: float  # of which calibrated q < ``q_threshold``
    with_any_significant: int  # profiles with at least one
    q_threshold: float


def evaluate_controls(
    knowledge: Knowledge,
    *,
    data_dir: Path | None = None,
    profiles: int = 20,
    size: int = 10,
    draws: int = EVAL_SETTINGS.indication_draws,
    seed: int = 1,
    q_threshold: float = 0.1,
    progress: Callable[[int, int], None] | None = None,
) -> ControlRun | None:
    """How often random human miRNA sets of ``size`` (drawn uniformly from the miRNAs with
    validated targets, equal abundance) get indications, raw and calibrated. None without
    the interaction table."""
    resources = load_resources(knowledge.vocabulary, reference_data_dir(data_dir))
    settings = AnalysisSettings(**{**EVAL_SETTINGS.__dict__, "indication_draws": draws})
    pools = DrawPools.build(resources.targets, (), species="hsa", tiers=settings.tiers)
    if not pools.mirna_bin:
        return None
    rng = np.random.default_rng(seed)
    pool = sorted(pools.mirna_bin)
    drawn = []
    for n in range(profiles):
        picks = rng.choice(len(pool), size=min(size, len(pool)), replace=False)
        items = tuple(
            ProfileItem(pool[int(i)], knowledge.label(pool[int(i)]), "mirna", 1 / size, "")
            for i in picks
        )
        drawn.append(CargoProfile(f"control {n + 1}", "hsa", items))
    curies = {item.curie for profile in drawn for item in profile.items}
    claims = claims_for_analysis(knowledge, curies)
    returned, above, significant, any_significant = [], [], [], 0
    for done, profile in enumerate(drawn, start=1):
        analysis = analyse_profile(
            profile,
            resources,
            claims,
            settings=settings,
            orthologs=orthologs(profile, knowledge.vocabulary),
            label=knowledge.label,
        )
        positive = [i for i in analysis.indications if i.score > 0]
        passing = [i for i in positive if i.null_q is not None and i.null_q < q_threshold]
        returned.append(len(positive))
        above.append(sum(1 for i in positive if i.null_p is not None and i.null_p < settings.alpha))
        significant.append(len(passing))
        any_significant += bool(passing)
        if progress is not None:
            progress(done, profiles)
    return ControlRun(
        profiles,
        size,
        draws,
        round(float(np.mean(returned)), 2),
        round(float(np.mean(above)), 2),
        round(float(np.mean(significant)), 2),
        any_significant,
        q_threshold,
    )
