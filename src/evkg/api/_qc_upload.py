"""QC of records sent as content (a web upload) rather than as paths."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from evkg.recordfiles import Problem, RecordFileError, RecordProblemsError

if TYPE_CHECKING:
    from evkg.api.qc import QcRun

__all__ = ["Upload", "hidden", "run_qc_uploaded", "upload_name"]

Upload = tuple[str, bytes]  # (file name as the user named it, content)


def upload_name(name: str) -> str:
    """The file name an upload or a reference is known by: its last path part.

    >>> upload_name("../../data/nta/run 1-ExperimentSummary.csv"), upload_name("C:/x/a.txt")
    ('run 1-ExperimentSummary.csv', 'a.txt')
    """
    return PurePosixPath(name.replace("\\", "/")).name


def _hidden(error: RecordFileError, root: Path) -> RecordFileError:
    """``error`` naming the uploaded file instead of its temporary copy."""

    def hide(path: Path, message: str) -> tuple[Path | str, str]:
        name = path.name if path.is_relative_to(root) else path
        return name, message.replace(str(root) + "/", "").replace(str(root), "")

    if isinstance(error, RecordProblemsError):
        return RecordProblemsError(
            [
                (*hide(Path(p), m)[:1], line, f, hide(Path(p), m)[1])
                for p, line, f, m in error.problems
            ]
        )
    path, message = hide(error.path, error.message)
    return RecordFileError(path, error.line, error.field, message)


def run_qc_uploaded(
    records: Sequence[Upload], files: Sequence[Upload] = (), *, spec: Upload | None = None
) -> QcRun:
    """QC of records sent as content (a web upload) rather than as paths.

    A record's file references (``particles[].export``, ``cargo_profile``) are found among
    ``files`` by file name alone, never on this machine's filesystem. Errors name the
    uploaded file, line and field, never a temporary path.
    """
    from evkg.api.qc import LoadedPreparation, load_preparations, load_specification, qc_run_of

    names = [upload_name(name) for name, _ in [*records, *files]]
    for name in names:
        if name in {"", ".", ".."} or len(name) > 200 or any(ord(c) < 32 for c in name):
            raise RecordFileError(name or "(unnamed upload)", None, None, "unusable file name")
    named = [upload_name(name) for name, _ in files]
    twice = sorted({name for name in named if named.count(name) > 1})
    if twice:
        raise RecordFileError(twice[0], None, None, "uploaded twice: file names must differ")
    with tempfile.TemporaryDirectory(prefix="evkg-qc-") as folder:
        root = Path(folder).resolve()

        def stored(group: str, k: int, name: str, content: bytes) -> Path:
            target = root / group / str(k) / upload_name(name)
            target.parent.mkdir(parents=True)
            target.write_bytes(content)
            return target

        available = {
            upload_name(name): stored("files", k, name, content)
            for k, (name, content) in enumerate(files)
        }

        def resolve(reference: str) -> Path:
            name = upload_name(reference)
            if name in available:
                return available[name]
            sent = ", ".join(sorted(available)[:5]) or "none"
            raise LookupError(
                f"{name!r} was not uploaded (references are matched by file name among the "
                f"uploaded files; uploaded: {sent})"
            )

        try:
            loaded: list[LoadedPreparation] = []
            problems: list[Problem] = []
            for k, (name, content) in enumerate(records):
                try:
                    loaded.extend(
                        load_preparations(stored("records", k, name, content), resolve=resolve)
                    )
                except RecordProblemsError as error:
                    problems.extend(error.problems)
                except RecordFileError as error:
                    problems.append((error.path, error.line, error.field, error.message))
            if problems:
                raise RecordProblemsError(problems)
            specification = (
                load_specification(stored("spec", 0, *spec)) if spec is not None else None
            )
            loaded = [dataclasses.replace(i, path=Path(i.path.name)) for i in loaded]
            return qc_run_of(loaded, specification)
        except RecordFileError as error:
            raise _hidden(error, root) from error


hidden = _hidden
