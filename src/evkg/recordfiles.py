"""Reading and writing YAML record files with errors that name the file, line and field."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

__all__ = [
    "MAX_EXPANDED_CHARS",
    "MAX_YAML_DEPTH",
    "Problem",
    "RecordFileError",
    "RecordProblemsError",
    "dump_records",
    "file_sha256",
    "line_of",
    "load_yaml",
    "read_records",
]

#: Deepest nesting of collections a YAML or JSON record file may have.
MAX_YAML_DEPTH = 64
#: Most characters a YAML document may hold once every alias is expanded: an alias costs
#: nothing to parse, but each use becomes its own copy when a model validates (and strips) it.
MAX_EXPANDED_CHARS = 8_000_000

M = TypeVar("M", bound=BaseModel)


class RecordFileError(ValueError):
    """A record file is malformed. ``str()`` says file, line, field and what to fix."""

    def __init__(self, path: Path | str, line: int | None, field: str | None, message: str):
        self.path, self.line, self.field, self.message = Path(path), line, field, message
        where = (
            f"{path}" + (f", line {line}" if line else "") + (f", field '{field}'" if field else "")
        )
        super().__init__(f"{where}: {message}")


Problem = tuple[Path | str, int | str | None, str | None, str]
"""(file, line or spreadsheet cell such as 'C7', field, message)."""


def _where(path: Path | str, line: int | str | None, field: str | None) -> str:
    place = "" if line is None else (f", line {line}" if isinstance(line, int) else f", {line}")
    return f"{path}{place}" + (f", field '{field}'" if field else "")


class RecordProblemsError(RecordFileError):
    """Several problems found at once (every error of every record), one line each.

    The first problem fills ``path``, ``line``, ``field`` and ``message``; ``problems`` holds
    them all, each naming its file and its line (YAML) or cell (spreadsheet).
    """

    def __init__(self, problems: Sequence[Problem]):
        if not problems:
            raise ValueError("RecordProblemsError needs at least one problem")
        self.problems = [
            (Path(path), line, field, message) for path, line, field, message in problems
        ]
        path, line, field, message = self.problems[0]
        ValueError.__init__(
            self,
            "\n".join(f"{_where(p, ln, f)}: {m}" for p, ln, f, m in self.problems)
            if len(self.problems) > 1
            else f"{_where(path, line, field)}: {message}",
        )
        self.path, self.field, self.message = path, field, message
        self.line = line if isinstance(line, int) else None
        self.cell = line if isinstance(line, str) else None


def line_of(node: yaml.Node, location: Sequence[int | str]) -> int:
    """Line (1-based) of the value at ``location`` (a pydantic error ``loc``) inside a
    composed YAML ``node``, as deep as the path exists."""
    for step in location:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == step), None)
            if match is None:
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                break
            node = node.value[step]
        else:
            break
    return int(node.start_mark.line) + 1


class _TooDeep(yaml.YAMLError):
    def __init__(self, line: int) -> None:
        super().__init__(f"nested deeper than {MAX_YAML_DEPTH} levels")
        self.line = line


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader with a limit on nesting, checked while composing (before recursion
    runs out and before anything is constructed)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _TooDeep(int(self.peek_event().start_mark.line) + 1)  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def expanded_chars(node: yaml.Node) -> int:
    r"""Characters of a composed document with every alias expanded, computed over the
    shared nodes once each (so a billion laughs costs microseconds to measure).

    >>> expanded_chars(yaml.compose("a: &x [ab, cd]\nb: [*x, *x]"))
    27
    """
    sizes: dict[int, int] = {}

    def size(item: yaml.Node) -> int:
        known = sizes.get(id(item))
        if known is not None:
            return known
        if isinstance(item, yaml.ScalarNode):
            total = len(item.value) + 1
        elif isinstance(item, yaml.SequenceNode):
            total = 1 + sum(size(child) for child in item.value)
        else:
            total = 1 + sum(size(key) + size(value) for key, value in item.value)
        sizes[id(item)] = total
        return total

    return size(node)


def load_yaml(text: str, path: Path | str) -> tuple[Any, yaml.Node | None]:
    """Parse one YAML document safely and within bounds: the data and its composed node
    (for line numbers). Raises :class:`RecordFileError` for invalid YAML, nesting deeper than
    :data:`MAX_YAML_DEPTH`, or aliases expanding past :data:`MAX_EXPANDED_CHARS`."""
    try:
        loader = _BoundedLoader(text)  # reads the start: may refuse a control character
    except yaml.reader.ReaderError as error:
        at_line = text.count("\n", 0, error.position) + 1
        raise RecordFileError(
            path, at_line, None, f"not valid YAML: control character U+{error.character:04X}"
        ) from error
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        expanded = expanded_chars(node)
        if expanded > MAX_EXPANDED_CHARS:
            raise RecordFileError(
                path,
                None,
                None,
                f"its aliases (*name) expand to over {MAX_EXPANDED_CHARS:,} characters "
                f"({expanded:,}); write the values out or use fewer aliases",
            )
        return loader.construct_document(node), node
    except _TooDeep as error:
        raise RecordFileError(path, error.line, None, f"not accepted: {error}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise RecordFileError(path, line, None, f"not valid YAML: {error}") from error
    finally:
        loader.dispose()


def read_records(path: Path, model: type[M]) -> list[tuple[int, M]]:
    """Parse ``path`` (a YAML list) into ``model`` records, each with its line number."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise RecordFileError(path, None, None, f"not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise RecordFileError(path, None, None, f"cannot be read: {error.strerror}") from error
    raw_items, document = load_yaml(text, path)
    if document is None:
        return []
    if not isinstance(document, yaml.SequenceNode) or not isinstance(raw_items, list):
        line = int(document.start_mark.line) + 1
        raise RecordFileError(path, line, None, "expected a list of records")
    nodes = list(document.value)
    records: list[tuple[int, M]] = []
    for node, raw in zip(nodes, raw_items, strict=True):
        line = int(node.start_mark.line) + 1
        if not isinstance(raw, dict):
            raise RecordFileError(path, line, None, "record is not a mapping of field: value")
        try:
            records.append((line, model.model_validate(raw)))
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or None
            record_id = raw.get("id")
            label = f" (record {record_id})" if record_id else ""
            field_line = line_of(node, first["loc"])
            raise RecordFileError(path, field_line, field, f"{first['msg']}{label}") from error
    return records


def dump_records(records: Sequence[BaseModel]) -> str:
    """Canonical YAML for records: fields in model order, defaults and empty values left out."""
    payload = [
        record.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
        for record in records
    ]
    return yaml.safe_dump(payload, sort_keys=False, allow_unicode=True, width=100)


def file_sha256(path: Path) -> str:
    """The SHA-256 (hex) of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
