"""Reading export files as text, and the errors every NTA reader raises."""

from __future__ import annotations

from pathlib import Path

from evkg.recordfiles import RecordFileError

__all__ = ["NtaFormatError", "UnsupportedExportError", "read_text", "to_float"]

_MAX_BYTES = 50 * 1024 * 1024


class NtaFormatError(RecordFileError):
    """An instrument export is unknown, damaged or truncated; names file and line."""


class UnsupportedExportError(NtaFormatError):
    """A recognised export that QC does not use (e.g. a zeta-potential profile)."""


def read_text(path: Path) -> str:
    """The file's text: UTF-8 when it is valid UTF-8 with non-ASCII text, else Latin-1/cp1252.

    NanoSight and ZetaView write Latin-1 (``²``, ``³``, ``µ``, ``ø`` as single bytes); a file
    re-saved as UTF-8 decodes as UTF-8. UTF-16 files and binary data are rejected.
    """
    try:
        size = path.stat().st_size
    except OSError as error:
        raise NtaFormatError(path, None, None, f"cannot be read: {error.strerror}") from error
    if size > _MAX_BYTES:
        raise NtaFormatError(
            path, None, None, f"is {size / 1e6:.0f} MB; instrument exports are under 50 MB"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise NtaFormatError(path, None, None, f"cannot be read: {error.strerror}") from error
    odd_zeros, even_zeros = data[1:200:2].count(0), data[0:200:2].count(0)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (odd_zeros > 50 and even_zeros < 5):
        raise NtaFormatError(
            path,
            1,
            None,
            "is UTF-16 text; export it again as the instrument writes it "
            "(Latin-1) or save it as UTF-8",
        )
    if data.count(0) > max(16, len(data) // 100):
        raise NtaFormatError(path, None, None, "is binary data, not an instrument text export")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def to_float(text: str) -> float | None:
    """A number as the instruments print it, or None for empty / 'Not recorded' / NaN.

    >>> to_float("6.72e+08"), to_float("1430000000"), to_float("Not recorded"), to_float("NaN")
    (672000000.0, 1430000000.0, None, None)
    """
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return None if value != value else value
