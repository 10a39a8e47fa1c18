"""Streaming reader of PubMed/MEDLINE XML (``MedlineCitationSet`` and ``PubmedArticleSet``).

Records are cut from the byte stream chunk by chunk and parsed one at a time, so memory
stays flat however large the file and a broken record fails alone; a record over
:data:`MAX_RECORD_BYTES` is reported and passed over without being held. Entity resolution, DTD
loading and network access are off; a malformed record is reported and skipped, never fatal.
"""

from __future__ import annotations

import gzip
import io
import logging
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from lxml import etree

from evkg.sources.pubmed._record import article_from_element
from evkg.sources.text.document import Document, ReadProblem, UnreadRecord

#: Decides from a record's bytes whether it is worth parsing (``False``: count it only).
RecordScreen = Callable[[bytes], bool]

__all__ = [
    "MAX_RECORD_BYTES",
    "READ_ERRORS",
    "RecordScreen",
    "article_from_element",
    "iter_pubmed",
    "iter_pubmed_bytes",
    "iter_pubmed_stream",
    "iter_records",
    "iter_tagged",
    "open_maybe_gzip",
    "unreadable",
]

_log = logging.getLogger(__name__)


_INFLATE_ERRORS: tuple[type[Exception], ...] = (zlib.error,)
try:  # ISA-L inflates gzip about 3x faster than zlib (a fifth of reading MEDLINE)
    from isal import igzip as _igzip
    from isal import isal_zlib as _isal_zlib

    _INFLATE_ERRORS += (cast("type[Exception]", _isal_zlib.error),)
except ImportError:  # a platform without an isal wheel: the standard library's gzip
    _igzip = None  # type: ignore[assignment]

#: What reading a damaged file can raise: I/O errors, a bad gzip header or checksum
#: (OSError), a truncated stream (EOFError) and a corrupt deflate stream.
READ_ERRORS: tuple[type[Exception], ...] = (OSError, EOFError, *_INFLATE_ERRORS)


def unreadable(name: str, error: Exception) -> ReadProblem:
    """The problem to report for a file that reading failed on with one of
    :data:`READ_ERRORS`: what failed, and what to do about it."""
    return ReadProblem(
        name,
        f"cannot be read to the end ({error}); any documents read before the damage are kept. "
        "Check the file (gzip -t for .gz) and download it again",
        stops_reading=True,
    )


def iter_tagged(handle: IO[bytes], tag: str) -> Iterator[Any]:
    """Each ``tag`` element of an XML stream, parsed without entities, network, DTD or huge
    trees (a hostile file cannot reach out or blow up). Once the caller has taken an element
    it is cleared and dropped from its parent with the siblings before it, so memory stays
    flat in the file's size."""
    parser = etree.iterparse(
        handle,
        events=("end",),
        tag=tag,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    for _event, element in parser:
        yield element
        element.clear()
        parent = element.getparent()
        while parent is not None and element.getprevious() is not None:
            del parent[0]


def open_maybe_gzip(path: Path) -> IO[bytes]:
    """Open ``path`` for binary reading, decompressing gzip by its magic bytes (reading may
    raise any of :data:`READ_ERRORS`)."""
    handle = path.open("rb")
    magic = handle.read(2)
    handle.seek(0)
    if magic == b"\x1f\x8b":
        handle.close()
        if _igzip is None:
            return cast("IO[bytes]", gzip.open(path, "rb"))
        return cast("IO[bytes]", _igzip.open(path, "rb"))  # type: ignore[no-untyped-call]
    return handle


_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "recover": False,
}
_CHUNK = 1 << 20
_STARTS = (b"<PubmedArticle>", b"<PubmedArticle ", b"<PubmedBookArticle>", b"<PubmedBookArticle ")
_MEDLINE_STARTS = (b"<MedlineCitation>", b"<MedlineCitation ")
_ENDS = {
    b"<PubmedArticle": b"</PubmedArticle>",
    b"<PubmedBookArticle": b"</PubmedBookArticle>",
    b"<MedlineCitation": b"</MedlineCitation>",
}
_LONGEST_TAG = max(len(tag) for tag in (*_STARTS, *_MEDLINE_STARTS, *_ENDS.values()))
#: Largest record read (the largest PubMed records, with long author and reference lists,
#: are well under 1 MiB).
MAX_RECORD_BYTES = 16 * 1024 * 1024


class _Finder:
    """Next occurrence of any of several tags in a buffer, remembering earlier searches so
    that a tag absent from the buffer is not searched for again."""

    def __init__(self, buffer: bytes | bytearray, tags: tuple[bytes, ...]) -> None:
        self.buffer = buffer
        self.cached = dict.fromkeys(tags, -2)

    def next(self, position: int) -> int:
        best = -1
        for tag, found in self.cached.items():
            if found == -1 or (found >= position):
                pass
            else:
                found = self.buffer.find(tag, position)
                self.cached[tag] = found
            if found >= position and (best < 0 or found < best):
                best = found
        return best


def _record_key(buffer: bytes | bytearray, begin: int) -> bytes:
    for key in _ENDS:
        if buffer.startswith(key, begin):
            return key
    raise AssertionError("a start tag always begins with a known record tag")


def _too_large(name: str, line: int, bound: int) -> ReadProblem:
    return ReadProblem(
        f"{name} line {line}",
        f"record larger than {bound // (1024 * 1024)} MiB, the most one PubMed record may "
        "take, skipped; the records after it are read",
    )


def _skip_to_record_end(
    buffer: bytearray, end_tag: bytes, starts: tuple[bytes, ...], eof: bool
) -> tuple[int, bool]:
    """Where passing over an over-large record stops in ``buffer``, and whether it is
    done: after its end tag, at the next record's start, or (not yet found) at the end
    of the buffer less a tag's length, so that a tag split across reads is still seen."""
    end = buffer.find(end_tag)
    following = _Finder(buffer, starts).next(0)
    if end >= 0 and (following < 0 or end < following):
        return end + len(end_tag), True
    if following >= 0:
        return following, True
    return (len(buffer) if eof else max(0, len(buffer) - _LONGEST_TAG + 1)), False


def iter_records(
    handle: IO[bytes], name: str, *, max_record_bytes: int = MAX_RECORD_BYTES
) -> Iterator[tuple[int, bytes] | ReadProblem]:
    """(line, bytes) of each record of a PubMed/MEDLINE XML stream, read chunk by chunk.

    Records are cut at their start and end tags, so a record with broken markup is
    returned on its own (and fails alone when parsed) while the rest of the file is read.
    A record larger than ``max_record_bytes`` is reported and passed over without being
    held: memory stays within about two and a half times the bound however large the record.
    """
    buffer = bytearray()  # grown and cut in place, never copied whole
    line = 1  # line number at buffer[0]
    starts: tuple[bytes, ...] | None = None
    skipping: bytes | None = None  # the end tag of an over-large record being passed over
    eof = False
    while not eof:
        chunk = handle.read(_CHUNK)
        eof = not chunk
        buffer += chunk
        if starts is None:
            if b"<PubmedArticle" in buffer:
                starts = _STARTS
            elif b"<MedlineCitationSet" in buffer or b"<MedlineCitation " in buffer:
                starts = _MEDLINE_STARTS
            elif eof and buffer.strip():
                yield ReadProblem(
                    name,
                    "not PubMed/MEDLINE XML (no PubmedArticle or MedlineCitation element)",
                    stops_reading=True,
                )
                return
            else:
                continue
        if skipping is not None:
            stop, done = _skip_to_record_end(buffer, skipping, starts, eof)
            line += buffer.count(b"\n", 0, stop)
            del buffer[:stop]
            if not done:
                continue
            skipping = None
        finder = _Finder(buffer, starts)
        position = 0
        while True:
            begin = finder.next(position)
            if begin < 0:
                break
            end_tag = _ENDS[_record_key(buffer, begin)]
            end = buffer.find(end_tag, begin)
            following = finder.next(begin + 1)
            if end < 0 and following < 0 and not eof:
                if len(buffer) - begin > max_record_bytes:
                    line += buffer.count(b"\n", position, begin)
                    yield _too_large(name, line, max_record_bytes)
                    skipping = end_tag
                    position = begin + 1  # past the start tag's "<": not found again
                break  # the record continues in the next chunk
            line += buffer.count(b"\n", position, begin)
            if end >= 0 and (following < 0 or end < following):
                stop = end + len(end_tag)
                if stop - begin > max_record_bytes:
                    yield _too_large(name, line, max_record_bytes)
                else:
                    yield line, bytes(buffer[begin:stop])
            else:
                stop = following if following >= 0 else len(buffer)
                yield ReadProblem(
                    f"{name} line {line}", f"record has no closing {end_tag.decode()} tag"
                )
            line += buffer.count(b"\n", begin, stop)
            position = stop
        del buffer[:position]


def iter_pubmed_stream(
    handle: IO[bytes],
    name: str,
    screen: RecordScreen | None = None,
    *,
    max_record_bytes: int = MAX_RECORD_BYTES,
) -> Iterator[Document | ReadProblem | UnreadRecord]:
    """Documents (and problems) of a PubMed/MEDLINE XML byte stream.

    Each record is cut from the bytes and parsed on its own, so that a broken record fails
    alone (this costs no more than one streaming parse of the whole file: field
    extraction, in :mod:`evkg.sources.pubmed._record`, is what reading costs). With a
    ``screen``, an article record it rejects is yielded as an :class:`UnreadRecord` without
    being parsed, so its markup is not checked either (book records are always parsed).
    """
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    for item in iter_records(handle, name, max_record_bytes=max_record_bytes):
        if isinstance(item, ReadProblem):
            _log.warning("skipped %s", item)
            yield item
            continue
        line, data = item
        origin = f"{name} line {line}"
        if screen is not None and not data.startswith(b"<PubmedBook") and not screen(data):
            yield UnreadRecord(origin)
            continue
        try:
            element = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as error:
            where = line + max(0, (error.lineno or 1) - 1)
            message = error.msg.split(", line ")[0]
            problem = ReadProblem(
                f"{name} line {where}", f"malformed XML, record skipped: {message}"
            )
            _log.warning("skipped %s", problem)
            yield problem
            continue
        result = article_from_element(element, origin)
        if isinstance(result, ReadProblem):
            _log.warning("skipped %s", result)
        yield result


def iter_pubmed_bytes(data: bytes, name: str) -> Iterator[Document | ReadProblem]:
    """Documents of PubMed XML held in memory (an E-utilities ``efetch`` answer)."""
    for item in iter_pubmed_stream(io.BytesIO(data), name):
        if not isinstance(item, UnreadRecord):  # never, without a screen
            yield item


def iter_pubmed(
    path: Path, screen: RecordScreen | None = None, *, max_record_bytes: int = MAX_RECORD_BYTES
) -> Iterator[Document | ReadProblem | UnreadRecord]:
    """Documents (and problems) of a PubMed/MEDLINE XML file, ``.xml`` or ``.xml.gz``.

    A broken record is skipped with a :class:`ReadProblem` naming the line and the reason;
    the other records of the file are still read. ``screen``: see :func:`iter_pubmed_stream`.
    """
    try:
        with open_maybe_gzip(path) as handle:
            yield from iter_pubmed_stream(
                handle, path.name, screen, max_record_bytes=max_record_bytes
            )
    except READ_ERRORS as error:
        problem = unreadable(path.name, error)
        _log.warning("%s", problem)
        yield problem
