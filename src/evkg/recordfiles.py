"""Reading and writing YAML record files with errors that name the file, line and field."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

__all__ = ["RecordFileError", "dump_records", "read_records"]

M = TypeVar("M", bound=BaseModel)


class RecordFileError(ValueError):
    """A record file is malformed. ``str()`` says file, line, field and what to fix."""

    def __init__(self, path: Path | str, line: int | None, field: str | None, message: str):
        self.path, self.line, self.field, self.message = Path(path), line, field, message
        where = (
            f"{path}" + (f", line {line}" if line else "") + (f", field '{field}'" if field else "")
        )
        super().__init__(f"{where}: {message}")


def _item_lines(text: str, path: Path) -> list[int]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise RecordFileError(path, line, None, f"not valid YAML: {error}") from error
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise RecordFileError(path, node.start_mark.line + 1, None, "expected a list of records")
    return [item.start_mark.line + 1 for item in node.value]


def read_records(path: Path, model: type[M]) -> list[tuple[int, M]]:
    """Parse ``path`` (a YAML list) into ``model`` records, each with its line number."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise RecordFileError(path, None, None, f"not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise RecordFileError(path, None, None, f"cannot be read: {error.strerror}") from error
    lines = _item_lines(text, path)
    raw_items: Any = yaml.safe_load(text) or []
    records: list[tuple[int, M]] = []
    for line, raw in zip(lines, raw_items, strict=True):
        if not isinstance(raw, dict):
            raise RecordFileError(path, line, None, "record is not a mapping of field: value")
        try:
            records.append((line, model.model_validate(raw)))
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or None
            record_id = raw.get("id")
            label = f" (record {record_id})" if record_id else ""
            raise RecordFileError(path, line, field, f"{first['msg']}{label}") from error
    return records


def dump_records(records: Sequence[BaseModel]) -> str:
    """Canonical YAML for records: fields in model order, defaults and empty values left out."""
    payload = [
        record.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
        for record in records
    ]
    return yaml.safe_dump(payload, sort_keys=False, allow_unicode=True, width=100)
