"""Therapeutic statements about a named cargo whose disease is not in the sentence but in
its section heading or the title it cites: review-statement evidence that says where the
disease came from. Vesicles alone are not credited this way: a review's sentence about
"MSC-EVs" under a heading is mostly a general remark."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from evkg.extract.context import Discourse, DiscourseDisease
from evkg.extract.ner import EV, Mention
from evkg.extract.relations import PairVerdict, classify_agent_effect
from evkg.model import EntityKind

__all__ = ["heading_readings"]

_VESICLE_KINDS = (EV, EntityKind.EV_SOURCE.value)


def heading_readings(
    section: str,
    text: str,
    agents: Sequence[Mention],
    bound: Mapping[int, Sequence[Mention]],
    discourse: Discourse,
) -> Iterator[tuple[Mention, PairVerdict, DiscourseDisease]]:
    """Each cargo agent of the sentence with what it does to the heading's (or cited
    title's) disease; ``bound``: the cargo named in each vesicle mention's phrase, by the
    ``id`` of the vesicle mention."""
    cargo_agents = [a for a in agents if a.kind not in _VESICLE_KINDS]
    if not cargo_agents:
        return
    found = discourse.disease_for(section, text)
    if found is None:
        return
    vesicle_of = {id(c): v for v in agents for c in bound.get(id(v), ())}
    for agent in cargo_agents:
        vesicle = vesicle_of.get(id(agent))
        span = (agent.start, max(agent.end, vesicle.end if vesicle else agent.end))
        verdict = classify_agent_effect(text, span)
        if verdict is not None:
            yield agent, verdict, found
