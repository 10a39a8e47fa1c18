"""The byte screen that lets mining skip parsing PubMed records that cannot be about EVs or
cargo: it must never reject a record whose parsed text is relevant, and mining with it must
give exactly the store that parsing every record gives."""

from __future__ import annotations

import random
import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from evkg.api.mining import WorkerConfig, mine
from evkg.extract.relevance import _SPACE, is_relevant, xml_record_may_be_relevant
from evkg.sources.pubmed.reader import iter_pubmed_bytes, iter_records, open_maybe_gzip
from evkg.sources.text import Document
from evkg.store import SqlStore

FIXTURES = Path(__file__).parent / "fixtures" / "mining"


def _record(title: str, abstract: str, *, pmid: int = 1) -> bytes:
    """A PubMed record whose title and abstract are given as XML (markup allowed)."""
    return (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><Journal><JournalIssue>"
        f"<PubDate><Year>2021</Year></PubDate></JournalIssue><Title>J</Title></Journal>"
        f'<ArticleTitle>{title}</ArticleTitle><Abstract><AbstractText Label="AIMS">'
        f"{abstract}</AbstractText></Abstract><AuthorList><Author><LastName>Vladimir</LastName>"
        f"<Initials>A</Initials></Author></AuthorList></Article><MeshHeadingList><MeshHeading>"
        f"<DescriptorName>Gait</DescriptorName></MeshHeading></MeshHeadingList>"
        f"</MedlineCitation></PubmedArticle>"
    ).encode()


def _parsed_relevant(record: bytes) -> bool:
    root = b"MedlineCitationSet" if record.startswith(b"<MedlineCitation") else b"PubmedArticleSet"
    (document,) = iter_pubmed_bytes(b"<%s>%s</%s>" % (root, record, root), "t")
    if not isinstance(document, Document):  # e.g. a blank title and abstract
        return False
    return any(is_relevant(section.text) for section in document.sections)


def test_screen_examples() -> None:
    assert not xml_record_may_be_relevant(_record("Gait in older adults", "Falls rose."))
    assert xml_record_may_be_relevant(_record("MSC <i>EV</i>s in sepsis", "Mice lived."))
    assert xml_record_may_be_relevant(_record("A study", "mi<sup>R</sup>-21 rose."))
    assert xml_record_may_be_relevant(_record("A study", "stem\u00a0 \n cells grew."))
    assert xml_record_may_be_relevant(_record("A study", "&#x6d;iR-21 rose."))  # hidden "m"
    # papers that name their vesicles only by abbreviation
    assert xml_record_may_be_relevant(_record("BMSC-Exos in colitis", "Mice lived."))
    assert xml_record_may_be_relevant(_record("A study", "UC-sEVs lowered IL-6."))
    assert is_relevant("BMSC-Exos lowered IL-6.")
    assert is_relevant("hUC-sEVs helped.")
    assert not is_relevant("Several exostoses were seen.")
    # words outside the title and abstract (an author "Vladimir", MeSH terms) do not count
    assert not xml_record_may_be_relevant(_record("Gait", "Casimir effect; EVENT rates."))
    # without a title or an abstract the record is parsed, so that parsing reports it
    assert xml_record_may_be_relevant(b"<PubmedArticle><PMID>1</PMID></PubmedArticle>")


def test_space_class_is_every_character_python_treats_as_whitespace() -> None:
    space, python_space = re.compile(_SPACE + b"$"), re.compile(r"\s")
    for code in range(0x110000):
        char = chr(code)
        is_space = bool(python_space.fullmatch(char)) or char.isspace()
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates have no UTF-8
        assert bool(space.match(char.encode())) == is_space, hex(code)


def test_only_known_letters_fold_onto_the_ascii_of_the_pattern() -> None:
    """İ, ı and ſ are the only non-ASCII characters ``re.IGNORECASE`` matches with a letter
    of the relevance words (the screen passes records that contain them)."""
    letters = re.compile("[" + "".join(set("micrornaletxosvstemcellstromalsecretome")) + "]", re.I)
    odd = {chr(code) for code in range(0x80, 0x110000) if letters.fullmatch(chr(code))}
    assert odd == {"\u0130", "\u0131", "\u017f"}


_PIECES = [
    *"mirRIcoMNAaletLET-7xsSvVdup .,;()_é0123456789",
    "EV",
    "eVs",
    "İ",
    "ı",
    "ſ",
    "\u00a0",
    "\u2009",
    "\u2010",
    "\n",
    "miR",
    "MicroRNA",
    "ſtem cell",
    "STEM\u00a0CELL",
    "stromal",
    " cell",
    "exoſom",
    "vesıcle",
    "secretome",
    "sEV",
    "levs",
    "_ev",
    "<i>",
    "</i>",
    "<sup>",
    "</sup>",
    "<b>",
    "</b>",
    "&amp;",
    "&lt;",
    "&#x2009;",
    "&#77;",
]


def _random_markup(generator: random.Random) -> str:
    """Text with balanced inline tags and escapes, as the DTD allows it."""
    out: list[str] = []
    open_tags: list[str] = []
    for _ in range(generator.randint(0, 12)):
        piece = generator.choice(_PIECES)
        if piece.startswith("</"):
            if open_tags:
                out.append(f"</{open_tags.pop()}>")
        elif piece.startswith("<"):
            open_tags.append(piece[1:-1])
            out.append(piece)
        elif piece.startswith("&"):
            out.append(piece)
        else:
            out.append(escape(piece))
    out += [f"</{tag}>" for tag in reversed(open_tags)]
    return "".join(out)


def test_screen_never_rejects_a_record_whose_parsed_text_is_relevant() -> None:
    generator = random.Random(5)
    relevant = 0
    for _ in range(4_000):
        title = _random_markup(generator) or "T"
        record = _record(title, _random_markup(generator))
        if _parsed_relevant(record):
            relevant += 1
            assert xml_record_may_be_relevant(record), record
    assert relevant > 400  # the generator does make relevant records


def test_screen_on_the_real_medline_sample(data_dir: Path) -> None:
    sample = data_dir / "pubmed" / "medline16n0902_sample605.xml.gz"
    with open_maybe_gzip(sample) as handle:
        records = [item[1] for item in iter_records(handle, sample.name) if isinstance(item, tuple)]
    passed = relevant = 0
    for record in records:
        is_relevant_record = _parsed_relevant(record)
        screened_in = xml_record_may_be_relevant(record)
        assert screened_in or not is_relevant_record, record[:300]
        passed += screened_in
        relevant += is_relevant_record
    assert relevant >= 10
    assert passed <= 2 * relevant  # the screen is nearly as selective as the text test


def _store_contents(url: str) -> tuple[list[str], list[str], list[str]]:
    store = SqlStore(url)
    rows = (
        [r[0] for r in store.execute_sql(f"SELECT {column} FROM {table} ORDER BY 1")]
        for table, column in (("claims", "hash"), ("evidence", "hash"), ('"references"', "curie"))
    )
    contents = (next(rows), next(rows), next(rows))
    store.dispose()
    return contents


def test_mining_with_the_screen_equals_parsing_every_record(tmp_path: Path) -> None:
    """Same claims, evidence and references; only broken markup in a record that cannot be
    about EVs goes unreported (and ``parse_every_record`` reports it)."""
    broken_irrelevant = _record("Gait <b>speed", "Falls rose.", pmid=7)  # unclosed <b>
    broken_relevant = _record("MSC exosomes <b>heal", "Mice lived.", pmid=8)
    corpus = tmp_path / "corpus.xml"
    corpus.write_bytes(
        b"<PubmedArticleSet>"
        + b"".join(
            [
                _record("Gait", "Falls.", pmid=5),
                broken_irrelevant,
                broken_relevant,
                (FIXTURES / "pubmed_small.xml").read_bytes().split(b"<PubmedArticleSet>")[1],
            ]
        )
    )
    runs = {}
    for every in (False, True):
        url = f"sqlite:///{tmp_path / f'{every}.sqlite'}"
        config = WorkerConfig(parse_every_record=every)
        summary = mine([corpus], store=SqlStore(url), config=config, workers=1)
        runs[every] = (summary, _store_contents(url))
    (screened, screened_store), (parsed, parsed_store) = runs[False], runs[True]
    assert screened_store == parsed_store
    assert screened_store[0]  # claims were mined
    assert (screened.relevant_documents, screened.sentences) == (
        parsed.relevant_documents,
        parsed.sentences,
    )
    # every record is a document or an error; broken ones are counted unparsed when screened
    records = screened.documents + len(screened.errors)
    assert records == parsed.documents + len(parsed.errors)
    assert parsed.documents < screened.documents
    assert screened.documents_unparsed >= 2
    assert parsed.documents_unparsed == 0
    # the two broken records written above are on line 1 (the fixture's follow)
    assert sum("line 1:" in e and "malformed XML" in e for e in parsed.errors) == 2
    assert sum("line 1:" in e and "malformed XML" in e for e in screened.errors) == 1


@pytest.mark.parametrize("every", [False, True])
def test_reading_mode_is_part_of_the_resume_fingerprint(tmp_path: Path, every: bool) -> None:
    """A file mined in one mode is mined again (and merges to nothing new) in the other:
    batch numbering differs between the modes, so finished batches must not be mixed."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    first = mine(
        [FIXTURES], store=SqlStore(url), config=WorkerConfig(parse_every_record=every), workers=1
    )
    again = mine(
        [FIXTURES], store=SqlStore(url), config=WorkerConfig(parse_every_record=every), workers=1
    )
    other = mine(
        [FIXTURES],
        store=SqlStore(url),
        config=WorkerConfig(parse_every_record=not every),
        workers=1,
    )
    assert first.claims_new > 0
    assert again.files_skipped == again.files
    assert other.files_skipped == 0
    assert (other.claims_new, other.evidence_new) == (0, 0)
