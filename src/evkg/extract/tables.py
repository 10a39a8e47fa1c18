"""Claims from the rows of a table: a review's table states a relation in each row without
a verb ("BM-MSC | miR-21-5p | PTEN | myocardial infarction | reduced apoptosis").

Each column's role comes from its header (:mod:`evkg.vocab.columns`); each cell is read
for the names of its role, and a row whose cells could not be told apart is read by what
its names are. The caption's (and header's) disease, EV source and species stand for every
row that names none. A row gives:

* the EV source ``carries`` the cargo;
* the cargo ``regulates_down`` (``regulates_up`` with "↑", "upregulated"…) a gene target,
  ``inhibits``/``activates``/``modulates`` a pathway or process target;
* the cargo (the vesicles, when the row names no cargo) ``treats`` or ``worsens`` the
  disease, from the effect's words ("attenuated", "improved", "↓ fibrosis"; "promoted
  tumour growth").

Rows never mix: every name of a claim comes from its own row or from the caption. Each
claim's quote is the row rendered as text under the table's label.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from evkg.extract._table_rows import (
    CANCER,
    Regulation,
    Row,
    RowReader,
    citations,
    clean_cell,
    disease_direction,
    footnote_abbreviations,
    gene_direction,
    pathway_direction,
)
from evkg.extract.context import DocumentContext, sentence_level
from evkg.extract.ner import EV, Mention, Recognizer
from evkg.model import (
    CargoType,
    Claim,
    Context,
    EntityKind,
    Evidence,
    EvidenceLevel,
    EvidenceMethod,
    Predicate,
)
from evkg.vocab.columns import column_role

__all__ = ["TableLike", "named_curies", "table_statements", "table_text"]

_MIRNA = EntityKind.MIRNA.value
_CARGO = EntityKind.CARGO.value
_GENE = EntityKind.GENE.value
_DISEASE = EntityKind.DISEASE.value
_SOURCE = EntityKind.EV_SOURCE.value
_PATHWAY = EntityKind.PATHWAY.value
_PROCESS = EntityKind.PROCESS.value
_SPECIES = EntityKind.SPECIES.value
_CARGO_TYPES = {_MIRNA: CargoType.MIRNA, _GENE: CargoType.PROTEIN}


class TableLike(Protocol):
    """What the extractor needs of a table (``evkg.sources.text.Table`` has it)."""

    @property
    def label(self) -> str: ...

    @property
    def caption(self) -> str: ...

    @property
    def header(self) -> Sequence[str]: ...

    @property
    def rows(self) -> Sequence[Sequence[str]]: ...

    @property
    def footnotes(self) -> Sequence[str]: ...

    @property
    def section(self) -> str: ...


def table_text(table: TableLike) -> str:
    """All the text of a table (for the relevance screen)."""
    cells = [c for row in table.rows for c in row]
    return " ".join([table.caption, *table.header, *cells])


def named_curies(statements: list[tuple[Claim, Evidence]]) -> set[str]:
    """The identifiers the claims name (subject, object, EV source, species)."""
    return {
        curie
        for claim, _ in statements
        for curie in (claim.subject, claim.object, claim.context.ev_source, claim.context.species)
        if curie
    }


def _kinds(mentions: list[Mention], *kinds: str) -> list[Mention]:
    return [m for m in mentions if m.kind in kinds and m.curie]


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    kept = []
    for mention in mentions:
        if mention.curie and mention.curie not in seen:
            seen.add(mention.curie)
            kept.append(mention)
    return kept


@dataclass(frozen=True)
class _TableContext:
    label: str
    section: str
    sources: list[Mention]
    diseases: list[Mention]
    species: str | None
    level: EvidenceLevel
    ev_source: str | None


def _quote(label: str, header: Sequence[str], cells: Sequence[str]) -> str:
    if len(cells) == 1 and len(header) > 1:
        body = f"{' | '.join(h for h in header if h)}: {cells[0]}"
    else:
        body = "; ".join(
            f"{h}: {c}" if h else c for h, c in zip(header, cells, strict=False) if c
        ) or " | ".join(cells)
    return f"{label or 'Table'} row: {body}"


def table_statements(
    recognizer: Recognizer,
    document_id: str,
    table: TableLike,
    context: DocumentContext,
    *,
    species: str,
    extractor: str,
    abbreviations: Iterable[tuple[str, str]] = (),
    regulation: Regulation | None = None,
) -> list[tuple[Claim, Evidence]]:
    """Claims (with evidence) of every row of ``table``. ``species``: the miRBase code bare
    miRNA names are read in; ``extractor``: the extractor's name and version;
    ``abbreviations``: those the document defines (the table's footnotes add theirs);
    ``regulation``: the extractor's miRNA → gene classifier, for rows that state one in
    words."""
    defined = (*abbreviations, *footnote_abbreviations(table.footnotes))
    reader = RowReader(recognizer, recognizer.vocabulary, species, tuple(defined), regulation)
    header = [clean_cell(h) for h in table.header]
    roles = [column_role(h) for h in header]
    caption = clean_cell(table.caption)
    above = reader.mentions(f"{caption} ; {' ; '.join(header)}")
    caption_diseases = _unique(_kinds(above, _DISEASE))
    caption_species = _kinds(above, _SPECIES)
    table_context = _TableContext(
        label=table.label,
        section=(f"{table.label}. {caption}" if table.label else caption or "Table")[:200],
        sources=_unique(_kinds(above, _SOURCE)),
        diseases=caption_diseases[:1] if len(caption_diseases) == 1 else [],
        species=caption_species[0].curie if caption_species else context.species,
        level=sentence_level(caption, context.level),
        ev_source=context.ev_source if context.is_ev else None,
    )
    statements: list[tuple[Claim, Evidence]] = []
    seen: set[str] = set()
    above_row: Row | None = None
    for number, raw in enumerate(table.rows, start=1):
        cells = [clean_cell(c) for c in raw]
        if not any(cells):
            continue
        whole = len(cells) == 1 and len(header) > 1
        row = reader.whole(roles, cells[0]) if whole else reader.cells(roles, cells)
        row = _spanned(row, above_row, roles, cells, whole)
        above_row = row
        quote = _quote(table.label, header, cells)
        for claim, evidence in _row_claims(
            row, table_context, document_id, quote, citations(raw), number, extractor
        ):
            if evidence.hash not in seen:
                seen.add(evidence.hash)
                statements.append((claim, evidence))
    return statements


def _spanned(
    row: Row, above: Row | None, roles: Sequence[str | None], cells: Sequence[str], whole: bool
) -> Row:
    """A row's source, cargo and disease taken from the row above where a spanning cell
    left its own cell empty (a name printed once for the rows of a group). In a row whose
    cells ran together an empty cell can be told from a name the row lacks only by
    guessing, so such rows keep their own; targets are never taken from another row."""
    if above is None or whole:
        return row
    empty = {
        role
        for role, cell in zip(roles, cells, strict=False)
        if role in ("source", "cargo", "disease") and not cell.strip(" -–—/")
    }
    if "disease" in empty and not row.diseases and above.diseases:
        row = replace(row, diseases=above.diseases, spanned=True)
    if "source" in empty and not row.sources and above.sources:
        row = replace(row, sources=above.sources)
    if "cargo" in empty and not row.cargo and above.cargo:
        row = replace(row, cargo=above.cargo)
    return row


def _row_claims(
    row: Row,
    table: _TableContext,
    document_id: str,
    quote: str,
    citation: str | None,
    number: int,
    extractor: str,
) -> list[tuple[Claim, Evidence]]:
    sources = _unique(row.sources) or table.sources
    cargo = _unique(row.cargo)
    targets = [t for t in _unique(row.targets) if t.curie not in {c.curie for c in cargo}]
    from_caption = not row.diseases and bool(table.diseases)
    diseases = _unique(row.diseases) or table.diseases
    species = row.species[0].curie if row.species else table.species
    level = sentence_level(quote, table.level)
    ev_source = sources[0].curie if sources else table.ev_source
    out: list[tuple[Claim, Evidence]] = []

    def emit(
        subject: Mention,
        predicate: Predicate,
        target: Mention,
        trigger: str,
        strong: bool,
        note: str = "",
    ) -> None:
        if not subject.curie or not target.curie or subject.curie == target.curie:
            return
        disease_edge = predicate in (Predicate.TREATS, Predicate.WORSENS, Predicate.NO_EFFECT_ON)
        kind = target.kind if predicate == Predicate.CARRIES else subject.kind
        claim = Claim(
            subject=subject.curie,
            predicate=predicate,
            object=target.curie,
            context=Context(
                disease=target.curie if disease_edge else None,
                ev_source=subject.curie if subject.kind == _SOURCE else ev_source,
                cargo_type=_CARGO_TYPES.get(kind) if kind != _SOURCE else None,
                species=species if level != EvidenceLevel.IN_VITRO else None,
            ),
        )
        review = level == EvidenceLevel.REVIEW_STATEMENT
        confidence = (0.55 if strong else 0.45) - (0.1 if review else 0.0)
        evidence = Evidence(
            claim_hash=claim.hash,
            reference=document_id,
            quote=quote,
            section=table.section,
            printed_citation=citation,
            method=EvidenceMethod.EXTRACTED,
            extractor=extractor,
            level=level,
            confidence=round(confidence, 3),
            curator_note=f"table row {number}; trigger {trigger!r}" + (f"; {note}" if note else ""),
        )
        out.append((claim, evidence))

    for source in sources:
        if source.kind != _SOURCE:
            continue
        for item in cargo:
            emit(source, Predicate.CARRIES, item, "table row", True)
    pairs = (
        list(zip(cargo, targets, strict=True))
        if row.paired and len(cargo) == len(targets)
        else [(item, target) for item in cargo for target in targets]
    )
    for item, target in pairs:
        if target.kind == _GENE:
            predicate, trigger, strong = gene_direction(row.target_text)
        else:
            predicate, trigger = pathway_direction(row.target_text)
            strong = trigger != "table row"
        emit(item, predicate, target, trigger, strong)
    for stated in row.stated:
        emit(stated.agent, stated.predicate, stated.target, stated.trigger, stated.strong)
    agents = cargo or [s for s in sources if s.kind in (_SOURCE, EV)][:1]
    note = (
        "disease from the table's caption"
        if from_caption
        else "disease from the row above (a spanning cell)"
        if row.spanned
        else ""
    )
    for disease in diseases:
        cancer = bool(CANCER.search(disease.text))
        predicate, trigger, strong = disease_direction(row.effect_text, cancer)
        for agent in agents:
            emit(agent, predicate, disease, trigger, strong, note)
    return out
