"""Cited references as BibTeX, RIS and CSL-JSON, the files reference managers import."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, TextIO

from evkg.model import Reference

__all__ = ["write_bibtex", "write_csljson", "write_ris"]


def _key(reference: Reference) -> str:
    named = _authors(reference)
    first = re.sub(r"[^A-Za-z]", "", named[0].split()[0]) if named else "anon"
    tail = re.sub(r"[^a-z0-9]", "", reference.id.split(":")[-1])[-8:]
    return f"{first}{reference.year or 'nd'}{tail}"


def _authors(reference: Reference) -> list[str]:
    return [a for a in reference.authors if a != "not reported"]


def _bib_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")


def write_bibtex(references: Iterable[Reference], out: TextIO) -> int:
    count = 0
    for reference in references:
        fields = {
            "title": reference.title,
            "author": " and ".join(_authors(reference) + (["others"] if reference.et_al else [])),
            "journal": reference.journal,
            "year": str(reference.year) if reference.year is not None else None,
            "volume": reference.volume,
            "pages": reference.pages,
            "doi": reference.doi,
            "pmid": reference.pmid,
            "pmcid": reference.pmcid,
        }
        body = ",\n".join(f"  {k} = {{{_bib_escape(v)}}}" for k, v in fields.items() if v)
        out.write(f"@article{{{_key(reference)},\n{body}\n}}\n\n")
        count += 1
    return count


def write_ris(references: Iterable[Reference], out: TextIO) -> int:
    count = 0
    for reference in references:
        lines = ["TY  - JOUR", f"TI  - {reference.title}"]
        lines += [f"AU  - {author}" for author in _authors(reference)]
        lines.append(f"JO  - {reference.journal}")
        if reference.year is not None:
            lines.append(f"PY  - {reference.year}")
        if reference.volume:
            lines.append(f"VL  - {reference.volume}")
        if reference.pages:
            lines.append(f"SP  - {reference.pages}")
        if reference.doi:
            lines.append(f"DO  - {reference.doi}")
        if reference.pmid:
            lines.append(f"AN  - PMID:{reference.pmid}")
        lines.append("ER  - ")
        out.write("\n".join(lines) + "\n")
        count += 1
    return count


def write_csljson(references: Iterable[Reference], out: TextIO) -> int:
    items: list[dict[str, Any]] = []
    for reference in references:
        item: dict[str, Any] = {
            "id": reference.id,
            "type": "article-journal",
            "title": reference.title,
            "container-title": reference.journal,
            "author": [{"literal": author} for author in _authors(reference)],
        }
        if reference.year is not None:
            item["issued"] = {"date-parts": [[reference.year]]}
        for key, value in (
            ("volume", reference.volume),
            ("page", reference.pages),
            ("DOI", reference.doi),
            ("PMID", reference.pmid),
            ("PMCID", reference.pmcid),
        ):
            if value:
                item[key] = value
        items.append(item)
    json.dump(items, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(items)
