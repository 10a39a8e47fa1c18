"""Turn the founding review's printed reference list into ``references.yaml`` records.

Developer tool, run once when the curated source is added:

    python scripts/parse_review_references.py ../shared/seed/000_b03c4da1d36fef63.txt \
        > src/evkg/data/curated/zhang2024/references.yaml

The output is then curated by hand (notes, corrections); re-running overwrites it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import yaml

_ENTRY = re.compile(r"^(\d{1,3})\. (.+)$")
_TAIL = re.compile(r"^(?P<journal>[^.]+?) (?P<year>\d{4});(?P<volume>[^:;]+):(?P<pages>[^.]+)\.$")
_BOOK_TAIL = re.compile(r"(?P<year>\d{4})\. pp\. (?P<pages>[\d-]+)\.$")
_AUTHOR = re.compile(r"^[^\s,.]+(?:[ -][^\s,.]+)*? [A-Z]{1,3}$")


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "", folded.lower())


def _split_authors(text: str) -> tuple[list[str], bool, str]:
    """Return (authors, et_al, rest) for an entry's text."""
    parts = text.split(", ")
    authors: list[str] = []
    for index, part in enumerate(parts):
        head, dot, tail = part.partition(". ")
        if part.startswith("et al. "):
            return (
                authors,
                True,
                part[len("et al. ") :]
                + (", " + ", ".join(parts[index + 1 :]) if index + 1 < len(parts) else ""),
            )
        if dot and _AUTHOR.match(head):
            authors.append(head)
            rest = tail + (", " + ", ".join(parts[index + 1 :]) if index + 1 < len(parts) else "")
            return authors, False, rest
        authors.append(part)
    raise ValueError(f"cannot split authors from {text!r}")


def _book_journal(publisher: str) -> str:
    """Book part of a chapter reference.

    'Sarkar D, editor. Non-Alcoholic Steatohepatitis. New York: Springer US; 2022. pp. 333-41.'
    """
    editor, _, rest = publisher.partition(", editor. ")
    book, _, place = rest.partition(". ")
    place = place.split(";")[0]
    return f"{book} (ed. {editor}; {place})"


def parse_entry(number: int, text: str) -> dict[str, object]:
    authors, et_al, rest = _split_authors(text)
    book = _BOOK_TAIL.search(rest)
    if book:
        title, _, publisher = rest.partition(". In: ")
        record: dict[str, object] = {
            "title": title,
            "journal": _book_journal(publisher),
            "year": int(book["year"]),
            "volume": None,
            "pages": book["pages"],
        }
    else:
        title, sep, tail = rest.rpartition(". ")
        match = _TAIL.match(tail)
        if not sep or not match:
            raise ValueError(f"reference {number}: cannot parse journal part of {rest!r}")
        record = {
            "title": title,
            "journal": match["journal"],
            "year": int(match["year"]),
            "volume": match["volume"],
            "pages": match["pages"],
        }
    title = str(record["title"])
    group, dot, remainder = title.partition(". ")
    if dot and re.search(r"\b(Group|Committee|Subcommittee)$", group):
        authors.append(group)  # a group author printed at the head of the title
        record["title"] = remainder
    surname = authors[0].rsplit(" ", 1)[0]
    first_page = str(record["pages"]).split("-")[0]
    journal_slug = _ascii_slug(str(record["journal"]).split(" (ed.")[0])[:16]
    ref_id = f"evkg.ref:{_ascii_slug(surname)}{record['year']}-{journal_slug}-{first_page.lower()}"
    return {
        "id": ref_id,
        "review_number": number,
        "authors": authors,
        "et_al": et_al,
        **record,
    }


def main(path: str) -> None:
    text = Path(path).read_text(encoding="utf-8")
    block = text.split("\nREFERENCES\n", 1)[1].split("\nCite This Article", 1)[0]
    entries = []
    for line in block.splitlines():
        match = _ENTRY.match(line.strip())
        if match:
            entries.append(parse_entry(int(match[1]), match[2].replace("\xa0", " ")))
    numbers = [e["review_number"] for e in entries]
    if numbers != list(range(1, len(numbers) + 1)):
        raise SystemExit(f"reference numbers are not consecutive: {numbers}")
    ids = [e["id"] for e in entries]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate reference ids")
    yaml.safe_dump(entries, sys.stdout, sort_keys=False, allow_unicode=True, width=100)


if __name__ == "__main__":
    main(sys.argv[1])
