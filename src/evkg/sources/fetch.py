"""Reference data on disk: downloading registered files (pinned URL, SHA-256, resumable with
HTTP Range, progress callback), installing them from a local copy, reporting their status,
and caching tables parsed from them.

The registry is :data:`evkg.vocab.reference_files.REFERENCE_FILES`. Files go to the reference
data directory: the one given, else ``$EVKG_DATA_DIR``, else ``<user data dir>/reference``.
A download is written to ``<file>.part`` and renamed only after its checksum matches, so an
interrupted or corrupt download never replaces a good file; the next run resumes the part.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import platformdirs

from evkg.recordfiles import file_sha256
from evkg.vocab.pickle_cache import read_pickle_cache, write_pickle_cache
from evkg.vocab.reference_files import ReferenceFile

__all__ = [
    "ChecksumError",
    "FetchError",
    "FetchResult",
    "FileStatus",
    "Progress",
    "default_data_dir",
    "download",
    "fetch_reference",
    "file_status",
    "install_from",
    "load_cached",
    "resolve_data_dir",
]

_log = logging.getLogger(__name__)

#: ``progress(bytes done, total bytes or None)``
Progress = Callable[[int, int | None], None]
T = TypeVar("T")
_CHUNK = 1 << 16
_GZIP = b"\x1f\x8b"


class FetchError(RuntimeError):
    """A reference file could not be downloaded or installed; the message says why."""


class ChecksumError(FetchError):
    """Downloaded or copied bytes do not have the registered SHA-256."""


@dataclass(frozen=True)
class FetchResult:
    name: str
    path: Path
    status: str  # downloaded | resumed | installed | present
    size: int
    verified: bool  # the registered SHA-256 was checked and matched
    note: str = ""


@dataclass(frozen=True)
class FileStatus:
    name: str
    relative_path: str
    path: Path | None
    size: int | None
    verified: bool | None  # None: not present, or a decompressed copy (not checkable)
    version: str
    licence: str
    upstream_url: str | None


def default_data_dir() -> Path:
    """``<user data dir>/reference``: where ``evkg data fetch`` puts files by default."""
    return Path(platformdirs.user_data_dir("evkg")) / "reference"


def resolve_data_dir(explicit: Path | str | None = None) -> Path:
    """The given directory, else ``$EVKG_DATA_DIR``, else :func:`default_data_dir`."""
    if explicit:
        return Path(explicit).expanduser()
    value = os.environ.get("EVKG_DATA_DIR", "").strip()
    return Path(value).expanduser() if value else default_data_dir()


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(2) == _GZIP


def download(
    url: str,
    destination: Path,
    *,
    sha256: str | None = None,
    size: int | None = None,
    progress: Progress | None = None,
    timeout: float = 60.0,
) -> tuple[str, int]:
    """Download ``url`` to ``destination`` through ``destination.part``.

    An existing part is resumed with an HTTP ``Range`` request (restarted when the server
    answers with the whole file). With ``sha256`` the finished part must match, else it is
    deleted and :class:`ChecksumError` raised. Returns ("downloaded" | "resumed", bytes).
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    part = destination.with_name(destination.name + ".part")
    offset = part.stat().st_size if part.is_file() else 0
    scheme = urllib.parse.urlsplit(url).scheme
    request = urllib.request.Request(url, headers={"User-Agent": "evkg-data-fetch"})
    if offset and scheme in ("http", "https"):
        request.add_header("Range", f"bytes={offset}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code == 416 and offset:  # the part is already complete
            response = None
        else:
            raise FetchError(f"{url}: HTTP {error.code} {error.reason}") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"{url}: cannot connect ({reason})") from error
    status = "downloaded"
    if response is not None:
        with response:
            code = getattr(response, "status", 200)
            resumed = offset > 0 and code == 206
            if offset and not resumed:
                offset = 0  # the server sent the whole file: start over
            length = response.headers.get("Content-Length")
            total = offset + int(length) if length and length.isdigit() else size
            done = offset
            with part.open("ab" if resumed else "wb") as stream:
                if progress:
                    progress(done, total)
                while True:
                    try:
                        block = response.read(_CHUNK)
                    except OSError as error:
                        raise FetchError(
                            f"{url}: connection lost after {done} bytes ({error}); run the "
                            "command again to resume"
                        ) from error
                    if not block:
                        break
                    stream.write(block)
                    done += len(block)
                    if progress:
                        progress(done, total)
            if total is not None and length and done < total:
                raise FetchError(
                    f"{url}: download ended after {done} of {total} bytes; run the command "
                    "again to resume"
                )
            status = "resumed" if resumed else "downloaded"
    if sha256 is not None:
        actual = file_sha256(part)
        if actual != sha256:
            part.unlink(missing_ok=True)
            raise ChecksumError(
                f"{url}: SHA-256 {actual} does not match the registered {sha256}; the partial "
                "file was deleted (the upstream file may have changed)"
            )
    written = part.stat().st_size
    os.replace(part, destination)
    return status, written


def _plain_path(reference: ReferenceFile) -> str:
    return reference.relative_path.removesuffix(".gz")


def _serves_plain(reference: ReferenceFile, url: str) -> bool:
    """The registry keeps a gzip copy but the URL serves the uncompressed file."""
    path = urllib.parse.urlsplit(url).path
    return reference.relative_path.endswith(".gz") and not path.endswith(".gz")


def _present(reference: ReferenceFile, data_dir: Path) -> FetchResult | None:
    found = reference.locate(data_dir)
    if found is None:
        return None
    verified = reference.verify(found)
    if not verified:
        return None
    note = "" if found == data_dir / reference.relative_path else "decompressed copy"
    return FetchResult(reference.name, found, "present", found.stat().st_size, verified, note)


def fetch_reference(
    reference: ReferenceFile,
    data_dir: Path,
    *,
    url: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
    timeout: float = 60.0,
) -> FetchResult:
    """Download one registered file into ``data_dir`` unless a good copy is there."""
    if not force and (present := _present(reference, data_dir)) is not None:
        return present
    source = url or reference.upstream_url
    if source is None:
        raise FetchError(
            f"{reference.name}: no public URL serves this file ({reference.description}); "
            "install it from a local copy with --from DIR_OR_FILE"
        )
    plain = _serves_plain(reference, source)
    destination = data_dir / (_plain_path(reference) if plain else reference.relative_path)
    status, size = download(
        source,
        destination,
        sha256=reference.content_sha256 if plain else reference.sha256,
        size=reference.content_size if plain else reference.size,
        progress=progress,
        timeout=timeout,
    )
    verified = not plain or reference.content_sha256 is not None
    note = ""
    if plain:
        note = (
            "upstream serves the uncompressed file; verified against the registered SHA-256 of "
            "the content"
            if verified
            else "upstream serves the uncompressed file and no content checksum is registered"
        )
    return FetchResult(reference.name, destination, status, size, verified, note)


def _candidates(reference: ReferenceFile, source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    names = [reference.relative_path, _plain_path(reference)]
    base = Path(reference.relative_path).name
    names += [base, base.removesuffix(".gz")]
    return [source / name for name in dict.fromkeys(names)]


def _checked_copy(reference: ReferenceFile, found: Path, temporary: Path) -> tuple[str, str | None]:
    """Copy ``found`` to ``temporary`` in the form the data directory keeps, and say which
    relative path it goes to and why it cannot be trusted (``None``: its checksum matches).

    A copy in the registered form is checked against the registered SHA-256; an uncompressed
    copy of a gzip-registered file against the registered SHA-256 of the content; a gzip
    copy of an uncompressed file is decompressed (never past the registered size) and the
    result checked."""
    registered_gzip = reference.relative_path.endswith(".gz")
    source_gzip = _is_gzip(found)
    if source_gzip and not registered_gzip:
        digest = hashlib.sha256()
        written = 0
        try:
            with gzip.open(found, "rb") as stream, temporary.open("wb") as out:
                while written <= reference.size and (block := stream.read(_CHUNK)):
                    digest.update(block)
                    written += len(block)
                    out.write(block)
        except (OSError, EOFError, zlib.error) as error:
            return reference.relative_path, f"it is not a readable gzip file ({error})"
        if written > reference.size:
            return reference.relative_path, (
                f"it decompresses to more than the registered {reference.size:,} bytes"
            )
        actual, expected = digest.hexdigest(), reference.sha256
        what = "its decompressed content has SHA-256"
        relative = reference.relative_path
    else:
        shutil.copyfile(found, temporary)
        actual = file_sha256(temporary)
        relative = reference.relative_path
        what = "SHA-256"
        expected = reference.sha256
        if registered_gzip and not source_gzip:  # a decompressed copy
            relative = _plain_path(reference)
            what = "its (uncompressed) SHA-256"
            if reference.content_sha256 is None:
                return relative, (
                    "it is uncompressed and no checksum of the uncompressed content is "
                    "registered, so it cannot be checked"
                )
            expected = reference.content_sha256
    if actual != expected:
        return relative, (
            f"{what} {actual}, which is not the registered {expected} of {reference.name} "
            f"{reference.version}"
        )
    return relative, None


def install_from(
    reference: ReferenceFile, source: Path, data_dir: Path, *, force: bool = False
) -> FetchResult:
    """Copy a registered file from a local directory (same layout, or flat) or file into
    ``data_dir``, verified: what cannot be verified against a registered checksum (or does
    not match it) is refused with :class:`ChecksumError` and the data directory is left as
    it was, unless ``force``, which installs it marked unverified."""
    source = Path(source).expanduser()
    if not source.exists():
        raise FetchError(f"{source} does not exist")
    found = next((p for p in _candidates(reference, source) if p.is_file()), None)
    if found is None:
        raise FetchError(
            f"{reference.name}: {reference.relative_path} is not under {source} "
            f"(looked for {Path(reference.relative_path).name} too)"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=data_dir, prefix=f".{reference.name}.")
    os.close(handle)
    temporary = Path(name)
    try:
        relative, problem = _checked_copy(reference, found, temporary)
        destination = data_dir / relative
        if problem is not None and not force:
            raise ChecksumError(
                f"{found}: {problem}. Nothing was installed ({destination} is unchanged); "
                "give --force to install it unverified"
            )
        if destination.resolve() == found.resolve():
            return FetchResult(
                reference.name, destination, "present", found.stat().st_size, problem is None
            )
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)
    note = "" if problem is None else f"NOT VERIFIED, installed because of --force: {problem}"
    return FetchResult(
        reference.name,
        destination,
        "installed",
        destination.stat().st_size,
        problem is None,
        note,
    )


def file_status(references: Sequence[ReferenceFile], data_dir: Path) -> list[FileStatus]:
    """Where each registered file is under ``data_dir`` and whether its checksum matches."""
    rows = []
    for reference in references:
        found = reference.locate(data_dir)
        verified: bool | None = None
        if found is not None and found == data_dir / reference.relative_path:
            verified = reference.verify(found)
        rows.append(
            FileStatus(
                reference.name,
                reference.relative_path,
                found,
                found.stat().st_size if found else None,
                verified,
                reference.version,
                reference.licence,
                reference.upstream_url,
            )
        )
    return rows


# -- cache of parsed tables ---------------------------------------------------------------------
def _cache_root(cache_dir: Path | None) -> Path:
    if cache_dir is not None:
        return Path(cache_dir)
    value = os.environ.get("EVKG_CACHE_DIR", "").strip()
    return Path(value).expanduser() if value else Path(platformdirs.user_cache_dir("evkg"))


def load_cached(
    kind: str,
    inputs: Sequence[Path],
    build: Callable[[], T],
    cache_dir: Path | None,
    expected: type[T],
) -> T:
    """``build()``, pickled under the cache directory keyed by ``kind`` (which names what
    else the value depends on), evkg's version and the inputs' path, size and modification
    time; a change in any of them builds again."""
    from importlib import metadata

    try:
        version = metadata.version("evkg")
    except metadata.PackageNotFoundError:  # a source tree
        version = "source-tree"
    digest = hashlib.sha256(f"{kind}\t{version}".encode())
    for path in inputs:
        stat = Path(path).stat()
        digest.update(f"{Path(path).resolve()}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
    cache = _cache_root(cache_dir) / f"{kind}-{digest.hexdigest()[:24]}.pickle"
    found = read_pickle_cache(cache, kind, lambda v: v if isinstance(v, expected) else None)
    if found is not None:
        return found
    value = build()
    write_pickle_cache(cache, value, kind)
    return value
