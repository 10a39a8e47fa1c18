"""BioC JSON read incrementally, with a nesting-depth limit and a per-document size bound.

The file is tokenised by ijson (events, never the whole tree) and only one document at a
time is built into Python objects. Reading stops with a :class:`ReadProblem` when values
nest deeper than :data:`MAX_DEPTH` or when one document (or any one value outside the
documents) spans more than :data:`MAX_DOCUMENT_BYTES` of the file, so memory stays bounded
by the bound rather than by the file, and deep nesting never reaches Python's recursion
limit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson

from evkg.sources.bioc.reader import document_from_bioc
from evkg.sources.pubmed.reader import READ_ERRORS, open_maybe_gzip, unreadable
from evkg.sources.text.document import Document, ReadProblem

__all__ = ["MAX_DEPTH", "MAX_DOCUMENT_BYTES", "iter_bioc_json"]

#: Deepest nesting accepted. BioC needs about a dozen levels (collections, documents,
#: passages, annotations, locations, infons); anything far deeper is not BioC.
MAX_DEPTH = 64
#: Largest span of the file one document may take (PMC's largest articles, annotated,
#: are a few MiB).
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
#: Bytes handed to the tokeniser at a time; it queues a chunk's events before yielding them
#: (up to one per byte, some 65 bytes each), so this also bounds that queue.
_READ_SIZE = 16 * 1024


class _SpanTooLargeError(Exception):
    """Raised from inside the tokeniser's reads when the current span passes the bound."""


class _BoundedReader:
    """A binary stream that counts what it hands out and refuses to hand out more than
    ``bound`` bytes since the last :meth:`mark`, so that a single huge token or document
    stops the tokeniser before it is buffered whole."""

    def __init__(self, handle: IO[bytes], bound: int) -> None:
        self._handle = handle
        self.bound = bound
        self.position = 0
        self._mark = 0

    def mark(self) -> None:
        self._mark = self.position

    def read(self, size: int = -1) -> bytes:
        if self.position - self._mark > self.bound:
            raise _SpanTooLargeError
        allowed = min(_READ_SIZE if size < 0 else size, self.bound + 1)
        data = self._handle.read(allowed)
        self.position += len(data)
        return data


@dataclass
class _Depth:
    value: int = 0
    deepest: int = 0


def _document(raw: Any, origin: str) -> Document | ReadProblem:
    if not isinstance(raw, Mapping):
        return ReadProblem(origin, "document is not a JSON object")
    passages = []
    for number, passage in enumerate(raw.get("passages") or [], start=1):
        if not isinstance(passage, Mapping):
            return ReadProblem(origin, f"passage {number} is not a JSON object")
        infons = passage.get("infons") or {}
        if not isinstance(infons, Mapping):
            return ReadProblem(origin, f"passage {number}: 'infons' is not a JSON object")
        pairs = {str(key): str(value) for key, value in infons.items()}
        passages.append((pairs, str(passage.get("text") or "")))
    return document_from_bioc(str(raw.get("id") or ""), passages, origin)


class _TooDeepError(Exception):
    """Raised when values nest deeper than the limit."""


def _events(reader: _BoundedReader, depth: _Depth, limit: int) -> Iterator[tuple[str, Any]]:
    for event, value in ijson.basic_parse(reader, buf_size=_READ_SIZE):
        if event in ("start_map", "start_array"):
            depth.value += 1
            depth.deepest = max(depth.deepest, depth.value)
            if depth.value > limit:
                raise _TooDeepError
        elif event in ("end_map", "end_array"):
            depth.value -= 1
        yield event, value


def _skip_value(first: str, events: Iterator[tuple[str, Any]]) -> None:
    """Consume the rest of a value whose first event was ``first``."""
    if first not in ("start_map", "start_array"):
        return
    open_containers = 1
    for event, _ in events:
        if event in ("start_map", "start_array"):
            open_containers += 1
        elif event in ("end_map", "end_array"):
            open_containers -= 1
            if open_containers == 0:
                return


def _build_value(first: str, value: Any, events: Iterator[tuple[str, Any]]) -> Any:
    """The Python value whose first event was ``first`` (built without recursion)."""
    builder = ijson.ObjectBuilder()
    builder.event(first, value)
    if first not in ("start_map", "start_array"):
        return builder.value
    open_containers = 1
    for event, item in events:
        builder.event(event, item)
        if event in ("start_map", "start_array"):
            open_containers += 1
        elif event in ("end_map", "end_array"):
            open_containers -= 1
            if open_containers == 0:
                break
    return builder.value


@dataclass
class _Walk:
    """Where the walk over the file's events is, for the messages it gives."""

    name: str
    documents: int = 0
    collections: int = 0  # collections with a 'documents' list


def _collection_documents(
    events: Iterator[tuple[str, Any]], reader: _BoundedReader, walk: _Walk
) -> Iterator[Document | ReadProblem]:
    """Documents of one collection object whose start_map was just read."""
    for event, value in events:
        if event == "end_map":
            return
        if event != "map_key":
            continue
        first, _ = next(events, ("end", None))
        if value != "documents" or first != "start_array":
            _skip_value(first, events)
            reader.mark()
            continue
        walk.collections += 1
        for item_event, item_value in events:
            if item_event == "end_array":
                break
            walk.documents += 1
            origin = f"{walk.name} document {walk.documents}"
            reader.mark()
            raw = _build_value(item_event, item_value, events)
            yield _document(raw, origin)
            reader.mark()


def _walk(
    events: Iterator[tuple[str, Any]], reader: _BoundedReader, walk: _Walk
) -> Iterator[Document | ReadProblem]:
    first, _ = next(events, ("end", None))
    if first == "start_map":
        yield from _collection_documents(events, reader, walk)
    elif first == "start_array":
        for event, _value in events:
            if event == "end_array":
                break
            if event == "start_map":
                yield from _collection_documents(events, reader, walk)
            else:
                _skip_value(event, events)
            reader.mark()


def _json_error_text(error: Exception) -> str:
    message = error.args[0] if error.args else str(error)
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return str(message).strip().splitlines()[0] if str(message).strip() else type(error).__name__


def iter_bioc_json(
    path: Path, *, max_depth: int = MAX_DEPTH, max_document_bytes: int = MAX_DOCUMENT_BYTES
) -> Iterator[Document | ReadProblem]:
    """Documents of a BioC JSON file (one collection, or a list of them as PMC serves),
    read incrementally. Documents before a problem that stops reading are kept."""
    walk = _Walk(path.name)
    depth = _Depth()
    try:
        with open_maybe_gzip(path) as handle:
            reader = _BoundedReader(handle, max_document_bytes)
            events = _events(reader, depth, max_depth)
            yield from _walk(events, reader, walk)
    except _TooDeepError:
        yield ReadProblem(
            f"{path.name} (read to byte {reader.position})",
            f"JSON nested deeper than {max_depth} levels, which no BioC file needs; "
            "documents after this point were not read",
            stops_reading=True,
        )
        return
    except _SpanTooLargeError:
        where = f"document {walk.documents}" if walk.documents else "a value"
        yield ReadProblem(
            f"{path.name} (read to byte {reader.position})",
            f"{where} spans more than {max_document_bytes // (1024 * 1024)} MiB of the file, "
            "the most one BioC document may take; documents after this point were not read",
            stops_reading=True,
        )
        return
    except (ijson.JSONError, UnicodeDecodeError) as error:
        text = _json_error_text(error)
        utf8 = isinstance(error, UnicodeDecodeError) or "UTF8" in text.upper()
        reason = f"not UTF-8 JSON ({text})" if utf8 else f"malformed JSON ({text})"
        yield ReadProblem(
            f"{path.name} (read to byte {reader.position})",
            f"{reason}; documents after this point were not read",
            stops_reading=True,
        )
        return
    except READ_ERRORS as error:
        yield unreadable(path.name, error)
        return
    if walk.collections == 0:
        yield ReadProblem(
            path.name, "not BioC JSON (no collection with 'documents')", stops_reading=True
        )
