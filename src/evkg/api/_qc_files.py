"""Reading QC files: records, specifications and the shipped rule files, with every problem
named by file, line and field (all problems of a file at once)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from evkg.analysis.qc import ChecklistRules, MarkerTable, PurityBands
from evkg.analysis.qc._rules import ContaminantTable
from evkg.model.preparation import ReleaseSpecification
from evkg.recordfiles import Problem, RecordFileError, RecordProblemsError, line_of, load_yaml

__all__ = [
    "MAX_RECORD_BYTES",
    "Resolver",
    "beside",
    "load_contaminant_table",
    "load_marker_table",
    "load_purity_bands",
    "load_rules",
    "load_specification",
    "read_mapping",
    "validate_file",
    "validate_mapping",
    "validation_problems",
]

M = TypeVar("M", bound=BaseModel)
MAX_RECORD_BYTES = 5 * 1024 * 1024
_MAX_RECORD_BYTES = MAX_RECORD_BYTES


def _line_of(node: yaml.Node | None, location: Sequence[int | str]) -> int | None:
    return None if node is None else line_of(node, location)


def _read_mapping(path: Path, what: str) -> tuple[dict[str, Any], yaml.Node | None]:
    try:
        if path.stat().st_size > _MAX_RECORD_BYTES:
            raise RecordFileError(path, None, None, f"is too large for a {what} (over 5 MB)")
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise RecordFileError(path, None, None, f"not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise RecordFileError(path, None, None, f"cannot be read: {error.strerror}") from error
    node: yaml.Node | None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise RecordFileError(
                path, error.lineno, None, f"not valid JSON: {error.msg}"
            ) from error
        except RecursionError as error:
            raise RecordFileError(path, None, None, "not accepted: nested too deeply") from error
        try:
            node = load_yaml(text, path)[1]  # JSON is YAML: line numbers
        except RecordFileError:
            node = None
    else:
        data, node = load_yaml(text, path)
    if not isinstance(data, dict):
        raise RecordFileError(path, 1, None, f"expected one {what}: a mapping of field: value")
    return data, node


def validation_problems(
    error: ValidationError, path: Path, locate: Callable[[Sequence[int | str]], int | str | None]
) -> list[Problem]:
    """Every problem of a pydantic error as (file, line or cell, field, message)."""
    problems: list[Problem] = []
    for item in error.errors():
        location = [part for part in item["loc"] if isinstance(part, int | str)]
        field = ".".join(str(part) for part in location) or None
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append((path, locate(location), field, message))
    return problems


def validate_mapping(
    data: dict[str, Any],
    model: type[M],
    path: Path,
    locate: Callable[[Sequence[int | str]], int | str | None],
) -> M:
    """``data`` as ``model``, or :class:`RecordProblemsError` naming every problem at once."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise RecordProblemsError(validation_problems(error, path, locate)) from error


def _validate(path: Path, model: type[M], what: str) -> tuple[M, yaml.Node | None]:
    data, node = _read_mapping(path, what)
    return validate_mapping(data, model, path, lambda loc: _line_of(node, loc)), node


#: Finds the file a record names, or raises ``LookupError`` saying why it cannot.
Resolver = Callable[[str], Path]


def _beside(record: Path) -> Resolver:
    def resolve(reference: str) -> Path:
        target = (record.parent / reference).resolve()
        if not target.is_file():
            raise LookupError(f"not found: {target}")
        return target

    return resolve


def load_specification(path: str | Path) -> ReleaseSpecification:
    """Read a release specification (YAML or JSON)."""
    return _validate(Path(path), ReleaseSpecification, "release specification")[0]


def _shipped(name: str) -> Path:
    return Path(str(resources.files("evkg") / "data" / "qc" / name))


def _load_rule_file(path: Path | None, name: str, model: type[M]) -> M:
    return _validate(path or _shipped(name), model, name)[0]


def load_rules(path: str | Path | None = None) -> ChecklistRules:
    """The checklist rules: the shipped ``checklist.yaml`` unless ``path`` is given."""
    return _load_rule_file(Path(path) if path else None, "checklist.yaml", ChecklistRules)


def load_purity_bands(path: str | Path | None = None) -> PurityBands:
    """Particles-per-µg bands with their citation (shipped ``purity.yaml``)."""
    return _load_rule_file(Path(path) if path else None, "purity.yaml", PurityBands)


def load_marker_table(path: str | Path | None = None) -> MarkerTable:
    """Marker → MISEV2018 category (shipped ``markers.yaml``)."""
    return _load_rule_file(Path(path) if path else None, "markers.yaml", MarkerTable)


def load_contaminant_table(path: str | Path | None = None) -> ContaminantTable:
    """Contaminant classes and their default severity (shipped ``contaminants.yaml``)."""
    return _load_rule_file(Path(path) if path else None, "contaminants.yaml", ContaminantTable)


read_mapping = _read_mapping
validate_file = _validate
beside = _beside
