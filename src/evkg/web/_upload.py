"""Uploaded cargo files: size and row limits, then the cargo-analysis service."""

from __future__ import annotations

import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import UploadFile

from evkg.web._preparation import Preparations
from evkg.web.deps import WebContext
from evkg.web.errors import ProblemError

if TYPE_CHECKING:
    from evkg.analysis import ProfileAnalysis

__all__ = ["ALLOWED_SUFFIXES", "UploadOptions", "Uploaded", "preparations", "run_upload"]

ALLOWED_SUFFIXES = (".csv", ".tsv", ".txt", ".tab", ".xlsx", ".gmt")
_lock = threading.Lock()


@dataclass(frozen=True)
class UploadOptions:
    species: str = "hsa"
    name_column: str | None = None
    abundance_column: str | None = None


def _safe_name(filename: str | None) -> str:
    name = Path(filename or "").name
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).stem)[:80].strip("._") or "upload"
    suffix = Path(name).suffix.lower()
    return stem + (suffix if suffix in ALLOWED_SUFFIXES else ".txt")


def _size(count: int) -> str:
    """
    >>> _size(2_000_000), _size(40)
    ('2.0 MB', '40 bytes')
    """
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count} bytes"


def _read_limited(upload: UploadFile, limit: int) -> bytes:
    content = upload.file.read(limit + 1)
    if len(content) > limit:
        raise ProblemError(
            413,
            f"{upload.filename or 'the upload'} is larger than {_size(limit)}, the limit of "
            "this server; upload the miRNA/protein list or counts table alone",
        )
    if not content.strip():
        raise ProblemError(422, f"{upload.filename or 'the upload'} is empty")
    return content


def _load_resources(context: WebContext, species: str) -> Any:
    from evkg.api.analysis import load_resources, reference_data_dir

    data_dir = context.settings.data_dir if context.settings else None
    return load_resources(
        context.knowledge.vocabulary,
        reference_data_dir(data_dir),
        species=species,
        cache_dir=context.settings.cache_dir if context.settings else None,
    )


def preparations(context: WebContext) -> Preparations:
    """The app's reference-data preparations (made on first use)."""
    with _lock:
        found: Preparations | None = context.extras.get("preparations")
        if found is None:
            found = Preparations(
                lambda species: _load_resources(context, species),
                wait_seconds=context.limits.analysis_wait_seconds,
            )
            context.extras["preparations"] = found
    return found


@dataclass(frozen=True)
class Uploaded:
    """An analysed upload, and the server-side path it had (to hide from the user)."""

    filename: str
    analysis: ProfileAnalysis
    temporary_path: str

    def hide_path(self, text: str) -> str:
        """``text`` with the temporary path replaced by the uploaded file's name."""
        return text.replace(self.temporary_path, self.filename)


def run_upload(context: WebContext, upload: UploadFile, options: UploadOptions) -> Uploaded:
    """Analyse an uploaded cargo file; every problem becomes a 4xx naming what is wrong."""
    from evkg.api.analysis import CargoFileError, CargoFileTooLargeError, analyze
    from evkg.sources.cargo import read_cargo_file

    limits = context.limits
    filename = _safe_name(upload.filename)
    content = _read_limited(upload, limits.max_upload_bytes)
    with tempfile.TemporaryDirectory(prefix="evkg-upload-") as folder:
        path = Path(folder) / filename

        def clean(message: str) -> str:  # never show the server's temporary path
            return message.replace(str(path), filename).replace(folder, "")

        path.write_bytes(content)
        try:
            # the row limit applies while reading (an XLSX of millions of rows stops early)
            table = read_cargo_file(
                path,
                name_column=options.name_column,
                abundance_column=options.abundance_column,
                max_bytes=limits.max_upload_bytes,
                max_rows=limits.max_upload_rows + 1,  # the header row too
            )
            if len(table.rows) > limits.max_upload_rows:
                raise ProblemError(
                    413,
                    f"{filename} has {len(table.rows)} rows; this server analyses at most "
                    f"{limits.max_upload_rows}. Keep the detected cargo (e.g. counts above a "
                    "threshold).",
                )
            analysis = analyze(
                path,
                knowledge=context.knowledge,
                species=options.species,
                name_column=options.name_column,
                abundance_column=options.abundance_column,
                resources=preparations(context).resources(options.species),
                max_bytes=limits.max_upload_bytes,
                max_rows=limits.max_upload_rows + 1,  # the header row too
                name=Path(filename).stem,
            )
        except CargoFileTooLargeError as error:
            raise ProblemError(413, clean(str(error))) from error
        except CargoFileError as error:
            raise ProblemError(422, clean(str(error))) from error
        except UnicodeError as error:
            raise ProblemError(422, f"{filename}: not readable as text ({error})") from error
        except ValueError as error:  # an unknown species, a malformed spreadsheet…
            raise ProblemError(422, clean(f"{filename}: {error}")) from error
    return Uploaded(filename, analysis, str(path))
