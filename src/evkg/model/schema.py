"""JSON Schema of the evidence model, generated from the pydantic records.

The rendered schema is kept in the repository (``schema/evkg.schema.json``) for users of
other languages; ``tests/test_model.py`` fails when it is stale. Regenerate it with
``evkg schema -o schema/evkg.schema.json``.
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
from evkg.model.records import Claim, Entity, Evidence, Reference
from evkg.model.studies import StudyRecord

__all__ = ["SCHEMA_ID", "json_schema", "render_json_schema"]

SCHEMA_ID = "https://evkg.org/schema/evkg.schema.json"
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
    """One JSON Schema document with a definition per record type."""
    _, schema = models_json_schema(
        [(model, "validation") for model in _MODELS],
        title="evkg evidence model",
        description="Records of the evkg evidence graph and of its curated-knowledge files.",
    )
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    return schema


def render_json_schema() -> str:
    """The schema as canonical JSON text (sorted keys, 2-space indent, final newline)."""
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
