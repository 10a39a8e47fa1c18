"""The record every literature reader yields: a document as titled sections of text."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from evkg.model import Reference

__all__ = [
    "Bibliography",
    "CitedReference",
    "Document",
    "ReadProblem",
    "Section",
    "Table",
    "UnreadRecord",
]


@dataclass(frozen=True, slots=True)
class Section:
    """One titled block of text (title, abstract part, body section, paragraph)."""

    name: str
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """A table read cell by cell: its label ("Table 2"), caption, header cells, rows of
    cells and footnotes, and the section it stands in.

    A row whose cells could not be told apart (a text table whose cells run together) is
    one cell holding the whole row: the extractor then reads it by what its names are.
    """

    label: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    footnotes: tuple[str, ...] = ()
    section: str = ""


@dataclass(frozen=True, slots=True)
class Bibliography:
    """Bibliographic fields as a reader found them; validated into a :class:`Reference` only
    for documents that yield claims (validation costs more than reading)."""

    authors: tuple[str, ...]
    year: int
    title: str
    journal: str
    volume: str | None = None
    pages: str | None = None
    pmid: str | None = None
    doi: str | None = None
    note: str | None = None

    def reference(self, curie: str) -> Reference | str:
        """The :class:`Reference` for ``curie``, or why these fields do not make one."""
        try:
            return Reference(
                id=curie,
                authors=self.authors[:50] or ("[no authors listed]",),
                et_al=len(self.authors) > 50,
                year=self.year,
                title=self.title,
                journal=self.journal,
                volume=self.volume,
                pages=self.pages,
                pmid=self.pmid,
                doi=self.doi,
                note=self.note,
            )
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            return f"invalid {field}: {first['msg']}"


@dataclass(frozen=True, slots=True)
class CitedReference:
    """One numbered entry of a document's reference list.

    ``number`` is the label the running text cites (``[24]`` cites number ``"24"``);
    ``title`` is the cited work's title as far as the entry's layout shows it (the whole
    entry when no author/title/journal split is recognisable).
    """

    number: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    """A document ready for mining.

    ``id`` is the CURIE evidence cites (``pubmed:…`` or ``evkg.ref:…``); ``bibliography``
    becomes the :class:`Reference` stored with the evidence, so that citations render.
    ``cited`` is the document's own numbered reference list (empty when the reader found
    none); its titles are also sections, named ``"<heading> [<number>]"``, so that claims
    stated by a cited title are mined and say where they came from. ``tables`` are the
    document's tables read cell by cell; their text is in no section, so that a row's
    names are related only to names of the same row.
    """

    id: str
    sections: tuple[Section, ...]
    bibliography: Bibliography | None = None
    origin: str = ""  # file and line the document was read from
    cited: tuple[CitedReference, ...] = ()
    tables: tuple[Table, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(section.text for section in self.sections)


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """A record a reader skipped, with where and why. ``stops_reading``: the reader could
    not go on past this point (a damaged, truncated or foreign file), so what follows in
    the file was not read."""

    origin: str
    reason: str
    stops_reading: bool = False

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass(frozen=True, slots=True)
class UnreadRecord:
    """A record a reader counted but did not parse, because a screen the caller gave it
    found that the record's text cannot matter (see ``evkg.extract.relevance``)."""

    origin: str
