"""Property-based fuzzing of every operation in the OpenAPI schema (schemathesis, in process).

Each operation gets generated parameters and bodies, valid (positive) and invalid
(negative); the server must
never answer 5xx. Writes are fuzzed too, with the token, against a store of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.schemas import APIOperation, BaseSchema

from evkg.api import build_curated_bundle
from evkg.store import SqlStore
from evkg.vocab import load_vocabulary
from evkg.web import create_app

pytestmark = pytest.mark.slow

TOKEN = "fuzzing-token-of-enough-length"


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


def _fuzz(operation: APIOperation, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {TOKEN}"}, checks=[not_a_server_error]
        )

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
