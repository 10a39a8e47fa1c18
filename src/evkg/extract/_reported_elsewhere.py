"""Sentences that are not the paper's own finding: what earlier work reported, what the
paper set out to test, and how it measured ("RT-PCR and western blotting were used to
evaluate the expression of IL-6, SMAD2 …").

A curator records a study's claims from its results, never from its background ("we
previously reported that MSC conditioned medium restored …", "MSCs can improve wound
healing; however …") or from its aim ("this study aimed to investigate whether MSC
exosomes alleviate …"): the first belongs to another paper, the second is a question. Such
sentences yield no claims; their mentions still inform the document's context (its EV
source, species, model).
"""

from __future__ import annotations

import re

#: Sections whose sentences state what is known before the study.
_BACKGROUND_SECTIONS = re.compile(
    r"^\s*(?:\d+[.)]?\s*)?(?:background|introduction|rationale|context|purpose|objectives?|aims?)"
    r"\b",
    re.IGNORECASE,
)
#: The study's own voice inside a background section ("In this study, we found …").
_OWN_FINDING = re.compile(
    r"\b(?:here(?:in)?|in\s+this\s+(?:study|work|report)|the\s+present\s+study|we\s+"
    r"(?:found|show\w*|demonstrat\w*|report|observed|identified|reveal\w*))\b",
    re.IGNORECASE,
)
_EARLIER_WORK = re.compile(
    r"\b(?:we\s+(?:have\s+)?previously|(?:our|a|the)\s+(?:previous|prior|earlier)\s+"
    r"(?:stud\w*|work|report\w*|findings?|results?)|previous\s+stud\w*|"
    r"(?:was|were)\s+previously\s+(?:shown|reported|found|demonstrated)|"
    r"we\s+and\s+others?(?:\s+\w+)?\s+(?:have\s+)?(?:shown|reported|found|demonstrated)|"
    r"(?:has|have)\s+(?:been|recently\s+been)\s+(?:widely\s+)?(?:shown|reported|suggested|"
    r"proposed|demonstrated|found|considered|studied|investigated|described)|"
    r"(?:is|are)\s+(?:considered|regarded|thought|believed|known)\s+(?:as|to)|"
    r"(?:recent|previous|several|many|numerous|accumulating|growing)\s+"
    r"(?:stud(?:y|ies)|evidence|reports?)\s+(?:ha(?:s|ve)|indicat\w*|suggest\w*|show\w*))",
    re.IGNORECASE,
)
#: "… were used to evaluate the expression of", "… was performed to detect", "… transfected
#: to study", "CCl4 was used to induce …": how something was measured or modelled, not what
#: was found.
_METHOD = re.compile(
    r"\b(?:(?:was|were)\s+(?:used|performed|applied|conducted|employed|carried\s+out|"
    r"constructed|established|generated)|transfected|co-?cultured)\s+to\s+(?:evaluate|detect|"
    r"measure|assess|determine|examine|analy[sz]e|quantify|investigate|study|explore|verify|"
    r"confirm|observe|induce|establish|create|generate|mimic|model)\b",
    re.IGNORECASE,
)
_AIM = re.compile(
    r"\b(?:(?:we|study|studies|work|experiments?)\s+(?:\w+\s+)?(?:aim(?:ed|s)?|sought|"
    r"set\s+out|(?:was|were)\s+designed|intended)\s+to|"
    r"the\s+(?:aim|goal|purpose|objective)\s+of\s+th(?:is|e\s+present)|"
    r"we\s+(?:hypothesi[sz]ed|investigated\s+(?:the\s+hypothesis|whether|if)|"
    r"asked\s+whether|tested\s+(?:the\s+hypothesis|whether|if))|"
    r"to\s+(?:determine|investigate|explore|examine|evaluate|assess|test)\s+(?:whether|if)|"
    r"(?:remains?|is|are)\s+(?:still\s+)?(?:unclear|unknown|elusive|poorly\s+understood))\b",
    re.IGNORECASE,
)


def reports_other_work(section: str, sentence: str) -> bool:
    """Does the sentence state earlier work, the study's aim or its method rather than its
    finding?

    Sentences of a background section count unless they speak in the study's own voice;
    elsewhere, the wording of earlier work or of an aim decides."""
    if _BACKGROUND_SECTIONS.match(section) and not _OWN_FINDING.search(sentence):
        return True
    return bool(_EARLIER_WORK.search(sentence) or _AIM.search(sentence) or _METHOD.search(sentence))
