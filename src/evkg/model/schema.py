"""JSON Schema of the evidence model, generated from the pydantic records.

The rendered schemas are kept in the repository for users of other languages, and
``tests/test_model.py`` fails when one is stale:

* ``schema/evkg.schema.json`` (``evkg schema``): a definition per record type, and a root
  that accepts any one of them, so a curated record, a study file or a stored claim
  validates against the file itself;
* ``schema/claim-line.schema.json`` (``evkg schema --of jsonl``): one line of the JSON-lines
  export as the root.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import models_json_schema

from evkg.model.curated import (
    BackgroundCitation,
    CuratedRecord,
    CuratedReference,
    TableRow,
)
from evkg.model.exported import ClaimLine
from evkg.model.records import Claim, Entity, Evidence, Reference
from evkg.model.studies import StudyRecord

__all__ = [
    "CLAIM_LINE_SCHEMA_ID",
    "SCHEMA_ID",
    "claim_line_schema",
    "json_schema",
    "render_json_schema",
]

SCHEMA_ID = "https://evkg.org/schema/evkg.schema.json"
CLAIM_LINE_SCHEMA_ID = "https://evkg.org/schema/claim-line.schema.json"
_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_MODELS = (
    Entity,
    Reference,
    Claim,
    Evidence,
    CuratedRecord,
    CuratedReference,
    TableRow,
    BackgroundCitation,
    StudyRecord,
)


def json_schema() -> dict[str, Any]:
    """One JSON Schema document with a definition per record type; its root accepts a
    document that is any one of them (every record forbids keys it does not define)."""
    refs, schema = models_json_schema(
        [(model, "validation") for model in _MODELS],
        title="evkg evidence model",
        description="Records of the evkg evidence graph and of its curated-knowledge files.",
    )
    schema["$schema"] = _DRAFT
    schema["$id"] = SCHEMA_ID
    schema["anyOf"] = [refs[(model, "validation")] for model in _MODELS]
    return schema


def claim_line_schema() -> dict[str, Any]:
    """The JSON Schema of one line of the JSON-lines export, that line as its root."""
    schema = ClaimLine.model_json_schema(mode="validation")
    schema["$schema"] = _DRAFT
    schema["$id"] = CLAIM_LINE_SCHEMA_ID
    schema["title"] = "evkg claim line"
    return schema


def render_json_schema(of: str = "model") -> str:
    """A schema as canonical JSON text (sorted keys, 2-space indent, final newline):
    ``of="model"`` the evidence model, ``of="jsonl"`` one line of the JSON-lines export."""
    builders = {"model": json_schema, "jsonl": claim_line_schema}
    if of not in builders:
        raise ValueError(f"unknown schema {of!r}; choose one of {', '.join(builders)}")
    return json.dumps(builders[of](), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
