"""Proposed strategies: untested combinations of parts that worked, with their support."""

from __future__ import annotations

from evkg.analysis.proposals import propose_strategies
from evkg.analysis.strategies import Strategy, StrategyKey
from evkg.model import Outcome

UC, BM = "evkg.source:uc-msc", "evkg.source:bm-msc"
HYPOXIA = "evkg.mod:hypoxia-preconditioning"
OVEREXPRESSION = "evkg.mod:gene-overexpression"
IV, LOCAL = "evkg.route:intravenous", "evkg.route:local-injection"
MIR = "mirbase.mature:MIMAT0000449"


def _strategy(
    source: str | None,
    mods: tuple[str, ...],
    route: str | None,
    refs: tuple[str, ...],
    *,
    agent: str | None = None,
    strength: str = "in_vivo",
    direction: Outcome = Outcome.BENEFICIAL,
) -> Strategy:
    key = StrategyKey(source, mods, agent or source or "evkg.source:msc", route)
    return Strategy(key, direction, strength, len(refs), refs, 1.0, 2020, 0.0, (), (), (), (), ())


def _label(curie: str | None) -> str:
    return (curie or "").rsplit(":", 1)[-1]


def _propose(strategies: list[Strategy]):  # type: ignore[no-untyped-def]
    return propose_strategies(
        strategies,
        disease_label="AKI",
        label=_label,
        summary=lambda s: f"{_label(s.key.ev_source)}/{_label(s.key.route)}",
    )


def test_untested_combinations_of_supported_parts() -> None:
    tested = [
        _strategy(UC, (HYPOXIA,), LOCAL, ("pubmed:1",)),
        _strategy(BM, (), IV, ("pubmed:2", "pubmed:3"), strength="in_vivo_replicated"),
    ]
    proposals = _propose(tested)
    summaries = [p.summary for p in proposals]
    # hypoxia-primed UC-MSC EVs given intravenously: each part worked, the whole never tested
    assert "uc-msc × hypoxia-preconditioning × whole EVs × intravenous" in summaries
    assert "uc-msc × hypoxia-preconditioning × whole EVs × local-injection" not in summaries
    assert "bm-msc × unmodified × whole EVs × intravenous" not in summaries
    chosen = next(p for p in proposals if p.summary.startswith("uc-msc × hypoxia"))
    assert chosen.untested.startswith("no study of uc-msc × hypoxia")
    assert chosen.untested.endswith("in AKI")
    assert chosen.shared_with_nearest == 3
    assert "route: intravenous instead of local-injection" in chosen.nearest
    assert {p.dimension for p in chosen.parts} == {"source", "modification", "agent", "route"}
    assert [p.rank for p in proposals] == list(range(1, len(proposals) + 1))
    # the proposal whose weakest part has more evidence ranks higher
    scores = [p.score for p in proposals]
    assert scores == sorted(scores, reverse=True)


def test_what_cannot_be_proposed() -> None:
    tested = [
        _strategy(UC, (OVEREXPRESSION,), LOCAL, ("pubmed:1",), agent=MIR),
        _strategy(BM, (), IV, ("pubmed:2",)),
        _strategy(None, (), None, ("pubmed:3",)),  # unreported source and route
        _strategy(UC, (), LOCAL, ("pubmed:4",), direction=Outcome.DETRIMENTAL),
    ]
    proposals = _propose(tested)
    for proposal in proposals:
        values = [p.value for p in proposal.parts]
        assert None not in (values[0], values[3])  # unreported is never a choice
        assert not (values[1] == OVEREXPRESSION and values[2] is None)  # engineered whole EVs
    assert _propose(tested[:1]) == ()  # one beneficial strategy: nothing to combine
    # a study that did not report its route may have tested the combination: not proposed
    maybe = [
        _strategy(UC, (), None, ("pubmed:5",)),
        _strategy(BM, (), IV, ("pubmed:6",)),
        _strategy(UC, (), LOCAL, ("pubmed:7",)),
    ]
    assert "uc-msc × unmodified × whole EVs × intravenous" not in [
        p.summary for p in _propose(maybe)
    ]
