"""Which documents can yield an EV or cargo claim: a test on text, and a cheaper screen on
the raw bytes of a PubMed/MEDLINE XML record that lets mining skip parsing the others.

About 97 % of MEDLINE abstracts mention no EV, vesicle, miRNA, secretome or stem/stromal
cell, so they cannot yield a claim. :func:`is_relevant` decides that on a document's text.
:func:`xml_record_may_be_relevant` decides it before the record is parsed, which is most of
what reading costs: it answers ``False`` only when no text of the record can pass
:func:`is_relevant`, so skipping such records loses nothing. It reads the record's bytes as
the PubMed DTD allows them to be: text in UTF-8 with inline ``<b>``, ``<i>``, ``<u>``,
``<sup>`` and ``<sub>`` markup; a record whose text might be hidden in any other way
(character references, CDATA, MathML, characters that case-fold onto ASCII letters) is
always passed on to be parsed.
"""

from __future__ import annotations

import re

__all__ = ["RELEVANT", "is_relevant", "xml_record_may_be_relevant"]

#: Documents without any of these words cannot yield an EV or cargo claim.
RELEVANT = re.compile(
    r"\bmi(?:R(?:[-\u2010-\u2015\d]|s\b|NA)|croRNA)|let-7|exos(?:om|\b)|vesicle|\bs?EVs?\b|"
    r"secretome|"
    r"stem\s+cell|stromal\s+cell",
    re.IGNORECASE,
)

# -- on text ------------------------------------------------------------------------------
#: Cheap necessary conditions of ``RELEVANT`` on case-folded text: each alternative of the
#: pattern as a substring, or as a pattern that starts with a literal (which ``re`` finds
#: fast). Characters that ``re.IGNORECASE`` equates with an ASCII letter but ``str.lower``
#: does not are folded first, so the test never rejects a text that ``RELEVANT`` accepts.
_RELEVANT_WORDS = ("mir", "microrna", "let-7", "exos", "vesicle", "secretome")
#: \bs?evs?\b ("EVs", "sEV"), with the literal first
_EV_WORD = re.compile(r"ev(?:(?<!\wev)|(?<=sev)(?<!\wsev))s?\b")
_STEM_CELL = re.compile(r"stem\s+cell")
_STROMAL_CELL = re.compile(r"stromal\s+cell")
_ODD_CASE = ("\u0130", "\u0131", "\u017f", "\u212a")  # İ ı ſ K (Kelvin sign)
_FOLD_ODD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def is_relevant(text: str) -> bool:
    """Whether ``RELEVANT`` occurs in ``text``: a fast screen on case-folded text first
    (about 97 % of MEDLINE abstracts stop there), the pattern itself to confirm.

    >>> is_relevant("MSC-derived EVs reduced fibrosis."), is_relevant("Gait in older adults.")
    (True, False)
    """
    folded = text
    if not text.isascii() and any(char in text for char in _ODD_CASE):
        folded = text.translate(_FOLD_ODD)
    folded = folded.lower()
    if not (
        any(word in folded for word in _RELEVANT_WORDS)
        or _EV_WORD.search(folded)
        or ("stem" in folded and _STEM_CELL.search(folded))
        or ("stromal" in folded and _STROMAL_CELL.search(folded))
    ):
        return False
    return RELEVANT.search(text) is not None


# -- on the bytes of a PubMed/MEDLINE XML record ------------------------------------------
#: Markup that hides text from a byte search: character references (``&#956;``), CDATA,
#: MathML and display formulae, and the UTF-8 of İ ı ſ (\xc4\xb0, \xc4\xb1, \xc5\xbf),
#: which ``re.IGNORECASE`` matches with i, i and s (the Kelvin sign matches k, which no word
#: of ``RELEVANT`` has). A title or abstract with any of them is always parsed (for İ and ı,
#: any \xc4 lead byte: Latin Extended-A letters are rare enough).
_HIDING_MARKUP = re.compile(rb"<(?:!|mml:|dispformula)")
#: The inline markup the DTD allows in titles and abstracts: parsing joins the text on
#: either side of it, so the screen deletes it (from the lower-cased bytes).
_INLINE = re.compile(rb"</?(?:b|i|u|sup|sub)>")
#: Every character ``\s`` matches (and every one ``str.split`` splits on), in UTF-8: the
#: whitespace of "stem cell" may be any of them (a test checks the list against Python's).
_SPACE = (
    rb"(?:[\t\n\x0b\x0c\r\x1c-\x1f ]|\xc2[\x85\xa0]|\xe1\x9a\x80"
    rb"|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80)+"
)
_AFTER_TAG = (b">", b" ", b"\t", b"\n", b"\r", b"/")
_ANY_TAG = re.compile(rb"<[^>]*>")
_ALPHANUMERIC = re.compile(rb"[A-Za-z0-9]")
#: ``\bmi(?:R(?:[-‐-―\d]|s\b|NA)|croRNA)`` widened to bytes: any non-ASCII byte may begin a
#: dash or a digit, and the word boundaries are dropped (both only admit more records).
_MIRNA_BYTES = re.compile(rb"mi(?:r(?:[-0-9\x80-\xff]|s|na)|crorna)")
#: ``\bs?EVs?\b``: a non-ASCII neighbour counts as a boundary here, which only admits more.
_EV_BYTES = re.compile(rb"ev(?:(?<![a-z0-9_]ev)|(?<=sev)(?<![a-z0-9_]sev))s?(?![a-z0-9_])")
_STEM_CELL_BYTES = re.compile(rb"stem" + _SPACE + rb"cell")
_STROMAL_CELL_BYTES = re.compile(rb"stromal" + _SPACE + rb"cell")


def _element_bytes(record: bytes, tag: bytes, *, last: bool = False) -> bytes:
    """The bytes of the first element ``tag`` of ``record`` up to its end tag (to the last
    end tag if ``last``), or nothing."""
    opening = b"<" + tag
    begin = record.find(opening)
    while begin >= 0 and record[begin + len(opening) : begin + len(opening) + 1] not in _AFTER_TAG:
        begin = record.find(opening, begin + 1)  # a longer name such as <AbstractText
    if begin < 0:
        return b""
    closing = b"</" + tag + b">"
    end = record.rfind(closing) if last else record.find(closing, begin)
    return record[begin:] if end < begin else record[begin:end]


def xml_record_may_be_relevant(record: bytes) -> bool:
    """``False`` only if no title or abstract text of this PubMed/MEDLINE XML record (its
    bytes as cut from the file) can pass :func:`is_relevant`: such a record need not be
    parsed. A record with neither element is passed on (parsing reports it). A title
    without letters or digits brings in the vernacular title, as in the reader.

    >>> xml_record_may_be_relevant(b"<ArticleTitle>MSC <i>EV</i>s in sepsis</ArticleTitle>")
    True
    >>> xml_record_may_be_relevant(b"<ArticleTitle>Gait in older adults</ArticleTitle>")
    False
    """
    title = _element_bytes(record, b"ArticleTitle")
    if not _ALPHANUMERIC.search(_ANY_TAG.sub(b"", title)):  # then the reader falls back on
        title += b"\n" + _element_bytes(record, b"VernacularTitle")  # the vernacular title
        title = title.strip()
    abstract = _element_bytes(record, b"Abstract", last=True)
    if not (title or abstract):
        return True
    text = (title + b"\n" + abstract).lower()
    if (
        (b"&" in text and b"&#" in text)
        or _HIDING_MARKUP.search(text)
        or (not text.isascii() and (b"\xc4" in text or b"\xc5\xbf" in text))
    ):
        return True
    text = _INLINE.sub(b"", text)
    return bool(
        b"exos" in text
        or b"vesicle" in text
        or b"secretome" in text
        or b"let-7" in text
        or _MIRNA_BYTES.search(text)
        or _EV_BYTES.search(text)
        or (b"stem" in text and _STEM_CELL_BYTES.search(text))
        or (b"stromal" in text and _STROMAL_CELL_BYTES.search(text))
    )
