""" "These miRNAs": a paper that lists the miRNAs its vesicles carry ("miR-21, -23a, -125b
and -145") and then says what "these specific exosomal miRNAs" do means the listed ones. The
generic mention (or the bare words) is read as each miRNA of the last sentence that named two
or more, so that what the paper shows of them is credited to them and not to "EV-borne
microRNAs" in general."""

from __future__ import annotations

import re
from collections.abc import Sequence

from evkg.extract.ner import Mention
from evkg.model import EntityKind

__all__ = ["resolve_mirna_anaphora"]

_MIRNA = EntityKind.MIRNA.value
#: "these (specific) (exosomal) miRNAs", "those microRNAs", "the above miRNAs"
_ANAPHOR = re.compile(
    r"\b(?:these|those|the\s+above|the\s+(?:four|three|two|five|six)|such)\s+"
    r"(?:[\w-]+\s+){0,2}?(?P<words>(?:exosomal\s+|EV\s+)?(?:mi(?:cro)?RNAs|miRs))\b",
    re.IGNORECASE,
)


def resolve_mirna_anaphora(sentences: Sequence[tuple[str, list[Mention]]]) -> list[list[Mention]]:
    """Each sentence's mentions, an anaphoric "these miRNAs" replaced by the miRNAs of the
    last earlier sentence that named two or more (each at the anaphor's span)."""
    result: list[list[Mention]] = []
    listed: list[Mention] = []
    for text, mentions in sentences:
        resolved = mentions
        if listed:
            for found in _ANAPHOR.finditer(text):
                start, end = found.start("words"), found.end("words")
                named = any(m.kind == _MIRNA and m.curies for m in mentions)
                if named:
                    break  # the sentence names its own miRNAs
                kept = [m for m in resolved if not (m.start < end and start < m.end)]
                standing = [
                    Mention(start, end, text[start:end], _MIRNA, m.curies, "pattern")
                    for m in listed
                ]
                resolved = sorted(kept + standing, key=lambda m: m.start)
        named_here = [m for m in mentions if m.kind == _MIRNA and m.curies]
        if len({m.curies for m in named_here}) >= 2:
            listed = named_here
        result.append(resolved)
    return result
