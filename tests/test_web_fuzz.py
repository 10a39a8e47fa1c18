"""Property-based fuzzing of every operation in the OpenAPI schema (schemathesis, in process).

Each operation gets generated parameters and bodies, valid (positive) and invalid
(negative); the server must never answer 5xx, and every answer must be one the OpenAPI
description documents: its status code, content type and body schema (schemathesis's
response checks). Writes are fuzzed too, with the token, against a store of their own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation import GenerationMode
from schemathesis.schemas import APIOperation, BaseSchema

from evkg.api import build_curated_bundle
from evkg.store import SqlStore
from evkg.vocab import load_vocabulary
from evkg.web import create_app

pytestmark = pytest.mark.slow

TOKEN = "fuzzing-token-of-enough-length"
#: Examples per operation and mode: 40 in CI; EVKG_FUZZ_EXAMPLES=200 for a deeper run.
EXAMPLES = int(os.environ.get("EVKG_FUZZ_EXAMPLES", "40"))


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "evkg.sqlite"
    store = SqlStore(f"sqlite:///{path}")
    store.initialise()
    store.load(build_curated_bundle())
    yield store
    store.dispose()


@pytest.fixture(scope="module")
def api_schema(fuzz_store: SqlStore) -> BaseSchema:
    app = create_app(store=fuzz_store, vocabulary=load_vocabulary(), token=TOKEN)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


#: No server error, and only documented status codes, content types and body shapes.
_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _fuzz(operation: APIOperation, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=_CHECKS)

    run()


def test_no_operation_answers_5xx(api_schema: BaseSchema) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    labels = {operation.label for operation in operations}
    assert {"GET /api/claims", "POST /api/claims", "GET /disease/{name}"} <= labels
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(operation, mode)
            except Unsatisfiable:  # nothing to make invalid: an operation without inputs
                assert mode == GenerationMode.NEGATIVE, operation.label
            except Exception as error:  # collect every failing operation, then report all
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert not failures, "\n\n".join(failures)


def test_openapi_describes_the_error_answers(api_schema: BaseSchema) -> None:
    """The 422 of every operation has the shape the server sends (a message and suggestions,
    not FastAPI's list), named resources document their 404, pages answer errors in HTML."""
    document = api_schema.raw_schema
    assert "HTTPValidationError" not in document["components"]["schemas"]
    disease = document["paths"]["/api/diseases/{name}"]["get"]["responses"]
    assert disease["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    assert "404" in disease
    page = document["paths"]["/disease/{name}"]["get"]["responses"]
    assert set(page["404"]["content"]) == {"text/html"}
    writes = document["paths"]["/api/claims"]["post"]["responses"]
    assert {"401", "403", "413"} <= set(writes)
